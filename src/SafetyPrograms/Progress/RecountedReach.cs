using NodaTime;
using NodaTime.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>
/// Unique reach recounted from participation records, as the actual series of the targets it measures: for each
/// target, the distinct beneficiaries in its scope (partnership or phase, and role when the target has one) from the
/// target period's start to the end of each month that has records, and to the last day counted (the as-of date, or the
/// period's end). Each point is a recount over the whole window, never a sum of months, so a child trained in March and
/// again in May counts once. A month without records cannot change the count, so it has no point of its own: the latest
/// point before it stands, and a target period running to 9999-12-31 costs one recount per month of data.
/// </summary>
/// <remarks>
/// Only the indicators the caller names are recounted: whether "children trained" is measured by the participation
/// log or by a partner's reported figure is a programme decision, not something to guess from the indicator's basis.
/// </remarks>
public static class RecountedReach
{
    /// <summary>Builds an actuals source for the targets of <paramref name="indicators"/>.</summary>
    /// <param name="dataset">The dataset <paramref name="store"/> was built from.</param>
    /// <param name="store">The participation records.</param>
    /// <param name="indicators">The unique-people count indicators the participation log measures.</param>
    /// <param name="asOf">The last day to count; later month ends are not computed.</param>
    /// <returns>A source with one cumulative unique-people series per target of those indicators.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An indicator is unknown, or is not a count of unique people.</exception>
    public static IActualsSource For(ProgrammeDataset dataset, ParticipationStore store, IEnumerable<Id<Indicator>> indicators, LocalDate asOf)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(store);
        Preconditions.CheckNotNull(indicators);
        var wanted = new HashSet<Id<Indicator>>();
        foreach (var id in indicators)
        {
            var indicator = dataset.Indicators.FirstOrDefault(i => i.Id == id)
                ?? throw new ArgumentException($"Indicator '{id}' is not in the dataset.", nameof(indicators));
            Preconditions.CheckArgument(
                indicator.Unit == IndicatorUnit.Count && indicator.Basis == CountingBasis.UniquePeople,
                nameof(indicators),
                $"Indicator '{id}' is not a count of unique people, so a recount of beneficiaries cannot be its actual.");
            wanted.Add(id);
        }

        var series = new Dictionary<ActualSeriesKey, ActualSeries>();
        foreach (var partnership in dataset.Partnerships)
        {
            foreach (var target in partnership.Targets)
            {
                Add(new ProgressScope(partnership.Id), target);
            }
            foreach (var phase in partnership.Phases)
            {
                foreach (var target in phase.Targets)
                {
                    Add(new ProgressScope(partnership.Id, phase.Id), target);
                }
            }
        }
        return new ActualSeriesSource(series);

        void Add(ProgressScope scope, Target target)
        {
            var key = new ActualSeriesKey(target.Indicator, scope, target.Role);
            if (wanted.Contains(target.Indicator) && !series.ContainsKey(key))
            {
                series.Add(key, Recount(store, scope, target, asOf));
            }
        }
    }

    private static readonly LocalDatePattern MonthLabel = LocalDatePattern.CreateWithInvariantCulture("uuuu'-'MM");

    private static ActualSeries Recount(ParticipationStore store, ProgressScope scope, Target target, LocalDate asOf)
    {
        var start = target.Period.Start;
        var last = asOf < target.Period.End ? asOf : target.Period.End;
        var points = new List<ActualPoint>();
        if (last >= start)
        {
            // Only a month with records can change the count, so only those month ends are recounted, with the last day
            // counted: a period running to 9999-12-31 costs one query per month of data, never one per calendar month.
            var months = InScope(store.Query().GroupBy(TimeBucket.Month).Measure(Measure.Participations).Between(start, last), scope, target)
                .Run().Rows
                .Where(r => !r.IsSubtotal && r.Key(0) is not null)
                .Select(r => MonthLabel.Parse(r.Key(0)!).Value.With(DateAdjusters.EndOfMonth));
            foreach (var end in months.Where(m => m < last).Append(last).Distinct().Order())
            {
                var rows = InScope(store.Query().Measure(Measure.UniqueBeneficiaries).Between(start, end), scope, target).Run().Rows;
                points.Add(new ActualPoint(new DateInterval(start, end), rows.Count == 0 ? 0 : rows[0].Count(Measure.UniqueBeneficiaries)));
            }
        }
        return new ActualSeries(CountingBasis.UniquePeople, Accumulation.Cumulative, IndicatorUnit.Count, points);
    }

    private static AggregationQuery InScope(AggregationQuery query, ProgressScope scope, Target target)
    {
        query = query.Where(Dimension.Partnership, scope.Partnership.Value);
        if (scope.Phase is { } phase)
        {
            query = query.Where(Dimension.Phase, phase.Value);
        }
        if (target.Role is { } role)
        {
            query = query.Where(Dimension.Role, role);
        }
        return query;
    }
}
