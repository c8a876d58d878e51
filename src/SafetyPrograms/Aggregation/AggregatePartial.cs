using System.Globalization;
using System.Text;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// A mergeable partial result: per group, the state behind every measure, so that chunks, partitions or partners
/// aggregated separately merge into exactly the single-pass answer.
/// </summary>
/// <remarks>
/// <para>Per group it keeps counts and sums (scores in ten-thousandths, so sums are exact integers), the sorted set of
/// beneficiary keys (for exact unique counts and the improved share: keys merge by value, so partners must share the
/// pseudonymisation secret), activity and school identifiers, and 2^14 HyperLogLog registers. Merge is associative
/// and commutative; groups are matched by their key labels.</para>
/// <para>JSON form (<see cref="ToJson"/>): <c>{"format":"safetyprograms.aggregatePartial","version":1,"groupBy":[…],
/// "measures":[…],"groups":[{"key":[…],"participations":n,"completions":n,"preScoreSum":n,"preScoreCount":n,
/// "postScoreSum":n,"postScoreCount":n,"gainSum":n,"gainCount":n,"beneficiaries":[…],"assessed":[…],"improved":[…],
/// "activities":[…],"schools":[…],"hll":[register×64+rank,…]}]}</c>; sums are in ten-thousandths of a score point, and
/// set members are sorted, so equal partials serialize to identical text. A school-terms grouping travels with its
/// calendar, as <c>{"name":"schoolTerms","terms":[{"name":"2024-25 T1","dates":{"start":"2024-09-02","end":"2024-12-20"}},…]}</c>
/// in place of the string in <c>groupBy</c>, so a partial read back groups, and merges, by exactly the terms it was
/// aggregated with; partials aggregated with different term calendars (other names or other dates) refuse to merge.</para>
/// Immutable and thread-safe.
/// </remarks>
public sealed class AggregatePartial
{
    private readonly SortedDictionary<string, PartialGroup> _groups;

    internal AggregatePartial(
        IReadOnlyList<GroupingTerm> groupBy, IReadOnlyList<Measure> measures, SortedDictionary<string, PartialGroup> groups, PersonStatement statement)
    {
        GroupBy = groupBy.ToArray();
        Measures = measures.ToArray();
        _groups = groups;
        Statement = statement;
    }

    internal PersonStatement Statement { get; }

    /// <summary>The band scheme of <see cref="Dimension.Age"/> when the query grouped or filtered by it; <c>null</c> otherwise.</summary>
    public Domain.AgeBandScheme? AgeScheme => Statement.AgeScheme;

    /// <summary>The cut-off of <see cref="Dimension.Disability"/> when the query grouped or filtered by it; <c>null</c> otherwise.</summary>
    public Domain.DisabilityCutoff? DisabilityCutoff => Statement.Cutoff;

    /// <summary>The grouping terms.</summary>
    public IReadOnlyList<GroupingTerm> GroupBy { get; }

    /// <summary>The measures.</summary>
    public IReadOnlyList<Measure> Measures { get; }

    /// <summary>The number of groups.</summary>
    public int GroupCount => _groups.Count;

    internal IEnumerable<PartialGroup> Groups => _groups.Values;

    /// <summary>Merges two partials of the same grouping and measures.</summary>
    /// <param name="other">The other partial.</param>
    /// <returns>A new partial; neither input changes.</returns>
    /// <exception cref="ArgumentException">
    /// The groupings or measures differ, including school-term groupings with different terms (names or dates), or the
    /// partials count ages by different band schemes or disability by different cut-offs.
    /// </exception>
    public AggregatePartial Merge(AggregatePartial other)
    {
        Preconditions.CheckNotNull(other);
        CheckMergeable(GroupBy, Measures, other.GroupBy, other.Measures, nameof(other));
        Statement.CheckSame(other.Statement, nameof(other));
        var groups = MergeGroups(_groups, other._groups.Values);
        return new AggregatePartial(GroupBy, Measures, groups, Statement);
    }

