using SafetyPrograms.Progress;

namespace SafetyPrograms.Privacy;

/// <summary>
/// Chooses which figures of a table to suppress: primary suppression of small figures, then secondary suppression
/// until every suppressed figure's feasible range, given what is published, is at least the minimum cell size wide.
/// </summary>
/// <remarks>
/// <para>Two cheap rules run first over every relation (a total and the parts that add up to it): a relation may not
/// have exactly one suppressed figure (it would be the total minus the rest), and when its total is published, its
/// suppressed parts must add up to at least the minimum (each lies between 0 and their sum). Each rule adds the
/// smallest non-zero published figure of the relation.</para>
/// <para>Those rules do not see what several relations pin together, so each suppressed figure is then audited by the
/// linear programs a reader would solve: minimise and maximise it over all non-negative tables that agree with what is
/// published. To keep that affordable, the figure is solved with only its nearest suppressed neighbours free (32, then
/// 128, then 512 of them) and every other figure held at its true value. Holding figures fixed can only narrow a range,
/// so a pass there is a pass; a figure that fails even with 512 neighbours free, or with its whole linked group free,
/// gets the smallest non-zero published figure of its relations suppressed too. Suppressing more can only widen
/// ranges, so a figure that passed stays passed, and the rounds repeat until every suppressed figure has passed. It
/// ends: every failing round suppresses at least one more figure, and a table with nothing published discloses nothing.
/// The cost is over-suppression where a protection needs more than 512 figures to show, never an unprotected figure.</para>
/// </remarks>
internal static class CellSuppression
{
    /// <summary>Chooses the figures to suppress.</summary>
    /// <param name="shape">The table's shape.</param>
    /// <param name="values">Every figure's true value.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="linked">Figures a publication session must hide to protect another table, or <c>null</c>.</param>
    internal static SuppressionReason[] Suppress(TableShape shape, long[] values, PublicationPolicy policy, bool[]? linked = null)
    {
        var reasons = new SuppressionReason[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (policy.IsTooSmall(values[i]))
            {
                reasons[i] = SuppressionReason.Primary;
            }
            else if (linked?[i] == true)
            {
                reasons[i] = SuppressionReason.Linked;
            }
        }
        if (policy.MinimumCellSize <= 1 && policy.ShowZeros)
        {
            return reasons;
        }
        var state = new State(shape.Relations(), values, reasons, policy);
        state.ApplyRelationRules(Enumerable.Range(0, state.Relations.Count));
        var certified = new bool[values.Length];
        bool anyFailed;
        do
        {
            anyFailed = false;
            for (var figure = 0; figure < values.Length; figure++)
            {
                if (reasons[figure] == SuppressionReason.None || certified[figure])
                {
                    continue;
                }
                if (state.IsProtected(figure, out var neighbourhoodOnly))
                {
                    certified[figure] = true;
                    continue;
                }
                if (state.SmallestPublishedNear(figure) is not { } c)
                {
                    // Nothing left to suppress near it: only solving its whole group can tell, however large.
                    certified[figure] = neighbourhoodOnly && state.IsProtectedByWholeGroup(figure);
                    if (!certified[figure])
                    {
                        throw policy.Marks == SuppressionMarks.PrimaryAndSecondary
                            ? MarksDisclose()
                            : new InvalidOperationException("Secondary suppression cannot protect the table; this is a bug, please report it.");
                    }
                    continue;
                }
                anyFailed = true;
                reasons[c] = SuppressionReason.Secondary;
                state.ApplyRelationRules(state.RelationsOf[c]);
            }
        }
        while (anyFailed);
        return reasons;
    }

    private sealed class State
    {
        private readonly long[] _values;
        private readonly SuppressionReason[] _reasons;
        private readonly PublicationPolicy _policy;
        private readonly int _minimum;

        internal State(List<(int Total, int[] Parts)> relations, long[] values, SuppressionReason[] reasons, PublicationPolicy policy)
        {
            Relations = relations;
            _values = values;
            _reasons = reasons;
            _policy = policy;
            _minimum = policy.MinimumCellSize;
            var of = new List<int>[values.Length];
            for (var i = 0; i < of.Length; i++)
            {
                of[i] = [];
            }
            for (var r = 0; r < relations.Count; r++)
            {
                foreach (var term in Terms(r))
                {
                    of[term].Add(r);
                }
            }
            RelationsOf = [.. of.Select(l => l.ToArray())];
        }

        internal List<(int Total, int[] Parts)> Relations { get; }

        internal int[][] RelationsOf { get; }

        private bool IsSuppressed(int figure) => _reasons[figure] != SuppressionReason.None;

        private IEnumerable<int> Terms(int relation) => Relations[relation].Parts.Prepend(Relations[relation].Total);

