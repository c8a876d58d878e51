using System.Globalization;
using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>
/// Computes progress to target: actual to date, percent achieved, planned by date, status, projection and a monthly series.
/// </summary>
/// <remarks>
/// <para>The calculator holds only its options and is thread-safe. Actuals come from an <see cref="IActualsSource"/>:
/// by default the dataset's reported figures; unique counts recounted elsewhere can be supplied as
/// <see cref="ActualSeries"/>. The series' basis, unit and accumulation must be the indicator's: mixing is refused.</para>
/// <para>A figure counts on the last day of its period. Only figures dated inside the target period count; an incremental
/// figure that began before the period starts is refused (it cannot be split without guessing), and one still running on
/// the as-of date is not counted yet. A cumulative figure is a total to date as the partner defines it; the calculator
/// does not subtract what was reached before the period starts (give the indicator a baseline for that).</para>
/// <para>Status: before the period starts, <see cref="ProgressStatus.NotStarted"/>; once the actual reaches the target,
/// <see cref="ProgressStatus.Achieved"/>; after the period's last day without it, <see cref="ProgressStatus.Missed"/>;
/// otherwise the percentage of plan against <see cref="ProgressThresholds"/>. When the curve plans nothing yet, any
/// progress is ahead and none is on track.</para>
/// <para>Extreme values: a target, baseline or actual beyond ±10^15 is refused
/// (<see cref="AggregationRefusal.FigureOutOfRange"/>, validation rule SP3006). A percentage or projection whose value
/// would leave <see cref="decimal"/>'s range (progress against a required change of 10^-20, say) is not computable: it is
/// <c>null</c>, and a percentage of plan that is not computable classifies by its sign (far ahead, or at risk). Periods may
/// run from 0001-01-01 to 9999-12-31 (an open-end sentinel); <see cref="TargetProgress.Monthly"/> then holds at most
/// <see cref="MaxMonthlyPoints"/> month ends.</para>
/// </remarks>
public sealed class ProgressCalculator
{
    /// <summary>Creates a calculator.</summary>
    /// <param name="options">Thresholds and pacing; <see cref="ProgressOptions.Default"/> when null.</param>
    public ProgressCalculator(ProgressOptions? options = null) => Options = options ?? ProgressOptions.Default;

    /// <summary>The thresholds and pacing in use.</summary>
    public ProgressOptions Options { get; }

    /// <summary>
    /// The most month ends <see cref="TargetProgress.Monthly"/> holds: 1,200, a century. A longer period (such as one ending
    /// on the open-end sentinel 9999-12-31) is charted over the 1,200 month ends that end with the as-of date's month (the
    /// first 1,200 before the period starts, the last 1,200 after it ends), and <see cref="TargetProgress.MonthlyCoversPeriod"/> is false.
    /// </summary>
    public const int MaxMonthlyPoints = 1200;

    /// <summary>Progress for every partnership and phase target in a dataset, each target calculated or refused on its own.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="asOf">The as-of date.</param>
    /// <param name="source">Where actuals come from; the dataset's reported figures when null.</param>
    /// <returns>
    /// One outcome per target, partnership targets then each phase's, in dataset order. A target whose indicator does not
    /// resolve, or whose figures cannot be combined (mixed accumulation, no baseline and the like), is refused with its
    /// reason, naming the indicator, scope and period; the other targets are still calculated.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <remarks>
    /// A pacing curve that cannot plan a target's period (<see cref="AggregationRefusal.PacingDoesNotFit"/>) and figures
    /// beyond ±10^15 (<see cref="AggregationRefusal.FigureOutOfRange"/>) refuse that target only, like any other refusal.
    /// </remarks>
    public ProgressReport CalculateAll(ProgrammeDataset dataset, LocalDate asOf, IActualsSource? source = null)
    {
        Preconditions.CheckNotNull(dataset);
        source ??= new ReportedActualsSource(dataset);
        var indicators = Indexing.ProgrammeIndex.For(dataset).Indicators;
        var outcomes = new List<TargetOutcome>();
        foreach (var partnership in dataset.Partnerships)
        {
            Add(new ProgressScope(partnership.Id), partnership.Targets);
            foreach (var phase in partnership.Phases)
            {
                Add(new ProgressScope(partnership.Id, phase.Id), phase.Targets);
            }
        }
        return new ProgressReport(asOf, outcomes.AsReadOnly());

        void Add(ProgressScope scope, IReadOnlyList<Target> targets)
        {
            foreach (var target in targets)
            {
                outcomes.Add(Outcome(target, scope));
            }
        }

        TargetOutcome Outcome(Target target, ProgressScope scope)
        {
            if (!indicators.TryGetValue(target.Indicator, out var indicator))
            {
                return TargetOutcome.Refused(scope, target, new AggregationRefusedException(
                    AggregationRefusal.UnresolvedReference,
                    $"{Describe(target, scope)} names indicator {target.Indicator}, which is not in the dataset."));
            }
            try
            {
                return TargetOutcome.Calculated(scope, target, Calculate(target, indicator, scope, source.Find(indicator, scope, target.Role), asOf));
            }
            catch (AggregationRefusedException refusal)
            {
                return TargetOutcome.Refused(scope, target, new AggregationRefusedException(
                    refusal.Reason, $"{Describe(target, scope)}: {refusal.Message}", refusal));
            }
        }
    }

