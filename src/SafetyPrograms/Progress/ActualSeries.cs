using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>One figure of a series: a value describing a period. A figure counts from its period's last day.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record ActualPoint
{
    /// <summary>Creates a figure for a period.</summary>
    /// <param name="period">The period the value describes (for a cumulative value, the period ending on the day it is "to date").</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentNullException"><paramref name="period"/> is null.</exception>
    public ActualPoint(DateInterval period, decimal value)
    {
        Period = Preconditions.CheckNotNull(period);
        Value = value;
    }

    /// <summary>The period the value describes.</summary>
    public DateInterval Period { get; }

    /// <summary>The value.</summary>
    public decimal Value { get; }

    /// <summary>The day the figure is dated by: the last day of its period.</summary>
    public LocalDate Date => Period.End;

    /// <summary>A figure for a single day, such as a cumulative total as of that day.</summary>
    /// <param name="date">The day.</param>
    /// <param name="value">The value.</param>
    /// <returns>The figure.</returns>
    public static ActualPoint On(LocalDate date, decimal value) => new(new DateInterval(date, date), value);
}

/// <summary>
/// A dated series of actuals for one indicator and scope, with the counting basis, accumulation and unit it was
/// computed under: reported figures, attendance totals or unique counts recounted by the aggregation engine.
/// </summary>
/// <remarks>
/// <para>How a value "to date" is read depends on <see cref="Accumulation"/>: incremental figures are summed;
/// cumulative and last-value figures are never summed, the latest one stands. A figure counts from the last day of
/// its period; an incremental figure still running on the as-of date is not counted yet.</para>
/// <para>The constructor refuses series that cannot be read without double counting: overlapping incremental
/// periods, more than one incremental unique-people figure, two different values for the same day.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class ActualSeries
{
    private readonly ActualPoint[] _points;

    /// <summary>Creates a series.</summary>
    /// <param name="basis">What the values count.</param>
    /// <param name="accumulation">How the values combine over time.</param>
    /// <param name="unit">What the values measure in.</param>
    /// <param name="points">The figures, in any order.</param>
    /// <exception cref="ArgumentException">An enum is undefined or <paramref name="points"/> holds a null.</exception>
    /// <exception cref="AggregationRefusedException">
    /// A figure is beyond ±10^15 (<see cref="AggregationRefusal.FigureOutOfRange"/>), or the figures overlap, conflict or add
    /// unique counts (see <see cref="AggregationRefusedException.Reason"/>).
    /// </exception>
    public ActualSeries(CountingBasis basis, Accumulation accumulation, IndicatorUnit unit, IEnumerable<ActualPoint> points)
        : this(basis, accumulation, unit, points, 1)
    {
    }

    /// <summary>Creates a series whose yearly-cumulative figures restart in <paramref name="yearStartMonth"/>.</summary>
    /// <param name="basis">What the values count.</param>
    /// <param name="accumulation">How the values combine over time.</param>
    /// <param name="unit">What the values measure in.</param>
    /// <param name="points">The figures, in any order.</param>
    /// <param name="yearStartMonth">
    /// The month the year starts in (1 for the calendar year, 7 for a July-to-June fiscal year): a
    /// <see cref="Accumulation.YearlyCumulative"/> figure is a total to date within that year.
    /// </param>
    /// <exception cref="ArgumentException">An enum is undefined, the month is not 1 to 12, or <paramref name="points"/> holds a null.</exception>
    /// <exception cref="AggregationRefusedException">
    /// A figure is beyond ±10^15, a yearly-cumulative figure's period crosses its year's start
    /// (<see cref="AggregationRefusal.PeriodCrossesYearStart"/>), or the figures overlap, conflict or add unique counts.
    /// </exception>
    public ActualSeries(CountingBasis basis, Accumulation accumulation, IndicatorUnit unit, IEnumerable<ActualPoint> points, int yearStartMonth)
    {
        Preconditions.CheckArgument(yearStartMonth is >= 1 and <= 12, nameof(yearStartMonth), $"The year start month {yearStartMonth} is not a month (1 to 12).");
        YearStartMonth = yearStartMonth;
        Basis = Preconditions.CheckDefined(basis);
        Accumulation = Preconditions.CheckDefined(accumulation);
        Unit = Preconditions.CheckDefined(unit);
        var list = ValueList<ActualPoint>.From(Preconditions.CheckNotNull(points), nameof(points));
        _points = [.. list.OrderBy(p => p.Period.End).ThenBy(p => p.Period.Start)];
        foreach (var point in _points)
        {
            CheckFigure(point.Value, $"The figure for {Describe(point.Period)}");
        }
        if (accumulation == Accumulation.Incremental)
        {
            CheckAdditive(basis, _points);
        }
        else
        {
            CheckNoConflicts(_points);
        }
        if (accumulation == Accumulation.YearlyCumulative)
        {
            foreach (var point in _points)
            {
                var yearStart = YearStart(point.Date);
                if (point.Period.Start < yearStart)
                {
                    throw new AggregationRefusedException(
                        AggregationRefusal.PeriodCrossesYearStart,
                        $"The yearly-cumulative figure for {Describe(point.Period)} crosses the start of its year on {yearStart:uuuu-MM-dd}; " +
                        "a yearly total to date restarts there. Report from the year's start.");
                }
            }
        }
    }

    private ActualSeries(IndicatorUnit unit, Accumulation accumulation, ActualSeries numerator, ActualSeries denominator)
    {
        Basis = numerator.Basis;
        Accumulation = accumulation;
        Unit = unit;
        YearStartMonth = numerator.YearStartMonth;
        _numerator = numerator;
        _denominator = denominator;
        // A point per day either part has a figure: the percentage from the first figure's start to that day.
        var parts = numerator._points.Concat(denominator._points).ToList();
        var first = parts.Count == 0 ? default : parts.Min(p => p.Period.Start);
        _points = [.. parts.Select(p => p.Date).Distinct().Order()
            .Select(d => (Date: d, Figure: Evaluate(first, d, refuseStraddlingEnd: false)))
            .Where(x => x.Figure.FigureCount > 0)
            .Select(x => new ActualPoint(new DateInterval(first, x.Date), x.Figure.Value))];
    }

    private readonly ActualSeries? _numerator;
    private readonly ActualSeries? _denominator;

    /// <summary>
    /// A percentage series built from two count series: for any window, 100 × the numerator's figure ÷ the denominator's
    /// figure, each read by its own accumulation rule. A percentage is never a mean of percentages.
    /// </summary>
    /// <param name="numerator">The numerator's counts.</param>
    /// <param name="denominator">The denominator's counts, on the same basis.</param>
    /// <param name="accumulation">The percent indicator's accumulation, carried by the series.</param>
    /// <returns>The series; its <see cref="Points"/> are the percentages from the first figure's start to each figure's day.</returns>
    /// <exception cref="ArgumentNullException">A series is null.</exception>
    /// <exception cref="AggregationRefusedException">A part is not a count, or the parts are on different bases (see the reason).</exception>
    public static ActualSeries Percent(ActualSeries numerator, ActualSeries denominator, Accumulation accumulation)
    {
        Preconditions.CheckNotNull(numerator);
        Preconditions.CheckNotNull(denominator);
        Compatibility.Check(numerator.Basis, denominator.Basis, IndicatorUnit.Count, numerator.Unit);
        Compatibility.Check(numerator.Basis, denominator.Basis, IndicatorUnit.Count, denominator.Unit);
        return new ActualSeries(IndicatorUnit.Percent, Preconditions.CheckDefined(accumulation), numerator, denominator);
    }

    /// <summary>Whether this percentage is computed from a numerator and a denominator series (<see cref="Percent"/>).</summary>
    public bool IsRatio => _numerator is not null;

    /// <summary>The month the year of a <see cref="Accumulation.YearlyCumulative"/> series starts in (1 for the calendar year).</summary>
    public int YearStartMonth { get; }

    private LocalDate YearStart(LocalDate date)
    {
        var year = date.Month >= YearStartMonth ? date.Year : date.Year - 1;
        return year < 1 ? new LocalDate(1, 1, 1) : new LocalDate(year, YearStartMonth, 1);
    }

    /// <summary>What the values count. A series of attendances is never a count of people.</summary>
    public CountingBasis Basis { get; }

    /// <summary>How the values combine over time.</summary>
    public Accumulation Accumulation { get; }

    /// <summary>What the values measure in.</summary>
    public IndicatorUnit Unit { get; }

    /// <summary>The figures, ordered by the day they are dated by.</summary>
    public IReadOnlyList<ActualPoint> Points => _points;

    /// <summary>An empty series.</summary>
    /// <param name="basis">What the values count.</param>
    /// <param name="accumulation">How the values combine over time.</param>
    /// <param name="unit">What the values measure in.</param>
    /// <returns>A series with no figures.</returns>
    public static ActualSeries Empty(CountingBasis basis, Accumulation accumulation, IndicatorUnit unit) =>
        new(basis, accumulation, unit, []);

    /// <summary>
    /// The figure for a closed window: the sum of incremental figures dated inside it, or the latest cumulative or
    /// last-value figure dated inside it.
    /// </summary>
    /// <param name="window">The window; every incremental figure counted must lie wholly inside it.</param>
    /// <returns>The figure, carrying its basis, accumulation and unit.</returns>
    /// <exception cref="AggregationRefusedException">An incremental figure crosses the window's start or end (<see cref="AggregationRefusal.PeriodStraddlesWindow"/>).</exception>
    public SummaryFigure Summarise(DateInterval window)
    {
        Preconditions.CheckNotNull(window);
        return Evaluate(window.Start, window.End, refuseStraddlingEnd: true);
    }

    /// <summary>
    /// The figure to date inside a period: as <see cref="Summarise"/>, except that an incremental figure still running
    /// on <paramref name="asOf"/> is left out (it is not complete yet) rather than refused.
    /// </summary>
    /// <param name="since">The first day of the period (a target's start).</param>
    /// <param name="asOf">The last day of data to count.</param>
    /// <returns>The figure.</returns>
    /// <exception cref="ArgumentException"><paramref name="asOf"/> is before <paramref name="since"/>.</exception>
    /// <exception cref="AggregationRefusedException">An incremental figure crosses <paramref name="since"/>.</exception>
    public SummaryFigure ToDate(LocalDate since, LocalDate asOf)
    {
        Preconditions.CheckArgument(asOf >= since, nameof(asOf), $"The as-of date {asOf:uuuu-MM-dd} is before {since:uuuu-MM-dd}.");
        return Evaluate(since, asOf, refuseStraddlingEnd: false);
    }

    internal SummaryFigure Evaluate(LocalDate start, LocalDate end, bool refuseStraddlingEnd)
    {
        var window = new DateInterval(start, end);
        if (_numerator is not null)
        {
            return SummaryFigure.Percent(
                _numerator.Evaluate(start, end, refuseStraddlingEnd), _denominator!.Evaluate(start, end, refuseStraddlingEnd)) with { Accumulation = Accumulation };
        }
        if (Accumulation == Accumulation.YearlyCumulative)
        {
            return EvaluateYearly(window);
        }
        if (Accumulation != Accumulation.Incremental)
        {
            // Levels and totals-to-date are read, never added: the latest figure dated inside the window stands.
            for (var i = _points.Length - 1; i >= 0; i--)
            {
                var point = _points[i];
                if (point.Date <= end && point.Date >= start)
                {
                    return new SummaryFigure(point.Value, Basis, Accumulation, Unit, window, 1, point.Date);
                }
                if (point.Date < start)
                {
                    break;
                }
            }
            return new SummaryFigure(0m, Basis, Accumulation, Unit, window, 0, null);
        }

        var sum = 0m;
        var count = 0;
        LocalDate? through = null;
        foreach (var point in _points)
        {
            var period = point.Period;
            if (period.End < start)
            {
                continue;
            }
            if (period.Start > end)
            {
                break;
            }
            if (period.Start < start || (period.End > end && refuseStraddlingEnd))
            {
                throw new AggregationRefusedException(
                    AggregationRefusal.PeriodStraddlesWindow,
                    $"The incremental figure for {Describe(period)} crosses the window {Describe(window)}; only part of it belongs to the window. " +
                    "Report periods that nest inside the window (or the target period).");
            }
            if (period.End > end)
            {
                continue;
            }
            sum += point.Value;
            count++;
            through = through is { } t && t > period.End ? t : period.End;
        }
        return new SummaryFigure(sum, Basis, Accumulation, Unit, window, count, through);
    }

    /// <summary>
    /// Yearly totals to date: the latest figure of each year dated inside the window stands for that year, and the years
    /// add. Unique people of two years are never added: a person reached in both would count twice.
    /// </summary>
    private SummaryFigure EvaluateYearly(DateInterval window)
    {
        var sum = 0m;
        var years = 0;
        LocalDate? through = null;
        LocalDate? counted = null;
        for (var i = _points.Length - 1; i >= 0; i--)
        {
            var point = _points[i];
            if (point.Date < window.Start)
            {
                break;
            }
            var year = YearStart(point.Date);
            if (point.Date > window.End || year == counted)
            {
                continue;
            }
            counted = year;
            sum += point.Value;
            years++;
            through ??= point.Date;
        }
        if (years > 1 && Basis == CountingBasis.UniquePeople)
        {
            throw new AggregationRefusedException(
                AggregationRefusal.UniqueCountsNotAdditive,
                $"The window {Describe(window)} holds yearly unique-people totals of {years} years; adding them would count a person once per year. " +
                "Set targets per year, or count unique people cumulatively over the whole period.");
        }
        return new SummaryFigure(sum, Basis, Accumulation, Unit, window, years, through);
    }

    /// <summary>
    /// Refuses a figure beyond ±10^15 (<see cref="FigureLimit"/>), so that no sum, percentage or projection made from
    /// figures overflows. The message names the figure, never its value.
    /// </summary>
    internal static void CheckFigure(decimal value, string what)
    {
        if (!FigureLimit.Holds(value))
        {
            throw new AggregationRefusedException(
                AggregationRefusal.FigureOutOfRange,
                $"{what} is beyond ±{FigureLimit.Text}, the largest a programme figure may be (validation rule SP3006); check its digits and units.");
        }
    }

    internal static string Describe(DateInterval period) => $"{period.Start:uuuu-MM-dd}..{period.End:uuuu-MM-dd}";

    private static void CheckAdditive(CountingBasis basis, ActualPoint[] points)
    {
        if (basis == CountingBasis.UniquePeople && points.Length > 1)
        {
            throw new AggregationRefusedException(
                AggregationRefusal.UniqueCountsNotAdditive,
                $"An incremental series of unique-people counts has {points.Length} figures; adding them would count a person once per period. " +
                "Report unique people cumulatively (unique to date), or count people new in each period (basis 'new').");
        }
        var byStart = points.OrderBy(p => p.Period.Start).ToArray();
        for (var i = 1; i < byStart.Length; i++)
        {
            var previous = byStart[i - 1].Period;
            var current = byStart[i].Period;
            if (current.Start <= previous.End)
            {
                throw new AggregationRefusedException(
                    AggregationRefusal.OverlappingPeriods,
                    $"The incremental figures for {Describe(previous)} and {Describe(current)} overlap; summing them would count the shared days twice.");
            }
        }
    }

    private static void CheckNoConflicts(ActualPoint[] points)
    {
        for (var i = 1; i < points.Length; i++)
        {
            if (points[i].Date == points[i - 1].Date && points[i].Value != points[i - 1].Value)
            {
                throw new AggregationRefusedException(
                    AggregationRefusal.ConflictingFigures,
                    $"Two figures are dated {points[i].Date:uuuu-MM-dd} with different values ({points[i - 1].Value} and {points[i].Value}); keep one.");
            }
        }
    }
}

