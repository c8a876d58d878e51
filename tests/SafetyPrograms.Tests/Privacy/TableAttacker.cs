using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

/// <summary>
/// A reader trying to recover suppressed figures from a published table, using only what is published: the
/// dimensions, the published values, and the fact that every figure is the sum of the non-negative cells under it.
/// </summary>
/// <remarks>
/// The formulation is the reader's own, independent of the library's suppression engine: one variable per suppressed
/// leaf cell, one equation per published figure, and one extra variable per suppressed margin defined as the sum of
/// its cells. The range of each suppressed figure is then minimised and maximised exactly by linear programming, or, with
/// <c>wholeNumbers</c>, by branch and bound over whole-number tables (what a reader can do when the relations do not
/// form a network, as in three-way tables).
/// </remarks>
internal static class TableAttacker
{
    /// <param name="table">The published table.</param>
    /// <param name="wholeNumbers">Whether to solve over whole-number tables.</param>
    /// <param name="bounds">
    /// What the reader knows about each suppressed figure besides the table (such as a published reason: under the
    /// minimum, or at least the minimum); <c>null</c> for nothing.
    /// </param>
    internal static Dictionary<PublishedFigure, (double Low, double High)> Attack(
        PublishedTable table, bool wholeNumbers = false, Func<PublishedFigure, (double Low, double High)>? bounds = null)
    {
        var leavesUnder = table.Dimensions.Select(LeavesUnder).ToArray();
        var leafCodes = table.Dimensions.Select(d => d.Categories.Where(d.IsLeaf).ToArray()).ToArray();
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
        double[] rhs = [.. equations.Select(e => e.Constant)];
        if (bounds is not null)
        {
            // Each bound becomes an equation with a non-negative slack: x − s = low, x + s = high.
            var width = variable.Count;
            var extra = new List<(int Variable, double Sign, double Bound)>();
            foreach (var (figure, v) in variable)
            {
                var (low, high) = bounds(figure);
                if (low > 0)
                {
                    extra.Add((v, -1, low));
                }
                if (!double.IsPositiveInfinity(high))
                {
                    extra.Add((v, 1, high));
                }
            }
            rows = [.. rows.Select(r => (double[])[.. r, .. new double[extra.Count]])];
            for (var k = 0; k < extra.Count; k++)
            {
                var row = new double[width + extra.Count];
                row[extra[k].Variable] = 1;
                row[width + k] = extra[k].Sign;
                rows.Add(row);
            }
            rhs = [.. rhs, .. extra.Select(e => e.Bound)];
            var bounded = FeasibleRegion.Create(rows, rhs, width + extra.Count)
                ?? throw new InvalidOperationException("The published table is inconsistent with what the reader knows.");
            return variable.ToDictionary(p => p.Key, p => (bounded.Extreme(p.Value, false, out _), bounded.Extreme(p.Value, true, out _)));
        }
        if (wholeNumbers)
        {
            return variable.ToDictionary(
                p => p.Key,
                p => (-IntegerMaximum(rows, rhs, variable.Count, p.Value, -1), IntegerMaximum(rows, rhs, variable.Count, p.Value, 1)));
        }
        var region = FeasibleRegion.Create(rows, rhs, variable.Count)
            ?? throw new InvalidOperationException("The published table is inconsistent: no table of counts agrees with it.");
        var ranges = IntervalAudit.Ranges(region, variable.Count);
        return variable.ToDictionary(p => p.Key, p => ranges[p.Value]);
    }

    /// <summary>
    /// The largest value of <c>sign × x[target]</c> over whole-number solutions, by branch and bound: solve the linear
    /// relaxation, and while the best point has a fractional coordinate, split on it (x ≤ floor, or x ≥ ceil, each
    /// written as an equation with a new non-negative slack variable).
    /// </summary>
    internal static double IntegerMaximum(List<double[]> rows, double[] rhs, int variables, int target, int sign)
    {
        var best = double.NegativeInfinity;
        var stack = new Stack<(List<double[]> Rows, List<double> Rhs, int Variables)>();
        stack.Push((rows, [.. rhs], variables));
        while (stack.TryPop(out var node))
        {
            var region = FeasibleRegion.Create(node.Rows, node.Rhs, node.Variables);
            if (region is null)
            {
                continue;
            }
            var value = region.Extreme(target, maximise: sign > 0, out var point);
            if (point is null)
            {
                return double.PositiveInfinity;
            }
            value *= sign;
            if (Math.Floor(value + 1e-6) <= best)
            {
                continue;
            }
            var fractional = Array.FindIndex(point, 0, variables, x => Math.Abs(x - Math.Round(x)) > 1e-6);
            if (fractional < 0)
            {
                best = Math.Round(value);
                continue;
            }
            foreach (var (bound, slackSign) in new[] { (Math.Floor(point[fractional]), 1.0), (Math.Ceiling(point[fractional]), -1.0) })
            {
                var extended = node.Rows.Select(r => (double[])[.. r, 0]).ToList();
                var row = new double[node.Variables + 1];
                row[fractional] = 1;
                row[node.Variables] = slackSign; // x + s = floor, or x − s = ceil
                extended.Add(row);
                stack.Push((extended, [.. node.Rhs, bound], node.Variables + 1));
            }
        }
        return best;
    }

    private static Dictionary<string, string[]> LeavesUnder(PublishedDimension dimension)
    {
        var children = dimension.Categories.Where(c => c != dimension.Total).ToLookup(c => dimension.ParentOf(c) ?? dimension.Total);
        string[] Leaves(string code) => children[code].Any() ? [.. children[code].SelectMany(Leaves)] : [code];
        var map = dimension.Categories.ToDictionary(c => c, Leaves);
        map[dimension.Total] = Leaves(dimension.Total);
        return map;
    }

    private static IEnumerable<string[]> Product(string[][] sets) =>
        sets.Aggregate(
            (IEnumerable<string[]>)[[]],
            (acc, set) => acc.SelectMany(prefix => set.Select(code => (string[])[.. prefix, code])));
}
