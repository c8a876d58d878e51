using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

/// <summary>
/// A reader trying to recover suppressed figures from a published table, using only what is published: the
/// dimensions, the published values, and the fact that every figure is the sum of the non-negative cells under it.
/// </summary>
/// <remarks>
/// The formulation is the reader's own, independent of the library's suppression engine: one variable per suppressed
/// leaf cell, one equation per published figure, and one extra variable per suppressed margin defined as the sum of
/// its cells. The range of each suppressed figure is then minimised and maximised exactly by linear programming.
/// </remarks>
internal static class TableAttacker
{
    internal static Dictionary<PublishedFigure, (double Low, double High)> Attack(PublishedTable table)
    {
        var leavesUnder = table.Dimensions.Select(LeavesUnder).ToArray();
        var leafCodes = table.Dimensions.Select(d => d.Categories.Where(c => d.IsLeaf(c.Code)).Select(c => c.Code).ToArray()).ToArray();
        var cells = Product(leafCodes).Select(c => table[c]).ToList();
        var variable = new Dictionary<PublishedFigure, int>();
        foreach (var cell in cells.Where(c => c.IsSuppressed))
        {
            variable[cell] = variable.Count;
        }
        foreach (var margin in table.Figures.Where(f => f.IsSuppressed && f.IsMargin))
        {
            variable[margin] = variable.Count;
        }
        var equations = new List<(Dictionary<int, double> Terms, double Constant)>();
        foreach (var figure in table.Figures)
        {
            if (!figure.IsMargin && !figure.IsSuppressed)
            {
                continue;
            }
            var terms = new Dictionary<int, double>();
            double constant = figure.Value ?? 0;
            if (figure.IsSuppressed)
            {
                terms[variable[figure]] = -1; // y − Σ cells = 0
            }
            var under = figure.Coordinates.Select((code, d) => leavesUnder[d][code]).ToArray();
            foreach (var cell in Product(under).Select(c => table[c]))
            {
                if (cell.Value is { } v)
                {
                    constant -= v;
                }
                else
                {
                    terms[variable[cell]] = terms.GetValueOrDefault(variable[cell]) + 1;
                }
            }
            if (terms.Count > 0)
            {
                equations.Add((terms, constant));
            }
        }
        var rows = equations.Select(e =>
        {
            var row = new double[variable.Count];
            foreach (var (v, c) in e.Terms)
            {
                row[v] = c;
            }
            return row;
        }).ToList();
        var region = FeasibleRegion.Create(rows, [.. equations.Select(e => e.Constant)], variable.Count)
            ?? throw new InvalidOperationException("The published table is inconsistent: no table of counts agrees with it.");
        var ranges = IntervalAudit.Ranges(region, variable.Count);
        return variable.ToDictionary(p => p.Key, p => ranges[p.Value]);
    }

    private static Dictionary<string, string[]> LeavesUnder(TableDimension dimension)
    {
        var children = dimension.Categories.Where(c => c.Code != dimension.Total).ToLookup(c => c.Parent ?? dimension.Total, c => c.Code);
        string[] Leaves(string code) => children[code].Any() ? [.. children[code].SelectMany(Leaves)] : [code];
        var map = dimension.Categories.ToDictionary(c => c.Code, c => Leaves(c.Code));
        map[dimension.Total] = Leaves(dimension.Total);
        return map;
    }

    private static IEnumerable<string[]> Product(string[][] sets) =>
        sets.Aggregate(
            (IEnumerable<string[]>)[[]],
            (acc, set) => acc.SelectMany(prefix => set.Select(code => (string[])[.. prefix, code])));
}