        internal void ApplyRelationRules(IEnumerable<int> relations)
        {
            var queue = new Queue<int>(relations);
            var queued = new HashSet<int>(queue);
            while (queue.TryDequeue(out var r))
            {
                queued.Remove(r);
                var (total, parts) = Relations[r];
                var suppressed = Terms(r).Count(IsSuppressed);
                int? complement = null;
                if (suppressed == 1)
                {
                    complement = Smallest(Terms(r));
                }
                else if (suppressed > 1 && !IsSuppressed(total) && parts.Where(IsSuppressed).Sum(p => _values[p]) < _minimum)
                {
                    complement = Smallest(parts) ?? total;
                }
                if (complement is not { } c)
                {
                    continue;
                }
                _reasons[c] = SuppressionReason.Secondary;
                foreach (var affected in RelationsOf[c].Append(r))
                {
                    if (queued.Add(affected))
                    {
                        queue.Enqueue(affected);
                    }
                }
            }
        }

        /// <summary>The smallest published figure among <paramref name="candidates"/>, non-zero ones first; ties go to the earlier figure.</summary>
        private int? Smallest(IEnumerable<int> candidates)
        {
            int? best = null;
            foreach (var c in candidates)
            {
                if (!IsSuppressed(c) && (best is not { } b || Rank(c).CompareTo(Rank(b)) < 0))
                {
                    best = c;
                }
            }
            return best;
        }

        private (bool IsZero, long Value, int Figure) Rank(int figure) => (_values[figure] == 0, _values[figure], figure);

        internal int? SmallestPublishedNear(int figure) =>
            Smallest(RelationsOf[figure].SelectMany(Terms)) ?? Smallest(Component(figure).SelectMany(f => RelationsOf[f]).SelectMany(Terms));

        private HashSet<int> Component(int figure)
        {
            var seen = new HashSet<int> { figure };
            var stack = new Stack<int>(seen);
            while (stack.TryPop(out var f))
            {
                foreach (var term in RelationsOf[f].SelectMany(Terms))
                {
                    if (IsSuppressed(term) && seen.Add(term))
                    {
                        stack.Push(term);
                    }
                }
            }
            return seen;
        }

        /// <summary>
        /// Whether the range of <paramref name="figure"/> over every table agreeing with the published figures is at
        /// least the minimum wide. It is first solved with only a neighbourhood of suppressed figures free and the rest
        /// held at their true values: that can only narrow ranges, so a pass there is a pass. Neighbourhoods grow until
        /// the figure passes or the whole linked group has been solved, or the group is too large to solve whole.
        /// </summary>
        /// <param name="figure">A suppressed figure.</param>
        /// <param name="neighbourhoodOnly">Whether a failure was found on a neighbourhood only, not on the whole group.</param>
        internal bool IsProtected(int figure, out bool neighbourhoodOnly)
        {
            foreach (var size in NeighbourhoodSizes)
            {
                var free = Neighbourhood(figure, size, out var whole);
                if (IsWideEnough(free))
                {
                    neighbourhoodOnly = false;
                    return true;
                }
                if (whole)
                {
                    neighbourhoodOnly = false;
                    return false;
                }
            }
            neighbourhoodOnly = true;
            return false;
        }

        private static readonly int[] NeighbourhoodSizes = [32, 128, 512];

        internal bool IsProtectedByWholeGroup(int figure)
        {
            var group = Component(figure);
            group.Remove(figure);
            return IsWideEnough([figure, .. group.Order()]);
        }

        /// <summary>Up to <paramref name="size"/> suppressed figures nearest <paramref name="figure"/> through relations, the figure first.</summary>
        private List<int> Neighbourhood(int figure, int size, out bool whole)
        {
            var order = new List<int> { figure };
            var seen = new HashSet<int> { figure };
            for (var next = 0; next < order.Count && order.Count < size; next++)
            {
                foreach (var term in RelationsOf[order[next]].SelectMany(Terms))
                {
                    if (IsSuppressed(term) && seen.Add(term))
                    {
                        order.Add(term);
                        if (order.Count == size)
                        {
                            break;
                        }
                    }
                }
            }
            whole = order.Count < size;
            return order;
        }

