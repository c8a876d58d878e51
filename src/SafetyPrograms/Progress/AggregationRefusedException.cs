namespace SafetyPrograms.Progress;

/// <summary>
/// Why figures could not be combined. Each value is a rule that protects a published figure from a known
/// mistake; the calculator refuses rather than guessing.
/// </summary>
public enum AggregationRefusal
{
    /// <summary>No reason given (only for the parameterless constructors .NET requires of exceptions).</summary>
    Unspecified,

    /// <summary>Two incremental figures cover a shared day: summing them would count that day twice.</summary>
    OverlappingPeriods,

    /// <summary>Two cumulative or last-value figures describe the same day with different values.</summary>
    ConflictingFigures,

    /// <summary>Figures counted on different bases (unique people, attendances, new) would be mixed.</summary>
    MixedCountingBases,

    /// <summary>Figures in different units (count, percent, score) would be mixed.</summary>
    MixedUnits,

    /// <summary>Figures accumulating differently (incremental, cumulative, last value) would be mixed.</summary>
    MixedAccumulation,

    /// <summary>Figures for different date windows would be added.</summary>
    MixedWindows,

    /// <summary>Unique-people counts would be added across periods or groups: the same person would count more than once. Recount instead.</summary>
    UniqueCountsNotAdditive,

    /// <summary>Levels (last values, percentages, scores) would be added.</summary>
    LevelsNotAdditive,

    /// <summary>An incremental figure's period crosses the window's start or end, so part of it belongs outside.</summary>
    PeriodStraddlesWindow,

    /// <summary>A lower-is-better target has no starting level to measure progress from: give the indicator a baseline.</summary>
    BaselineRequired,

    /// <summary>The target lies on the wrong side of its starting level for the indicator's direction.</summary>
    TargetNotAnImprovement,

    /// <summary>An identifier (indicator, cohort) does not resolve in the dataset.</summary>
    UnresolvedReference,

    /// <summary>
    /// A target, baseline or actual is beyond ±10^15, the largest a programme figure may be (validation rule SP3006):
    /// progress arithmetic on it could overflow.
    /// </summary>
    FigureOutOfRange,

    /// <summary>
    /// The pacing curve cannot plan the target's period: a dated point outside the period, or a planned share outside 0 to 1.
    /// </summary>
    PacingDoesNotFit,

    /// <summary>
    /// The tables of one publication session are too large to audit together: the linear programs that prove no
    /// suppressed figure can be worked out would exceed the session's memory or work budget.
    /// </summary>
    PublicationTooLarge,

    /// <summary>A yearly-cumulative figure's period crosses the start of its (calendar or fiscal) year, where the count restarts.</summary>
    PeriodCrossesYearStart,

    /// <summary>
    /// With primary and secondary suppression marked apart, the marks would let a reader work out a hidden figure more
    /// closely than the publication policy allows, whatever else is suppressed: publish with uniform marks.
    /// </summary>
    PublicationMarksDisclose,
}

/// <summary>
/// Thrown when figures cannot be combined without a known counting mistake: summing a cumulative or unique-people
/// figure, mixing counting bases or units, overlapping incremental periods and the like. <see cref="Reason"/> says which rule.
/// </summary>
/// <remarks>Tests and callers should branch on <see cref="Reason"/>, not on the message text. Immutable once thrown.</remarks>
public sealed class AggregationRefusedException : InvalidOperationException
{
    /// <summary>Creates an exception with no reason.</summary>
    public AggregationRefusedException()
        : this(AggregationRefusal.Unspecified, "The figures could not be combined.")
    {
    }

    /// <summary>Creates an exception with a message and no reason.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public AggregationRefusedException(string message)
        : this(AggregationRefusal.Unspecified, message)
    {
    }

    /// <summary>Creates an exception with a message, a cause and no reason.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The underlying exception.</param>
    public AggregationRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = AggregationRefusal.Unspecified;
    }

    /// <summary>Creates an exception for a rule.</summary>
    /// <param name="reason">The rule the figures break.</param>
    /// <param name="message">What is wrong and what to do.</param>
    public AggregationRefusedException(AggregationRefusal reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Creates an exception for a rule, with its cause.</summary>
    /// <param name="reason">The rule the figures break.</param>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The underlying refusal, such as one that did not yet say which target it was for.</param>
    public AggregationRefusedException(AggregationRefusal reason, string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>The rule the figures break.</summary>
    public AggregationRefusal Reason { get; }
}
