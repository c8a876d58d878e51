using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// The JSON document of a <see cref="ShardPartial"/>, read and written through the one contract, strictly: besides what
/// an aggregate partial's reader refuses, overlapping ranges, and subtotals that do not match the groups (a level group
/// with records but no counts, or counts for a level group without records) are refused where they stand.
/// </summary>
/// <param name="Format">Always <c>safetyprograms.shardPartial</c>.</param>
/// <param name="Version">Always 1.</param>
/// <param name="Ranges">The hash ranges covered.</param>
/// <param name="GroupBy">The grouping terms; school terms with their calendar.</param>
/// <param name="Measures">The measures, by name.</param>
/// <param name="Rollup">Whether the partial has subtotal levels.</param>
/// <param name="Groups">The finest groups, in key order.</param>
/// <param name="Subtotals">The counts of people of every subtotal level's groups (when a measure counts people).</param>
/// <param name="AgeScheme">The age band scheme, when the query grouped or filtered by age; else not written.</param>
/// <param name="DisabilityCutoff">The disability cut-off's code, when the query grouped or filtered by disability; else not written.</param>
internal sealed record ShardPartialDocument(
    ShardPartialFormat Format,
    int Version,
    IReadOnlyList<ShardRangeText> Ranges,
    IReadOnlyList<PartialTerm> GroupBy,
    IReadOnlyList<Measure> Measures,
    bool Rollup,
    IReadOnlyList<ShardGroupDocument> Groups,
    IReadOnlyList<SubtotalDocument> Subtotals,
    AgeSchemeDocument? AgeScheme = null,
    string? DisabilityCutoff = null)
{
    internal const int CurrentVersion = 1;

    private readonly ShardRange[] _ranges = CheckRanges(Version, Ranges);
    private readonly SortedDictionary<string, PartialGroup> _groups = PartialGroups.ToGroups([.. GroupBy.Select(t => t.Term)], Groups, nameof(Groups));
    private readonly SortedDictionary<string, PersonCounts>[] _subtotals = ToSubtotals(GroupBy, Measures, Rollup, Groups, Subtotals);

    internal static ShardPartialDocument Of(ShardPartial partial)
    {
        var k = partial.GroupBy.Count;
        var people = partial.Measures.Any(QueryEngine.CountsPeople);
        return new(
            default,
            CurrentVersion,
            [.. partial.Ranges.Select(r => new ShardRangeText(r))],
            [.. partial.GroupBy.Select(t => new PartialTerm(t))],
            [.. partial.Measures],
            partial.IsRollup,
            [.. partial.Groups.Select(g => ShardGroupDocument.Of(g, partial.Measures))],
            [.. partial.Subtotals.SelectMany((level, l) => level.Select(s => SubtotalDocument.Of(Labels(s.Key, k - l - 1), s.Value, partial.Measures)))],
            AgeSchemeDocument.Of(partial.AgeScheme),
            partial.DisabilityCutoff?.Code);
    }

    private readonly PersonStatement _statement = AgeSchemeDocument.Statement(AgeScheme, DisabilityCutoff);

    internal ShardPartial ToPartial() => new(_ranges, [.. GroupBy.Select(t => t.Term)], Measures, Rollup, _groups, _subtotals, _statement);

    /// <summary>The labels of a level key that keeps <paramref name="count"/> terms.</summary>
    internal static string[] Labels(string key, int count) => count == 0 ? [] : key.Split('\u001f');

    private static ShardRange[] CheckRanges(int version, IReadOnlyList<ShardRangeText> ranges)
    {
        Preconditions.CheckArgument(
            version == CurrentVersion, nameof(version), $"Version {version} of the shard partial format is not supported; this library reads version {CurrentVersion}.");
        Preconditions.CheckArgument(ranges.Count > 0, nameof(ranges), "A shard partial covers at least one hash range.");
        return ShardRange.Union(ranges.Select(r => r.Range), nameof(ranges));
    }

    /// <summary>
    /// The subtotal levels, refused unless they hold exactly one entry for each group of each level with records (the
    /// prefixes of the finest keys), when the partial is rolled up and counts people; otherwise there must be none.
    /// </summary>
    private static SortedDictionary<string, PersonCounts>[] ToSubtotals(
        IReadOnlyList<PartialTerm> groupBy, IReadOnlyList<Measure> measures, bool rollup, IReadOnlyList<ShardGroupDocument> groups, IReadOnlyList<SubtotalDocument> subtotals)
    {
        var k = groupBy.Count;
        var levels = Enumerable.Range(0, rollup ? k : 0).Select(_ => new SortedDictionary<string, PersonCounts>(StringComparer.Ordinal)).ToArray();
        var expected = rollup && measures.Any(QueryEngine.CountsPeople)
            ? Enumerable.Range(1, k).Select(l => groups.Select(g => AggregatePartial.KeyOf([.. g.Key.Take(k - l)])).ToHashSet(StringComparer.Ordinal)).ToArray()
            : null;
        var terms = groupBy.Select(t => t.Term).ToArray();
        for (var i = 0; i < subtotals.Count; i++)
        {
            var key = subtotals[i].Key;
            var level = k - key.Count;
            if (expected is null || level < 1 || level > k)
            {
                throw new NestedArgumentException(
                    expected is null
                        ? "Subtotals belong only to a rolled-up partial with a measure that counts people."
                        : $"A subtotal's key keeps 0 to {k - 1} of the grouping's {k} terms; this one has {key.Count} labels.",
                    nameof(subtotals), new(null, i), new("key", 0));
            }
            PartialGroups.CheckTermLabels(terms, key, nameof(subtotals), i);
            var text = AggregatePartial.KeyOf([.. key]);
            if (!expected[level - 1].Contains(text) || !levels[level - 1].TryAdd(text, subtotals[i].Counts))
            {
                throw new NestedArgumentException(
                    "This subtotal is repeated, or no group has records under it.", nameof(subtotals), new(null, i), new("key", 0));
            }
        }
        for (var l = 0; expected is not null && l < k; l++)
        {
            Preconditions.CheckArgument(
                levels[l].Count == expected[l].Count, nameof(subtotals), $"Level {l + 1} has groups with records and no subtotal: every level group needs its counts.");
        }
        return levels;
    }
}

