using System.Text.Json;
using System.Text.Json.Serialization;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// The JSON document of an <see cref="AggregatePartial"/>, read and written through the one contract
/// (<see cref="SafetyProgramsJsonContext.Contract"/>): strictly, so an unknown, repeated or missing member, a value of
/// the wrong kind or a group that does not fit the grouping is refused with its path and line.
/// </summary>
/// <param name="Format">Always <c>safetyprograms.aggregatePartial</c>.</param>
/// <param name="Version">Always 1.</param>
/// <param name="GroupBy">The grouping terms; school terms with their calendar.</param>
/// <param name="Measures">The measures, by name.</param>
/// <param name="Groups">The groups, in key order.</param>
/// <param name="AgeScheme">The age band scheme, when the query grouped or filtered by age; else not written.</param>
/// <param name="DisabilityCutoff">The disability cut-off's code, when the query grouped or filtered by disability; else not written.</param>
internal sealed record PartialDocument(
    PartialFormat Format, int Version, IReadOnlyList<PartialTerm> GroupBy, IReadOnlyList<Measure> Measures, IReadOnlyList<PartialGroupDocument> Groups,
    AgeSchemeDocument? AgeScheme = null, string? DisabilityCutoff = null)
{
    internal const int CurrentVersion = 1;

    /// <summary>The partial's groups by key; built once here, where a group that does not fit can still be placed.</summary>
    private readonly SortedDictionary<string, PartialGroup> _groups = ToGroups(Version, GroupBy, Groups);

    internal static PartialDocument Of(AggregatePartial partial) => new(
        default,
        CurrentVersion,
        [.. partial.GroupBy.Select(t => new PartialTerm(t))],
        [.. partial.Measures],
        [.. partial.Groups.Select(PartialGroupDocument.Of)],
        AgeSchemeDocument.Of(partial.AgeScheme),
        partial.DisabilityCutoff?.Code);

    private readonly PersonStatement _statement = AgeSchemeDocument.Statement(AgeScheme, DisabilityCutoff);

    internal AggregatePartial ToPartial() => new([.. GroupBy.Select(t => t.Term)], Measures, _groups, _statement);

    private static SortedDictionary<string, PartialGroup> ToGroups(int version, IReadOnlyList<PartialTerm> groupBy, IReadOnlyList<PartialGroupDocument> groups)
    {
        Preconditions.CheckArgument(
            version == CurrentVersion, nameof(version), $"Version {version} of the aggregate partial format is not supported; this library reads version {CurrentVersion}.");
        return PartialGroups.ToGroups([.. groupBy.Select(t => t.Term)], groups, nameof(groups));
    }
}

/// <summary>A group of a partial as its JSON document reads it: its key labels, and the group they label.</summary>
internal interface IPartialGroupDocument
{
    IReadOnlyList<string> Key { get; }

    PartialGroup ToGroup();
}

/// <summary>The groups of a partial document, checked against its grouping as the contract reads them (one rule for both kinds of partial).</summary>
internal static class PartialGroups
{
    /// <summary>The groups by key; a key that does not fit the grouping, or a repeated one, is refused at its group.</summary>
    internal static SortedDictionary<string, PartialGroup> ToGroups<TGroup>(GroupingTerm[] terms, IReadOnlyList<TGroup> groups, string paramName)
        where TGroup : IPartialGroupDocument
    {
        var result = new SortedDictionary<string, PartialGroup>(StringComparer.Ordinal);
        for (var i = 0; i < groups.Count; i++)
        {
            var keys = groups[i].Key;
            if (keys.Count != terms.Length)
            {
                throw new NestedArgumentException(
                    $"The key has {keys.Count} labels; the grouping has {terms.Length} terms.", paramName, new(null, i), new("key", 0));
            }
            CheckTermLabels(terms, keys, paramName, i);
            var group = groups[i].ToGroup();
            if (!result.TryAdd(AggregatePartial.KeyOf(group.Keys), group))
            {
                throw new NestedArgumentException("Two groups have the same key.", paramName, new(null, i), new("key", 0));
            }
        }
        return result;
    }