        /// <summary>
        /// Solves for the range of the first of <paramref name="free"/>, every other figure held at its true or published
        /// value, each free one within what the reader knows of it (<see cref="PublicationPolicy.HiddenRange"/>).
        /// </summary>
        private bool IsWideEnough(List<int> free)
        {
            var variable = new Dictionary<int, int>();
            for (var v = 0; v < free.Count; v++)
            {
                variable[free[v]] = v;
            }
            var known = new KnownRanges(free.Select(f => _policy.HiddenRange(_reasons[f], _values[f])).ToList());
            var rows = new List<double[]>();
            var rhs = new List<double>();
            foreach (var r in free.SelectMany(f => RelationsOf[f]).Distinct())
            {
                var row = new double[known.Width];
                double constant = 0;
                var (total, parts) = Relations[r];
                foreach (var (term, coefficient) in parts.Select(p => (p, -1.0)).Prepend((total, 1.0)))
                {
                    if (variable.TryGetValue(term, out var v))
                    {
                        row[v] += coefficient;
                        constant -= coefficient * known.Lower(v);
                    }
                    else
                    {
                        constant -= coefficient * _values[term];
                    }
                }
                rows.Add(row);
                rhs.Add(constant);
            }
            known.AddUpperBounds(rows, rhs);
            var region = FeasibleRegion.Create(rows, rhs, known.Width)
                ?? throw new InvalidOperationException("The table's own values do not satisfy its relations; this is a bug, please report it.");
            return KeepsPromise(region, 0, known.Point([.. free.Select(f => _values[f])]), _policy, _reasons[free[0]], known.Range(0),
                () => MarksAloneWidth(Relations, _values.Length, _values, _reasons, _policy, free[0]));
        }
    }

    /// <summary>
    /// Whether a hidden figure's range over <paramref name="region"/> (what the reader can work out) is as wide as the
    /// policy promises: the minimum; with primary and secondary marks public, for a primary figure, the whole range
    /// its mark and the marks of the figures it adds up with allow (never a single value); nothing for a hidden zero
    /// marked secondary, which the reader is taken to know.
    /// </summary>
    /// <param name="region">What the reader can work out, variables shifted by each figure's least value.</param>
    /// <param name="variable">The figure's variable.</param>
    /// <param name="known">A point of the region: the true values.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="reason">Why the figure is hidden.</param>
    /// <param name="range">What the reader knows of it (<see cref="PublicationPolicy.HiddenRange"/>).</param>
    /// <param name="marksAloneWidth">The width of its range given only the marks and the table's relations, when needed.</param>
    /// <exception cref="AggregationRefusedException">The marks alone pin the figure.</exception>
    internal static bool KeepsPromise(
        FeasibleRegion region, int variable, double[] known, PublicationPolicy policy, SuppressionReason reason, (long Lower, long? Upper) range,
        Func<double> marksAloneWidth)
    {
        if (policy.Marks == SuppressionMarks.Uniform || reason != SuppressionReason.Primary)
        {
            return range.Upper is { } upper && upper == range.Lower
                || IntervalAudit.IsWideEnough(region, variable, known, policy.MinimumCellSize);
        }
        var whole = range.Upper!.Value - range.Lower;
        if (whole < 1)
        {
            // Under a minimum of 2 with zeros shown, the primary mark itself says the figure is 1.
            throw MarksDisclose();
        }
        if (IntervalAudit.IsWideEnough(region, variable, known, whole))
        {
            return true;
        }
        var reached = IntervalAudit.WholeNumbersBetween(region.Extreme(variable, maximise: false, out _), region.Extreme(variable, maximise: true, out _));
        var alone = marksAloneWidth();
        if (alone < 1)
        {
            throw MarksDisclose();
        }
        // The region lies inside the marks-alone one, so equal whole-number widths mean equal ranges.
        return reached >= alone;
    }

    /// <summary>
    /// The width of a hidden figure's range given only the table's relations and every hidden figure's mark, every
    /// published figure's value unknown (any non-negative number: more than a reader of the marks alone would allow, so
    /// the width is at least theirs and a range as wide as it is a pass).
    /// </summary>
    /// <exception cref="AggregationRefusedException">The table is too large to solve whole.</exception>
    internal static double MarksAloneWidth(
        List<(int Total, int[] Parts)> relations, int size, long[] values, IReadOnlyList<SuppressionReason> reasons, PublicationPolicy policy, int figure)
    {
        var known = new KnownRanges(Enumerable.Range(0, size)
            .Select(f => reasons[f] == SuppressionReason.None ? (0L, (long?)null) : policy.HiddenRange(reasons[f], values[f])).ToList());
        var rows = new List<double[]>();
        var rhs = new List<double>();
        foreach (var (total, parts) in relations)
        {
            var row = new double[known.Width];
            double constant = -known.Lower(total);
            row[total] = 1;
            foreach (var part in parts)
            {
                row[part] -= 1;
                constant += known.Lower(part);
            }
            rows.Add(row);
            rhs.Add(constant);
        }
        known.AddUpperBounds(rows, rhs);
        try
        {
            var budget = new SimplexBudget(MarksAloneCellUpdates, MarksAloneTableauCells);
            var region = FeasibleRegion.Create(rows, rhs, known.Width, budget)
                ?? throw new InvalidOperationException("The table's own values do not satisfy its relations; this is a bug, please report it.");
            return IntervalAudit.WholeNumbersBetween(region.Extreme(figure, maximise: false, out _), region.Extreme(figure, maximise: true, out _));
        }
        catch (SimplexBudgetExceededException)
        {
            throw new AggregationRefusedException(
                AggregationRefusal.PublicationTooLarge,
                "This table is too large to audit for primary and secondary marks: publish it with uniform marks, or group it more coarsely.");
        }
    }

