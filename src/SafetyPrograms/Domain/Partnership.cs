using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>The role an organisation plays in a partnership.</summary>
/// <remarks>Each role names its IATI organisation-role equivalent (codelist OrganisationRole), the interchange anchor; see <see cref="PartnershipRoles.ToIati"/>.</remarks>
public enum PartnershipRole
{
    /// <summary>Leads and answers for the partnership. IATI: 2 Accountable.</summary>
    Lead,
    /// <summary>Delivers the activities. IATI: 4 Implementing.</summary>
    Implementing,
    /// <summary>Provides the money. IATI: 1 Funding.</summary>
    Funding,
    /// <summary>Endorses the work publicly, such as a ministry. IATI: no equivalent.</summary>
    Endorsing,
    /// <summary>Opens access to schools or communities on another's behalf. IATI: 3 Extending.</summary>
    Facilitating,
    /// <summary>Conducts research or a study within the partnership. IATI: 4 Implementing.</summary>
    Research,
    /// <summary>Gives technical expertise or content. IATI: 4 Implementing.</summary>
    Technical,
}

/// <summary>IATI's organisation roles (codelist OrganisationRole).</summary>
public enum IatiOrganisationRole
{
    /// <summary>1: the government or organisation providing the funds.</summary>
    Funding = 1,
    /// <summary>2: the organisation responsible for oversight and accountable for results.</summary>
    Accountable = 2,
    /// <summary>3: the organisation that manages the activity on the funder's behalf.</summary>
    Extending = 3,
    /// <summary>4: the organisation that physically carries out the activity.</summary>
    Implementing = 4,
}

/// <summary>Conversions for <see cref="PartnershipRole"/>.</summary>
public static class PartnershipRoles
{
    /// <summary>The IATI organisation role a partnership role corresponds to.</summary>
    /// <param name="role">The partnership role.</param>
    /// <returns>The IATI role, or <c>null</c> for <see cref="PartnershipRole.Endorsing"/>, which IATI has no role for.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not defined.</exception>
    public static IatiOrganisationRole? ToIati(this PartnershipRole role) => role switch
    {
        PartnershipRole.Lead => IatiOrganisationRole.Accountable,
        PartnershipRole.Implementing or PartnershipRole.Research or PartnershipRole.Technical => IatiOrganisationRole.Implementing,
        PartnershipRole.Funding => IatiOrganisationRole.Funding,
        PartnershipRole.Facilitating => IatiOrganisationRole.Extending,
        PartnershipRole.Endorsing => null,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a defined partnership role."),
    };
}

/// <summary>Where a partnership, phase or milestone stands.</summary>
public enum ProgrammeStatus
{
    /// <summary>Agreed but not started.</summary>
    Planned,
    /// <summary>Under way.</summary>
    Active,
    /// <summary>Finished as planned.</summary>
    Completed,
    /// <summary>Paused.</summary>
    Suspended,
    /// <summary>Stopped before completion.</summary>
    Cancelled,
}

/// <summary>An organisation's part in a partnership.</summary>
/// <param name="Organisation">The member organisation.</param>
/// <param name="Role">The role it plays; an organisation with two roles is listed twice.</param>
public sealed record PartnershipMember(Id<Organisation> Organisation, PartnershipRole Role);

