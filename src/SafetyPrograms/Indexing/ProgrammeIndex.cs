using System.Runtime.CompilerServices;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Indexing;

/// <summary>
/// The dataset resolved once, for every part that looks things up in it: the store's ingest and queries, the row rules,
/// the dataset validators and progress. Entities are numbered (arrays for the hot paths: activity → phase, kind,
/// organisation, school; phase → partnership; school → district → province → country) and found by id (dictionaries).
/// </summary>
/// <remarks>
/// Built once per dataset instance and cached (<see cref="For"/>); immutable after construction and thread-safe. Where an
/// id is duplicated, the first item wins everywhere (the duplicate itself is validation finding SP1001). An activity whose
/// phase, school or organisation is not in the dataset is unusable: records that name it are refused (SP8014).
/// </remarks>
internal sealed class ProgrammeIndex
{
    internal const int None = -1;

    private static readonly ConditionalWeakTable<ProgrammeDataset, ProgrammeIndex> Cache = [];

    /// <summary>The index of <paramref name="dataset"/>, built on first use and shared while the dataset lives.</summary>
    internal static ProgrammeIndex For(ProgrammeDataset dataset) => Cache.GetValue(dataset, static d => new ProgrammeIndex(d));

    private ProgrammeIndex(ProgrammeDataset dataset)
    {
        Dataset = dataset;
        PartnershipIds = dataset.Partnerships.Select(p => p.Id.Value).ToArray();
        OrganisationIds = dataset.Organisations.Select(o => o.Id.Value).ToArray();
        var orgIndex = Index(OrganisationIds);

        var phases = dataset.Partnerships.SelectMany((p, pi) => p.Phases.Select(ph => (ph, pi))).ToArray();
        PhaseIds = phases.Select(x => x.ph.Id.Value).ToArray();
        PhasePartnership = phases.Select(x => x.pi).ToArray();
        var phaseIndex = Index(PhaseIds);

        var schools = dataset.Schools;
        SchoolIds = schools.Select(s => s.Id.Value).ToArray();
        var schoolIndex = Index(SchoolIds);
        CountryCodes = schools.Select(s => s.Location.Country.Value).Distinct(StringComparer.Ordinal).ToArray();
        ProvinceCodes = schools.Select(s => s.Location.Province.Value).Distinct(StringComparer.Ordinal).ToArray();
        DistrictLabels = schools.Select(s => DistrictLabel(s.Location)).Distinct(StringComparer.Ordinal).ToArray();
        var countryIndex = Index(CountryCodes);
        var provinceIndex = Index(ProvinceCodes);
        var districtIndex = Index(DistrictLabels);
        SchoolDistrict = schools.Select(s => districtIndex[DistrictLabel(s.Location)]).ToArray();
        DistrictProvince = new int[DistrictLabels.Length];
        ProvinceCountry = new int[ProvinceCodes.Length];
        foreach (var s in schools)
        {
            DistrictProvince[districtIndex[DistrictLabel(s.Location)]] = provinceIndex[s.Location.Province.Value];
            ProvinceCountry[provinceIndex[s.Location.Province.Value]] = countryIndex[s.Location.Country.Value];
        }

        // A phase's enrolled schools (sorted numbers; null when it lists none, so any school goes) and the roles its cohorts have.
        PhaseEnrolled = new int[phases.Length][];
        PhaseRoles = new int[phases.Length];
        for (var p = 0; p < phases.Length; p++)
        {
            var enrolled = phases[p].ph.Schools;
            PhaseEnrolled[p] = enrolled.Count == 0 ? null
                : [.. enrolled.Select(id => schoolIndex.GetValueOrDefault(id.Value, None)).Where(s => s >= 0).Distinct().Order()];
        }
        foreach (var cohort in dataset.Cohorts)
        {
            if (phaseIndex.TryGetValue(cohort.Phase.Value, out var p))
            {
                PhaseRoles[p] |= 1 << (int)cohort.Role;
            }
        }

        var activities = dataset.Activities;
        ActivityIds = activities.Select(a => a.Id.Value).ToArray();
        ActivityPhase = new int[activities.Count];
        ActivityKind = new byte[activities.Count];
        ActivityOrganisation = new int[activities.Count];
        ActivitySchool = new int[activities.Count];
        ActivityUsable = new bool[activities.Count];
        ActivityRows = new ActivityRowFacts[activities.Count];
        for (var i = 0; i < activities.Count; i++)
        {
            var a = activities[i];
            var usable = phaseIndex.TryGetValue(a.Phase.Value, out var phase);
            ActivityPhase[i] = phase;
            ActivityKind[i] = (byte)a.Kind;
            ActivityOrganisation[i] = a.FacilitatedBy is { } org ? (orgIndex.TryGetValue(org.Value, out var o) ? o : Fail(ref usable)) : None;
            ActivitySchool[i] = a.School is { } school ? (schoolIndex.TryGetValue(school.Value, out var s) ? s : Fail(ref usable)) : None;
            ActivityUsable[i] = usable;
            var period = usable ? phases[phase].ph.Period : null;
            ActivityRows[i] = new ActivityRowFacts(
                usable,
                period is null ? 0 : DayNumber(period.Start),
                period?.End is { } end ? DayNumber(end) : int.MaxValue,
                DayNumber(a.Date),
                ActivitySchool[i],
                usable ? phase : None,
                usable ? PhaseRoles[phase] : 0,
                (byte)a.Mode);
        }

        foreach (var organisation in dataset.Organisations)
        {
            Organisations.Add(organisation.Id);
        }
        Number(schools, s => s.Id, SchoolIndex, Schools);
        foreach (var indicator in dataset.Indicators)
        {
            Indicators.TryAdd(indicator.Id, indicator);
        }
        foreach (var cohort in dataset.Cohorts)
        {
            Cohorts.TryAdd(cohort.Id, cohort);
        }
        Number(activities, a => a.Id, ActivityIndex, Activities);
        foreach (var partnership in dataset.Partnerships)
        {
            Partnerships.TryAdd(partnership.Id, partnership);
            foreach (var p in partnership.Phases)
            {
                Phases.TryAdd(p.Id, new PhaseEntry(p, partnership));
            }
        }
        var scoreIndicators = dataset.Indicators.Where(i => i.Unit == IndicatorUnit.Score).Take(2).ToList();
        DefaultAssessment = scoreIndicators.Count == 1 ? scoreIndicators[0] : null;
    }

