using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>
/// The root document of the interchange format: organisations, schools, partnerships (with their phases, targets
/// and milestones), cohorts, activities, indicators and reported figures. Participation records travel separately,
/// as a stream.
/// </summary>
/// <remarks>
/// Constructing a dataset checks each value, not the references between them: whether every id resolves,
/// whether periods nest and disaggregations add up is what validation reports. Equality is by value.
/// Immutable and thread-safe.
/// </remarks>
public sealed record ProgrammeDataset
{
    /// <summary>The schema version this library writes.</summary>
    public const string CurrentSchemaVersion = "1.0";

    /// <summary>Creates a dataset.</summary>
    /// <param name="schemaVersion">The interchange format version, <see cref="CurrentSchemaVersion"/>.</param>
    /// <param name="organisations">The organisations.</param>
    /// <param name="partnerships">The partnerships.</param>
    /// <param name="indicators">The indicators.</param>
    /// <param name="schools">The schools.</param>
    /// <param name="cohorts">The cohorts.</param>
    /// <param name="activities">The activities.</param>
    /// <param name="actuals">The reported figures.</param>
    /// <param name="description">What the dataset holds and where it comes from.</param>
    /// <param name="ageSchemes">The dataset's own age band schemes.</param>
    /// <exception cref="ArgumentException">The schema version is blank or a list holds a null.</exception>
    public ProgrammeDataset(
        string schemaVersion,
        IReadOnlyList<Organisation> organisations,
        IReadOnlyList<Partnership> partnerships,
        IReadOnlyList<Indicator>? indicators = null,
        IReadOnlyList<School>? schools = null,
        IReadOnlyList<Cohort>? cohorts = null,
        IReadOnlyList<Activity>? activities = null,
        IReadOnlyList<ReportedActual>? actuals = null,
        string? description = null,
        IReadOnlyList<AgeBandScheme>? ageSchemes = null)
    {
        SchemaVersion = Preconditions.CheckNotBlank(schemaVersion);
        Organisations = ValueList<Organisation>.From(Preconditions.CheckNotNull(organisations), nameof(organisations));
        Partnerships = ValueList<Partnership>.From(Preconditions.CheckNotNull(partnerships), nameof(partnerships));
        Indicators = ValueList<Indicator>.From(indicators, nameof(indicators));
        Schools = ValueList<School>.From(schools, nameof(schools));
        Cohorts = ValueList<Cohort>.From(cohorts, nameof(cohorts));
        Activities = ValueList<Activity>.From(activities, nameof(activities));
        Actuals = ValueList<ReportedActual>.From(actuals, nameof(actuals));
        Description = description;
        AgeSchemes = ValueList<AgeBandScheme>.From(ageSchemes, nameof(ageSchemes));
    }


    /// <summary>The interchange format version.</summary>
    public string SchemaVersion { get; }

    /// <summary>The organisations.</summary>
    public IReadOnlyList<Organisation> Organisations { get; }

    /// <summary>The partnerships, each with its phases, targets and milestones.</summary>
    public IReadOnlyList<Partnership> Partnerships { get; }

    /// <summary>The indicators.</summary>
    public IReadOnlyList<Indicator> Indicators { get; }

    /// <summary>The schools.</summary>
    public IReadOnlyList<School> Schools { get; }

    /// <summary>The cohorts.</summary>
    public IReadOnlyList<Cohort> Cohorts { get; }

    /// <summary>The activities.</summary>
    public IReadOnlyList<Activity> Activities { get; }

    /// <summary>The reported figures.</summary>
    public IReadOnlyList<ReportedActual> Actuals { get; }

    /// <summary>What the dataset holds and where it comes from.</summary>
    public string? Description { get; }

    /// <summary>
    /// The dataset's own age band schemes, beside the built-in ones (<see cref="AgeBandScheme.BuiltIn"/>), each valid by
    /// construction (contiguous, non-overlapping, from 0 to the top); a query names the one it groups by.
    /// </summary>
    public IReadOnlyList<AgeBandScheme> AgeSchemes { get; }
}
