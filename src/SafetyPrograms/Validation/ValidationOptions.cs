using SafetyPrograms.Domain;

namespace SafetyPrograms.Validation;

/// <summary>How to validate a dataset.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe; <see cref="Default"/> is shared.</remarks>
public sealed record ValidationOptions
{
    /// <summary>Every rule, warnings stay warnings, phases must not overlap.</summary>
    public static ValidationOptions Default { get; } = new();

    /// <summary>Whether a warning makes the report invalid, as an error does.</summary>
    public bool TreatWarningsAsErrors { get; init; }

    /// <summary>
    /// Whether to run only the structural rules (input, identity, references and codelists; see
    /// <see cref="ValidationRule.IsStructural"/>), for a quick check that a dataset hangs together.
    /// </summary>
    public bool StructuralOnly { get; init; }

    /// <summary>Whether phases of one partnership may run at the same time (rule SP2002 is then not applied).</summary>
    public bool AllowOverlappingPhases { get; init; }

    /// <summary>
    /// The most findings a report of a dataset file keeps, the first in the order of the file; beyond it findings are
    /// counted in <see cref="ValidationReport.FindingsOmitted"/>. A finding that the file could not be read at all
    /// (SP0001) is always kept. Defaults to <see cref="ParticipationValidationOptions.DefaultMaxFindings"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxFindings
    {
        get;
        init => field = Utility.Preconditions.CheckPositive(value);
    } = ParticipationValidationOptions.DefaultMaxFindings;

    internal bool Runs(ValidationRule rule) =>
        !rule.IsReserved && (!StructuralOnly || rule.IsStructural) && (rule != ValidationRules.PhasesOverlap || !AllowOverlappingPhases);
}

/// <summary>What a participation import does when a line is rejected.</summary>
public enum IngestPolicy
{
    /// <summary>Stop at the first rejected line; the counts say how far the import got.</summary>
    StopAtFirstError,
    /// <summary>Skip rejected lines, report each, and carry on to the end.</summary>
    SkipAndReport,
}

/// <summary>How to validate a participation stream.</summary>
/// <remarks>
/// <see cref="Default"/> is the policy the store's ingest always applies (<see cref="Aggregation.ParticipationStore"/>
/// refuses exactly the lines the validator refuses with it); the other settings are the validator's stricter modes.
/// Equality is by value. Immutable and thread-safe; <see cref="Default"/> is shared.
/// </remarks>
public sealed record ParticipationValidationOptions
{
    /// <summary>The most findings kept by default.</summary>
    public const int DefaultMaxFindings = 10_000;

    /// <summary>Skip and report, warnings stay warnings, up to <see cref="DefaultMaxFindings"/> findings kept.</summary>
    public static ParticipationValidationOptions Default { get; } = new();

    /// <summary>What to do when a line is rejected.</summary>
    public IngestPolicy Policy { get; init; } = IngestPolicy.SkipAndReport;

    /// <summary>Whether a warning rejects the line and makes the report invalid, as an error does.</summary>
    public bool TreatWarningsAsErrors { get; init; }

    /// <summary>
    /// The indicator whose range pre- and post-scores must lie in; when <c>null</c>, the dataset's only score
    /// indicator, if it has exactly one, otherwise scores are not range-checked.
    /// </summary>
    public Id<Indicator>? AssessmentIndicator { get; init; }

    /// <summary>
    /// Whether to report a beneficiary recorded twice at one activity (SP8010). Off by default: it remembers every
    /// (beneficiary, activity) pair of the stream, so memory grows with the stream.
    /// </summary>
    public bool DetectRepeatedRecords { get; init; }

    /// <summary>
    /// The most findings the report keeps; beyond it findings are counted in
    /// <see cref="ValidationReport.FindingsOmitted"/> and lines are still counted, so a broken file of millions of
    /// lines cannot exhaust memory.
    /// </summary>
    public int MaxFindings { get; init; } = DefaultMaxFindings;
}
