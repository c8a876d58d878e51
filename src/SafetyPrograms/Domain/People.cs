using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>The role in which a beneficiary takes part.</summary>
public enum BeneficiaryRole
{
    /// <summary>A school student or child.</summary>
    Student,
    /// <summary>A young person outside school (typically 15 to 24).</summary>
    Youth,
    /// <summary>A teacher or other educator.</summary>
    Teacher,
    /// <summary>A parent or caregiver.</summary>
    Parent,
    /// <summary>A community member in another role.</summary>
    Community,
}

/// <summary>A beneficiary's sex as recorded; "not recorded" is explicit so that disaggregations add up.</summary>
public enum Sex
{
    /// <summary>Female.</summary>
    Female,
    /// <summary>Male.</summary>
    Male,
    /// <summary>Another sex or gender identity, as recorded by the partner.</summary>
    Other,
    /// <summary>Not recorded.</summary>
    NotRecorded,
}

/// <summary>An age band, in completed years; "not recorded" is explicit.</summary>
/// <remarks>
/// The bands follow UNICEF's child and youth groupings; adults are split into two bands. <see cref="Age0To4"/> and
/// <see cref="Age18Plus"/> come last so that the numbers of the others stay as they were; <see cref="AgeBands.Range"/>
/// gives each band's ages, and <see cref="AgeBandScheme"/> groups records by any scheme.
/// </remarks>
public enum AgeBand
{
    /// <summary>5 to 9 years.</summary>
    Age5To9,
    /// <summary>10 to 14 years.</summary>
    Age10To14,
    /// <summary>15 to 17 years.</summary>
    Age15To17,
    /// <summary>18 to 24 years.</summary>
    Age18To24,
    /// <summary>25 to 49 years.</summary>
    Age25To49,
    /// <summary>50 years and over.</summary>
    Age50Plus,
    /// <summary>Not recorded.</summary>
    NotRecorded,
    /// <summary>0 to 4 years.</summary>
    Age0To4,
    /// <summary>18 years and over, where a partner records adults in one band (the UN/UNICEF child scheme).</summary>
    Age18Plus,
}

/// <summary>A group of beneficiaries by role, sex, age band and disability status, at a school (or in the community) in a phase, with a size.</summary>
/// <remarks>Cohorts carry the summary figures of partners who do not track individuals. Equality is by value. Immutable and thread-safe.</remarks>
public sealed record Cohort
{
    /// <summary>Creates a cohort.</summary>
    /// <param name="id">The identifier, unique within the dataset.</param>
    /// <param name="phase">The phase it belongs to.</param>
    /// <param name="role">The beneficiaries' role.</param>
    /// <param name="sex">Their sex, or <see cref="Sex.NotRecorded"/> for a mixed group.</param>
    /// <param name="ageBand">Their age band, or <see cref="AgeBand.NotRecorded"/>.</param>
    /// <param name="size">How many people are in the cohort.</param>
    /// <param name="school">The school, or <c>null</c> for a community cohort.</param>
    /// <param name="disability">
    /// Their disability status as the partner recorded it (a class of children with disabilities, say) by the Washington
    /// Group's published cut-off (<see cref="DisabilityCutoff.WashingtonGroup"/>), or <see cref="DisabilityStatus.NotRecorded"/> for a mixed group.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative or an enum is undefined.</exception>
    public Cohort(
        Id<Cohort> id, Id<Phase> phase, BeneficiaryRole role, Sex sex, AgeBand ageBand, int size, Id<School>? school = null,
        DisabilityStatus disability = DisabilityStatus.NotRecorded)
    {
        Disability = Preconditions.CheckDefined(disability);
        Id = id;
        Phase = phase;
        Role = Preconditions.CheckDefined(role);
        Sex = Preconditions.CheckDefined(sex);
        AgeBand = Preconditions.CheckDefined(ageBand);
        Size = Preconditions.CheckNonNegative(size);
        School = school;
    }

    /// <summary>The identifier, unique within the dataset.</summary>
    public Id<Cohort> Id { get; }

    /// <summary>The phase it belongs to.</summary>
    public Id<Phase> Phase { get; }

    /// <summary>The beneficiaries' role.</summary>
    public BeneficiaryRole Role { get; }

    /// <summary>Their sex.</summary>
    public Sex Sex { get; }

    /// <summary>Their age band.</summary>
    public AgeBand AgeBand { get; }

    /// <summary>How many people are in the cohort; never negative.</summary>
    public int Size { get; }

    /// <summary>The school, or <c>null</c> for a community cohort.</summary>
    public Id<School>? School { get; }

    /// <summary>Their disability status by the Washington Group's published cut-off; <see cref="DisabilityStatus.NotRecorded"/> for a mixed group.</summary>
    public DisabilityStatus Disability { get; }
}
