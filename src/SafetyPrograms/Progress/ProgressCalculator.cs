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
/// </remarks>
public sealed class ProgressCalculator
{
    /// <summary>Creates a calculator.</summary>
    /// <param name="options">Thresholds and pacing; <see cref="ProgressOptions.Default"/> when null.</param>
    public ProgressCalculator(ProgressOptions? options = null) => Options = options ?? ProgressOptions.Default;

    /// <summary>The thresholds and pacing in use.</summary>
    public ProgressOptions Options { get; }

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
    /// <exception cref="ArgumentException">The pacing curve of <see cref="Options"/> refuses a target's period.</exception>
    /// <exception cref="InvalidOperationException">The pacing curve returned a share outside 0 to 1.</exception>
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
    /// <exception cref="ArgumentException">
    /// <paramref name="indicator"/> is not the target's indicator, or the pacing curve refuses the period (a dated point outside it).
    /// </exception>
    /// <exception cref="AggregationRefusedException">
    /// The actuals' basis, unit or accumulation differ from the indicator's; a lower-is-better indicator has no baseline;
    /// the target is not an improvement on its starting level; or an incremental figure crosses the period's start.
    /// </exception>
    /// <exception cref="InvalidOperationException">The pacing curve returned a share outside 0 to 1.</exception>
    public TargetProgress Calculate(
        Target target, Indicator indicator, ProgressScope scope, ActualSeries? actuals, LocalDate asOf, IPacingCurve? pacing = null)
    {
        Preconditions.CheckNotNull(target);
        Preconditions.CheckNotNull(indicator);
        Preconditions.CheckArgument(
            target.Indicator == indicator.Id, nameof(indicator), $"The target is for indicator {target.Indicator}, not {indicator.Id}.");
        var series = actuals ?? ActualSeries.Empty(indicator.Basis, indicator.Accumulation, indicator.Unit);
        CheckSeriesFits(indicator, series);
        pacing ??= Options.Pacing;

        var period = target.Period;
        var start = StartingValue(indicator);
        var required = target.Value - start;
        CheckImprovement(indicator, target, start);

        var started = asOf >= period.Start;
        var figure = started ? series.Evaluate(period.Start, Min(asOf, period.End), refuseStraddlingEnd: asOf >= period.End) : null;
        var actual = figure is { FigureCount: > 0 } ? figure.Value : start;
        var progress = actual - start;
        var plannedShare = started ? Share(pacing, period, Min(asOf, period.End)) : 0m;
        var planned = start + (plannedShare * required);
        decimal? percentOfPlan = plannedShare == 0m || required == 0m ? null : progress * 100m / (plannedShare * required);
        var achieved = indicator.Direction == Direction.HigherIsBetter ? actual >= target.Value : actual <= target.Value;

        var status = !started ? ProgressStatus.NotStarted
            : achieved ? ProgressStatus.Achieved
            : asOf > period.End ? ProgressStatus.Missed
            : required == 0m ? ProgressStatus.AtRisk
            : percentOfPlan is { } p ? Options.Thresholds.Classify(p)
            : progress / required > 0m ? ProgressStatus.Ahead
            : ProgressStatus.OnTrack;

        var projected = Project(indicator, period, start, progress, figure?.DataThrough);
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
            StartingValue = start,
            ActualToDate = actual,
            FigureCount = figure?.FigureCount ?? 0,
            DataThrough = figure?.DataThrough,
            PercentAchieved = required == 0m ? null : progress * 100m / required,
            PlannedPercent = plannedShare * 100m,
            PlannedToDate = planned,
            Variance = actual - planned,
            PercentOfPlan = percentOfPlan,
            Status = status,
            ProjectedAtEnd = projected,
            ProjectedPercent = projected is { } v && required != 0m ? (v - start) * 100m / required : null,
            Monthly = Monthly(series, pacing, period, asOf, start, required),
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
        var dates = new List<LocalDate>();
        // Step from the first of each month: adding a month to the 31st would drift to the 28th/29th/30th and stay there.
        for (var month = period.Start.With(DateAdjusters.StartOfMonth); month <= period.End; month = month.PlusMonths(1))
        {
            dates.Add(Min(month.With(DateAdjusters.EndOfMonth), period.End));
        }
        return dates.AsReadOnly();
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
    }

    private static decimal StartingValue(Indicator indicator)
    {
        // Incremental counts describe what happened inside the period, so they start from zero whatever the level before.
        if (indicator.Accumulation == Accumulation.Incremental)
        {
            return 0m;
        }
        if (indicator.Baseline is { } baseline)
        {
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

    private static decimal Share(IPacingCurve pacing, DateInterval period, LocalDate date)
    {
        var share = pacing.PlannedShare(period, date);
        return share is >= 0m and <= 1m
            ? share
            : throw new InvalidOperationException($"The pacing curve {pacing.GetType().Name} returned {share} for {date:uuuu-MM-dd}; a share must be between 0 and 1.");
    }

    private static decimal? Project(Indicator indicator, DateInterval period, decimal start, decimal progress, LocalDate? through)
    {
        if (through is not { } last)
        {
            return null;
        }
        var covered = Period.DaysBetween(period.Start, Min(last, period.End)) + 1;
        var projected = start + (progress * period.Length / covered);
        if (indicator.Minimum is { } min && projected < min)
        {
            projected = min;
        }
        if (indicator.Maximum is { } max && projected > max)
        {
            projected = max;
        }
        return projected;
    }

    private static List<MonthlyProgressPoint> Monthly(
        ActualSeries series, IPacingCurve pacing, DateInterval period, LocalDate asOf, decimal start, decimal required)
    {
        var points = new List<MonthlyProgressPoint>();
        foreach (var date in MonthEnds(period))
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
        return points;
    }

    private static LocalDate Min(LocalDate a, LocalDate b) => a <= b ? a : b;
}