    /// <summary>A school-term label must be one of the partial's own terms (or outside them): anything else is not from this calendar.</summary>
    internal static void CheckTermLabels(IReadOnlyList<GroupingTerm> terms, IReadOnlyList<string> keys, string paramName, int group)
    {
        for (var t = 0; t < keys.Count; t++)
        {
            if (terms[t].Time is { Terms.Count: > 0 } bucket
                && keys[t] != TimeBucket.OutsideTermsLabel
                && !bucket.Terms.Any(term => term.Name == keys[t]))
            {
                throw new NestedArgumentException(
                    $"'{keys[t]}' is not one of the partial's school terms ({string.Join(", ", bucket.Terms.Select(term => term.Name))}) nor '{TimeBucket.OutsideTermsLabel}'.",
                    paramName, new(null, group), new("key", 0), new(null, t));
            }
        }
    }
}

/// <summary>A document format's name, which its <c>format</c> member carries, and how messages call it.</summary>
internal interface IFormatName
{
    static abstract string Name { get; }

    static abstract string Title { get; }
}

/// <summary>The <c>format</c> member of a partial: written as <c>safetyprograms.aggregatePartial</c>, and nothing else is read.</summary>
[JsonConverter(typeof(FormatNameConverter<PartialFormat>))]
internal readonly record struct PartialFormat : IFormatName
{
    public static string Name => "safetyprograms.aggregatePartial";

    public static string Title => "aggregate partial";
}

/// <summary>Refuses any other format name where it stands, before the members the document would then lack.</summary>
internal sealed class FormatNameConverter<T> : StringValueConverter<T>
    where T : struct, IFormatName
{
    protected override string Describe => $"{T.Title} format name";

    protected override T Parse(string text) =>
        text == T.Name ? default : throw new JsonException($"This is not a version 1 {T.Title}: the format is not '{T.Name}'.");

    protected override string Format(T value) => T.Name;
}

/// <summary>One grouping term of a partial: its string name, or a school-terms grouping with its calendar (<see cref="SchoolTermsForm"/>).</summary>
/// <param name="Term">The term.</param>
[JsonConverter(typeof(PartialTermConverter))]
internal readonly record struct PartialTerm(GroupingTerm Term);

/// <summary>
/// A school-terms grouping as it travels in a partial, with its calendar: <c>{"name":"schoolTerms","terms":[…]}</c>,
/// so that a partial read back groups, and merges, by exactly the terms it was aggregated with.
/// </summary>
internal sealed record SchoolTermsForm
{
    internal const string SchoolTermsName = "schoolTerms";

    /// <summary>Checks the form as the contract reads it, so a refusal names the member at fault.</summary>
    /// <param name="name">Always <c>schoolTerms</c>.</param>
    /// <param name="terms">The calendar: distinct names, no overlaps.</param>
    public SchoolTermsForm(string name, IReadOnlyList<SchoolTerm> terms)
    {
        Preconditions.CheckArgument(
            name == SchoolTermsName, nameof(name), $"Only a school-terms grouping is written as an object; expected \"name\":\"{SchoolTermsName}\".");
        Name = name;
        Bucket = TimeBucket.SchoolTerms(terms);
        Terms = Bucket.Terms;
    }

    /// <summary>Always <c>schoolTerms</c>.</summary>
    public string Name { get; }

    /// <summary>The terms, in date order.</summary>
    public IReadOnlyList<SchoolTerm> Terms { get; }

    internal TimeBucket Bucket { get; }
}

/// <summary>Reads and writes a <see cref="PartialTerm"/>: a name as a string, a school-terms grouping as its <see cref="SchoolTermsForm"/>.</summary>
internal sealed class PartialTermConverter : SafeConverter<PartialTerm>, IObjectFormConverter
{
    public Type ObjectForm => typeof(SchoolTermsForm);

    protected override string Describe => "grouping term";

    public object FromObjectForm(object form) => new PartialTerm(((SchoolTermsForm)form).Bucket);

    protected override PartialTerm ReadValue(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var name = ReadString(ref reader);
        return GroupingTerm.TryParse(name, out var term)
            ? new PartialTerm(term)
            : throw new JsonException(name == SchoolTermsForm.SchoolTermsName
                ? $"A school-terms grouping needs its terms: {{\"name\":\"{SchoolTermsForm.SchoolTermsName}\",\"terms\":[…]}}."
                : $"'{name}' is not a grouping term that can be read back.");
    }

    public override void Write(Utf8JsonWriter writer, PartialTerm value, JsonSerializerOptions options)
    {
        if (value.Term.Time is { Terms.Count: > 0 } bucket)
        {
            JsonSerializer.Serialize(writer, new SchoolTermsForm(SchoolTermsForm.SchoolTermsName, bucket.Terms), options.GetTypeInfo(typeof(SchoolTermsForm)));
        }
        else
        {
            writer.WriteStringValue(value.Term.Name);
        }
    }
}

