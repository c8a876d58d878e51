using System.Text;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// A mergeable partial result of one shard, or of several merged: per group, counts and sums, never beneficiary keys.
/// Shards own disjoint ranges of the beneficiary-key hash (<see cref="ShardRange"/>), so a person lives in exactly one
/// shard, and for every group and every rollup level the exact unique count of the whole is the sum of the shards'.
/// </summary>
/// <remarks>
/// <para>Made by <see cref="AggregationQuery.RunShardPartial"/> on a store holding only its range's beneficiaries, from the
/// engine's own pass; finished by the engine's measure code, so the merge of every shard's partial gives exactly the
/// rows of one query over all the records. Per finest group it keeps the sums (scores in ten-thousandths), the counts
/// of distinct beneficiaries, of those assessed before and after and of those who improved, the identifiers of the
/// activities and schools (dataset identifiers, not personal data: an activity or a school has records in many
/// shards, so they merge by union) and 2^14 HyperLogLog registers (merged by register maximum; held as the non-empty
/// registers while they are fewer than a quarter, so a small group costs bytes, not 16 KB). With the query's
/// rollup, it also keeps the counts of people of every subtotal level, which the shard counted itself: one child at two
/// schools is one child in the district, and only the shard that holds the child can say so.</para>
/// <para>Which partial to use: shard partials when the records can be routed by beneficiary key (one store, process or
/// machine per hash range): small (counts, not keys) and safe to hand to any aggregator, though published figures still
/// go through the publication policy. <see cref="AggregatePartial"/> (key sets) when the records cannot be routed, such
/// as partners who each hold their own children, some of whom attend both: it carries pseudonymous keys, so only a
/// trusted data steward holding the pseudonymisation secret should receive it.</para>
/// <para>Merging refuses overlapping ranges; <see cref="ToResult"/> refuses a partial that does not cover every hash,
/// so a figure from some of the shards is never presented as the whole.</para>
/// <para>JSON form (<see cref="ToJson"/>): <c>{"format":"safetyprograms.shardPartial","version":1,"ranges":["0000000000000000-7fffffffffffffff"],
/// "groupBy":[…],"measures":[…],"rollup":true,"groups":[{"key":[…],"participations":n,"completions":n,"preScoreSum":n,
/// "preScoreCount":n,"postScoreSum":n,"postScoreCount":n,"gainSum":n,"gainCount":n,"unique":n,"assessed":n,
/// "improved":n,"activities":[…],"schools":[…],"hll":[register×64+rank,…]}],"subtotals":[{"key":[…],"unique":n,
/// "assessed":n,"improved":n}]}</c>; a subtotal's key holds the labels of the terms its level keeps (none for the
/// grand total). Equal partials serialize to identical text. Immutable and thread-safe.</para>
/// </remarks>
public sealed class ShardPartial
{
    // Groups and level counts are held in key order (ordinal), so that merging is one pass over every partial's groups.
    private readonly KeyedEntries<PartialGroup> _groups;
    private readonly KeyedEntries<PersonCounts>[] _subtotals;

    internal ShardPartial(
        IEnumerable<ShardRange> ranges,
        IReadOnlyList<GroupingTerm> groupBy,
        IReadOnlyList<Measure> measures,
        bool rollup,
        IEnumerable<KeyValuePair<string, PartialGroup>> groups,
        IEnumerable<KeyValuePair<string, PersonCounts>>[] subtotals,
        PersonStatement statement)
    {
        Statement = statement;
        Ranges = ShardRange.Union(ranges, nameof(ranges));
        GroupBy = groupBy.ToArray();
        Measures = measures.ToArray();
        IsRollup = rollup;
        _groups = KeyedEntries<PartialGroup>.Of(groups);
        _subtotals = [.. subtotals.Select(KeyedEntries<PersonCounts>.Of)];
    }

    internal PersonStatement Statement { get; }

