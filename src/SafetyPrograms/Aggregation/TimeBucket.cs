using System.Globalization;
using NodaTime;
using NodaTime.Calendars;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Aggregation;

/// <summary>A named school term (or school year) with its dates, for <see cref="TimeBucket.SchoolTerms"/>.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record SchoolTerm
{
    /// <summary>Creates a term.</summary>
    /// <param name="name">The label results show, such as <c>2024-25 T1</c>.</param>
    /// <param name="dates">The first and last day, inclusive.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="dates"/> is null.</exception>
    public SchoolTerm(string name, DateInterval dates)
    {
        Name = Preconditions.CheckNotBlank(name);
        Dates = Preconditions.CheckNotNull(dates);
    }

    /// <summary>The label results show.</summary>
    public string Name { get; }

    /// <summary>The first and last day, inclusive.</summary>
    public DateInterval Dates { get; }
}

/// <summary>How dates are grouped: by day, ISO week, month, quarter, calendar year, fiscal year or school term.</summary>
/// <remarks>
/// <para>Labels sort chronologically as text: day <c>2024-03-07</c>, ISO week <c>2024-W09</c> (ISO week-year, so
/// 2024-12-30 is in <c>2025-W01</c>), month <c>2024-03</c>, quarter <c>2024-Q1</c>, calendar year <c>2024</c>.</para>
/// <para>A fiscal year is named by the calendar year(s) it spans: with a first month of July (Pakistan),
/// 1 July 2024 – 30 June 2025 is <c>FY2024-25</c>; with January, the fiscal year 2024 is <c>FY2024</c>.</para>
/// <para>School terms are supplied by the caller; a date outside every term falls in the bucket <c>outsideTerms</c>,
/// so that totals still add up.</para>
/// String names: <c>day</c>, <c>week</c>, <c>month</c>, <c>quarter</c>, <c>year</c>, <c>fiscalYear</c> (July) or
/// <c>fiscalYear:4</c> (April), and <c>schoolTerms</c> (not parseable: it needs the caller's dates).
/// Equality is by value. Immutable and thread-safe.
/// </remarks>
public sealed class TimeBucket : IEquatable<TimeBucket>
{
    /// <summary>The label of the bucket for dates outside every school term.</summary>
    public const string OutsideTermsLabel = "outsideTerms";

    private enum Kind
    {
        Day,
        IsoWeek,
        Month,
        Quarter,
        CalendarYear,
        FiscalYear,
        SchoolTerms,
    }

    private readonly Kind _kind;
    private readonly int _startMonth;
    private readonly SchoolTerm[] _terms;

    private TimeBucket(Kind kind, int startMonth = 1, SchoolTerm[]? terms = null)
    {
        _kind = kind;
        _startMonth = startMonth;
        _terms = terms ?? [];
    }

    /// <summary>Calendar days, labelled <c>2024-03-07</c>.</summary>
    public static TimeBucket Day { get; } = new(Kind.Day);

    /// <summary>ISO 8601 weeks (Monday first, week 1 holds the first Thursday), labelled <c>2024-W09</c>.</summary>
    public static TimeBucket IsoWeek { get; } = new(Kind.IsoWeek);

    /// <summary>Calendar months, labelled <c>2024-03</c>.</summary>
    public static TimeBucket Month { get; } = new(Kind.Month);

    /// <summary>Calendar quarters, labelled <c>2024-Q1</c>.</summary>
    public static TimeBucket Quarter { get; } = new(Kind.Quarter);

    /// <summary>Calendar years, labelled <c>2024</c>.</summary>
    public static TimeBucket CalendarYear { get; } = new(Kind.CalendarYear);