/// <summary>One group of a partial as JSON: sums in ten-thousandths of a score point; sets sorted; HyperLogLog registers packed as register×64+rank.</summary>
/// <param name="Key">One label per grouping term.</param>
/// <param name="Participations">Records.</param>
/// <param name="Completions">Completed records.</param>
/// <param name="PreScoreSum">Sum of pre scores.</param>
/// <param name="PreScoreCount">Records with a pre score.</param>
/// <param name="PostScoreSum">Sum of post scores.</param>
/// <param name="PostScoreCount">Records with a post score.</param>
/// <param name="GainSum">Sum of gains.</param>
/// <param name="GainCount">Records with both scores.</param>
/// <param name="Beneficiaries">Beneficiary keys, when a measure needs them.</param>
/// <param name="Assessed">Keys with both scores, when a measure needs them.</param>
/// <param name="Improved">Keys that improved, when a measure needs them.</param>
/// <param name="Activities">Activity identifiers, when a measure needs them.</param>
/// <param name="Schools">School identifiers, when a measure needs them.</param>
/// <param name="Hll">The non-empty HyperLogLog registers, when a measure needs them.</param>
internal sealed record PartialGroupDocument(
    IReadOnlyList<string> Key,
    long Participations,
    long Completions,
    long PreScoreSum,
    long PreScoreCount,
    long PostScoreSum,
    long PostScoreCount,
    long GainSum,
    long GainCount,
    IReadOnlyList<string>? Beneficiaries = null,
    IReadOnlyList<string>? Assessed = null,
    IReadOnlyList<string>? Improved = null,
    IReadOnlyList<string>? Activities = null,
    IReadOnlyList<string>? Schools = null,
    IReadOnlyList<int>? Hll = null) : IPartialGroupDocument
{
    /// <summary>The registers, checked as the contract reads them so that a bad entry is refused at <c>hll</c>.</summary>
    private readonly HllRegisters? _registers = Unpack(Hll);

    internal static PartialGroupDocument Of(PartialGroup g) => new(
        g.Keys, g.Participations, g.Completions, g.PreSum, g.PreN, g.PostSum, g.PostN, g.GainSum, g.GainN,
        g.Beneficiaries, g.Assessed, g.Improved, g.Activities, g.Schools, Pack(g.Hll));

    public PartialGroup ToGroup() => Sums(Key, Participations, Completions, PreScoreSum, PreScoreCount, PostScoreSum, PostScoreCount, GainSum, GainCount) with
    {
        Beneficiaries = SortedSet(Beneficiaries),
        Assessed = SortedSet(Assessed),
        Improved = SortedSet(Improved),
        Activities = SortedSet(Activities),
        Schools = SortedSet(Schools),
        Hll = _registers,
    };

    /// <summary>A group with a document's key and sums, as both kinds of partial write them.</summary>
    internal static PartialGroup Sums(
        IReadOnlyList<string> key, long participations, long completions, long preSum, long preN, long postSum, long postN, long gainSum, long gainN) =>
        PartialGroup.OfSums([.. key], [participations, completions, preSum, preN, postSum, postN, gainSum, gainN]);

    /// <summary>The non-empty registers as register × 64 + rank, in register order.</summary>
    internal static int[]? Pack(HllRegisters? hll) => hll?.Entries().ToArray();

    /// <summary>Registers from entries as <see cref="Pack"/> writes them; an impossible entry is refused at its index.</summary>
    internal static HllRegisters? Unpack(IReadOnlyList<int>? hll)
    {
        if (hll is null)
        {
            return null;
        }
        int[] entries = [.. hll];
        var invalid = HllRegisters.FirstInvalid(entries);
        if (invalid >= 0)
        {
            throw new NestedArgumentException("A HyperLogLog entry is out of range.", nameof(hll), new JsonPathSegment(null, invalid));
        }
        return HllRegisters.FromEntries(entries);
    }

    /// <summary>Sets merge by value, so they are held sorted (ordinal) and without repeats, whatever order the text had.</summary>
    internal static string[]? SortedSet(IReadOnlyList<string>? items)
    {
        if (items is null)
        {
            return null;
        }
        var set = items.Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(set, StringComparer.Ordinal);
        return set;
    }
}
