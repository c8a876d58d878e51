using SafetyPrograms.Domain;

namespace SafetyPrograms.Validation;

/// <summary>
/// The dataset's ids, built once per validation run so that every reference check is a dictionary lookup.
/// Where an id is duplicated, the first item wins (the duplicate itself is reported as SP1001).
/// </summary>
internal sealed class DatasetIndex
{
    internal DatasetIndex(ProgrammeDataset dataset)
    {
        Dataset = dataset;
        foreach (var organisation in dataset.Organisations)
        {
            Organisations.Add(organisation.Id);
        }
        foreach (var school in dataset.Schools)
        {
            Schools.TryAdd(school.Id, school);
        }
        foreach (var indicator in dataset.Indicators)
        {
            Indicators.TryAdd(indicator.Id, indicator);
        }
        foreach (var cohort in dataset.Cohorts)
        {
            Cohorts.TryAdd(cohort.Id, cohort);
        }
        foreach (var activity in dataset.Activities)
        {
            Activities.TryAdd(activity.Id, activity);
        }
        foreach (var partnership in dataset.Partnerships)
        {
            Partnerships.TryAdd(partnership.Id, partnership);
            foreach (var phase in partnership.Phases)
            {
                Phases.TryAdd(phase.Id, new PhaseEntry(phase, partnership));
            }
        }
    }

    internal ProgrammeDataset Dataset { get; }

    internal HashSet<Id<Organisation>> Organisations { get; } = [];

    internal Dictionary<Id<Partnership>, Partnership> Partnerships { get; } = [];

    internal Dictionary<Id<Phase>, PhaseEntry> Phases { get; } = [];

    internal Dictionary<Id<School>, School> Schools { get; } = [];

    internal Dictionary<Id<Indicator>, Indicator> Indicators { get; } = [];

    internal Dictionary<Id<Cohort>, Cohort> Cohorts { get; } = [];

    internal Dictionary<Id<Activity>, Activity> Activities { get; } = [];

    internal Indicator? Indicator(Id<Indicator> id) => Indicators.GetValueOrDefault(id);
}

/// <summary>A phase with the partnership that declares it and its enrolled schools as a set.</summary>
internal sealed class PhaseEntry
{
    internal PhaseEntry(Phase phase, Partnership partnership)
    {
        Phase = phase;
        Partnership = partnership;
        Schools = [.. phase.Schools];
    }

    internal Phase Phase { get; }

    internal Partnership Partnership { get; }

    internal HashSet<Id<School>> Schools { get; }

    /// <summary>Whether the school may be used in this phase: enrolled, or the phase lists no schools at all.</summary>
    internal bool Admits(Id<School> school) => Schools.Count == 0 || Schools.Contains(school);
}

/// <summary>What one validation run shares with every validator: the index and the options.</summary>
internal sealed class ValidationSession(DatasetIndex index, ValidationOptions options)
{
    internal const string Key = "SafetyPrograms.Validation.Session";

    internal DatasetIndex Index { get; } = index;

    internal ValidationOptions Options { get; } = options;
}
