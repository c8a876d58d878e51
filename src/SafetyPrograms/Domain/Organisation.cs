using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>What kind of body an organisation is.</summary>
public enum OrganisationKind
{
    /// <summary>An online platform or content service, such as a video platform.</summary>
    Platform,
    /// <summary>A mobile or fixed telecommunications operator.</summary>
    TelecomOperator,
    /// <summary>A non-governmental organisation or charitable trust.</summary>
    Ngo,
    /// <summary>A foundation, including a company's or industry's foundation.</summary>
    Foundation,
    /// <summary>A government ministry or division.</summary>
    Ministry,
    /// <summary>A government agency or department that is not a ministry, such as a computer emergency response team.</summary>
    GovernmentAgency,
    /// <summary>A sector regulator, such as a telecommunication authority.</summary>
    Regulator,
    /// <summary>A statutory commission, such as a national commission on the rights of the child.</summary>
    StatutoryCommission,
    /// <summary>A United Nations agency, fund or programme.</summary>
    UnAgency,
    /// <summary>Another international organisation, such as INTERPOL or an international NGO network.</summary>
    InternationalOrganisation,
    /// <summary>A university or research institute.</summary>
    Academia,
    /// <summary>A civil-society organisation or network.</summary>
    CivilSociety,
    /// <summary>A diplomatic mission.</summary>
    DiplomaticMission,
    /// <summary>A private company that is neither a platform nor a telecom operator.</summary>
    PrivateSector,
}

/// <summary>An organisation that takes part in one or more partnerships.</summary>
/// <remarks>Organisations are referenced from partnerships and activities by <see cref="Id"/>. Equality is by value. Immutable and thread-safe.</remarks>
public sealed record Organisation
{
    /// <summary>Creates an organisation.</summary>
    /// <param name="id">The identifier, unique within the dataset.</param>
    /// <param name="name">The organisation's name.</param>
    /// <param name="kind">What kind of body it is.</param>
    /// <param name="country">Where it is based; <c>null</c> for international bodies.</param>
    /// <param name="shortName">A short name or acronym, such as <c>NCRC</c>.</param>
    /// <param name="iatiIdentifier">Its IATI organisation identifier, such as <c>XM-DAC-41122</c>, when it has one.</param>
    /// <exception cref="ArgumentException">The name is blank or the kind is not defined.</exception>
    public Organisation(
        Id<Organisation> id, string name, OrganisationKind kind, CountryCode? country = null, string? shortName = null, IatiIdentifier? iatiIdentifier = null)
    {
        Id = id;
        Name = Preconditions.CheckNotBlank(name);
        Kind = Preconditions.CheckDefined(kind);
        Country = country;
        ShortName = shortName;
        IatiIdentifier = iatiIdentifier;
    }

    /// <summary>The identifier, unique within the dataset.</summary>
    public Id<Organisation> Id { get; }

    /// <summary>The organisation's name.</summary>
    public string Name { get; }

    /// <summary>What kind of body it is.</summary>
    public OrganisationKind Kind { get; }

    /// <summary>The ISO 3166-1 alpha-2 country it is based in; <c>null</c> for international bodies.</summary>
    public CountryCode? Country { get; }

    /// <summary>A short name or acronym.</summary>
    public string? ShortName { get; }

    /// <summary>
    /// Its IATI organisation identifier, when it has one: an IATI export names it in <c>reporting-org</c> and
    /// <c>participating-org</c>, and starts the identifier of every activity it reports with it.
    /// </summary>
    public IatiIdentifier? IatiIdentifier { get; }
}
