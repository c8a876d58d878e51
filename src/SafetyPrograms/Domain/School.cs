using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>Whether a school is run by the state or privately.</summary>
public enum SchoolSector
{
    /// <summary>A government (public) school.</summary>
    Public,
    /// <summary>A private school.</summary>
    Private,
}

/// <summary>A school where a programme works.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record School
{
    /// <summary>Creates a school.</summary>
    /// <param name="id">The identifier, unique within the dataset.</param>
    /// <param name="name">The school's name.</param>
    /// <param name="sector">Public or private.</param>
    /// <param name="location">Country, province and district.</param>
    /// <param name="emisCode">The code in the national Education Management Information System, where one exists.</param>
    /// <param name="source">Where the facts come from; <c>illustrative</c> marks made-up sample data.</param>
    /// <exception cref="ArgumentException">The name is blank or the sector undefined.</exception>
    public School(Id<School> id, string name, SchoolSector sector, AdministrativeLocation location, string? emisCode = null, string? source = null)
    {
        Id = id;
        Name = Preconditions.CheckNotBlank(name);
        Sector = Preconditions.CheckDefined(sector);
        Location = Preconditions.CheckNotNull(location);
        EmisCode = emisCode;
        Source = source;
    }

    /// <summary>The identifier, unique within the dataset.</summary>
    public Id<School> Id { get; }

    /// <summary>The school's name.</summary>
    public string Name { get; }

    /// <summary>Public or private.</summary>
    public SchoolSector Sector { get; }

    /// <summary>Country, province and district.</summary>
    public AdministrativeLocation Location { get; }

    /// <summary>The EMIS code, where one exists.</summary>
    public string? EmisCode { get; }

    /// <summary>Where the facts come from; <c>illustrative</c> marks made-up sample data.</summary>
    public string? Source { get; }
}
