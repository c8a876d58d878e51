using System.Runtime.CompilerServices;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Indexing;

/// <summary>
/// What can be wrong with a participation row once its values are read, one bit each. The errors refuse the row; the
/// warnings (from <see cref="BeforeActivity"/> up) are counted and never change a figure. The catalogue codes are given
/// in <c>Validation/RowFindings</c>.
/// </summary>
[Flags]
internal enum RowFaults : uint
{
    None = 0,
    /// <summary>SP8011: the date is outside the days the store holds.</summary>
    DateNotHeld = 1 << 0,
    /// <summary>SP8012: the pre score has more than 4 decimal places or is over 1e9 in size.</summary>
    PreNotHeld = 1 << 1,
    /// <summary>SP8012, for the post score.</summary>
    PostNotHeld = 1 << 2,
    /// <summary>SP8004: the school is not in the dataset.</summary>
    UnknownSchool = 1 << 3,
    /// <summary>SP8002: the activity is not in the dataset.</summary>
    UnknownActivity = 1 << 4,
    /// <summary>SP8014: the activity's phase, school or organisation is not in the dataset.</summary>
    ActivityUnusable = 1 << 5,
    /// <summary>SP8003: the date is outside the activity's phase.</summary>
    OutsidePhase = 1 << 6,
    /// <summary>SP8005: the school is not enrolled in the phase of an activity held at no one school.</summary>
    SchoolNotEnrolled = 1 << 7,
    /// <summary>SP8005: the school is not the one the activity was held at.</summary>
    SchoolNotActivitys = 1 << 8,
    /// <summary>SP8007: the pre score is outside the assessment indicator's range.</summary>
    PreOutOfRange = 1 << 9,
    /// <summary>SP8007, for the post score.</summary>
    PostOutOfRange = 1 << 10,
    /// <summary>SP8013: the row would add a distinct score value beyond <see cref="RowChecker.MaxDistinctScores"/>.</summary>
    TooManyScores = 1 << 11,
    /// <summary>SP8008 (warning): dated inside the phase but before the activity.</summary>
    BeforeActivity = 1 << 16,
    /// <summary>SP8006 (warning): no cohort of the phase has the row's role.</summary>
    RoleNotInPhase = 1 << 17,
    /// <summary>SP8009 (warning): the mode contradicts the activity's (which is not hybrid).</summary>
    ModeMismatch = 1 << 18,
    /// <summary>Every bit that refuses a row.</summary>
    Errors = 0xFFFF,
}

/// <summary>
/// The row rules: the one place that decides whether a participation row may reach a figure. The store's ingest
/// applies them in <c>RowParser</c> on numbered values, the stream validator on typed records numbered through the same
/// index; both refuse a row for the same faults.
/// </summary>
/// <remarks>
/// Checks read only precomputed arrays (<see cref="ProgrammeIndex.ActivityRows"/>, the scaled assessment range) and
/// allocate nothing. Scores are in ten-thousandths (<see cref="ScoreScale"/>), days are <see cref="DateOnly.DayNumber"/>s.
/// Immutable and thread-safe.
/// </remarks>
internal sealed class RowChecker
{
    /// <summary>Scores are held exactly in ten-thousandths, as the field decoder reads them.</summary>
    internal const long ScoreScale = ParticipationFields.ScoreScale;

    /// <summary>The largest score magnitude held, scaled: 1e9.</summary>
    internal const long MaxScaledScore = ParticipationFields.MaxScaledScore;

    /// <summary>A scaled score meaning "no score".</summary>
    internal const long NoScore = ParticipationFields.NoScore;

    /// <summary>A scaled score meaning "a number the store cannot hold" (more than 4 places, or over 1e9).</summary>
    internal const long BadScore = ParticipationFields.BadScore;

    /// <summary>
    /// The most records one append reads, one store holds, and one validated stream reads (SP8016): the record past it is
    /// refused and reading stops, so an endless stream ends with a finding, never an overflow. Store columns are indexed
    /// by <c>int</c>, and a billion records are 16 GB of columns.
    /// </summary>
    internal const long MaxRecords = 1_000_000_000;

    /// <summary>The most distinct score values one store holds (scores are 2-byte codes, code 0 meaning "no score").</summary>
    internal const int MaxDistinctScores = ushort.MaxValue;

    /// <summary>The first day held: 2000-01-01.</summary>
    internal static readonly int FirstDay = new DateOnly(2000, 1, 1).DayNumber;

    /// <summary>The last day held: 2179-06-06 (days are 2-byte offsets from <see cref="FirstDay"/>).</summary>
    internal static readonly int LastDay = FirstDay + ushort.MaxValue;