/// <summary>A figure for a window, carrying the basis, accumulation and unit it was computed under: they are part of the figure.</summary>
/// <param name="Value">The value.</param>
/// <param name="Basis">What the value counts.</param>
/// <param name="Accumulation">How the figures behind it combine over time.</param>
/// <param name="Unit">What the value measures in.</param>
/// <param name="Window">The window it covers.</param>
/// <param name="FigureCount">How many figures went into it (0 when none were dated inside the window).</param>
/// <param name="DataThrough">The last day the figures behind it describe; <c>null</c> when there were none.</param>
public sealed record SummaryFigure(
    decimal Value,
    CountingBasis Basis,
    Accumulation Accumulation,
    IndicatorUnit Unit,
    DateInterval Window,
    int FigureCount,
    LocalDate? DataThrough)
{
    /// <summary>
    /// Adds figures for separate groups (phases, partners, schools) over the same window. Only counts that are
    /// additive across groups may be added: attendances and new people, in the same unit, accumulating the same way.
    /// </summary>
    /// <param name="figures">The figures, at least one.</param>
    /// <returns>The total, with the shared basis, accumulation, unit and window.</returns>
    /// <exception cref="ArgumentException"><paramref name="figures"/> is empty or holds a null.</exception>
    /// <exception cref="AggregationRefusedException">
    /// Bases, units, accumulations or windows differ; the figures count unique people (recount instead); they are
    /// levels (last values, percentages, scores); or a figure is beyond ±10^15 (<see cref="AggregationRefusal.FigureOutOfRange"/>).
    /// </exception>
    public static SummaryFigure Sum(IEnumerable<SummaryFigure> figures)
    {
        var list = ValueList<SummaryFigure>.From(Preconditions.CheckNotNull(figures), nameof(figures));
        Preconditions.CheckArgument(list.Count > 0, nameof(figures), "There must be at least one figure to add.");
        var first = list[0];
        foreach (var figure in list)
        {
            ActualSeries.CheckFigure(figure.Value, $"A figure for {ActualSeries.Describe(figure.Window)}");
            Compatibility.Check(first.Basis, figure.Basis, first.Unit, figure.Unit);
            if (figure.Accumulation != first.Accumulation)
            {
                throw new AggregationRefusedException(
                    AggregationRefusal.MixedAccumulation,
                    $"A {first.Accumulation} figure and a {figure.Accumulation} figure cannot be added.");
            }
            if (!figure.Window.Equals(first.Window))
            {
                throw new AggregationRefusedException(
                    AggregationRefusal.MixedWindows,
                    $"Figures for {ActualSeries.Describe(first.Window)} and {ActualSeries.Describe(figure.Window)} cannot be added.");
            }
        }
        if (first.Basis == CountingBasis.UniquePeople && list.Count > 1)
        {
            throw new AggregationRefusedException(
                AggregationRefusal.UniqueCountsNotAdditive,
                "Unique-people counts cannot be added across groups: a person in two groups would count twice. Recount from participation records.");
        }
        if (first.Accumulation == Accumulation.LastValue || first.Unit != IndicatorUnit.Count)
        {
            throw new AggregationRefusedException(
                AggregationRefusal.LevelsNotAdditive,
                $"{first.Unit} figures accumulating as {first.Accumulation} are levels; adding them has no meaning.");
        }
        LocalDate? through = null;
        foreach (var figure in list)
        {
            if (figure.DataThrough is { } d && (through is null || d > through))
            {
                through = d;
            }
        }
        return first with { Value = list.Sum(f => f.Value), FigureCount = (int)Math.Min(int.MaxValue, list.Sum(f => (long)f.FigureCount)), DataThrough = through };
    }

    /// <summary>
    /// A percentage from a numerator count and a denominator count over the same window: 100 × numerator ÷ denominator.
    /// To combine groups, add the numerators and the denominators (<see cref="Sum"/>) and divide once; a mean of the
    /// groups' percentages weighs a class of 10 like a school of 1,000.
    /// </summary>
    /// <param name="numerator">The numerator's figure.</param>
    /// <param name="denominator">The denominator's figure, on the same basis and window.</param>
    /// <returns>
    /// The percentage as a last-value percent figure on the parts' basis, made of both parts' figures and dated by the
    /// earlier of their last days; zero from no figures when either part has none or the denominator is zero.
    /// </returns>
    /// <exception cref="ArgumentNullException">A figure is null.</exception>
    /// <exception cref="AggregationRefusedException">A part is not a count, the bases or windows differ, or a figure is beyond ±10^15.</exception>
    public static SummaryFigure Percent(SummaryFigure numerator, SummaryFigure denominator)
    {
        Preconditions.CheckNotNull(numerator);
        Preconditions.CheckNotNull(denominator);
        Compatibility.Check(numerator.Basis, denominator.Basis, IndicatorUnit.Count, numerator.Unit);
        Compatibility.Check(numerator.Basis, denominator.Basis, IndicatorUnit.Count, denominator.Unit);
        if (!numerator.Window.Equals(denominator.Window))
        {
            throw new AggregationRefusedException(
                AggregationRefusal.MixedWindows,
                $"A numerator for {ActualSeries.Describe(numerator.Window)} and a denominator for {ActualSeries.Describe(denominator.Window)} do not make a percentage.");
        }
        ActualSeries.CheckFigure(numerator.Value, "The numerator");
        ActualSeries.CheckFigure(denominator.Value, "The denominator");
        var none = new SummaryFigure(0m, numerator.Basis, Accumulation.LastValue, IndicatorUnit.Percent, numerator.Window, 0, null);
        if (numerator.FigureCount == 0 || denominator.FigureCount == 0 || denominator.Value == 0m)
        {
            return none;
        }
        var through = numerator.DataThrough < denominator.DataThrough ? numerator.DataThrough : denominator.DataThrough;
        return none with
        {
            Value = numerator.Value * 100m / denominator.Value,
            FigureCount = (int)Math.Min(int.MaxValue, (long)numerator.FigureCount + denominator.FigureCount),
            DataThrough = through,
        };
    }
}

/// <summary>The one place that decides whether figures on two bases and units may meet.</summary>
internal static class Compatibility
{
    internal static void Check(CountingBasis expected, CountingBasis actual, IndicatorUnit expectedUnit, IndicatorUnit actualUnit)
    {
        if (expected != actual)
        {
            throw new AggregationRefusedException(
                AggregationRefusal.MixedCountingBases,
                $"Figures counted as {actual} cannot be combined with figures counted as {expected}; which basis a figure uses is part of the figure.");
        }
        if (expectedUnit != actualUnit)
        {
            throw new AggregationRefusedException(
                AggregationRefusal.MixedUnits,
                $"Figures in {actualUnit} cannot be combined with figures in {expectedUnit}.");
        }
    }
}
