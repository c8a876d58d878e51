using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>
/// The thresholds that turn "how far along the plan are we" into a status. The one place they are decided.
/// </summary>
/// <remarks>
/// <para>Each threshold is a percentage of plan: the progress made from the starting level (baseline, or zero for
/// incremental counts) divided by the progress the pacing curve planned by the as-of date, times 100. With the defaults:</para>
/// <list type="table">
/// <listheader><term>Status</term><description>Rule</description></listheader>
/// <item><term><see cref="ProgressStatus.Achieved"/></term><description>the actual has reached the target (at or above it; at or below it for lower-is-better), whatever the plan says</description></item>
/// <item><term><see cref="ProgressStatus.Ahead"/></term><description>at least 110% of plan</description></item>
/// <item><term><see cref="ProgressStatus.OnTrack"/></term><description>at least 95% of plan</description></item>
/// <item><term><see cref="ProgressStatus.Behind"/></term><description>at least 80% of plan</description></item>
/// <item><term><see cref="ProgressStatus.AtRisk"/></term><description>below 80% of plan</description></item>
/// </list>
/// <para>Boundaries belong to the better status: exactly 80% is behind, not at risk. The thresholds must satisfy
/// 0 &lt; behind &lt; on track &lt; ahead. Equality is by value. Immutable and thread-safe.</para>
/// </remarks>
public sealed record ProgressThresholds
{
    /// <summary>The defaults: ahead from 110%, on track from 95%, behind from 80% of plan.</summary>
    public static ProgressThresholds Default { get; } = new(110m, 95m, 80m);

    /// <summary>Creates thresholds.</summary>
    /// <param name="aheadFrom">The percentage of plan from which progress is ahead.</param>
    /// <param name="onTrackFrom">The percentage of plan from which progress is on track.</param>
    /// <param name="behindFrom">The percentage of plan from which progress is behind; below it, at risk.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="behindFrom"/> is not above zero.</exception>
    /// <exception cref="ArgumentException">The thresholds are not in the order behind &lt; on track &lt; ahead.</exception>
    public ProgressThresholds(decimal aheadFrom, decimal onTrackFrom, decimal behindFrom)
    {
        if (behindFrom <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(behindFrom), behindFrom, "The behind threshold must be above 0% of plan.");
        }
        Preconditions.CheckArgument(onTrackFrom > behindFrom, nameof(onTrackFrom), $"The on-track threshold {onTrackFrom}% must be above the behind threshold {behindFrom}%.");
        Preconditions.CheckArgument(aheadFrom > onTrackFrom, nameof(aheadFrom), $"The ahead threshold {aheadFrom}% must be above the on-track threshold {onTrackFrom}%.");
        AheadFrom = aheadFrom;
        OnTrackFrom = onTrackFrom;
        BehindFrom = behindFrom;
    }

    /// <summary>The percentage of plan from which progress is ahead.</summary>
    public decimal AheadFrom { get; }

    /// <summary>The percentage of plan from which progress is on track.</summary>
    public decimal OnTrackFrom { get; }

    /// <summary>The percentage of plan from which progress is behind; below it, at risk.</summary>
    public decimal BehindFrom { get; }

    /// <summary>The in-period status for a percentage of plan.</summary>
    /// <param name="percentOfPlan">Progress made as a percentage of progress planned.</param>
    /// <returns><see cref="ProgressStatus.Ahead"/>, <see cref="ProgressStatus.OnTrack"/>, <see cref="ProgressStatus.Behind"/> or <see cref="ProgressStatus.AtRisk"/>.</returns>
    public ProgressStatus Classify(decimal percentOfPlan) =>
        percentOfPlan >= AheadFrom ? ProgressStatus.Ahead
        : percentOfPlan >= OnTrackFrom ? ProgressStatus.OnTrack
        : percentOfPlan >= BehindFrom ? ProgressStatus.Behind
        : ProgressStatus.AtRisk;
}

/// <summary>How the progress calculator judges progress: the status thresholds and the default pacing curve.</summary>
/// <remarks>Equality is by value (the curve by reference). Immutable and thread-safe.</remarks>
public sealed record ProgressOptions
{
    /// <summary>The defaults: <see cref="ProgressThresholds.Default"/> and <see cref="PacingCurve.Linear"/>.</summary>
    public static ProgressOptions Default { get; } = new();

    /// <summary>Creates options.</summary>
    /// <param name="thresholds">The status thresholds; <see cref="ProgressThresholds.Default"/> when null.</param>
    /// <param name="pacing">The plan's shape for every target; <see cref="PacingCurve.Linear"/> when null.</param>
    public ProgressOptions(ProgressThresholds? thresholds = null, IPacingCurve? pacing = null)
    {
        Thresholds = thresholds ?? ProgressThresholds.Default;
        Pacing = pacing ?? PacingCurve.Linear;
    }

    /// <summary>The status thresholds.</summary>
    public ProgressThresholds Thresholds { get; }

    /// <summary>The plan's shape used when a target is not given its own.</summary>
    public IPacingCurve Pacing { get; }
}