    internal ProgrammeDataset Dataset { get; }

    // Numbered entities, for the store and its queries.
    internal string[] PartnershipIds { get; }
    internal string[] OrganisationIds { get; }
    internal string[] PhaseIds { get; }
    internal int[] PhasePartnership { get; }
    internal string[] SchoolIds { get; }
    internal string[] CountryCodes { get; }
    internal string[] ProvinceCodes { get; }
    internal string[] DistrictLabels { get; }
    internal int[] SchoolDistrict { get; }
    internal int[] DistrictProvince { get; }
    internal int[] ProvinceCountry { get; }
    internal string[] ActivityIds { get; }
    internal int[] ActivityPhase { get; }
    internal byte[] ActivityKind { get; }
    internal int[] ActivityOrganisation { get; }
    internal int[] ActivitySchool { get; }
    internal bool[] ActivityUsable { get; }

    /// <summary>What the row rules need of each activity, side by side so that one row's checks touch one cache line.</summary>
    internal ActivityRowFacts[] ActivityRows { get; }

    /// <summary>Each phase's enrolled schools, sorted; <c>null</c> when the phase lists none (any school may take part).</summary>
    internal int[]?[] PhaseEnrolled { get; }

    /// <summary>A bit per role that has a cohort in the phase; 0 when the phase declares no cohorts (any role goes).</summary>
    internal int[] PhaseRoles { get; }

    /// <summary>The assessment indicator scores are checked against by default: the dataset's only score indicator, if it has exactly one.</summary>
    internal Indicator? DefaultAssessment { get; }

    // Entities by id, for the validators and progress.
    internal HashSet<Id<Organisation>> Organisations { get; } = [];
    internal Dictionary<Id<Partnership>, Partnership> Partnerships { get; } = [];
    internal Dictionary<Id<Phase>, PhaseEntry> Phases { get; } = [];
    internal Dictionary<Id<School>, School> Schools { get; } = [];
    internal Dictionary<Id<Indicator>, Indicator> Indicators { get; } = [];
    internal Dictionary<Id<Cohort>, Cohort> Cohorts { get; } = [];
    internal Dictionary<Id<Activity>, Activity> Activities { get; } = [];

    /// <summary>Activity numbers by id (the first of a duplicated id).</summary>
    internal Dictionary<Id<Activity>, int> ActivityIndex { get; } = [];

    /// <summary>School numbers by id (the first of a duplicated id).</summary>
    internal Dictionary<Id<School>, int> SchoolIndex { get; } = [];

    internal Indicator? Indicator(Id<Indicator> id) => Indicators.GetValueOrDefault(id);

    internal static string DistrictLabel(AdministrativeLocation location) => location.Province.Value + "/" + location.District;

    /// <summary>Days since 0001-01-01, as <see cref="DateOnly.DayNumber"/>; a date before year 1 is day -1, before every phase.</summary>
    internal static int DayNumber(NodaTime.LocalDate date) => date.Year >= 1 ? date.ToDateOnly().DayNumber : -1;

    private static int Fail(ref bool usable)
    {
        usable = false;
        return None;
    }

    /// <summary>Fills the number and the item of each id; the first of a duplicated id wins.</summary>
    private static void Number<TId, T>(IReadOnlyList<T> items, Func<T, TId> id, Dictionary<TId, int> numbers, Dictionary<TId, T> byId)
        where TId : notnull
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (numbers.TryAdd(id(items[i]), i))
            {
                byId.Add(id(items[i]), items[i]);
            }
        }
    }

    private static Dictionary<string, int> Index(string[] ids)
    {
        var index = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
        {
            index.TryAdd(ids[i], i);
        }
        return index;
    }
}

/// <summary>An activity's facts for the row rules: its phase's days (day numbers, end inclusive), its own day, school, roles and mode.</summary>
internal readonly record struct ActivityRowFacts(
    bool Usable, int PhaseStart, int PhaseEnd, int Day, int School, int Phase, int Roles, byte Mode);

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