/// <summary>The <c>format</c> member of a shard partial.</summary>
[JsonConverter(typeof(FormatNameConverter<ShardPartialFormat>))]
internal readonly record struct ShardPartialFormat : IFormatName
{
    public static string Name => "safetyprograms.shardPartial";

    public static string Title => "shard partial";
}

/// <summary>A hash range as JSON: <c>first-last</c>, 16 lowercase hexadecimal digits each (JSON numbers lose precision above 2^53).</summary>
/// <param name="Range">The range.</param>
[JsonConverter(typeof(ShardRangeConverter))]
internal readonly record struct ShardRangeText(ShardRange Range);

/// <summary>Reads and writes <see cref="ShardRangeText"/> exactly as <see cref="ShardRange.ToString"/> writes it.</summary>
internal sealed class ShardRangeConverter : StringValueConverter<ShardRangeText>
{
    protected override string Describe => "hash range (16 hexadecimal digits, '-', 16 hexadecimal digits)";

    protected override ShardRangeText Parse(string text)
    {
        if (text.Length == 33 && text[16] == '-'
            && ulong.TryParse(text.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var first)
            && ulong.TryParse(text.AsSpan(17), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var last)
            && text == new ShardRange(first, Math.Max(first, last)).ToString())
        {
            return last >= first
                ? new ShardRangeText(new ShardRange(first, last))
                : throw new JsonException("A hash range ends before it starts.");
        }
        throw new JsonException("A hash range is written as 16 lowercase hexadecimal digits, '-', and 16 more, such as 0000000000000000-7fffffffffffffff.");
    }

    protected override string Format(ShardRangeText value) => value.Range.ToString();
}