    private const long MarksAloneCellUpdates = 5_000_000_000;
    private const long MarksAloneTableauCells = 16L << 20;

    /// <summary>The refusal when primary and secondary marks would let a reader work out more than the policy promises.</summary>
    internal static AggregationRefusedException MarksDisclose() => new(
        AggregationRefusal.PublicationMarksDisclose,
        "With primary and secondary suppression marked apart, the marks would let a reader work out a hidden figure more "
        + "closely than the publication policy allows, whatever else is suppressed (for instance many small figures under a "
        + "small total). Publish with uniform marks (SuppressionMarks.Uniform; in the CLI, --sdmx-marks uniform).");
}

/// <summary>
/// What the reader knows of each variable of an audit: a least value (the variables are shifted by it, x = x' + lower,
/// which leaves every width unchanged) and, for some, a greatest value, written as an equation with a non-negative slack
/// variable placed after the others (x' + s = upper − lower).
/// </summary>
internal sealed class KnownRanges
{
    private readonly List<(long Lower, long? Upper)> _ranges;
    private readonly int[] _bounded;

    internal KnownRanges(List<(long Lower, long? Upper)> ranges)
    {
        _ranges = ranges;
        _bounded = [.. Enumerable.Range(0, ranges.Count).Where(v => ranges[v].Upper is not null)];
        Width = ranges.Count + _bounded.Length;
    }

    /// <summary>The variables and their slacks.</summary>
    internal int Width { get; }

    internal long Lower(int variable) => _ranges[variable].Lower;

    internal (long Lower, long? Upper) Range(int variable) => _ranges[variable];

    /// <summary>Adds one equation per greatest value.</summary>
    internal void AddUpperBounds(List<double[]> rows, List<double> rhs)
    {
        for (var k = 0; k < _bounded.Length; k++)
        {
            var row = new double[Width];
            var v = _bounded[k];
            row[v] = 1;
            row[_ranges.Count + k] = 1;
            rows.Add(row);
            rhs.Add(_ranges[v].Upper!.Value - _ranges[v].Lower);
        }
    }

    /// <summary>The true values as a point of the shifted region, slacks included.</summary>
    internal double[] Point(long[] values)
    {
        var point = new double[Width];
        for (var v = 0; v < values.Length; v++)
        {
            point[v] = values[v] - _ranges[v].Lower;
        }
        for (var k = 0; k < _bounded.Length; k++)
        {
            point[_ranges.Count + k] = _ranges[_bounded[k]].Upper!.Value - values[_bounded[k]];
        }
        return point;
    }
}

/// <summary>Finds variables whose range over a feasible region is narrower than a width, reusing every point the solver visits.</summary>
internal static class IntervalAudit
{
    /// <summary>Whether the range of <paramref name="variable"/> is at least <paramref name="width"/> wide.</summary>
    /// <remarks>
    /// Counts are whole numbers, so a reader who finds a figure between 0.4 and 9.6 knows it is between 1 and 9: the
    /// real bounds are rounded inwards before they are compared.
    /// </remarks>
    /// <param name="region">The region.</param>
    /// <param name="variable">The variable.</param>
    /// <param name="known">A whole-number point known to be in the region (the true values).</param>
    /// <param name="width">The least acceptable width.</param>
    internal static bool IsWideEnough(FeasibleRegion region, int variable, double[] known, double width)
    {
        // The point phase 1 found is in the region, so the range is at least as wide as it and the true value span.
        var point = region.Point[variable];
        if (WholeNumbersBetween(Math.Min(known[variable], point), Math.Max(known[variable], point)) >= width)
        {
            return true;
        }
        var top = region.Extreme(variable, maximise: true, out _);
        if (double.IsPositiveInfinity(top) || WholeNumbersBetween(known[variable], top) >= width)
        {
            return true;
        }
        return WholeNumbersBetween(region.Extreme(variable, maximise: false, out _), top) >= width;
    }

    /// <summary>The width of the whole-number interval inside [<paramref name="low"/>, <paramref name="high"/>].</summary>
    internal static double WholeNumbersBetween(double low, double high) => Math.Floor(high + 1e-6) - Math.Ceiling(low - 1e-6);

    /// <summary>The exact range of every variable, for audits and tests.</summary>
    internal static (double Low, double High)[] Ranges(FeasibleRegion region, int variables)
    {
        var ranges = new (double, double)[variables];
        for (var v = 0; v < variables; v++)
        {
            ranges[v] = (region.Extreme(v, maximise: false, out _), region.Extreme(v, maximise: true, out _));
        }
        return ranges;
    }

}
