using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Indexing;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Ingest;

/// <summary>
/// Checks one row against the dataset and adds it to a <see cref="ParsedBatch"/>: every way in (CSV, JSON Lines,
/// in-memory records) reads its values here and applies the row rules (<see cref="RowChecker"/>, the same rules the
/// stream validator applies). One parser per worker; it only reads the store.
/// </summary>
internal sealed class RowParser(IRowSink sink)
{
    private static readonly RowError BadActivityId = Unreadable(ParticipationFields.BadActivity);
    private static readonly RowError BadSchoolId = Unreadable(ParticipationFields.BadSchool);
    private static readonly RowError BadDate = Refusal(RowFaults.DateNotHeld);
    private static readonly RowError BadPre = Refusal(RowFaults.PreNotHeld);
    private static readonly RowError BadPost = Refusal(RowFaults.PostNotHeld);

    // Reused for every in-memory record: its identifiers are narrowed to ASCII bytes here, never into new arrays.
    private readonly byte[] _beneficiary = new byte[BeneficiaryKey.MaxLength];
    private readonly byte[] _activity = new byte[Identifiers.MaxLength];
    private readonly byte[] _school = new byte[Identifiers.MaxLength];

    /// <summary>Decodes a row read from any source with the one field decoder and adds it, or says why not; any thread.</summary>
    /// <remarks>
    /// Never inlined into a source's loop: compiled on its own, the key hashes, the checks and the batch's columns inline
    /// here behind one call to the decoder. Inlined into a large reading loop, the compiler's inlining budget ran out
    /// there and left calls that copied every decoded value through the stack.
    /// </remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    internal static RowError? Add(ParsedBatch batch, int lineEnds, scoped in ParticipationRow row) =>
        ParticipationFields.Decode(row, out var v) is { } problem
            ? Unreadable(problem)
            : Add(
                batch, lineEnds, row.Beneficiary, row.Activity, v.DayNumber, v.Role, v.Sex, AgeCodes.Of(v.Age, v.AgeBand, row.Age.IsEmpty && v.YearOfBirth != 0), v.Mode, v.Completed,
                row.School, v.Pre, v.Post, v.Functioning);

    /// <summary>A field problem as a refusal of the line (SP8001, or SP8015 for a broken quote).</summary>
    internal static RowError Unreadable(FieldProblem problem) => problem.Fault == ReadFault.BrokenQuote
        ? new RowError(ValidationRules.RecordBrokenQuote.Code, problem.Message, problem.Column)
        : RowError.Unreadable(problem.Message, problem.Column);

    /// <summary>Adds an in-memory record (its identifiers are valid, hence ASCII), or says why not.</summary>
    internal RowError? Add(ParsedBatch batch, int lineEnds, ParticipationRecord record) =>
        Add(
            batch, lineEnds, Narrow(record.Beneficiary.Value, _beneficiary), Narrow(record.Activity.Value, _activity),
            ProgrammeIndex.DayNumber(record.Date), (int)record.Role, (int)record.Sex,
            AgeCodes.Of(record.AgeAtDate() ?? ParticipationFields.NoAge, (int)record.AgeBand, record.Age is null), (int)record.Mode,
            record.Completed, record.School is { } school ? Narrow(school.Value, _school) : default,
            RowChecker.Scaled(record.PreScore), RowChecker.Scaled(record.PostScore), record.Functioning().Packed);

    private static ReadOnlySpan<byte> Narrow(string value, byte[] buffer) =>
        buffer.AsSpan(0, System.Text.Encoding.ASCII.GetBytes(value, buffer));

    /// <summary>Checks a row with typed values and adds it; its activity and school wait for <see cref="Resolve"/>.</summary>
    private static RowError? Add(
        ParsedBatch batch, int lineEnds, ReadOnlySpan<byte> beneficiary, ReadOnlySpan<byte> activity, int dayNumber,
        int role, int sex, byte age, int mode, bool completed, ReadOnlySpan<byte> school, long preScaled, long postScaled, ulong functioning) =>
        Add(
            batch, lineEnds, new(beneficiary, BeneficiaryHash.Of(beneficiary), activity, BeneficiaryHash.Of(activity), school, school.IsEmpty ? 0 : BeneficiaryHash.Of(school)),
            dayNumber, Flags(role, sex, mode, completed), age, preScaled, postScaled, functioning);

