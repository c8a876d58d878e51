using SafetyPrograms.Aggregation;
using SafetyPrograms.Cli.Commands;
using SafetyPrograms.Cli.Generation;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

/// <summary>
/// The report's tables over the demo's generated log, sparse at 20,000 records (small provinces, few teachers per
/// district, few records of "other" sex): protected together, most of their figures are still published, and a reader
/// with every published figure works out no hidden one.
/// </summary>
public sealed class SparseSessionTests
{
    private static readonly Lazy<ParticipationStore> Log = new(() =>
    {
        var sample = RepositoryPaths.SampleDataset();
        var store = new ParticipationStore(sample);
        Assert.Equal(0, store.Append(new ParticipationGenerator(sample, GenerateCommand.SyntheticKey).Generate(20_000, 2026)).Rejected);
        return store;
    });

    private static readonly (GroupingTerm[] GroupBy, Func<AggregationQuery, AggregationQuery> Filter)[] ReportTables =
    [
        ([Dimension.Province, Dimension.Sex], q => q),
        ([Dimension.Role, Dimension.Sex], q => q),
        ([Dimension.Province, Dimension.Role], q => q),
        ([Dimension.District, Dimension.Sex], q => q.Where(Dimension.Role, BeneficiaryRole.Teacher)),
        ([Dimension.Role], q => q),
        ([Dimension.Disability, Dimension.Sex], q => q),
    ];

    [Fact]
    public void ReportTables_OnASparseLog_PublishMostFigures_AndNoHiddenFigureCanBeWorkedOut()
    {
        var store = Log.Value;
        var session = new PublicationSession(PublicationPolicy.Default, store);
        foreach (var (groupBy, filter) in ReportTables)
        {
            session.Add(groupBy, Measure.UniqueBeneficiaries, filter);
        }
        var published = session.Publish();

        // Some figures are small and some are hidden for others (the log is sparse enough to need the audit)...
        var figures = published.SelectMany(t => t.Figures).ToList();
        Assert.Contains(figures, f => f.Suppression == SuppressionReason.Primary);
        Assert.Contains(figures, f => f.Suppression == SuppressionReason.Linked);
        // ...yet most are published (before the linked audit freed every group and hid only figures that pin a range,
        // fewer than a quarter were).
        Assert.True(figures.Count(f => !f.IsSuppressed) >= 0.5 * figures.Count, $"{figures.Count(f => !f.IsSuppressed)} of {figures.Count} published");
        // The figure a funder reads first, the number of children reached, is published by every table of everyone.
        var reached = store.Query().Measure(Measure.UniqueBeneficiaries).Run().Rows.Single().Count(Measure.UniqueBeneficiaries);
        Assert.All(published.Where((_, i) => i != 3), t => Assert.Equal((long?)reached, t.Figures[0].Value));

        var ranges = SessionAttacker.Attack(store, [.. ReportTables.Select((r, i) => (r.GroupBy, r.Filter, published[i]))]);
        Assert.NotEmpty(ranges);
        foreach (var (figure, value, (low, high)) in ranges.Where(r => r.Value > 0))
        {
            Assert.True(
                Math.Floor(high + 1e-6) - Math.Ceiling(low - 1e-6) >= PublicationPolicy.Default.MinimumCellSize,
                $"{figure} ({value}) can be worked out to [{low}, {high}] from the six tables");
        }
    }
}

/// <summary>
/// A reader of tables published together from one log, with their own model, independent of the session's: the
/// unknowns are the groups of beneficiaries with the same leaf cell in every table (read from the store), each
/// non-negative, and every published figure is the sum of the groups under its cell or margin. Returns each hidden
/// figure with its true value and its range.
/// </summary>
internal static class SessionAttacker
{
    internal static List<(PublishedFigure Figure, long Value, (double Low, double High) Range)> Attack(
        ParticipationStore store, IReadOnlyList<(GroupingTerm[] GroupBy, Func<AggregationQuery, AggregationQuery> Filter, PublishedTable Table)> tables)
    {
        var cellsOf = new Dictionary<string, string[]?[]>(StringComparer.Ordinal);
        for (var t = 0; t < tables.Count; t++)
        {
            foreach (var group in tables[t].Filter(store.Query()).GroupBy(tables[t].GroupBy).Measure(Measure.UniqueBeneficiaries).RunPartial().Groups)
            {
                foreach (var beneficiary in group.Beneficiaries!)
                {
                    if (!cellsOf.TryGetValue(beneficiary, out var cells))
                    {
                        cellsOf[beneficiary] = cells = new string[]?[tables.Count];
                    }
                    cells[t] = [.. group.Keys.Select(k => k is { Length: > 0 } ? k : AggregationPublishing.MissingKey)];
                }
            }
        }
        var unknowns = cellsOf.Values
            .GroupBy(c => string.Join('|', c.Select(cell => cell is null ? "-" : string.Join('/', cell))))
            .Select(g => (Cells: g.First(), Size: g.Count())).ToList();

        bool Under(int t, PublishedFigure figure, string[]?[] cells) =>
            cells[t] is { } cell && cell.Select((leaf, d) => Within(tables[t].Table.Dimensions[d], leaf, figure.Coordinates[d])).All(x => x);

        var hidden = tables.SelectMany((t, i) => t.Table.Figures.Where(f => f.IsSuppressed).Select(f => (Table: i, Figure: f))).ToList();
        var width = unknowns.Count + hidden.Count;
        var rows = new List<double[]>();
        var rhs = new List<double>();
        for (var t = 0; t < tables.Count; t++)
        {
            foreach (var figure in tables[t].Table.Figures.Where(f => f.Value is not null))
            {
                var row = new double[width];
                for (var u = 0; u < unknowns.Count; u++)
                {
                    row[u] = Under(t, figure, unknowns[u].Cells) ? 1 : 0;
                }
                rows.Add(row);
                rhs.Add(figure.Value!.Value);
            }
        }
        var values = new long[hidden.Count];
        for (var k = 0; k < hidden.Count; k++)
        {
            // One extra variable per hidden figure: y − Σ unknowns under it = 0.
            var row = new double[width];
            row[unknowns.Count + k] = 1;
            for (var u = 0; u < unknowns.Count; u++)
            {
                if (Under(hidden[k].Table, hidden[k].Figure, unknowns[u].Cells))
                {
                    row[u] = -1;
                    values[k] += unknowns[u].Size;
                }
            }
            rows.Add(row);
            rhs.Add(0);
        }
        var region = FeasibleRegion.Create(rows, rhs, width) ?? throw new InvalidOperationException("The published tables contradict each other.");
        return [.. hidden.Select((h, k) => (h.Figure, values[k],
            (region.Extreme(unknowns.Count + k, maximise: false, out _), region.Extreme(unknowns.Count + k, maximise: true, out _))))];
    }

    /// <summary>Whether a leaf lies within a category: the category itself, an ancestor, or the dimension's total.</summary>
    private static bool Within(PublishedDimension dimension, string leaf, string code)
    {
        for (string? c = leaf; c is not null; c = dimension.ParentOf(c))
        {
            if (c == code)
            {
                return true;
            }
        }
        return code == dimension.Total;
    }
}