    /// <summary>The target as a programme officer finds it in the dataset: <c>The target for COP-OUT-1 (student) in p1/ph2, 2024-01-01 to 2025-12-31</c>.</summary>
    private static string Describe(Target target, ProgressScope scope) => string.Create(
        CultureInfo.InvariantCulture,
        $"The target for {target.Indicator}{(target.Role is { } role ? $" ({role})" : "")} in {scope}, {target.Period.Start:uuuu-MM-dd} to {target.Period.End:uuuu-MM-dd}");

    /// <summary>Progress towards one target.</summary>
    /// <param name="target">The target.</param>
    /// <param name="indicator">The target's indicator.</param>
    /// <param name="scope">Where the target is declared.</param>
    /// <param name="actuals">The actuals for the target's indicator, scope and role; <c>null</c> when there are none.</param>
    /// <param name="asOf">The as-of date: figures dated after it are ignored.</param>
    /// <param name="pacing">The plan's shape for this target; the options' curve when null.</param>
    /// <returns>The progress.</returns>
    /// <exception cref="ArgumentException"><paramref name="indicator"/> is not the target's indicator.</exception>
    /// <exception cref="AggregationRefusedException">
    /// The actuals' basis, unit or accumulation differ from the indicator's; a lower-is-better indicator has no baseline;
    /// the target is not an improvement on its starting level; an incremental figure crosses the period's start; the
    /// target or baseline is beyond ±10^15 (<see cref="AggregationRefusal.FigureOutOfRange"/>); or the pacing curve cannot
    /// plan the period (<see cref="AggregationRefusal.PacingDoesNotFit"/>: a dated point outside it, a share outside 0 to 1).
    /// </exception>
    public TargetProgress Calculate(
        Target target, Indicator indicator, ProgressScope scope, ActualSeries? actuals, LocalDate asOf, IPacingCurve? pacing = null)
    {
        Preconditions.CheckNotNull(target);
        Preconditions.CheckNotNull(indicator);
        Preconditions.CheckArgument(
            target.Indicator == indicator.Id, nameof(indicator), $"The target is for indicator {target.Indicator}, not {indicator.Id}.");
        var series = actuals ?? new ActualSeries(indicator.Basis, indicator.Accumulation, indicator.Unit, [], indicator.YearStartMonth ?? 1);
        CheckSeriesFits(indicator, series);
        pacing ??= Options.Pacing;

        var period = target.Period;
        ActualSeries.CheckFigure(target.Value, "The target");
        var start = StartingValue(indicator);
        // Figures within ±10^15 keep every sum and product below decimal's range; only quotients can still leave it.
        var required = target.Value - start;
        CheckImprovement(indicator, target, start);

        var started = asOf >= period.Start;
        var figure = started ? series.Evaluate(period.Start, Min(asOf, period.End), refuseStraddlingEnd: asOf >= period.End) : null;
        var actual = figure is { FigureCount: > 0 } ? figure.Value : start;
        var progress = actual - start;
        var plannedShare = started ? Share(pacing, period, Min(asOf, period.End)) : 0m;
        var plannedProgress = plannedShare * required;
        var planned = start + plannedProgress;
        var percentOfPlan = Percent(progress, plannedProgress);
        var achieved = indicator.Direction == Direction.HigherIsBetter ? actual >= target.Value : actual <= target.Value;

        var status = !started ? ProgressStatus.NotStarted
            : achieved ? ProgressStatus.Achieved
            : asOf > period.End ? ProgressStatus.Missed
            : required == 0m ? ProgressStatus.AtRisk
            : percentOfPlan is { } p ? Options.Thresholds.Classify(p)
            // Nothing planned yet (any progress is ahead), or a percentage of plan beyond decimal's range: its sign decides.
            : Math.Sign(progress) * Math.Sign(required) > 0 ? ProgressStatus.Ahead
            : plannedProgress == 0m ? ProgressStatus.OnTrack
            : ProgressStatus.AtRisk;

        var projection = Project(indicator, period, start, progress, figure?.DataThrough);
        var (monthly, coversPeriod) = Monthly(series, pacing, period, asOf, start, required);
        return new TargetProgress
        {
            Indicator = indicator.Id,
            Scope = scope,
            Role = target.Role,
            Period = period,
            AsOf = asOf,
            Direction = indicator.Direction,
            Basis = series.Basis,
            TargetValue = target.Value,
            Kind = target.Kind,
            StartingValue = start,
            ActualToDate = actual,
            FigureCount = figure?.FigureCount ?? 0,
            DataThrough = figure?.DataThrough,
            PercentAchieved = Percent(progress, required),
            PlannedPercent = plannedShare * 100m,
            PlannedToDate = planned,
            Variance = actual - planned,
            PercentOfPlan = percentOfPlan,
            Status = status,
            ProjectedAtEnd = projection?.Value,
            ProjectedPercent = projection is { } projected ? Percent(projected.Gain, required) : null,
            Monthly = monthly,
            MonthlyCoversPeriod = coversPeriod,
        };
    }

