using SafetyPrograms.Aggregation;
using SafetyPrograms.Progress;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>
/// Every table a programme publishes from one store under one policy, protected together: no suppressed figure of any
/// table can be worked out from everything the session publishes, including by subtracting one table from another.
/// </summary>
/// <remarks>
/// <para>Two tables that are each safe on their own can be subtracted: province by sex for everyone, minus the same table
/// for students, gives the teachers by province and sex that a teachers' table hides; the reach to one date minus the
/// reach to an earlier date gives the children who joined in between. <see cref="Publish"/> audits the tables together.
/// Each distinct beneficiary (activity, school) falls in at most one cell of each count table; beneficiaries are grouped
/// by the cells they fall in across all the tables, and every published figure of every table is the sum of those
/// groups. The range of each suppressed figure over every non-negative solution of those sums, given every published
/// figure of every table, is computed by linear programming, and while one is narrower than the policy's minimum, a
/// published figure is suppressed too (marked <see cref="SuppressionReason.Linked"/> in the owner's audit) and its
/// table's own suppression is redone: the same figure where another table publishes it, otherwise the smallest
/// published figure that holds its range up (a binding equation of the linear program).</para>
/// <para>What it covers: tables of the same unit (distinct beneficiaries, activities or schools) from this store, with
/// any grouping, filter and date window, and their margins at every level. What it does not: tables of participations
/// or completions are protected one table at a time (a record belongs to no beneficiary-level group); tables published
/// from another store, another log, another session or at another time are not known to it; published rates are not
/// part of the equations (they are published only for groups of at least the minimum size); and a reader with outside
/// knowledge (one child's own record) is not modelled.</para>
/// <para>Not thread-safe; the tables it returns are immutable.</para>
/// </remarks>
public sealed class PublicationSession
{
    private readonly List<Request> _requests = [];
    private readonly RanQueries _ran = [];

    /// <summary>Creates a session.</summary>
    /// <param name="policy">The policy every table is published under.</param>
    /// <param name="store">The store every table is counted from.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public PublicationSession(PublicationPolicy policy, ParticipationStore store)
    {
        Policy = Preconditions.CheckNotNull(policy);
        Store = Preconditions.CheckNotNull(store);
    }

    /// <summary>The policy every table is published under.</summary>
    public PublicationPolicy Policy { get; }

    /// <summary>The store every table is counted from.</summary>
    public ParticipationStore Store { get; }

    /// <summary>Adds a table: one count measure by one to four grouping terms, optionally with rates of each group.</summary>
    /// <param name="groupBy">The grouping terms, one to four.</param>
    /// <param name="measure">A count: participations, completions, unique beneficiaries, activities or schools.</param>
    /// <param name="filter">Filters and date window of this table (and of each recounted margin), or <c>null</c>.</param>
    /// <param name="rates">
    /// Rates and means to publish beside each figure (completion rate, mean scores and gain, improved share), or
    /// <c>null</c>. A rate is published only where its figure is, and its group has at least the minimum number of
    /// distinct beneficiaries (for a score, of assessed beneficiaries); it is rounded after that test.
    /// </param>
    /// <returns>The index of the table in what <see cref="Publish"/> returns.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="groupBy"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The measure is not an exact count, a rate is not a rate or mean, there are not one to four terms, or (for a
    /// distinct count) the grouping puts some beneficiary in two cells, so a recounted margin is not the sum of its cells.
    /// </exception>
    public int Add(
        IReadOnlyList<GroupingTerm> groupBy, Measure measure, Func<AggregationQuery, AggregationQuery>? filter = null,
        IReadOnlyList<Measure>? rates = null)
    {
        filter ??= static q => q;
        rates ??= [];
        foreach (var rate in rates)
        {
            Preconditions.CheckArgument(
                AggregationPublishing.IsRate(rate), nameof(rates), $"'{rate.Name()}' is not a rate or mean that can be published beside a count.");
        }
        var table = AggregationPublishing.Build(Store, groupBy, measure, filter, _ran);
        var rateValues = rates.Count == 0 ? null : AggregationPublishing.Rates(Store, groupBy, filter, rates, table, Policy.MinimumCellSize);
        _requests.Add(new Request([.. groupBy], measure, filter, [.. rates], table, rateValues));
        return _requests.Count - 1;
    }

    /// <summary>Protects every table added so far together and returns them, in the order they were added.</summary>
    /// <returns>The published tables.</returns>
    /// <remarks>
    /// Each linear program is over every group of beneficiaries that falls in the same cells of every table, each free
    /// to vary, and every published figure of every table. When no table hides a non-zero figure
    /// there is nothing to work out, and the groups are not read from the store at all. The cost grows with the number of
    /// suppressed figures and of groups; a session whose linear programs would outgrow a fixed budget of
    /// memory (a tableau of 64M cells) and work (about a minute) is refused rather than left to run for hours.
    /// </remarks>
    /// <exception cref="AggregationRefusedException">
    /// The tables are too large to audit together (<see cref="AggregationRefusal.PublicationTooLarge"/>): publish fewer
    /// tables in one session or group them more coarsely.
    /// </exception>
    public IReadOnlyList<PublishedTable> Publish()
    {
        var linked = _requests.Select(r => new bool[r.Table.Shape.Size]).ToArray();
        var budget = new SimplexBudget(AuditCellUpdates, AuditTableauCells);
        foreach (var unit in _requests.Select(r => r.Measure).Distinct())
        {
            var members = Enumerable.Range(0, _requests.Count).Where(i => _requests[i].Measure == unit).ToArray();
            if (members.Length > 1 && unit is not (Measure.Participations or Measure.Completions))
            {
                try
                {
                    new LinkedAudit(Store, Policy, [.. members.Select(i => (_requests[i].GroupBy, _requests[i].Filter, _requests[i].Table))], unit, budget)
                        .Protect([.. members.Select(i => linked[i])]);
                }
                catch (SimplexBudgetExceededException)
                {
                    throw new AggregationRefusedException(AggregationRefusal.PublicationTooLarge, TooLarge);
                }
            }
        }
        return [.. _requests.Select((r, i) => Policy.Apply(r.Table, linked[i], r.Rates, r.RateValues))];
    }

    /// <summary>The cell updates the simplex method may make in one <see cref="Publish"/>: about a minute of work.</summary>
    internal long AuditCellUpdates { get; init; } = 20_000_000_000;

    /// <summary>The cells one linear program's tableau may hold: 512 MB of doubles.</summary>
    internal long AuditTableauCells { get; init; } = 64L << 20;

    private const string TooLarge =
        "These tables cannot be audited together within the publication's budget: too many of their figures are "
        + "suppressed over too many overlapping groups of beneficiaries. Publish fewer tables in one session, group "
        + "more coarsely (province rather than school, year rather than month), or raise no figure below the minimum by "
        + "filtering each table to a wider population.";

    private sealed record Request(
        GroupingTerm[] GroupBy, Measure Measure, Func<AggregationQuery, AggregationQuery> Filter, Measure[] Rates,
        PublicationTable Table, IReadOnlyDictionary<Measure, decimal>?[]? RateValues);
}