    /// <summary>Fiscal years beginning on the first day of <paramref name="startMonth"/>.</summary>
    /// <param name="startMonth">The first month, 1 to 12; Pakistan's fiscal year starts in July (7).</param>
    /// <returns>The bucket; labels are <c>FY2024-25</c>, or <c>FY2024</c> when the year starts in January.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="startMonth"/> is not 1 to 12.</exception>
    public static TimeBucket FiscalYear(int startMonth)
    {
        if (startMonth is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(startMonth), startMonth, "The first month of a fiscal year must be 1 to 12.");
        }
        return new TimeBucket(Kind.FiscalYear, startMonth);
    }

    /// <summary>School terms (or school years) from dates the caller supplies.</summary>
    /// <param name="terms">The terms; they must not overlap and names must be distinct.</param>
    /// <returns>The bucket; labels are the term names, and <see cref="OutsideTermsLabel"/> for other dates.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="terms"/> is null.</exception>
    /// <exception cref="ArgumentException">There are no terms, two overlap or two share a name.</exception>
    public static TimeBucket SchoolTerms(IEnumerable<SchoolTerm> terms)
    {
        Preconditions.CheckNotNull(terms);
        var sorted = terms.OrderBy(t => t.Dates.Start).ToArray();
        Preconditions.CheckArgument(sorted.Length > 0, nameof(terms), "At least one school term is needed.");
        for (var i = 1; i < sorted.Length; i++)
        {
            Preconditions.CheckArgument(
                sorted[i].Dates.Start > sorted[i - 1].Dates.End, nameof(terms), $"Terms '{sorted[i - 1].Name}' and '{sorted[i].Name}' overlap.");
        }
        Preconditions.CheckArgument(
            sorted.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() == sorted.Length, nameof(terms), "Term names must be distinct.");
        Preconditions.CheckArgument(
            !sorted.Any(t => t.Name == OutsideTermsLabel), nameof(terms), $"'{OutsideTermsLabel}' is reserved for dates outside every term.");
        return new TimeBucket(Kind.SchoolTerms, 1, sorted);
    }

    /// <summary>Finds a bucket by its string name: <c>day</c>, <c>week</c>, <c>month</c>, <c>quarter</c>, <c>year</c>, <c>fiscalYear</c> or <c>fiscalYear:N</c>.</summary>
    /// <param name="name">The name, ignoring case.</param>
    /// <param name="bucket">The bucket, when found.</param>
    /// <returns>Whether the name is a bucket's.</returns>
    public static bool TryParse(string? name, out TimeBucket bucket)
    {
        bucket = Month;
        switch (name?.ToUpperInvariant())
        {
            case null:
                return false;
            case "DAY":
                bucket = Day;
                return true;
            case "WEEK" or "ISOWEEK":
                bucket = IsoWeek;
                return true;
            case "MONTH":
                return true;
            case "QUARTER":
                bucket = Quarter;
                return true;
            case "YEAR" or "CALENDARYEAR":
                bucket = CalendarYear;
                return true;
            case "FISCALYEAR":
                bucket = FiscalYear(7);
                return true;
            case var s when s.StartsWith("FISCALYEAR:", StringComparison.Ordinal)
                && int.TryParse(s.AsSpan(11), NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m is >= 1 and <= 12:
                bucket = FiscalYear(m);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The school terms, in date order, for a school-terms bucket; empty for every other bucket.</summary>
    /// <remarks>Two school-terms buckets are equal only when their terms are: the same names and the same dates.</remarks>
    public IReadOnlyList<SchoolTerm> Terms => _terms.AsReadOnly();

    /// <summary>The string name: <c>month</c>, <c>fiscalYear:7</c>, <c>schoolTerms</c> and so on.</summary>
    public string Name => _kind switch
    {
        Kind.Day => "day",
        Kind.IsoWeek => "week",
        Kind.Month => "month",
        Kind.Quarter => "quarter",
        Kind.CalendarYear => "year",
        Kind.FiscalYear => string.Create(CultureInfo.InvariantCulture, $"fiscalYear:{_startMonth}"),
        _ => "schoolTerms",
    };

    /// <summary>The label of the bucket holding <paramref name="date"/>.</summary>
    /// <param name="date">The date.</param>
    /// <returns>The label, such as <c>2024-Q1</c>.</returns>
    public string Label(LocalDate date)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (_kind)
        {
            case Kind.Day:
                return date.ToString("uuuu-MM-dd", inv);
            case Kind.IsoWeek:
                return string.Create(inv, $"{WeekYearRules.Iso.GetWeekYear(date):D4}-W{WeekYearRules.Iso.GetWeekOfWeekYear(date):D2}");
            case Kind.Month:
                return string.Create(inv, $"{date.Year:D4}-{date.Month:D2}");
            case Kind.Quarter:
                return string.Create(inv, $"{date.Year:D4}-Q{((date.Month - 1) / 3) + 1}");
            case Kind.CalendarYear:
                return date.Year.ToString("D4", inv);
            case Kind.FiscalYear:
                var start = FiscalStartYear(date);
                return _startMonth == 1
                    ? string.Create(inv, $"FY{start:D4}")
                    : string.Create(inv, $"FY{start:D4}-{(start + 1) % 100:D2}");
            default:
                var term = TermIndex(date);
                return term < 0 ? OutsideTermsLabel : _terms[term].Name;
        }
    }

    /// <summary>An integer that is the same for every date in one bucket and increases with time.</summary>
    internal int Ordinal(LocalDate date) => _kind switch
    {
        Kind.Day => date.ToDateOnly().DayNumber,
        Kind.IsoWeek => (WeekYearRules.Iso.GetWeekYear(date) * 100) + WeekYearRules.Iso.GetWeekOfWeekYear(date),
        Kind.Month => (date.Year * 12) + date.Month - 1,
        Kind.Quarter => (date.Year * 4) + ((date.Month - 1) / 3),
        Kind.CalendarYear => date.Year,
        Kind.FiscalYear => FiscalStartYear(date),
        // Outside every term sorts last.
        _ => TermIndex(date) is var t && t >= 0 ? t : int.MaxValue,
    };

    private int FiscalStartYear(LocalDate date) => date.Month >= _startMonth ? date.Year : date.Year - 1;

    private int TermIndex(LocalDate date)
    {
        for (var i = 0; i < _terms.Length; i++)
        {
            if (_terms[i].Dates.Contains(date))
            {
                return i;
            }
        }
        return -1;
    }

    /// <inheritdoc />
    public bool Equals(TimeBucket? other) =>
        other is not null && _kind == other._kind && _startMonth == other._startMonth && _terms.AsSpan().SequenceEqual(other._terms);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TimeBucket);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_kind, _startMonth, _terms.Length);

    /// <summary>The string name.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;
}
