using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>
/// Which figures of a dataset the participation records recount, and over which records: the one decision the progress
/// series (<see cref="RecountedReach"/>), the reported-against-recounted checks (<see cref="ReportedRecount"/>), the
/// report and the exports all follow, so that no two of them can count the same target over different windows.
/// </summary>
/// <remarks>
/// <para>A target is recounted when its indicator counts unique people and some target of that indicator lies in a
/// partnership that has records: the log then measures the indicator (<see cref="Indicators"/>). Other indicators (births
/// registered, figures only a partner holds) keep their reported figures.</para>
/// <para>A target's actual counts the records of its partnership or phase (and role) from the target's start to its end
/// or the as-of date, whichever comes first. A yearly-cumulative indicator restarts at each year's start, so a target
/// running over several years counts from the start of the year its last counted day falls in
/// (<see cref="TargetWindow"/>).</para>
/// <para>A reported figure is recounted when its indicator is a count of unique people or of attendances (not a last
/// value) and its own partnership or phase has records; a cumulative figure is a total to date, counted from the scope's
/// start, and a yearly-cumulative one from its year's start (<see cref="ReportedWindow"/>).</para>
/// <para>Immutable and thread-safe once made; it reads the store once, when made.</para>
/// </remarks>
public sealed class RecountPlan
{
    private readonly Dictionary<Id<Indicator>, Indicator> _indicators;
    private readonly HashSet<ProgressScope> _scopesWithRecords;

    private RecountPlan(ProgrammeDataset dataset, Dictionary<Id<Indicator>, Indicator> indicators, HashSet<ProgressScope> scopesWithRecords)
    {
        Dataset = dataset;
        _indicators = indicators;
        _scopesWithRecords = scopesWithRecords;
        Indicators = dataset.Partnerships
            .Where(p => HasRecords(new ProgressScope(p.Id)))
            .SelectMany(p => p.Targets.Concat(p.Phases.SelectMany(ph => ph.Targets)))
            .Select(t => t.Indicator)
            .Where(id => indicators.TryGetValue(id, out var indicator) && CountsUniquePeople(indicator))
            .ToHashSet();
    }