    private static readonly ConditionalWeakTable<ProgrammeIndex, RowChecker> Defaults = [];

    private readonly ActivityRowFacts[] _activities;
    private readonly ActivityChecks[] _checks;
    private readonly ActivitySpan[] _spans;
    private readonly int[]?[] _enrolled;
    private readonly bool _ranged;
    private readonly long _min;
    private readonly long _max;
    private readonly long _passLow;
    private readonly long _passHigh;

    /// <summary>The rules of <paramref name="index"/>'s dataset, scores checked against <paramref name="assessment"/> (none: unchecked).</summary>
    internal RowChecker(ProgrammeIndex index, Indicator? assessment)
    {
        Index = index;
        Assessment = assessment;
        _activities = index.ActivityRows;
        _checks = [.. _activities.Select(a => new ActivityChecks(a.PhaseStart, a.PhaseEnd, a.School, a.Phase))];
        _enrolled = index.PhaseEnrolled;
        if (assessment is not null && (assessment.Minimum is not null || assessment.Maximum is not null))
        {
            // Bounds beyond any held score are clamped so that scaling cannot overflow; comparisons stay exact.
            _ranged = true;
            _min = assessment.Minimum is { } min ? (long)decimal.Ceiling(Math.Clamp(min, -2e9m, 2e9m) * ScoreScale) : long.MinValue + 1;
            _max = assessment.Maximum is { } max ? (long)decimal.Floor(Math.Clamp(max, -2e9m, 2e9m) * ScoreScale) : long.MaxValue - 1;
        }
        // The scores Passes takes: held (so never BadScore, which is below any bound) and in the range when there is one.
        _passLow = _ranged ? Math.Max(_min, -MaxScaledScore) : -MaxScaledScore;
        _passHigh = _ranged ? Math.Min(_max, MaxScaledScore) : MaxScaledScore;
        _spans = [.. _checks.Select(ActivitySpan.Of)];
    }

    /// <summary>The rules every ingest applies: scores checked against the dataset's only score indicator, if it has one.</summary>
    internal static RowChecker For(ProgrammeDataset dataset) =>
        Defaults.GetValue(ProgrammeIndex.For(dataset), static index => new RowChecker(index, index.DefaultAssessment));

    internal ProgrammeIndex Index { get; }

    /// <summary>The indicator whose range scores must lie in, or <c>null</c>.</summary>
    internal Indicator? Assessment { get; }

    /// <summary>SP8011 and SP8012: whether the row's date and scores can be held at all.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static RowFaults Held(int dayNumber, long pre, long post) =>
        ((uint)(dayNumber - FirstDay) > ushort.MaxValue ? RowFaults.DateNotHeld : RowFaults.None)
        | (pre == BadScore ? RowFaults.PreNotHeld : RowFaults.None)
        | (post == BadScore ? RowFaults.PostNotHeld : RowFaults.None);

    /// <summary>The school number of a row that names a school the dataset lacks (<see cref="ProgrammeIndex.None"/>: it names none).</summary>
    internal const int UnknownSchool = -2;

    /// <summary>
    /// Every refusing fault of a row whose activity and school have been looked up in the dataset: its date and scores
    /// held (<see cref="Held"/>), its school and activity the dataset's, its activity usable, and at a usable activity
    /// <see cref="Errors(in ActivityChecks, int, int, long, long)"/>. The one statement of which rows the dataset takes,
    /// applied by every path: the row path (<c>RowParser.Resolve</c>, which refuses for the first in
    /// <c>RowFindings.Order</c>), the column-batch path (<c>RowParser.Accepts</c>, which takes a row only when there is
    /// none) and the stream validator (which reports every one). Ingest asks it only of rows <see cref="Passes(int, int, int, long, long, out int)"/> does
    /// not take.
    /// </summary>
    /// <param name="activity">The activity's number, or a negative number when the dataset lacks it.</param>
    /// <param name="school">The school's number; <see cref="ProgrammeIndex.None"/> when the row names none, <see cref="UnknownSchool"/> when the dataset lacks it.</param>
    /// <param name="dayNumber">The row's day.</param>
    /// <param name="pre">The pre score, scaled.</param>
    /// <param name="post">The post score, scaled.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal RowFaults Refusals(int activity, int school, int dayNumber, long pre, long post)
    {
        var faults = Held(dayNumber, pre, post) | (school == UnknownSchool ? RowFaults.UnknownSchool : RowFaults.None);
        if ((uint)activity >= (uint)_checks.Length)
        {
            return faults | RowFaults.UnknownActivity;
        }
        ref readonly var a = ref _checks[activity];
        return faults | (a.Usable ? Errors(in a, school, dayNumber, pre, post) : RowFaults.ActivityUnusable);
    }

