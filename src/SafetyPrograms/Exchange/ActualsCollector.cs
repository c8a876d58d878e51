using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Exchange;

/// <summary>
/// Gathers figures read back from an export (IATI actuals, ADX data values) into reported actuals: the total of each
/// indicator, scope and period, with one breakdown per dimension our model carries, from the figures broken down by that
/// dimension alone. The one place both readers turn figures into <see cref="ReportedActual"/>s.
/// </summary>
internal sealed class ActualsCollector
{
    private readonly Dictionary<(Id<Indicator>, Id<Partnership>, Id<Phase>?, DateInterval), Entry> _entries = [];
    private readonly List<(Id<Indicator>, Id<Partnership>, Id<Phase>?, DateInterval)> _order = [];

    public void Add(Id<Indicator> indicator, Id<Partnership> partnership, Id<Phase>? phase, DateInterval period, IReadOnlyList<FigureCategory> breakdown, decimal value)
    {
        var key = (indicator, partnership, phase, period);
        if (!_entries.TryGetValue(key, out var entry))
        {
            _entries[key] = entry = new Entry();
            _order.Add(key);
        }
        if (breakdown.Count == 0)
        {
            entry.Total ??= value;
        }
        else if (breakdown.Count == 1 && EnumNames<DisaggregationDimension>.TryParse(breakdown[0].Dimension, out var dimension))
        {
            var cells = entry.Cells.TryGetValue(dimension, out var list) ? list : entry.Cells[dimension] = [];
            if (!cells.Any(c => c.Category == breakdown[0].Category))
            {
                cells.Add(new DisaggregationCell(breakdown[0].Category, value));
            }
        }
    }

    public IReadOnlyList<ReportedActual> ToActuals(Func<Id<Partnership>, Id<Organisation>?>? reportedBy) =>
    [
        .. _order.Where(k => _entries[k].Total is not null).Select(k =>
        {
            var (indicator, partnership, phase, period) = k;
            var entry = _entries[k];
            return new ReportedActual(
                indicator, partnership, period, entry.Total!.Value, phase,
                disaggregations: [.. entry.Cells.OrderBy(c => c.Key).Select(c => new Disaggregation(c.Key, c.Value))],
                reportedBy: reportedBy?.Invoke(partnership));
        }),
    ];

    private sealed class Entry
    {
        public decimal? Total { get; set; }

        public Dictionary<DisaggregationDimension, List<DisaggregationCell>> Cells { get; } = [];
    }
}