    /// <summary>Decides what the records of <paramref name="store"/> recount in <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The programmes, their targets and reported figures.</param>
    /// <param name="store">The participation records of <paramref name="dataset"/>.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> or <paramref name="store"/> is null.</exception>
    public static RecountPlan For(ProgrammeDataset dataset, ParticipationStore store)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(store);
        var scopes = new HashSet<ProgressScope>();
        foreach (var row in store.Query().GroupBy(Dimension.Partnership, Dimension.Phase).Measure(Measure.Participations).Run().Rows)
        {
            if (row.Key(0) is { } partnership && row.Count(Measure.Participations) > 0)
            {
                scopes.Add(new ProgressScope(new Id<Partnership>(partnership)));
                if (row.Key(1) is { } phase)
                {
                    scopes.Add(new ProgressScope(new Id<Partnership>(partnership), new Id<Phase>(phase)));
                }
            }
        }
        return new RecountPlan(dataset, dataset.Indicators.GroupBy(i => i.Id).ToDictionary(g => g.Key, g => g.First()), scopes);
    }

    /// <summary>The dataset planned for.</summary>
    public ProgrammeDataset Dataset { get; }

    /// <summary>
    /// The indicators whose targets are recounted from the records: the unique-people counts with a target in a
    /// partnership that has records.
    /// </summary>
    public IReadOnlySet<Id<Indicator>> Indicators { get; }

    /// <summary>Whether a partnership or phase has at least one participation record.</summary>
    /// <param name="scope">The partnership or phase.</param>
    /// <returns>Whether it has records.</returns>
    public bool HasRecords(ProgressScope scope) => _scopesWithRecords.Contains(scope);

    /// <summary>
    /// The days a target's actual is recounted over as of a date: from its start to its end or <paramref name="asOf"/>,
    /// whichever is earlier; for a yearly-cumulative indicator, from the start of the year that last day falls in when
    /// that is later than the target's start.
    /// </summary>
    /// <param name="indicator">The target's indicator.</param>
    /// <param name="period">The target's period.</param>
    /// <param name="asOf">The last day to count.</param>
    /// <returns>The window, or <c>null</c> when the target starts after <paramref name="asOf"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="indicator"/> is not in the dataset.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="period"/> is null.</exception>
    public DateInterval? TargetWindow(Id<Indicator> indicator, DateInterval period, LocalDate asOf)
    {
        Preconditions.CheckNotNull(period);
        var definition = IndicatorOf(indicator);
        var end = period.End < asOf ? period.End : asOf;
        return end < period.Start ? null : Restarted(definition, period.Start, end);
    }

    /// <summary>
    /// The days a reported figure is recounted over, or <c>null</c> when the records cannot recount it: its indicator is not
    /// a count of unique people or attendances (or is a last value), or its partnership or phase has no records.
    /// </summary>
    /// <param name="figure">The reported figure.</param>
    /// <returns>
    /// The figure's period for an incremental figure; for a cumulative one, from the scope's start (a total to date); for a
    /// yearly-cumulative one, from its year's start.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="figure"/> is null.</exception>
    public DateInterval? ReportedWindow(ReportedActual figure)
    {
        Preconditions.CheckNotNull(figure);
        if (!_indicators.TryGetValue(figure.Indicator, out var indicator) || MeasureOf(indicator) is null
            || !HasRecords(new ProgressScope(figure.Partnership, figure.Phase)))
        {
            return null;
        }
        var period = figure.Period;
        switch (indicator.Accumulation)
        {
            case Accumulation.Cumulative:
                var partnership = Dataset.Partnerships.FirstOrDefault(p => p.Id == figure.Partnership);
                var scope = figure.Phase is { } phase ? partnership?.Phases.FirstOrDefault(p => p.Id == phase)?.Period : partnership?.Period;
                return scope is null ? null : new DateInterval(scope.Start < period.Start ? scope.Start : period.Start, period.End);
            case Accumulation.YearlyCumulative:
                var yearStart = indicator.YearStart(period.End);
                return new DateInterval(yearStart < period.Start ? yearStart : period.Start, period.End);
            default:
                return period;
        }
    }

    /// <summary>What the records count for a reported figure of an indicator: unique beneficiaries, participations, or <c>null</c> when they cannot.</summary>
    /// <param name="indicator">The indicator.</param>
    /// <returns>The measure, or <c>null</c> for a percent, a score, a last value, or a basis the records do not hold.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="indicator"/> is null.</exception>
    public static Measure? MeasureOf(Indicator indicator) =>
        Preconditions.CheckNotNull(indicator).Unit != IndicatorUnit.Count || indicator.Accumulation == Accumulation.LastValue ? null
        : indicator.Basis switch
        {
            CountingBasis.UniquePeople => Measure.UniqueBeneficiaries,
            CountingBasis.Attendances => Measure.Participations,
            _ => null,
        };

    /// <summary>Whether a target of the indicator can take its actual from a recount of unique beneficiaries.</summary>
    /// <param name="indicator">The indicator.</param>
    /// <returns>Whether it is a count of unique people.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="indicator"/> is null.</exception>
    public static bool CountsUniquePeople(Indicator indicator) =>
        Preconditions.CheckNotNull(indicator).Unit == IndicatorUnit.Count && indicator.Basis == CountingBasis.UniquePeople;

    /// <summary>The records of a partnership or phase (and of one role when given) within a window.</summary>
    /// <param name="scope">The partnership or phase.</param>
    /// <param name="role">The role, or <c>null</c> for everyone.</param>
    /// <param name="window">The days counted.</param>
    /// <returns>A filter for a query or a published table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="window"/> is null.</exception>
    public static Func<AggregationQuery, AggregationQuery> Filter(ProgressScope scope, BeneficiaryRole? role, DateInterval window)
    {
        Preconditions.CheckNotNull(window);
        return query => InScope(query.Between(window.Start, window.End), scope, role);
    }

    /// <summary>
    /// The records a target's actual counts as of a date (<see cref="TargetWindow"/> in its scope and role), or <c>null</c>
    /// when the target starts after <paramref name="asOf"/>.
    /// </summary>
    /// <param name="target">A target's progress.</param>
    /// <param name="asOf">The last day to count.</param>
    /// <returns>The filter, or <c>null</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentException">The target's indicator is not in the dataset.</exception>
    public Func<AggregationQuery, AggregationQuery>? TargetFilter(TargetProgress target, LocalDate asOf)
    {
        Preconditions.CheckNotNull(target);
        return TargetWindow(target.Indicator, target.Period, asOf) is { } window ? Filter(target.Scope, target.Role, window) : null;
    }

    /// <summary>The window from <paramref name="start"/> to <paramref name="end"/>, restarted at the year's start for a yearly-cumulative indicator.</summary>
    internal static DateInterval Restarted(Indicator indicator, LocalDate start, LocalDate end)
    {
        if (indicator.Accumulation == Accumulation.YearlyCumulative && indicator.YearStart(end) is var yearStart && yearStart > start)
        {
            start = yearStart;
        }
        return new DateInterval(start, end);
    }

    /// <summary>The records of a partnership or phase, and of one role when given.</summary>
    internal static AggregationQuery InScope(AggregationQuery query, ProgressScope scope, BeneficiaryRole? role)
    {
        query = query.Where(Dimension.Partnership, scope.Partnership.Value);
        if (scope.Phase is { } phase)
        {
            query = query.Where(Dimension.Phase, phase.Value);
        }
        return role is { } r ? query.Where(Dimension.Role, r) : query;
    }

    /// <summary>The dataset's definition of an indicator.</summary>
    internal Indicator IndicatorOf(Id<Indicator> id) =>
        _indicators.GetValueOrDefault(id) ?? throw new ArgumentException($"Indicator '{id}' is not in the dataset.", nameof(id));
}