/// <summary>One finest group of a shard partial as JSON: the sums of a key-set partial's group, its people as counts.</summary>
/// <param name="Key">One label per grouping term.</param>
/// <param name="Participations">Records.</param>
/// <param name="Completions">Completed records.</param>
/// <param name="PreScoreSum">Sum of pre scores.</param>
/// <param name="PreScoreCount">Records with a pre score.</param>
/// <param name="PostScoreSum">Sum of post scores.</param>
/// <param name="PostScoreCount">Records with a post score.</param>
/// <param name="GainSum">Sum of gains.</param>
/// <param name="GainCount">Records with both scores.</param>
/// <param name="Unique">Distinct beneficiaries, when a measure needs them.</param>
/// <param name="Assessed">Distinct beneficiaries with both scores, when a measure needs them.</param>
/// <param name="Improved">Distinct beneficiaries who improved, when a measure needs them.</param>
/// <param name="Activities">Activity identifiers, when a measure needs them.</param>
/// <param name="Schools">School identifiers, when a measure needs them.</param>
/// <param name="Hll">The non-empty HyperLogLog registers, when a measure needs them.</param>
internal sealed record ShardGroupDocument(
    IReadOnlyList<string> Key,
    long Participations,
    long Completions,
    long PreScoreSum,
    long PreScoreCount,
    long PostScoreSum,
    long PostScoreCount,
    long GainSum,
    long GainCount,
    int? Unique = null,
    int? Assessed = null,
    int? Improved = null,
    IReadOnlyList<string>? Activities = null,
    IReadOnlyList<string>? Schools = null,
    IReadOnlyList<int>? Hll = null) : IPartialGroupDocument
{
    private readonly HllRegisters? _registers = PartialGroupDocument.Unpack(Hll);
    private readonly PersonCounts _people = SubtotalDocument.CountsOf(Unique, Assessed, Improved);

    internal static ShardGroupDocument Of(PartialGroup g, IReadOnlyList<Measure> measures)
    {
        var (unique, assessed, improved) = SubtotalDocument.Written(g.People, measures);
        return new(
            g.Keys, g.Participations, g.Completions, g.PreSum, g.PreN, g.PostSum, g.PostN, g.GainSum, g.GainN,
            unique, assessed, improved, g.Activities, g.Schools, PartialGroupDocument.Pack(g.Hll));
    }

    public PartialGroup ToGroup() =>
        PartialGroupDocument.Sums(Key, Participations, Completions, PreScoreSum, PreScoreCount, PostScoreSum, PostScoreCount, GainSum, GainCount) with
    {
        Activities = PartialGroupDocument.SortedSet(Activities),
        Schools = PartialGroupDocument.SortedSet(Schools),
        Hll = _registers,
        People = _people,
    };
}

/// <summary>The counts of people of one subtotal-level group: its key holds the labels of the terms the level keeps.</summary>
/// <param name="Key">The labels of the kept terms; none for the grand total.</param>
/// <param name="Unique">Distinct beneficiaries, when a measure needs them.</param>
/// <param name="Assessed">Distinct beneficiaries with both scores, when a measure needs them.</param>
/// <param name="Improved">Distinct beneficiaries who improved, when a measure needs them.</param>
internal sealed record SubtotalDocument(IReadOnlyList<string> Key, int? Unique = null, int? Assessed = null, int? Improved = null)
{
    internal PersonCounts Counts { get; } = CountsOf(Unique, Assessed, Improved);

    internal static SubtotalDocument Of(string[] key, PersonCounts counts, IReadOnlyList<Measure> measures)
    {
        var (unique, assessed, improved) = Written(counts, measures);
        return new(key, unique, assessed, improved);
    }

    /// <summary>The counts a measure needs, null (left out of the JSON) for the others.</summary>
    internal static (int? Unique, int? Assessed, int? Improved) Written(PersonCounts counts, IReadOnlyList<Measure> measures) =>
        (measures.Contains(Measure.UniqueBeneficiaries) ? counts.Unique : null,
         measures.Contains(Measure.ImprovedShare) ? counts.Assessed : null,
         measures.Contains(Measure.ImprovedShare) ? counts.Improved : null);

    /// <summary>The counts as read; a negative count, or more improved than assessed, is refused where it stands.</summary>
    internal static PersonCounts CountsOf(int? unique, int? assessed, int? improved)
    {
        Preconditions.CheckNonNegative(unique);
        Preconditions.CheckNonNegative(assessed);
        Preconditions.CheckNonNegative(improved);
        Preconditions.CheckArgument((improved ?? 0) <= (assessed ?? 0), nameof(improved), "More beneficiaries improved than were assessed.");
        return new PersonCounts(unique ?? 0, assessed ?? 0, improved ?? 0);
    }
}
