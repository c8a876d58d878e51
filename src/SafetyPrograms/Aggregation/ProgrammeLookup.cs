using SafetyPrograms.Domain;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// The dataset's reference data flattened into arrays once: activity → phase, kind, organisation, school;
/// phase → partnership; school → district → province → country. Every entity becomes a small integer.
/// </summary>
/// <remarks>Immutable after construction and thread-safe. An activity whose phase, school or organisation is not in the
/// dataset is unusable: records that name it are rejected.</remarks>
internal sealed class ProgrammeLookup
{
    internal const int None = -1;

    internal ProgrammeLookup(ProgrammeDataset dataset)
    {
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
        SchoolKeys = KeyTable.Of(SchoolIds);
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

        var activities = dataset.Activities;
        ActivityIds = activities.Select(a => a.Id.Value).ToArray();
        ActivityKeys = KeyTable.Of(ActivityIds);
        ActivityPhase = new int[activities.Count];
        ActivityKind = new byte[activities.Count];
        ActivityOrganisation = new int[activities.Count];
        ActivitySchool = new int[activities.Count];
        ActivityUsable = new bool[activities.Count];
        for (var i = 0; i < activities.Count; i++)
        {
            var a = activities[i];
            var usable = phaseIndex.TryGetValue(a.Phase.Value, out var phase);
            ActivityPhase[i] = phase;
            ActivityKind[i] = (byte)a.Kind;
            ActivityOrganisation[i] = a.FacilitatedBy is { } org ? (orgIndex.TryGetValue(org.Value, out var o) ? o : Fail(ref usable)) : None;
            ActivitySchool[i] = a.School is { } school ? (schoolIndex.TryGetValue(school.Value, out var s) ? s : Fail(ref usable)) : None;
            ActivityUsable[i] = usable;
        }
    }

    internal string[] PartnershipIds { get; }
    internal string[] OrganisationIds { get; }
    internal string[] PhaseIds { get; }
    internal int[] PhasePartnership { get; }
    internal string[] SchoolIds { get; }
    /// <summary>School ids by their UTF-8 bytes, for ingest.</summary>
    internal KeyTable SchoolKeys { get; }
    internal string[] CountryCodes { get; }
    internal string[] ProvinceCodes { get; }
    internal string[] DistrictLabels { get; }
    internal int[] SchoolDistrict { get; }
    internal int[] DistrictProvince { get; }
    internal int[] ProvinceCountry { get; }
    internal string[] ActivityIds { get; }
    /// <summary>Activity ids by their UTF-8 bytes, for ingest.</summary>
    internal KeyTable ActivityKeys { get; }
    internal int[] ActivityPhase { get; }
    internal byte[] ActivityKind { get; }
    internal int[] ActivityOrganisation { get; }
    internal int[] ActivitySchool { get; }
    internal bool[] ActivityUsable { get; }

    internal static string DistrictLabel(AdministrativeLocation location) => location.Province.Value + "/" + location.District;

    /// <summary>The number of values a dataset dimension takes, not counting "none".</summary>
    internal int Cardinality(Dimension d) => d switch
    {
        Dimension.Partnership => PartnershipIds.Length,
        Dimension.Phase => PhaseIds.Length,
        Dimension.Organisation => OrganisationIds.Length,
        Dimension.Country => CountryCodes.Length,
        Dimension.Province => ProvinceCodes.Length,
        Dimension.District => DistrictLabels.Length,
        Dimension.School => SchoolIds.Length,
        Dimension.ActivityKind => Enum.GetValues<ActivityKind>().Length,
        Dimension.Role => Enum.GetValues<BeneficiaryRole>().Length,
        Dimension.Sex => Enum.GetValues<Sex>().Length,
        Dimension.AgeBand => Enum.GetValues<AgeBand>().Length,
        _ => Enum.GetValues<DeliveryMode>().Length,
    };

    /// <summary>The label of a dimension value; <paramref name="value"/> equal to the cardinality means "none" (empty label).</summary>
    internal string Label(Dimension d, int value)
    {
        if (value == Cardinality(d))
        {
            return string.Empty;
        }
        return d switch
        {
            Dimension.Partnership => PartnershipIds[value],
            Dimension.Phase => PhaseIds[value],
            Dimension.Organisation => OrganisationIds[value],
            Dimension.Country => CountryCodes[value],
            Dimension.Province => ProvinceCodes[value],
            Dimension.District => DistrictLabels[value],
            Dimension.School => SchoolIds[value],
            Dimension.ActivityKind => Dimensions.Label((ActivityKind)value),
            Dimension.Role => Dimensions.Label((BeneficiaryRole)value),
            Dimension.Sex => Dimensions.Label((Sex)value),
            Dimension.AgeBand => Dimensions.Label((AgeBand)value),
            _ => Dimensions.Label((DeliveryMode)value),
        };
    }

    /// <summary>The value of a dataset dimension for an (activity, effective school) context; "none" is the cardinality.</summary>
    internal int ContextValue(Dimension d, int activity, int school)
    {
        var none = Cardinality(d);
        var district = school < 0 ? None : SchoolDistrict[school];
        var province = district < 0 ? None : DistrictProvince[district];
        return d switch
        {
            Dimension.Partnership => PhasePartnership[ActivityPhase[activity]],
            Dimension.Phase => ActivityPhase[activity],
            Dimension.Organisation => ActivityOrganisation[activity] is var o && o >= 0 ? o : none,
            Dimension.ActivityKind => ActivityKind[activity],
            Dimension.School => school >= 0 ? school : none,
            Dimension.District => district >= 0 ? district : none,
            Dimension.Province => province >= 0 ? province : none,
            Dimension.Country => province >= 0 ? ProvinceCountry[province] : none,
            _ => throw new ArgumentOutOfRangeException(nameof(d)),
        };
    }

    private static int Fail(ref bool usable)
    {
        usable = false;
        return None;
    }

    private static Dictionary<string, int> Index(string[] ids)
    {
        var index = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
        {
            // The first wins; duplicate identifiers are a validation finding, not an aggregation concern.
            index.TryAdd(ids[i], i);
        }
        return index;
    }
}