    /// <summary>Merges any number of partials.</summary>
    /// <param name="partials">At least one partial.</param>
    /// <returns>The merged partial.</returns>
    /// <exception cref="ArgumentException">There are none, or groupings or measures differ.</exception>
    public static AggregatePartial Merge(IEnumerable<AggregatePartial> partials) => MergeAll(partials, (a, b) => a.Merge(b));

    /// <summary>Merges any number of partials of either kind, refusing none at all.</summary>
    internal static T MergeAll<T>(IEnumerable<T> partials, Func<T, T, T> merge)
        where T : class
    {
        Preconditions.CheckNotNull(partials);
        T? result = null;
        foreach (var p in partials)
        {
            result = result is null ? p : merge(result, p);
        }
        return result ?? throw new ArgumentException("There is nothing to merge.", nameof(partials));
    }

    /// <summary>The result rows, computed from the merged state; with <paramref name="rollup"/>, subtotals and a grand total recounted from the sets.</summary>
    /// <param name="rollup">Whether to add subtotal levels and the grand total.</param>
    /// <returns>The result, equal to what a single query over all the records returns.</returns>
    public AggregationResult ToResult(bool rollup = false) => QueryEngine.Finish(this, rollup);

    /// <summary>Refuses to merge partials of different groupings or measures, including school-term groupings with different terms.</summary>
    internal static void CheckMergeable(
        IReadOnlyList<GroupingTerm> groupBy, IReadOnlyList<Measure> measures, IReadOnlyList<GroupingTerm> otherGroupBy, IReadOnlyList<Measure> otherMeasures, string paramName)
    {
        if (!groupBy.Select(t => t.Name).SequenceEqual(otherGroupBy.Select(t => t.Name)) || !measures.SequenceEqual(otherMeasures))
        {
            throw new ArgumentException("Partials merge only with the same grouping terms and measures, in the same order.", paramName);
        }
        for (var t = 0; t < groupBy.Count; t++)
        {
            // Same name, different calendar: a label such as "T1" would mean different days in each, so sums would mix them.
            if (groupBy[t] != otherGroupBy[t])
            {
                throw new ArgumentException(
                    $"The partials group by different school-term calendars (groupBy[{t}]): this one by {Describe(groupBy[t].Time!)}; "
                    + $"the other by {Describe(otherGroupBy[t].Time!)}. Aggregate every partial with the same terms, names and dates, before merging.",
                    paramName);
            }
        }
    }

    /// <summary>The groups of two partials merged by key (the inputs do not change).</summary>
    internal static SortedDictionary<string, PartialGroup> MergeGroups(SortedDictionary<string, PartialGroup> mine, IEnumerable<PartialGroup> others)
    {
        var groups = new SortedDictionary<string, PartialGroup>(mine, StringComparer.Ordinal);
        foreach (var group in others)
        {
            var key = KeyOf(group.Keys);
            groups[key] = groups.TryGetValue(key, out var existing) ? PartialGroup.Merge(existing, group) : group;
        }
        return groups;
    }

    private static string Describe(TimeBucket terms) => string.Join(
        ", ", terms.Terms.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} ({t.Dates.Start:uuuu-MM-dd} to {t.Dates.End:uuuu-MM-dd})")));

    internal static string KeyOf(ReadOnlySpan<string> labels) => string.Join('\u001f', labels!);

    /// <summary>The JSON form; equal partials give identical text.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => SafetyProgramsJsonContext.ToJson(PartialDocument.Of(this), SafetyProgramsJsonContext.WriterOptions(indented: false));

    /// <summary>
    /// Reads the JSON form, strictly: an unknown, repeated or missing member, a value of the wrong kind, or a group
    /// whose key does not fit the grouping is refused.
    /// </summary>
    /// <param name="json">Text written by <see cref="ToJson"/>.</param>
    /// <returns>The partial.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="DataFormatException">The text is not a partial result, naming the JSON path and line at fault.</exception>
    public static AggregatePartial FromJson(string json) =>
        SafetyProgramsJsonContext.Read<PartialDocument>(Encoding.UTF8.GetBytes(Preconditions.CheckNotNull(json))).ToPartial();
}