    /// <summary>
    /// Checks a row whose fields a columnar source decoded itself and adds it; its activity and school wait for
    /// <see cref="Resolve"/>. For a source that decodes each distinct value of a column once (a Parquet dictionary entry)
    /// with the one decoder's own lookups, and hashes each distinct key once: only rows every field of which decodes come
    /// here, so the row rules and refusals are those of <see cref="Add(ParsedBatch, int, in ParticipationRow)"/>. The
    /// role, sex, mode and completion come packed (<see cref="Flags"/>).
    /// </summary>
    internal static RowError? Add(
        ParsedBatch batch, int lineEnds, scoped in RowKeys keys, int dayNumber, byte flags, byte age, long preScaled, long postScaled, ulong functioning)
    {
        var held = RowChecker.Held(dayNumber, preScaled, postScaled);
        if (held != RowFaults.None)
        {
            return (held & RowFaults.DateNotHeld) != 0 ? BadDate : (held & RowFaults.PreNotHeld) != 0 ? BadPre : BadPost;
        }
        var day = dayNumber - RowChecker.FirstDay;
        batch.Add(lineEnds, keys, (ushort)day, flags, age, preScaled, postScaled, functioning);
        return null;
    }

    /// <summary>A row's role, sex, mode and completion, packed as <see cref="ParsedBatch.Flags"/> holds them.</summary>
    internal static byte Flags(int role, int sex, int mode, bool completed) => (byte)(role | (sex << 3) | (mode << 5) | (completed ? 0x80 : 0));

    /// <summary>The dataset's activity and school ids, for a source that resolves each distinct id once (<see cref="Accepts"/>).</summary>
    internal DatasetKeys Keys => sink.Keys;

    /// <summary>
    /// Whether a row whose fields a columnar source decoded and whose activity and school it resolved itself (once a
    /// dictionary entry, with <see cref="Keys"/>, and the activity's rule entry with it) passes every row rule of
    /// <see cref="Add(ParsedBatch, int, in RowKeys, int, byte, byte, long, long, ulong)"/> and <see cref="Resolve"/>, and the
    /// school it is then held at. A row any rule would refuse is the source's to read through those instead, so that
    /// refusals are worded in one place.
    /// </summary>
    /// <param name="activity">The activity's number in the dataset.</param>
    /// <param name="span">Its entry of <see cref="RowChecker.Spans"/> (<see cref="Rules"/>), read by the caller with its number.</param>
    /// <param name="school">The school's number, or <see cref="ProgrammeIndex.None"/> when the row names none.</param>
    /// <param name="dayNumber">The row's day.</param>
    /// <param name="preScaled">The pre score, scaled.</param>
    /// <param name="postScaled">The post score, scaled.</param>
    /// <param name="heldAt">The school the row is held at: the one named, else the activity's.</param>
    internal bool Accepts(int activity, in ActivitySpan span, int school, int dayNumber, long preScaled, long postScaled, out int heldAt)
    {
        var rules = sink.Rules;
        if (rules.Passes(span, school, dayNumber, preScaled, postScaled, out heldAt))
        {
            return true;
        }
        heldAt = rules.HeldAt(activity, school);
        return rules.Refusals(activity, school, dayNumber, preScaled, postScaled) == RowFaults.None;
    }

    /// <summary>The dataset's row rules, whose activity entries a columnar source reads once a dictionary entry.</summary>
    internal RowChecker Rules => sink.Rules;

    /// <summary>
    /// Reads the rule entries the row rules will read for these activities (numbers in the dataset; a negative number,
    /// an activity the dataset lacks, is skipped), and nothing else, so that the cache misses of a group of rows overlap.
    /// <see cref="Resolve"/> touches a group's entries here (a columnar source reads them with its dictionary entries instead).
    /// </summary>
    /// <returns>A value of no meaning, for the caller to keep so the loads stay.</returns>
    internal int TouchActivities(ReadOnlySpan<int> activities)
    {
        var spans = sink.Rules.Spans;
        var sum = 0;
        foreach (var activity in activities)
        {
            sum += (uint)activity < (uint)spans.Length ? spans[activity].First : 0;
        }
        return sum;
    }