    /// <summary>The band scheme of <see cref="Dimension.Age"/> when the query grouped or filtered by it; <c>null</c> otherwise.</summary>
    public Domain.AgeBandScheme? AgeScheme => Statement.AgeScheme;

    /// <summary>The cut-off of <see cref="Dimension.Disability"/> when the query grouped or filtered by it; <c>null</c> otherwise.</summary>
    public Domain.DisabilityCutoff? DisabilityCutoff => Statement.Cutoff;

    /// <summary>The hash ranges this partial covers, sorted, touching ranges joined.</summary>
    public IReadOnlyList<ShardRange> Ranges { get; }

    /// <summary>Whether the ranges cover every hash, so that <see cref="ToResult"/> gives the whole.</summary>
    public bool IsComplete => ShardRange.Missing(Ranges).Count == 0;

    /// <summary>The grouping terms.</summary>
    public IReadOnlyList<GroupingTerm> GroupBy { get; }

    /// <summary>The measures.</summary>
    public IReadOnlyList<Measure> Measures { get; }

    /// <summary>Whether the partial carries subtotal levels and a grand total (the query's <see cref="AggregationQuery.Rollup"/>).</summary>
    public bool IsRollup { get; }

    /// <summary>The number of finest groups.</summary>
    public int GroupCount => _groups.Count;

    internal IEnumerable<PartialGroup> Groups => _groups.Values;

    /// <summary>The finest groups by key, in key order (ordinal): never to be changed.</summary>
    internal KeyedEntries<PartialGroup> GroupsByKey => _groups;

    /// <summary>Per rollup level, its counts of people by key, in key order (ordinal): never to be changed.</summary>
    internal IReadOnlyList<KeyedEntries<PersonCounts>> LevelsByKey => _subtotals;

    /// <summary>Per rollup level from 1 (one term rolled up) to the grand total, the level's counts of people by the labels of the terms it keeps.</summary>
    internal IReadOnlyList<IReadOnlyDictionary<string, PersonCounts>> Subtotals => _subtotals;

    /// <summary>Merges the partial of other shards into this one's.</summary>
    /// <param name="other">The other partial, of other hash ranges.</param>
    /// <returns>A new partial; neither input changes.</returns>
    /// <exception cref="ArgumentException">
    /// The ranges overlap (a beneficiary would count twice), or the groupings, measures, rollup, age band scheme or
    /// disability cut-off differ.
    /// </exception>
    public ShardPartial Merge(ShardPartial other) => MergeChecked([this, Preconditions.CheckNotNull(other)]);

    /// <summary>Merges any number of shard partials, in one pass over their groups (held in key order).</summary>
    /// <param name="partials">At least one partial.</param>
    /// <returns>The merged partial.</returns>
    /// <exception cref="ArgumentException">There are none, ranges overlap, or groupings, measures or rollup differ.</exception>
    public static ShardPartial Merge(IEnumerable<ShardPartial> partials)
    {
        Preconditions.CheckNotNull(partials);
        var all = partials.ToArray();
        Preconditions.CheckArgument(all.Length > 0, nameof(partials), "There is nothing to merge.");
        return all.Length == 1 ? Preconditions.CheckNotNull(all[0], nameof(partials)) : MergeChecked(all);
    }

    /// <summary>
    /// The partials' groups and level counts merged key by key; refuses partials of other queries or overlapping ranges
    /// (naming the parameter <c>other</c>, as merging two does).
    /// </summary>
    private static ShardPartial MergeChecked(ShardPartial[] all)
    {
        const string Other = "other";
        var first = all[0];
        foreach (var other in all.AsSpan(1))
        {
            Preconditions.CheckNotNull(other, Other);
            AggregatePartial.CheckMergeable(first.GroupBy, first.Measures, other.GroupBy, other.Measures, Other);
            first.Statement.CheckSame(other.Statement, Other);
            Preconditions.CheckArgument(first.IsRollup == other.IsRollup, Other, "Shard partials merge only when both have the rollup levels, or neither.");
        }
        var ranges = ShardRange.Union(all.SelectMany(p => p.Ranges), Other);
        var groups = MergeInOrder([.. all.Select(p => p._groups)], PartialGroup.Merge);
        var subtotals = new KeyedEntries<PersonCounts>[first._subtotals.Length];
        for (var l = 0; l < subtotals.Length; l++)
        {
            subtotals[l] = MergeInOrder([.. all.Select(p => p._subtotals[l])], PersonCounts.Sum);
        }
        return new ShardPartial(ranges, first.GroupBy, first.Measures, first.IsRollup, groups, subtotals, first.Statement);
    }

