using SafetyPrograms.Aggregation;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>Publishes aggregation results under a <see cref="PublicationPolicy"/>: the bridge from the engine to safe tables.</summary>
/// <remarks>
/// Cell suppression reasons about tables whose margins are sums of their cells. Participations and completions always
/// are. Distinct counts (unique beneficiaries, activities, schools) are only when no beneficiary (activity, school)
/// falls in two cells of the table — for instance province by sex, where each child has one sex and one school. This
/// adapter recounts every margin and refuses a table where a recount differs from the sum (an <see cref="ArgumentException"/>
/// naming the grouping), rather than publish totals
/// that double count or protect cells on a wrong model.
/// </remarks>
public static class AggregationPublishing
{
    /// <summary>The name a cell has when its grouping key is missing, such as a record with no school.</summary>
    public const string MissingKey = "none";

    /// <summary>Aggregates one count measure by one to four grouping terms and applies the policy.</summary>
    /// <param name="policy">The publication policy.</param>
    /// <param name="store">The participation records.</param>
    /// <param name="groupBy">The grouping terms, one to four.</param>
    /// <param name="measure">A count: participations, completions, unique beneficiaries, activities or schools.</param>
    /// <param name="filter">Filters to apply to every query (the cells and each recounted margin), or <c>null</c>.</param>
    /// <returns>The published table: margins included, small cells and their complements suppressed.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The measure is not an exact count, there are not one to four terms, or (for a distinct count) the grouping puts some
    /// beneficiary in two cells, so a recounted margin is not the sum of its cells.
    /// </exception>
    public static PublishedTable Publish(
        this PublicationPolicy policy,
        ParticipationStore store,
        IReadOnlyList<GroupingTerm> groupBy,
        Measure measure,
        Func<AggregationQuery, AggregationQuery>? filter = null)
    {
        Preconditions.CheckNotNull(policy);
        Preconditions.CheckNotNull(store);
        Preconditions.CheckNotNull(groupBy);
        Preconditions.CheckArgument(groupBy.Count is >= 1 and <= 4, nameof(groupBy), "A published table has one to four grouping terms.");
        var additive = measure is Measure.Participations or Measure.Completions;
        Preconditions.CheckArgument(
            additive || measure is Measure.UniqueBeneficiaries or Measure.Activities or Measure.Schools,
            nameof(measure),
            $"'{measure.Name()}' cannot be published as a table of counts: use participations, completions, unique, activities or schools.");
        filter ??= static q => q;

        var cells = Run(store, filter, groupBy, measure);
        var dimensions = groupBy.Select((term, i) => new TableDimension(
            DimensionName(term),
            cells.Select(c => c.Keys[i]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(code => new TableCategory(code)))).ToList();
        var table = new PublicationTable(dimensions, cells.Select(c => new TableCell(c.Count, [.. c.Keys])));
        if (!additive)
        {
            CheckMarginsAreSums(store, filter, groupBy, measure, table, dimensions);
        }
        return policy.Apply(table);
    }

    private static List<(string[] Keys, long Count)> Run(
        ParticipationStore store, Func<AggregationQuery, AggregationQuery> filter, IReadOnlyList<GroupingTerm> terms, Measure measure)
    {
        var result = filter(store.Query()).GroupBy([.. terms]).Measure(measure).Run();
        return [.. result.Rows.Select(r => (Keys: r.Keys.Select(k => k is { Length: > 0 } key ? key : MissingKey).ToArray(), Count: r.Count(measure)))];
    }

    /// <summary>Every margin (each subset of the terms, down to the grand total) recounted and compared with the table's sum.</summary>
    private static void CheckMarginsAreSums(
        ParticipationStore store, Func<AggregationQuery, AggregationQuery> filter, IReadOnlyList<GroupingTerm> groupBy, Measure measure,
        PublicationTable table, IReadOnlyList<TableDimension> dimensions)
    {
        for (var mask = 0; mask < (1 << groupBy.Count) - 1; mask++)
        {
            var kept = Enumerable.Range(0, groupBy.Count).Where(i => (mask & (1 << i)) != 0).ToArray();
            var recounts = kept.Length == 0
                ? [(Keys: Array.Empty<string>(), Count: filter(store.Query()).Measure(measure).Run().Rows is { Count: > 0 } rows ? rows[0].Count(measure) : 0L)]
                : Run(store, filter, [.. kept.Select(i => groupBy[i])], measure);
            foreach (var (keys, count) in recounts)
            {
                var coordinates = dimensions.Select(d => d.Total).ToArray();
                for (var k = 0; k < kept.Length; k++)
                {
                    coordinates[kept[k]] = keys[k];
                }
                var sum = table[coordinates];
                if (sum != count)
                {
                    throw new ArgumentException(
                        $"The {measure.Name()} margin ({string.Join(", ", coordinates)}) recounts to {count}, but its cells add up to {sum}: "
                        + "some beneficiaries fall in more than one cell, so the table's totals are not sums and cannot be protected by cell "
                        + "suppression. Publish participations, or group by dimensions each beneficiary has one value of (province, sex).",
                        nameof(groupBy));
                }
            }
        }
    }

    private static string DimensionName(GroupingTerm term) => term.Name.Replace(':', '-');
}
