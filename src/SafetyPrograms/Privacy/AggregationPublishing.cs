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
        var session = new PublicationSession(policy, store);
        session.Add(groupBy, measure, filter);
        return session.Publish()[0];
    }

    /// <summary>The measures that can be published as counts, and whether each is a plain sum over records.</summary>
    internal static bool IsCount(Measure measure, out bool additive)
    {
        additive = measure is Measure.Participations or Measure.Completions;
        return additive || measure is Measure.UniqueBeneficiaries or Measure.Activities or Measure.Schools;
    }

    /// <summary>Builds the suppression engine's table from the store: cells, hierarchy levels, and the recount check.</summary>
    /// <param name="store">The records.</param>
    /// <param name="groupBy">The grouping terms.</param>
    /// <param name="measure">The count.</param>
    /// <param name="filter">The table's filters.</param>
    /// <param name="ran">
    /// Counts already run by the same publication session, by filter, grouping and measure, or <c>null</c>: tables of one
    /// scope share their grand total and coarser margins, which are then counted once.
    /// </param>
    internal static PublicationTable Build(
        ParticipationStore store, IReadOnlyList<GroupingTerm> groupBy, Measure measure, Func<AggregationQuery, AggregationQuery> filter,
        RanQueries? ran = null)
    {
        Preconditions.CheckNotNull(store);
        Preconditions.CheckNotNull(groupBy);
        Preconditions.CheckArgument(groupBy.Count is >= 1 and <= 4, nameof(groupBy), "A published table has one to four grouping terms.");
        Preconditions.CheckArgument(
            IsCount(measure, out var additive),
            nameof(measure),
            $"'{measure.Name()}' cannot be published as a table of counts: use participations, completions, unique, activities or schools.");

        var cells = Run(store, filter, groupBy, measure, ran);
        var levels = groupBy.Select(Levels).ToList();
        var dimensions = new List<TableDimension>(groupBy.Count);
        for (var i = 0; i < groupBy.Count; i++)
        {
            var categories = levels[i].Count == 1
                ? cells.Select(c => c.Keys[i]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(code => new TableCategory(code)).ToList()
                : Hierarchy(store, filter, levels[i], measure, ran, out var problem) ?? throw new ArgumentException(problem, nameof(groupBy));
            // A scope with no records is an empty table, published with its reason, not an error.
            dimensions.Add(new TableDimension(DimensionName(groupBy[i]), categories, allowEmpty: cells.Count == 0));
        }
        var table = new PublicationTable(dimensions, cells.Select(c => new TableCell(c.Count, [.. c.Keys])));
        if (!additive && MarginThatIsNotASum(store, filter, levels, measure, table, dimensions, ran) is { } notASum)
        {
            throw new ArgumentException(notASum, nameof(groupBy));
        }
        return table;
    }

    /// <summary>The rates and means a table may publish beside its counts.</summary>
    internal static bool IsRate(Measure measure) =>
        measure is Measure.CompletionRate or Measure.MeanPreScore or Measure.MeanPostScore or Measure.MeanGain or Measure.ImprovedShare;

    /// <summary>
    /// Per figure, the rates of its group cleared for publication: computed from the true records, kept only when the
    /// group has at least the policy's minimum of distinct beneficiaries (and, for scores, of assessed beneficiaries),
    /// then rounded. Whether the figure itself is published is decided later, by suppression; a suppressed figure drops
    /// its rates.
    /// </summary>
    internal static IReadOnlyDictionary<Measure, decimal>?[] Rates(
        ParticipationStore store, IReadOnlyList<GroupingTerm> groupBy, Func<AggregationQuery, AggregationQuery> filter,
        IReadOnlyList<Measure> rates, PublicationTable table, int minimum)
    {
        var values = new IReadOnlyDictionary<Measure, decimal>?[table.Shape.Size];
        var levels = groupBy.Select(Levels).ToList();
        var choice = new int[levels.Count];
        do
        {
            var grouped = Enumerable.Range(0, levels.Count).Where(i => choice[i] < levels[i].Count).ToArray();
            var partial = filter(store.Query()).GroupBy([.. grouped.Select(i => levels[i][choice[i]])])
                .Measure([.. rates, Measure.UniqueBeneficiaries, Measure.ImprovedShare]).RunPartial();
            var results = partial.ToResult().Rows.Where(r => !r.IsSubtotal).ToDictionary(r => AggregatePartial.KeyOf([.. r.Keys.Select(k => k ?? string.Empty)]), r => r);
            foreach (var group in partial.Groups)
            {
                if ((group.Beneficiaries?.Length ?? 0) < minimum || !results.TryGetValue(AggregatePartial.KeyOf(group.Keys), out var row))
                {
                    continue;
                }
                var coordinates = table.Dimensions.Select(d => d.Total).ToArray();
                for (var k = 0; k < grouped.Length; k++)
                {
                    coordinates[grouped[k]] = group.Keys[k] is { Length: > 0 } key ? key : MissingKey;
                }
                var cleared = new Dictionary<Measure, decimal>();
                foreach (var rate in rates)
                {
                    var scored = rate is not Measure.CompletionRate;
                    if (row[rate] is { } v && (!scored || (group.Assessed?.Length ?? 0) >= minimum))
                    {
                        // Rounded only now, after the group passed the size test on its true counts.
                        cleared[rate] = Math.Round((decimal)v, scored && rate is not Measure.ImprovedShare ? 1 : 3, MidpointRounding.AwayFromZero);
                    }
                }
                values[table.Shape.IndexOf(coordinates)] = cleared;
            }
        }
        while (Next(choice, levels));
        return values;
    }

    /// <summary>
    /// The levels a term is published at, finest first: a school also at its district, province and country, so that the
    /// suppression protects every geographic subtotal a reader sees, not only the finest cells.
    /// </summary>
    internal static IReadOnlyList<GroupingTerm> Levels(GroupingTerm term) => term.IsTime
        ? [term]
        : term.Dimension switch
        {
            Dimension.School => [term, Dimension.District, Dimension.Province, Dimension.Country],
            Dimension.District => [term, Dimension.Province, Dimension.Country],
            Dimension.Province => [term, Dimension.Country],
            _ => [term],
        };

    /// <summary>The categories of a geographic term with their parents, read from the records (a school determines the rest).</summary>
    private static List<TableCategory>? Hierarchy(
        ParticipationStore store, Func<AggregationQuery, AggregationQuery> filter, IReadOnlyList<GroupingTerm> levels, Measure measure,
        RanQueries? ran, out string? problem)
    {
        problem = null;
        var parents = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (keys, _) in Run(store, filter, levels, measure, ran))
        {
            for (var level = keys.Length - 1; level >= 0; level--)
            {
                // Records with no school have no place at any level: their "none" is one category with no parent.
                var parent = level == keys.Length - 1 || keys[level + 1] == keys[level] ? null : keys[level + 1];
                if (parents.TryGetValue(keys[level], out var known) && known != parent)
                {
                    problem = $"'{keys[level]}' appears under both '{known}' and '{parent}', so the {levels[level].Name} level cannot be published as a hierarchy.";
                    return null;
                }
                parents[keys[level]] = parent;
            }
        }
        return [.. parents.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new TableCategory(p.Key, p.Value))];
    }

    internal static List<(string[] Keys, long Count)> Run(
        ParticipationStore store, Func<AggregationQuery, AggregationQuery> filter, IReadOnlyList<GroupingTerm> terms, Measure measure,
        RanQueries? ran = null)
    {
        if (ran is null)
        {
            return Count(store, filter, terms, measure);
        }
        var key = (filter, new GroupingKey([.. terms]), measure);
        if (!ran.TryGetValue(key, out var counts))
        {
            ran[key] = counts = Count(store, filter, terms, measure);
        }
        return counts;
    }

    private static List<(string[] Keys, long Count)> Count(
        ParticipationStore store, Func<AggregationQuery, AggregationQuery> filter, IReadOnlyList<GroupingTerm> terms, Measure measure)
    {
        if (terms.Count == 0)
        {
            var rows = filter(store.Query()).Measure(measure).Run().Rows;
            return [(Keys: [], Count: rows.Count > 0 ? rows[0].Count(measure) : 0L)];
        }
        var result = filter(store.Query()).GroupBy([.. terms]).Measure(measure).Run();
        return [.. result.Rows.Select(r => (Keys: r.Keys.Select(k => k is { Length: > 0 } key ? key : MissingKey).ToArray(), Count: r.Count(measure)))];
    }

    /// <summary>
    /// Every margin recounted and compared with the table's sum: each term at each of its levels or its total, in every
    /// combination but the finest cells themselves. Returns what is wrong with the first margin that is not a sum, or null.
    /// </summary>
    private static string? MarginThatIsNotASum(
        ParticipationStore store, Func<AggregationQuery, AggregationQuery> filter, List<IReadOnlyList<GroupingTerm>> levels,
        Measure measure, PublicationTable table, List<TableDimension> dimensions, RanQueries? ran)
    {
        // choice[i] is the level of term i, or levels[i].Count for its total.
        var choice = new int[levels.Count];
        while (Next(choice, levels))
        {
            var grouped = Enumerable.Range(0, levels.Count).Where(i => choice[i] < levels[i].Count).ToArray();
            foreach (var (keys, count) in Run(store, filter, [.. grouped.Select(i => levels[i][choice[i]])], measure, ran))
            {
                var coordinates = dimensions.Select(d => d.Total).ToArray();
                for (var k = 0; k < grouped.Length; k++)
                {
                    coordinates[grouped[k]] = keys[k];
                }
                var sum = table[coordinates];
                if (sum != count)
                {
                    return $"The {measure.Name()} margin ({string.Join(", ", coordinates)}) recounts to {count}, but its cells add up to {sum}: "
                        + "some beneficiaries fall in more than one cell, so the table's totals are not sums and cannot be protected by cell "
                        + "suppression. Publish participations, or group by dimensions each beneficiary has one value of (province, sex).";
                }
            }
        }
        return null;
    }

    /// <summary>Advances <paramref name="choice"/> like an odometer; false once every combination has been visited.</summary>
    private static bool Next(int[] choice, List<IReadOnlyList<GroupingTerm>> levels)
    {
        for (var i = 0; i < choice.Length; i++)
        {
            if (++choice[i] <= levels[i].Count)
            {
                return true;
            }
            choice[i] = 0;
        }
        return false;
    }

    private static string DimensionName(GroupingTerm term) => term.Name.Replace(':', '-');
}

/// <summary>
/// Counts a publication session has run, by filter (the same delegate), grouping and measure; read-only once stored.
/// Not thread-safe.
/// </summary>
internal sealed class RanQueries : Dictionary<(Func<AggregationQuery, AggregationQuery> Filter, GroupingKey Terms, Measure Measure), List<(string[] Keys, long Count)>>;

/// <summary>Grouping terms compared by value, in order (two school-terms buckets are equal only with equal terms).</summary>
internal readonly record struct GroupingKey(GroupingTerm[] Terms)
{
    public bool Equals(GroupingKey other) => Terms.AsSpan().SequenceEqual(other.Terms);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var term in Terms)
        {
            hash.Add(term);
        }
        return hash.ToHashCode();
    }
}