    /// <summary>
    /// Resolves every row's activity and school against the dataset, refusing the rows that name one it lacks, and
    /// puts the batch's rejects in line order. Rows go in groups whose table slots are touched first, so that their
    /// cache misses overlap instead of queueing one behind the other.
    /// </summary>
    internal void Resolve(ParsedBatch batch)
    {
        var rules = sink.Rules;
        var activities = sink.Keys.Activities;
        var schools = sink.Keys.Schools;
        var hashes = batch.ActivityId.Hashes;
        var schoolHashes = batch.SchoolId.Hashes;
        var late = false;
        var named = !batch.SchoolId.AllEmpty;
        for (var group = 0; group < batch.Count; group += TouchGroup)
        {
            var end = Math.Min(batch.Count, group + TouchGroup);
            _touched += activities.Touch(hashes[group..end]) + (named ? schools.Touch(schoolHashes[group..end]) : 0);
            // The group's lookups first, then their checks: each check reads its activity's entry (one of one array),
            // and with the numbers known up front those reads are touched together and do not wait on one another.
            for (var row = group; row < end; row++)
            {
                batch.Activity[row] = activities.Find(batch.ActivityId[row], hashes[row]);
            }
            _touched += TouchActivities(batch.Activity.AsSpan(group, end - group));
            for (var row = group; row < end; row++)
            {
                var act = batch.Activity[row];
                var school = named ? SchoolOf(schools, batch.SchoolId, row) : ProgrammeIndex.None;
                var day = batch.Day[row] + RowChecker.FirstDay;
                if (rules.Passes(act, school, day, batch.Pre[row], batch.Post[row], out var heldAt))
                {
                    batch.School[row] = heldAt;
                    continue;
                }
                var faults = rules.Refusals(act, school, day, batch.Pre[row], batch.Post[row]);
                if (faults == RowFaults.None)
                {
                    batch.School[row] = rules.HeldAt(act, school);
                    continue;
                }
                batch.Activity[row] = -1;
                batch.Rejects.Add((batch.LineEnds[row], Refusal(faults, batch, row, act)));
                late = true;
            }
        }
        if (late)
        {
            batch.Rejects.Sort((a, b) => a.LineEnds.CompareTo(b.LineEnds));
        }
    }

    /// <summary>The school a row names, by number: <see cref="ProgrammeIndex.None"/> when it names none, <see cref="RowChecker.UnknownSchool"/> when the dataset lacks it.</summary>
    private static int SchoolOf(KeyTable schools, KeyColumn ids, int row) =>
        ids[row] is var id && id.IsEmpty ? ProgrammeIndex.None
        : schools.Find(id, ids.Hash(row)) is var found and >= 0 ? found : RowChecker.UnknownSchool;

    /// <summary>The refusal of a row for the first of its faults, worded as the validator words it.</summary>
    private RowError Refusal(RowFaults faults, ParsedBatch batch, int row, int activity)
    {
        // An id that is not an identifier at all makes the line unreadable, as the typed readers say; checked here, on
        // refused rows only, since such an id never resolves.
        if (ParticipationFields.IdProblem(batch.ActivityId[row], batch.SchoolId[row]) is { } problem)
        {
            return problem == ParticipationFields.BadActivity ? BadActivityId : BadSchoolId;
        }
        var fault = RowFindings.First(faults);
        var flags = batch.Flags[row];
        var values = new RowValues(
            Clip(batch.ActivityId[row]), activity, batch.SchoolId[row].IsEmpty ? null : Clip(batch.SchoolId[row]),
            batch.Day[row] + RowChecker.FirstDay, flags & 7, (flags >> 5) & 3, ScoreText(batch.Pre[row]), ScoreText(batch.Post[row]));
        return new(RowFindings.Rule(fault).Code, RowFindings.Describe(fault, values, sink.Rules).Message, RowFindings.Path(fault));
    }

    /// <summary>The refusal for a fault whose message names nothing of the row.</summary>
    internal static RowError Refusal(RowFaults fault) =>
        new(RowFindings.Rule(fault).Code, RowFindings.Describe(fault, default, null).Message, RowFindings.Path(fault));

    private static string? ScoreText(long scaled) =>
        scaled is RowChecker.NoScore or RowChecker.BadScore ? null : JsonText.Of(scaled / (decimal)RowChecker.ScoreScale);

    /// <summary>Rows whose table slots are touched together: enough to overlap their misses, few enough to stay cached.</summary>
    internal const int TouchGroup = 16;

    // Keeps the touching loads observable, so that no compiler drops them.
    private int _touched;

    /// <summary>An identifier for a message: at most 40 characters, invalid UTF-8 shown as replacement characters.</summary>
    private static string Clip(ReadOnlySpan<byte> s) =>
        s.Length <= 40 ? System.Text.Encoding.UTF8.GetString(s) : string.Concat(System.Text.Encoding.UTF8.GetString(s[..40]), "…");
}
