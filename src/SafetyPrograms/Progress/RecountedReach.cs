using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>
/// Unique reach recounted from participation records, as the actual series of the targets it measures: for each
/// target, the distinct beneficiaries in its scope (partnership or phase, and role when the target has one) from the
/// target period's start to each month end. Each point is a recount over the whole window, never a sum of months,
/// so a child trained in March and again in May counts once.
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

    private static ActualSeries Recount(ParticipationStore store, ProgressScope scope, Target target, LocalDate asOf)
    {
        var points = new List<ActualPoint>();
        var start = target.Period.Start;
        foreach (var monthEnd in ProgressCalculator.MonthEnds(target.Period))
        {
            var end = monthEnd < asOf ? monthEnd : asOf;
            if (end < start)
            {
                break;
            }
            var query = store.Query().Measure(Measure.UniqueBeneficiaries).Between(start, end)
                .Where(Dimension.Partnership, scope.Partnership.Value);
            if (scope.Phase is { } phase)
            {
                query = query.Where(Dimension.Phase, phase.Value);
            }
            if (target.Role is { } role)
            {
                query = query.Where(Dimension.Role, role);
            }
            var rows = query.Run().Rows;
            points.Add(new ActualPoint(new DateInterval(start, end), rows.Count == 0 ? 0 : rows[0].Count(Measure.UniqueBeneficiaries)));
            if (end == asOf)
            {
                break;
            }
        }
        return new ActualSeries(CountingBasis.UniquePeople, Accumulation.Cumulative, IndicatorUnit.Count, points);
    }
}
