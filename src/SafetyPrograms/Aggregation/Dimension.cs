using SafetyPrograms.Serialization;

namespace SafetyPrograms.Aggregation;

/// <summary>A property of a participation record that results can be grouped or filtered by.</summary>
/// <remarks>
/// Record dimensions (<see cref="Role"/>, <see cref="Sex"/>, <see cref="AgeBand"/>, <see cref="Age"/>, <see cref="Mode"/>)
/// come from the record itself, <see cref="Disability"/> from the beneficiary's answers held once per beneficiary; the others come from the dataset: record → activity (phase, kind, implementing organisation,
/// school) → phase → partnership, and school → location (country, province, district). A record's own school wins over
/// its activity's. Time is grouped by a <see cref="TimeBucket"/>. Each dimension has a documented string name
/// (<see cref="Dimensions.Name"/>), used by command lines and partial results.
/// </remarks>
public enum Dimension
{
    /// <summary>The partnership (programme) of the activity's phase; name <c>partnership</c>.</summary>
    Partnership,
    /// <summary>The activity's phase; name <c>phase</c>.</summary>
    Phase,
    /// <summary>The organisation that facilitated the activity; name <c>organisation</c>.</summary>
    Organisation,
    /// <summary>The school's country; name <c>country</c>.</summary>
    Country,
    /// <summary>The school's province or territory; name <c>province</c>.</summary>
    Province,
    /// <summary>The school's district, labelled <c>PK-PB/Lahore</c> because district names repeat across provinces; name <c>district</c>.</summary>
    District,
    /// <summary>The school (the record's own, else the activity's); name <c>school</c>.</summary>
    School,
    /// <summary>The beneficiary's role; name <c>role</c>.</summary>
    Role,
    /// <summary>The beneficiary's sex as recorded; name <c>sex</c>.</summary>
    Sex,
    /// <summary>The beneficiary's age band; name <c>ageBand</c>.</summary>
    AgeBand,
    /// <summary>How the beneficiary took part; name <c>mode</c>.</summary>
    Mode,
    /// <summary>The kind of activity; name <c>activityKind</c>.</summary>
    ActivityKind,
    /// <summary>
    /// The beneficiary's age band in the query's scheme (<see cref="AggregationQuery.AgeScheme"/>; the UN child scheme unless
    /// set): from the age at the record's date where recorded, else from the band recorded where it nests in one of the
    /// scheme's bands, else <c>notComparable</c>; <c>notRecorded</c> when nothing is; name <c>age</c>.
    /// </summary>
    Age,
    /// <summary>
    /// The beneficiary's disability status (<c>disability</c>, <c>noDisability</c>, <c>notRecorded</c>) from their
    /// Washington Group answers under the query's cut-off (<see cref="AggregationQuery.DisabilityCutoff"/>); name <c>disability</c>.
    /// </summary>
    Disability,
}

/// <summary>The string names of dimensions, and lookups by name.</summary>
public static class Dimensions
{
    /// <summary>The documented string name of a dimension, such as <c>province</c> or <c>ageBand</c>.</summary>
    /// <param name="dimension">The dimension.</param>
    /// <returns>Its name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is undefined.</exception>
    public static string Name(this Dimension dimension) =>
        EnumNames<Dimension>.TryGetName(dimension, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(dimension));

    /// <summary>Finds a dimension by its name, ignoring case.</summary>
    /// <param name="name">The name, such as <c>district</c>.</param>
    /// <param name="dimension">The dimension, when found.</param>
    /// <returns>Whether the name is a dimension's.</returns>
    public static bool TryParse(string? name, out Dimension dimension) => EnumNames<Dimension>.TryParseIgnoringCase(name, out dimension);

    /// <summary>All dimension names, in declaration order.</summary>
    public static IReadOnlyList<string> AllNames => EnumNames<Dimension>.Names;

    /// <summary>Whether the dimension is read from the record or its beneficiary (role, sex, age, disability, mode) rather than the dataset.</summary>
    internal static bool IsRecordDimension(this Dimension d) =>
        d is Dimension.Role or Dimension.Sex or Dimension.AgeBand or Dimension.Mode or Dimension.Age or Dimension.Disability;

    /// <summary>Whether the dimension is read from the record's age byte: today's band list or a scheme.</summary>
    internal static bool IsAgeDimension(this Dimension d) => d is Dimension.AgeBand or Dimension.Age;

    /// <summary>
    /// The label of a record dimension's value: its interchange name (<c>teacher</c>, <c>10-14</c>), from the one table JSON,
    /// CSV and the schema use, so a filter or a result row reads exactly like the files.
    /// </summary>
    internal static string Label<TEnum>(TEnum value)
        where TEnum : struct, Enum => EnumNames<TEnum>.NameOf(value);
}
