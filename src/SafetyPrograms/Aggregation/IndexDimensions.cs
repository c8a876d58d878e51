using SafetyPrograms.Domain;
using SafetyPrograms.Indexing;

namespace SafetyPrograms.Aggregation;

/// <summary>The dataset index seen through the query's dimensions: how many values each takes, their labels, a context's value.</summary>
internal static class IndexDimensions
{
    extension(ProgrammeIndex index)
    {
        /// <summary>The number of values a dataset dimension takes, not counting "none".</summary>
        internal int Cardinality(Dimension d) => d switch
        {
            Dimension.Partnership => index.PartnershipIds.Length,
            Dimension.Phase => index.PhaseIds.Length,
            Dimension.Organisation => index.OrganisationIds.Length,
            Dimension.Country => index.CountryCodes.Length,
            Dimension.Province => index.ProvinceCodes.Length,
            Dimension.District => index.DistrictLabels.Length,
            Dimension.School => index.SchoolIds.Length,
            Dimension.ActivityKind => Enum.GetValues<ActivityKind>().Length,
            Dimension.Role => Enum.GetValues<BeneficiaryRole>().Length,
            Dimension.Sex => Enum.GetValues<Sex>().Length,
            Dimension.AgeBand => Enum.GetValues<AgeBand>().Length,
            Dimension.Disability => Enum.GetValues<DisabilityStatus>().Length,
            Dimension.Mode => Enum.GetValues<DeliveryMode>().Length,
            // The age's values are its scheme's: the query knows them (AggregationQuery.Cardinality).
            _ => throw new ArgumentOutOfRangeException(nameof(d)),
        };

        /// <summary>The label of a dimension value; <paramref name="value"/> equal to the cardinality means "none" (empty label).</summary>
        internal string Label(Dimension d, int value)
        {
            if (value == index.Cardinality(d))
            {
                return string.Empty;
            }
            return d switch
            {
                Dimension.Partnership => index.PartnershipIds[value],
                Dimension.Phase => index.PhaseIds[value],
                Dimension.Organisation => index.OrganisationIds[value],
                Dimension.Country => index.CountryCodes[value],
                Dimension.Province => index.ProvinceCodes[value],
                Dimension.District => index.DistrictLabels[value],
                Dimension.School => index.SchoolIds[value],
                Dimension.ActivityKind => Dimensions.Label((ActivityKind)value),
                Dimension.Role => Dimensions.Label((BeneficiaryRole)value),
                Dimension.Sex => Dimensions.Label((Sex)value),
                Dimension.AgeBand => Dimensions.Label((AgeBand)value),
                Dimension.Disability => Dimensions.Label((DisabilityStatus)value),
                _ => Dimensions.Label((DeliveryMode)value),
            };
        }

        /// <summary>The value of a dataset dimension for an (activity, effective school) context; "none" is the cardinality.</summary>
        internal int ContextValue(Dimension d, int activity, int school)
        {
            var none = index.Cardinality(d);
            var district = school < 0 ? ProgrammeIndex.None : index.SchoolDistrict[school];
            var province = district < 0 ? ProgrammeIndex.None : index.DistrictProvince[district];
            return d switch
            {
                Dimension.Partnership => index.PhasePartnership[index.ActivityPhase[activity]],
                Dimension.Phase => index.ActivityPhase[activity],
                Dimension.Organisation => index.ActivityOrganisation[activity] is var o && o >= 0 ? o : none,
                Dimension.ActivityKind => index.ActivityKind[activity],
                Dimension.School => school >= 0 ? school : none,
                Dimension.District => district >= 0 ? district : none,
                Dimension.Province => province >= 0 ? province : none,
                Dimension.Country => province >= 0 ? index.ProvinceCountry[province] : none,
                _ => throw new ArgumentOutOfRangeException(nameof(d)),
            };
        }
    }
}