    /// <summary>
    /// The month ends of a period: the last day of each calendar month it touches, the last point being the period's
    /// own last day when it ends mid-month. Month lengths come from the calendar (28, 29, 30 or 31 days).
    /// </summary>
    /// <param name="period">The period.</param>
    /// <returns>The dates, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="period"/> is null.</exception>
    public static IReadOnlyList<LocalDate> MonthEnds(DateInterval period)
    {
        Preconditions.CheckNotNull(period);
        return MonthEnds(period, 0, MonthCount(period)).AsReadOnly();
    }

    /// <summary>How many calendar months a period touches.</summary>
    private static int MonthCount(DateInterval period) => MonthsBetween(period.Start, period.End) + 1;

    /// <summary>Whole calendar months from <paramref name="from"/>'s month to <paramref name="to"/>'s.</summary>
    private static int MonthsBetween(LocalDate from, LocalDate to) => ((to.Year - from.Year) * 12) + to.Month - from.Month;

    /// <summary><paramref name="count"/> month ends of <paramref name="period"/>, from its month number <paramref name="first"/> (0 is the first month).</summary>
    private static List<LocalDate> MonthEnds(DateInterval period, int first, int count)
    {
        var dates = new List<LocalDate>(count);
        // Step from the first of each month: adding a month to the 31st would drift to the 28th/29th/30th and stay there.
        // Never step past the last month: the month after 9999-12 does not exist, and asking for it throws.
        var month = period.Start.With(DateAdjusters.StartOfMonth).PlusMonths(first);
        for (var i = 0; i < count; i++)
        {
            dates.Add(Min(month.With(DateAdjusters.EndOfMonth), period.End));
            if (i + 1 < count)
            {
                month = month.PlusMonths(1);
            }
        }
        return dates;
    }

    private static void CheckSeriesFits(Indicator indicator, ActualSeries series)
    {
        Compatibility.Check(indicator.Basis, series.Basis, indicator.Unit, series.Unit);
        if (series.Accumulation != indicator.Accumulation)
        {
            throw new AggregationRefusedException(
                AggregationRefusal.MixedAccumulation,
                $"Indicator {indicator.Id} accumulates as {indicator.Accumulation} but the actuals are {series.Accumulation}.");
        }
        if (indicator.Accumulation == Accumulation.YearlyCumulative && series.YearStartMonth != (indicator.YearStartMonth ?? 1))
        {
            throw new AggregationRefusedException(
                AggregationRefusal.MixedAccumulation,
                $"Indicator {indicator.Id}'s year starts in month {indicator.YearStartMonth ?? 1} but the actuals' years start in month {series.YearStartMonth}.");
        }
    }

    private static decimal StartingValue(Indicator indicator)
    {
        // Incremental counts describe what happened inside the period, and yearly totals restart each year, so both start
        // from zero whatever the level before.
        if (indicator.Accumulation is Accumulation.Incremental or Accumulation.YearlyCumulative)
        {
            return 0m;
        }
        if (indicator.Baseline is { } baseline)
        {
            ActualSeries.CheckFigure(baseline.Value, $"The baseline of indicator {indicator.Id}");
            return baseline.Value;
        }
        return indicator.Direction == Direction.HigherIsBetter
            ? 0m
            : throw new AggregationRefusedException(
                AggregationRefusal.BaselineRequired,
                $"Indicator {indicator.Id} is lower-is-better but has no baseline; progress towards a lower value is measured from where it started.");
    }