/// <summary>
/// A partnership or programme: several organisations in roles, working over a period towards targets,
/// in numbered phases, with non-numeric milestones.
/// </summary>
/// <remarks>Equality is by value, lists compared item by item. Immutable and thread-safe.</remarks>
public sealed record Partnership
{
    /// <summary>Creates a partnership.</summary>
    /// <param name="id">The identifier, unique within the dataset.</param>
    /// <param name="name">The programme's name.</param>
    /// <param name="period">The dates it runs.</param>
    /// <param name="status">Where it stands.</param>
    /// <param name="members">The organisations and their roles.</param>
    /// <param name="phases">The numbered phases; may be empty for a single-phase programme.</param>
    /// <param name="targets">Programme-level targets.</param>
    /// <param name="milestones">Non-numeric outputs.</param>
    /// <param name="country">The country the programme works in, when it works in one.</param>
    /// <param name="description">What the programme does.</param>
    /// <param name="source">Where the facts come from, such as a news article; <c>illustrative</c> marks made-up sample figures.</param>
    /// <exception cref="ArgumentException">The name is blank, the status undefined or a list holds a null.</exception>
    public Partnership(
        Id<Partnership> id,
        string name,
        DatePeriod period,
        ProgrammeStatus status,
        IReadOnlyList<PartnershipMember> members,
        IReadOnlyList<Phase>? phases = null,
        IReadOnlyList<Target>? targets = null,
        IReadOnlyList<Milestone>? milestones = null,
        CountryCode? country = null,
        string? description = null,
        string? source = null)
    {
        Id = id;
        Name = Preconditions.CheckNotBlank(name);
        Period = Preconditions.CheckNotNull(period);
        Status = Preconditions.CheckDefined(status);
        Members = ValueList<PartnershipMember>.From(Preconditions.CheckNotNull(members), nameof(members));
        Phases = ValueList<Phase>.From(phases, nameof(phases));
        Targets = ValueList<Target>.From(targets, nameof(targets));
        Milestones = ValueList<Milestone>.From(milestones, nameof(milestones));
        Country = country;
        Description = description;
        Source = source;
    }

    /// <summary>The identifier, unique within the dataset.</summary>
    public Id<Partnership> Id { get; }

    /// <summary>The programme's name.</summary>
    public string Name { get; }

    /// <summary>The dates it runs.</summary>
    public DatePeriod Period { get; }

    /// <summary>Where it stands.</summary>
    public ProgrammeStatus Status { get; }

    /// <summary>The organisations and their roles.</summary>
    public IReadOnlyList<PartnershipMember> Members { get; }

    /// <summary>The numbered phases.</summary>
    public IReadOnlyList<Phase> Phases { get; }

    /// <summary>Programme-level targets.</summary>
    public IReadOnlyList<Target> Targets { get; }

    /// <summary>Non-numeric outputs with due dates.</summary>
    public IReadOnlyList<Milestone> Milestones { get; }

    /// <summary>The country the programme works in, when it works in one.</summary>
    public CountryCode? Country { get; }

    /// <summary>What the programme does.</summary>
    public string? Description { get; }

    /// <summary>Where the facts come from; <c>illustrative</c> marks made-up sample figures.</summary>
    public string? Source { get; }
}

/// <summary>A numbered stage of a partnership with its own period, schools and targets. "An extension" is a phase.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record Phase
{
    /// <summary>Creates a phase.</summary>
    /// <param name="id">The identifier, unique within the dataset.</param>
    /// <param name="sequence">The phase number, from 1.</param>
    /// <param name="name">The phase's name.</param>
    /// <param name="period">The dates it runs.</param>
    /// <param name="status">Where it stands.</param>
    /// <param name="schools">The schools enrolled in the phase.</param>
    /// <param name="targets">The phase's own targets.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The name is blank or the status undefined.</exception>
    public Phase(
        Id<Phase> id,
        int sequence,
        string name,
        DatePeriod period,
        ProgrammeStatus status,
        IReadOnlyList<Id<School>>? schools = null,
        IReadOnlyList<Target>? targets = null)
    {
        Id = id;
        Sequence = Preconditions.CheckPositive(sequence);
        Name = Preconditions.CheckNotBlank(name);
        Period = Preconditions.CheckNotNull(period);
        Status = Preconditions.CheckDefined(status);
        Schools = ValueList<Id<School>>.From(schools, nameof(schools));
        Targets = ValueList<Target>.From(targets, nameof(targets));
    }

    /// <summary>The identifier, unique within the dataset.</summary>
    public Id<Phase> Id { get; }

    /// <summary>The phase number, from 1.</summary>
    public int Sequence { get; }

    /// <summary>The phase's name.</summary>
    public string Name { get; }

    /// <summary>The dates it runs; validation checks they lie inside the partnership's.</summary>
    public DatePeriod Period { get; }

    /// <summary>Where it stands.</summary>
    public ProgrammeStatus Status { get; }

    /// <summary>The schools enrolled in the phase.</summary>
    public IReadOnlyList<Id<School>> Schools { get; }

    /// <summary>The phase's own targets.</summary>
    public IReadOnlyList<Target> Targets { get; }
}
