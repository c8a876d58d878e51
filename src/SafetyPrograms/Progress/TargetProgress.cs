using System.Globalization;
using NodaTime;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Progress;

/// <summary>Where a target stands on a date.</summary>
/// <remarks>The in-period thresholds are documented on <see cref="ProgressThresholds"/>.</remarks>
public enum ProgressStatus
{
    /// <summary>The as-of date is before the target period starts.</summary>
    NotStarted,
    /// <summary>The target has been reached.</summary>
    Achieved,
    /// <summary>Progress is well ahead of plan.</summary>
    Ahead,
    /// <summary>Progress is close to plan.</summary>
    OnTrack,
    /// <summary>Progress is below plan but recoverable.</summary>
    Behind,
    /// <summary>Progress is far below plan.</summary>
    AtRisk,
    /// <summary>The target period is over and the target was not reached.</summary>
    Missed,
}

/// <summary>One month end of a progress chart: where the actual was and where the plan said it should be.</summary>
/// <param name="Date">The last day of the month, or the target's last day in its final month.</param>
/// <param name="Planned">The value planned by the end of that day.</param>
/// <param name="Actual">The actual to date at the end of that day; <c>null</c> for days after the as-of date.</param>
public sealed record MonthlyProgressPoint(LocalDate Date, decimal Planned, decimal? Actual);

/// <summary>
/// Progress towards one target on an as-of date: actual to date, percent achieved, where the plan says the programme
/// should be, the status, a projection to the period's end and a monthly series for charts.
/// </summary>
/// <remarks>
/// <para>All values are in the indicator's unit; percentages are on a 0 to 100 scale (40 means 40%). Nothing is
/// rounded: round only when formatting (<see cref="ToString"/> shows one decimal).</para>
/// <para>Progress runs from <see cref="StartingValue"/> (the indicator's baseline for cumulative and last-value
/// indicators; zero for incremental ones, which count from the period's start) to <see cref="TargetValue"/>. For a
/// lower-is-better indicator the target is below the start, and every comparison runs the other way.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class TargetProgress
{
    internal TargetProgress()
    {
    }

    /// <summary>The indicator.</summary>
    public required Id<Indicator> Indicator { get; init; }

    /// <summary>The partnership or phase the target is declared on.</summary>
    public required ProgressScope Scope { get; init; }

    /// <summary>The role the target is restricted to, or <c>null</c>.</summary>
    public BeneficiaryRole? Role { get; init; }

    /// <summary>The target period.</summary>
    public required DateInterval Period { get; init; }

    /// <summary>The as-of date.</summary>
    public required LocalDate AsOf { get; init; }

    /// <summary>Which way is better for the indicator.</summary>
    public required Direction Direction { get; init; }

    /// <summary>What the actuals count: part of the figure.</summary>
    public required CountingBasis Basis { get; init; }

    /// <summary>The value to reach.</summary>
    public required decimal TargetValue { get; init; }

    /// <summary>
    /// Which target <see cref="TargetValue"/> is: a period target, or the life-of-programme target, which is its own figure
    /// and never the sum of the period targets.
    /// </summary>
    public required TargetKind Kind { get; init; }

    /// <summary>The level progress is measured from: the baseline, or zero.</summary>
    public required decimal StartingValue { get; init; }

    /// <summary>The actual to date (the starting value when no figure is dated inside the period yet).</summary>
    public required decimal ActualToDate { get; init; }

    /// <summary>How many figures the actual is made of.</summary>
    public required int FigureCount { get; init; }

    /// <summary>The last day the counted figures describe; <c>null</c> when there are none.</summary>
    public LocalDate? DataThrough { get; init; }

    /// <summary>
    /// Progress made as a percentage of the progress required: negative when the actual moved away from the target, above
    /// 100 beyond it; <c>null</c> when the target asks for no change, or when it is not computable (the percentage would be
    /// beyond <see cref="decimal"/>'s range, as for progress against a required change of 10^-20).
    /// </summary>
    public decimal? PercentAchieved { get; init; }

    /// <summary>The share of the target the plan expects by the as-of date, as a percentage.</summary>
    public required decimal PlannedPercent { get; init; }

    /// <summary>The value the plan expects by the as-of date.</summary>
    public required decimal PlannedToDate { get; init; }

    /// <summary>The actual minus the planned value; for a lower-is-better indicator a negative variance is good.</summary>
    public required decimal Variance { get; init; }

    /// <summary>
    /// Progress made as a percentage of progress planned; <c>null</c> when nothing was planned yet, or when it is not
    /// computable (beyond <see cref="decimal"/>'s range; <see cref="Status"/> then follows its sign).
    /// </summary>
    public decimal? PercentOfPlan { get; init; }

    /// <summary>Where the target stands.</summary>
    public required ProgressStatus Status { get; init; }

    /// <summary>
    /// Where the actual will land at the period's end at the current pace; <c>null</c> without data, or when not computable
    /// (the pace carried over the period leaves <see cref="decimal"/>'s range). The pace is the
    /// run rate since the period's start: progress divided by the days from the start to <see cref="DataThrough"/>,
    /// times the period's days, clamped to the indicator's minimum and maximum.
    /// </summary>
    public decimal? ProjectedAtEnd { get; init; }

    /// <summary>
    /// The projection as a percentage of the progress required; <c>null</c> without a projection, when no change is
    /// required, or when not computable.
    /// </summary>
    public decimal? ProjectedPercent { get; init; }

    /// <summary>
    /// The month ends of the period with the planned and actual values, for charts: at most
    /// <see cref="ProgressCalculator.MaxMonthlyPoints"/>, the century ending with the as-of month when the period is longer
    /// (see <see cref="MonthlyCoversPeriod"/>).
    /// </summary>
    public required IReadOnlyList<MonthlyProgressPoint> Monthly { get; init; }

    /// <summary>
    /// Whether <see cref="Monthly"/> holds every month end of the period; <c>false</c> for a period of more than
    /// <see cref="ProgressCalculator.MaxMonthlyPoints"/> months, such as one ending on the open-end sentinel 9999-12-31.
    /// </summary>
    public required bool MonthlyCoversPeriod { get; init; }

    /// <summary>
    /// A one-line summary such as <c>COP-OUT-1 p1: 300000 of 750000 (40.0%), plan 50.0%, Behind</c>, with
    /// <c>(life of programme)</c> after the scope for the life-of-programme target.
    /// </summary>
    /// <returns>The summary, numbers in the invariant culture.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Indicator} {Scope}{(Kind == TargetKind.LifeOfProgramme ? " (life of programme)" : "")}: {ActualToDate} of {TargetValue} ({PercentAchieved:0.0}%), plan {PlannedPercent:0.0}%, {Status}");
}