    /// <summary>
    /// Whether a row passes every refusing rule by the short test most rows meet, and the school it is then held at: a
    /// known, usable activity (<see cref="Spans"/>), a held day inside its phase, no school named or the activity's own,
    /// and scores none or held and in range. When it says <c>true</c>, <see cref="Refusals"/> finds none; when
    /// <c>false</c>, the row may still pass (a school enrolled in the phase of an activity held at no one school), and
    /// the caller asks <see cref="Refusals"/>, which stays the one statement of the rules.
    /// </summary>
    /// <param name="activity">The activity's number, or a negative number when the dataset lacks it.</param>
    /// <param name="school">The school's number; <see cref="ProgrammeIndex.None"/> when the row names none, <see cref="UnknownSchool"/> when the dataset lacks it.</param>
    /// <param name="dayNumber">The row's day.</param>
    /// <param name="pre">The pre score, scaled.</param>
    /// <param name="post">The post score, scaled.</param>
    /// <param name="heldAt">The school the row is held at, when it passes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Passes(int activity, int school, int dayNumber, long pre, long post, out int heldAt)
    {
        var spans = _spans;
        heldAt = school;
        if ((uint)activity >= (uint)spans.Length)
        {
            return false;
        }
        return Passes(spans[activity], school, dayNumber, pre, post, out heldAt);
    }

    /// <summary>
    /// <see cref="Passes(int, int, int, long, long, out int)"/> for a known activity whose <see cref="Spans"/> entry the
    /// caller holds (read once for many rows of the activity, as a columnar source does for a dictionary entry).
    /// </summary>
    /// <param name="span">The activity's entry of <see cref="Spans"/>.</param>
    /// <param name="school">The school's number; <see cref="ProgrammeIndex.None"/> when the row names none, <see cref="UnknownSchool"/> when the dataset lacks it.</param>
    /// <param name="dayNumber">The row's day.</param>
    /// <param name="pre">The pre score, scaled.</param>
    /// <param name="post">The post score, scaled.</param>
    /// <param name="heldAt">The school the row is held at, when it passes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Passes(in ActivitySpan span, int school, int dayNumber, long pre, long post, out int heldAt)
    {
        heldAt = school;
        // A day outside the held range wraps past any span's last day; an unusable activity's span holds no day.
        var day = (uint)(dayNumber - FirstDay);
        if (day < span.First || day > span.Last || (school != ProgrammeIndex.None && school != span.School))
        {
            return false;
        }
        heldAt = span.School;
        return (pre == NoScore || (pre >= _passLow && pre <= _passHigh)) && (post == NoScore || (post >= _passLow && post <= _passHigh));
    }

    /// <summary>What <see cref="Passes(int, int, int, long, long, out int)"/> reads of each activity, by number: one entry a row, for a caller to touch ahead.</summary>
    internal ReadOnlySpan<ActivitySpan> Spans => _spans;

    /// <summary>The school a row at a known activity is held at: the one it names, else the activity's.</summary>
    /// <param name="activity">The activity's number.</param>
    /// <param name="school">The school the row names, or <see cref="ProgrammeIndex.None"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int HeldAt(int activity, int school) => school >= 0 ? school : _checks[activity].School;

    /// <summary>The refusing faults of a row at a usable activity whose <see cref="ActivityChecks"/> entry the caller holds: its phase, its school, its scores.</summary>
    /// <param name="a">The activity's entry; it is usable.</param>
    /// <param name="school">The school the row names, or <see cref="ProgrammeIndex.None"/> when it names none.</param>
    /// <param name="dayNumber">The row's day.</param>
    /// <param name="pre">The pre score, scaled.</param>
    /// <param name="post">The post score, scaled.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal RowFaults Errors(in ActivityChecks a, int school, int dayNumber, long pre, long post)
    {
        var faults = dayNumber < a.PhaseStart || dayNumber > a.PhaseEnd ? RowFaults.OutsidePhase : RowFaults.None;
        if (school >= 0)
        {
            faults |= SchoolFaults(in a, school);
        }
        if (_ranged)
        {
            faults |= ScoreFaults(pre, post);
        }
        return faults;
    }

    private RowFaults SchoolFaults(in ActivityChecks a, int school) =>
        a.School >= 0 ? (school != a.School ? RowFaults.SchoolNotActivitys : RowFaults.None)
        : _enrolled[a.Phase] is { } enrolled && Array.BinarySearch(enrolled, school) < 0 ? RowFaults.SchoolNotEnrolled
        : RowFaults.None;

