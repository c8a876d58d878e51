using NodaTime;
using NodaTime.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>
/// Unique reach recounted from participation records, as the actual series of the targets it measures: for each
/// indicator, scope (partnership or phase) and role of a target, the distinct beneficiaries from the earliest of those
/// targets' starts to the end of each month that has records, and to the last day counted (the as-of date, or the
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
    /// <returns>
    /// A source with one cumulative unique-people series per target of those indicators; yearly-cumulative for a
    /// <see cref="Accumulation.YearlyCumulative"/> indicator, recounted from each year's start.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An indicator is unknown, or is not a count of unique people.</exception>
    public static IActualsSource For(ProgrammeDataset dataset, ParticipationStore store, IEnumerable<Id<Indicator>> indicators, LocalDate asOf)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(store);
        Preconditions.CheckNotNull(indicators);
        var wanted = new HashSet<Id<Indicator>>();
        var definitions = new Dictionary<Id<Indicator>, Indicator>();
        foreach (var id in indicators)
        {
            var indicator = dataset.Indicators.FirstOrDefault(i => i.Id == id)
                ?? throw new ArgumentException($"Indicator '{id}' is not in the dataset.", nameof(indicators));
            Preconditions.CheckArgument(
                RecountPlan.CountsUniquePeople(indicator),
                nameof(indicators),
                $"Indicator '{id}' is not a count of unique people, so a recount of beneficiaries cannot be its actual.");
            wanted.Add(id);
            definitions[id] = indicator;
        }

        // One series per indicator, scope and role, over all its targets' periods: yearly targets of one indicator read
        // their own years from it.
        var spans = new Dictionary<ActualSeriesKey, DateInterval>();
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
        return new ActualSeriesSource(spans.Select(s => KeyValuePair.Create(
            s.Key, Recount(store, s.Key.Scope, s.Key.Role, s.Value, definitions[s.Key.Indicator], asOf))));

        void Add(ProgressScope scope, Target target)
        {
            if (!wanted.Contains(target.Indicator))
            {
                return;
            }
            var key = new ActualSeriesKey(target.Indicator, scope, target.Role);
            var period = target.Period;
            spans[key] = spans.TryGetValue(key, out var span)
                ? new DateInterval(span.Start < period.Start ? span.Start : period.Start, span.End > period.End ? span.End : period.End)
                : period;
        }
    }

    private static readonly LocalDatePattern MonthLabel = LocalDatePattern.CreateWithInvariantCulture("uuuu'-'MM");

    private static ActualSeries Recount(
        ParticipationStore store, ProgressScope scope, BeneficiaryRole? role, DateInterval span, Indicator indicator, LocalDate asOf)
    {
        var start = span.Start;
        var last = asOf < span.End ? asOf : span.End;
        var yearly = indicator.Accumulation == Accumulation.YearlyCumulative;
        var points = new List<ActualPoint>();
        if (last >= start)
        {
            // Only a month with records can change the count, so only those month ends are recounted, with the last day
            // counted: a period running to 9999-12-31 costs one query per month of data, never one per calendar month.
            // A yearly count restarts at its year's start, so each year's last day with records is recounted too.
            var months = RecountPlan.InScope(store.Query().GroupBy(TimeBucket.Month).Measure(Measure.Participations).Between(start, last), scope, role)
                .Run().Rows
                .Where(r => !r.IsSubtotal && r.Key(0) is not null)
                .Select(r => MonthLabel.Parse(r.Key(0)!).Value.With(DateAdjusters.EndOfMonth))
                .ToList();
            // The last year of the calendar (from 9999-07-01, say) ends with the last day held, which `last` covers.
            var yearEnds = yearly
                ? months.Select(indicator.YearStart).Where(y => y.Year < 9999).Select(y => y.PlusYears(1).PlusDays(-1)).Where(e => e < last)
                : [];
            foreach (var end in months.Where(m => m < last).Concat(yearEnds).Append(last).Distinct().Order())
            {
                var window = RecountPlan.Restarted(indicator, start, end);
                points.Add(new ActualPoint(window, Count(store, scope, role, Measure.UniqueBeneficiaries, window)));
            }
        }
        return new ActualSeries(
            CountingBasis.UniquePeople, yearly ? Accumulation.YearlyCumulative : Accumulation.Cumulative, IndicatorUnit.Count, points, indicator.YearStartMonth ?? 1);
    }

    /// <summary>A count from the records of a scope (and role) over a window: unique beneficiaries or participations.</summary>
    internal static long Count(ParticipationStore store, ProgressScope scope, BeneficiaryRole? role, Measure measure, DateInterval window)
    {
        var rows = RecountPlan.Filter(scope, role, window)(store.Query().Measure(measure)).Run().Rows;
        return rows.Count == 0 ? 0 : rows[0].Count(measure);
    }
}