    private static void CheckImprovement(Indicator indicator, Target target, decimal start)
    {
        var wrongSide = indicator.Direction == Direction.HigherIsBetter ? target.Value < start : target.Value > start;
        if (wrongSide)
        {
            throw new AggregationRefusedException(
                AggregationRefusal.TargetNotAnImprovement,
                $"The target {target.Value} for {indicator.Id} is not an improvement on its starting level {start} ({indicator.Direction}; " +
                "incremental indicators start from zero).");
        }
    }

    /// <summary>
    /// The plan's share by <paramref name="date"/>. A curve that cannot plan the period (a dated point outside it, a share
    /// outside 0 to 1, arithmetic that overflows) refuses this target rather than failing the whole report.
    /// </summary>
    private static decimal Share(IPacingCurve pacing, DateInterval period, LocalDate date)
    {
        decimal share;
        try
        {
            share = pacing.PlannedShare(period, date);
        }
        catch (Exception misfit) when (misfit is ArgumentException or ArithmeticException)
        {
            throw new AggregationRefusedException(
                AggregationRefusal.PacingDoesNotFit,
                $"The pacing curve {pacing.GetType().Name} cannot plan the period {ActualSeries.Describe(period)}: {misfit.Message}",
                misfit);
        }
        return share is >= 0m and <= 1m
            ? share
            : throw new AggregationRefusedException(
                AggregationRefusal.PacingDoesNotFit,
                $"The pacing curve {pacing.GetType().Name} returned a share outside 0 to 1 for {date:uuuu-MM-dd}; a share must be between 0 and 1.");
    }

    /// <summary>
    /// <paramref name="part"/> as a percentage of <paramref name="whole"/>; <c>null</c>, not computable, when the whole is
    /// zero or the quotient is beyond decimal's range (a required change of 10^-20 makes any progress astronomically large).
    /// </summary>
    private static decimal? Percent(decimal part, decimal whole)
    {
        if (whole == 0m)
        {
            return null;
        }
        try
        {
            return part * 100m / whole;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>The projection at the period's end and its gain over the start; <c>null</c> without data or when not computable.</summary>
    private static (decimal Value, decimal Gain)? Project(Indicator indicator, DateInterval period, decimal start, decimal progress, LocalDate? through)
    {
        if (through is not { } last)
        {
            return null;
        }
        var covered = Period.DaysBetween(period.Start, Min(last, period.End)) + 1;
        try
        {
            var projected = start + (progress * period.Length / covered);
            if (indicator.Minimum is { } min && projected < min)
            {
                projected = min;
            }
            if (indicator.Maximum is { } max && projected > max)
            {
                projected = max;
            }
            return (projected, projected - start);
        }
        catch (OverflowException)
        {
            // The pace, carried over a long period, leaves decimal's range: the projection is not computable.
            return null;
        }
    }

    private static (List<MonthlyProgressPoint> Points, bool CoversPeriod) Monthly(
        ActualSeries series, IPacingCurve pacing, DateInterval period, LocalDate asOf, decimal start, decimal required)
    {
        var months = MonthCount(period);
        var first = 0;
        if (months > MaxMonthlyPoints)
        {
            // A century of month ends, ending with the as-of month: the months that have data, not millennia of plan.
            var asOfMonth = Math.Clamp(MonthsBetween(period.Start, asOf), 0, months - 1);
            first = Math.Max(asOfMonth, MaxMonthlyPoints - 1) - MaxMonthlyPoints + 1;
        }
        var points = new List<MonthlyProgressPoint>(Math.Min(months, MaxMonthlyPoints));
        foreach (var date in MonthEnds(period, first, Math.Min(months, MaxMonthlyPoints)))
        {
            var planned = start + (Share(pacing, period, date) * required);
            decimal? actual = null;
            if (date <= asOf)
            {
                var figure = series.Evaluate(period.Start, date, refuseStraddlingEnd: false);
                actual = figure.FigureCount > 0 ? figure.Value : start;
            }
            points.Add(new MonthlyProgressPoint(date, planned, actual));
        }
        return (points, months <= MaxMonthlyPoints);
    }

    private static LocalDate Min(LocalDate a, LocalDate b) => a <= b ? a : b;
}