    private RowFaults ScoreFaults(long pre, long post) =>
        (pre is not NoScore and not BadScore && (pre < _min || pre > _max) ? RowFaults.PreOutOfRange : RowFaults.None)
        | (post is not NoScore and not BadScore && (post < _min || post > _max) ? RowFaults.PostOutOfRange : RowFaults.None);

    /// <summary>The warnings of a row at a usable activity: dated before it, a role without cohort, a contradicting mode.</summary>
    internal RowFaults Warnings(int activity, int dayNumber, int role, int mode)
    {
        ref readonly var a = ref _activities[activity];
        return (dayNumber >= a.PhaseStart && dayNumber <= a.PhaseEnd && dayNumber < a.Day ? RowFaults.BeforeActivity : RowFaults.None)
            | (a.Roles != 0 && (a.Roles & (1 << role)) == 0 ? RowFaults.RoleNotInPhase : RowFaults.None)
            | (a.Mode != (byte)DeliveryMode.Hybrid && mode != a.Mode ? RowFaults.ModeMismatch : RowFaults.None);
    }

    /// <summary>A score scaled to ten-thousandths: <see cref="NoScore"/> for none, <see cref="BadScore"/> when it cannot be held.</summary>
    internal static long Scaled(decimal? score) => ParticipationFields.Scaled(score);
}

/// <summary>
/// What the refusing row rules read of one activity, 16 bytes (<see cref="ActivityRowFacts"/> has the rest). Ingest
/// reads the smaller <see cref="ActivitySpan"/> for most rows and this entry only for a row that test does not pass.
/// </summary>
/// <param name="PhaseStart">The first day of its phase.</param>
/// <param name="PhaseEnd">The last day of its phase.</param>
/// <param name="School">The school it was held at, or <see cref="ProgrammeIndex.None"/>.</param>
/// <param name="Phase">Its phase's number, or <see cref="ProgrammeIndex.None"/> when the activity is not usable.</param>
internal readonly record struct ActivityChecks(int PhaseStart, int PhaseEnd, int School, int Phase)
{
    /// <summary>Whether rows may name the activity: its phase, school and organisation are in the dataset.</summary>
    internal bool Usable => Phase >= 0;
}

/// <summary>
/// What <see cref="RowChecker.Passes(int, int, int, long, long, out int)"/> reads of one activity, 8 bytes: the held days of its phase (as offsets from
/// <see cref="RowChecker.FirstDay"/>, empty for an activity that is not usable) and the school it was held at. Ingest
/// reads one entry a row, at random, so a small entry keeps more of them cached.
/// </summary>
/// <param name="First">The first held day of the phase, as an offset.</param>
/// <param name="Last">The last held day of the phase, as an offset; below <paramref name="First"/> when no day passes.</param>
/// <param name="School">The school the activity was held at, or <see cref="ProgrammeIndex.None"/>.</param>
internal readonly record struct ActivitySpan(ushort First, ushort Last, int School)
{
    private static readonly ActivitySpan Empty = new(1, 0, ProgrammeIndex.None);

    /// <summary>The span of an activity's entry: its phase's days clipped to the days held.</summary>
    internal static ActivitySpan Of(ActivityChecks a)
    {
        var first = Math.Max(a.PhaseStart, RowChecker.FirstDay) - RowChecker.FirstDay;
        var last = Math.Min(a.PhaseEnd, RowChecker.LastDay) - RowChecker.FirstDay;
        return a.Usable && first <= last ? new((ushort)first, (ushort)last, a.School) : Empty;
    }
}

/// <summary>
/// The distinct score values rows have brought so far, for SP8013: a row that would add one beyond
/// <see cref="RowChecker.MaxDistinctScores"/> is refused and adds none. What the store's score dictionary does, for the validator.
/// </summary>
internal sealed class ScoreTally
{
    private readonly HashSet<long> _scores = [];

    /// <summary>Takes the row's scores (scaled; <see cref="RowChecker.NoScore"/> for none), or returns <c>false</c> and takes neither.</summary>
    internal bool TryTake(long pre, long post)
    {
        var added = (pre != RowChecker.NoScore && !_scores.Contains(pre) ? 1 : 0)
            + (post != RowChecker.NoScore && post != pre && !_scores.Contains(post) ? 1 : 0);
        if (_scores.Count + added > RowChecker.MaxDistinctScores)
        {
            return false;
        }
        if (pre != RowChecker.NoScore)
        {
            _scores.Add(pre);
        }
        if (post != RowChecker.NoScore)
        {
            _scores.Add(post);
        }
        return true;
    }
}