    /// <summary>
    /// Lists in key order merged in one pass: at each step the smallest head key, with the values every list holds under
    /// it combined. Linear in the keys (times the number of lists), where merging into a dictionary is not.
    /// </summary>
    private static KeyedEntries<T> MergeInOrder<T>(KeyedEntries<T>[] lists, Func<IReadOnlyList<T>, T> combine)
    {
        var keys = lists.Select(l => l.Keys).ToArray();
        var values = lists.Select(l => l.Values).ToArray();
        var at = new int[lists.Length];
        var merged = new KeyedEntries<T>(lists.Max(l => l.Count));
        var same = new List<T>(lists.Length);
        while (true)
        {
            string? smallest = null;
            for (var i = 0; i < lists.Length; i++)
            {
                if (at[i] < keys[i].Count && (smallest is null || string.CompareOrdinal(keys[i][at[i]], smallest) < 0))
                {
                    smallest = keys[i][at[i]];
                }
            }
            if (smallest is null)
            {
                return merged;
            }
            same.Clear();
            for (var i = 0; i < lists.Length; i++)
            {
                if (at[i] < keys[i].Count && string.Equals(keys[i][at[i]], smallest, StringComparison.Ordinal))
                {
                    same.Add(values[i][at[i]++]);
                }
            }
            merged.Append(smallest, same.Count == 1 ? same[0] : combine(same));
        }
    }

    /// <summary>This partial's ranges, query and statement with other groups and level counts (as a wire form rebuilds one).</summary>
    internal ShardPartial With(IEnumerable<KeyValuePair<string, PartialGroup>> groups, IEnumerable<KeyValuePair<string, PersonCounts>>[] subtotals) =>
        new(Ranges, GroupBy, Measures, IsRollup, groups, subtotals, Statement);

    /// <summary>The result rows, with the query's subtotals and grand total when it was rolled up.</summary>
    /// <returns>The result, equal to what a single query over all the shards' records returns.</returns>
    /// <exception cref="InvalidOperationException">Some hashes are not covered: a shard's partial is missing.</exception>
    public AggregationResult ToResult()
    {
        var missing = ShardRange.Missing(Ranges);
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The shard partials do not cover every beneficiary: the hash range(s) {string.Join(", ", missing)} are missing. "
                + "Merge the partial of every shard before finishing; figures from some shards are not the whole.");
        }
        return QueryEngine.Finish(this);
    }

    /// <summary>The JSON form; equal partials give identical text.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => SafetyProgramsJsonContext.ToJson(ShardPartialDocument.Of(this), SafetyProgramsJsonContext.WriterOptions(indented: false));

    /// <summary>
    /// Reads the JSON form, strictly: an unknown, repeated or missing member, a value of the wrong kind, a group whose key
    /// does not fit the grouping, or subtotals that do not match the groups are refused.
    /// </summary>
    /// <param name="json">Text written by <see cref="ToJson"/>.</param>
    /// <returns>The partial.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="DataFormatException">The text is not a shard partial, naming the JSON path and line at fault.</exception>
    public static ShardPartial FromJson(string json) =>
        SafetyProgramsJsonContext.Read<ShardPartialDocument>(Encoding.UTF8.GetBytes(Preconditions.CheckNotNull(json))).ToPartial();
}
