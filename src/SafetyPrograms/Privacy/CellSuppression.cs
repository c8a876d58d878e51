namespace SafetyPrograms.Privacy;

/// <summary>
/// Chooses which figures of a table to suppress: primary suppression of small figures, then secondary suppression
/// until an exact audit finds every suppressed figure's feasible range at least the minimum cell size wide.
/// </summary>
/// <remarks>
/// <para>Two cheap rules run first over every relation (a total and the parts that add up to it): a relation may not
/// have exactly one suppressed figure (it would be the total minus the rest), and when its total is published, its
/// suppressed parts must add up to at least the minimum (each lies between 0 and their sum). Each rule adds the
/// smallest non-zero published figure of the relation.</para>
/// <para>Those rules do not see what several relations pin together, so the audit then solves, for each group of
/// suppressed figures linked by relations, the linear programs a reader would: minimise and maximise each figure over
/// all non-negative tables that agree with what is published. A figure whose range is narrower than the minimum gets
/// the smallest non-zero published figure of its relations suppressed too, and the whole repeats until none fails.
/// It ends: every round suppresses at least one more figure, and a table with nothing published discloses nothing.</para>
/// </remarks>
internal static class CellSuppression
{
    internal static SuppressionReason[] Suppress(TableShape shape, long[] values, PublicationPolicy policy)
    {
        var reasons = new SuppressionReason[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (policy.IsTooSmall(values[i]))
            {
                reasons[i] = SuppressionReason.Primary;
            }
        }
        if (policy.MinimumCellSize <= 1 && policy.ShowZeros)
        {
            return reasons;
        }
        var state = new State(shape.Relations(), values, reasons, policy.MinimumCellSize);
        state.ApplyRelationRules(Enumerable.Range(0, state.Relations.Count));
        while (true)
        {
            var failing = state.Audit();
            if (failing.Count == 0)
            {
                return reasons;
            }
            var added = new List<int>();
            foreach (var figure in failing)
            {
                if (state.SmallestPublishedNear(figure) is { } complement)
                {
                    reasons[complement] = SuppressionReason.Secondary;
                    added.Add(complement);
                }
            }
            if (added.Count == 0)
            {
                throw new InvalidOperationException("Secondary suppression cannot protect the table; this is a bug, please report it.");
            }
            state.ApplyRelationRules(added.SelectMany(f => state.RelationsOf[f]));
        }
    }

    private sealed class State
    {
        private readonly long[] _values;
        private readonly SuppressionReason[] _reasons;
        private readonly int _minimum;

        internal State(List<(int Total, int[] Parts)> relations, long[] values, SuppressionReason[] reasons, int minimum)
        {
            Relations = relations;
            _values = values;
            _reasons = reasons;
            _minimum = minimum;
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

        /// <summary>The suppressed figures whose feasible range is narrower than the minimum, at most one per group.</summary>
        internal List<int> Audit()
        {
            var failing = new List<int>();
            var done = new HashSet<int>();
            for (var f = 0; f < _values.Length; f++)
            {
                if (!IsSuppressed(f) || done.Contains(f))
                {
                    continue;
                }
                var component = Component(f);
                done.UnionWith(component);
                if (FirstPinned(component) is { } pinned)
                {
                    failing.Add(pinned);
                }
            }
            return failing;
        }

        private int? FirstPinned(HashSet<int> component)
        {
            var figures = component.Order().ToArray();
            var variable = new Dictionary<int, int>();
            for (var v = 0; v < figures.Length; v++)
            {
                variable[figures[v]] = v;
            }
            var rows = new List<double[]>();
            var rhs = new List<double>();
            foreach (var r in figures.SelectMany(f => RelationsOf[f]).Distinct())
            {
                var row = new double[figures.Length];
                double constant = 0;
                var (total, parts) = Relations[r];
                foreach (var (term, coefficient) in parts.Select(p => (p, -1.0)).Prepend((total, 1.0)))
                {
                    if (IsSuppressed(term))
                    {
                        row[variable[term]] += coefficient;
                    }
                    else
                    {
                        constant -= coefficient * _values[term];
                    }
                }
                rows.Add(row);
                rhs.Add(constant);
            }
            var region = FeasibleRegion.Create(rows, rhs, figures.Length)
                ?? throw new InvalidOperationException("The table's own values do not satisfy its relations; this is a bug, please report it.");
            return IntervalAudit.FirstNarrower(region, [.. figures.Select(f => (double)_values[f])], _minimum) is { } pinned ? figures[pinned] : null;
        }
    }
}

/// <summary>Finds variables whose range over a feasible region is narrower than a width, reusing every point the solver visits.</summary>
internal static class IntervalAudit
{
    /// <summary>The first variable whose range is narrower than <paramref name="width"/>, or <c>null</c>.</summary>
    /// <param name="region">The region.</param>
    /// <param name="known">A point known to be in the region (the true values).</param>
    /// <param name="width">The least acceptable width.</param>
    internal static int? FirstNarrower(FeasibleRegion region, double[] known, double width)
    {
        var low = (double[])known.Clone();
        var high = (double[])known.Clone();
        Observe(region.Point, low, high);
        for (var v = 0; v < known.Length; v++)
        {
            if (high[v] - low[v] >= width - 1e-6)
            {
                continue;
            }
            if (double.IsPositiveInfinity(region.Extreme(v, maximise: true, out var top)))
            {
                continue;
            }
            Observe(top!, low, high);
            if (high[v] - low[v] >= width - 1e-6)
            {
                continue;
            }
            region.Extreme(v, maximise: false, out var bottom);
            Observe(bottom!, low, high);
            if (high[v] - low[v] < width - 1e-6)
            {
                return v;
            }
        }
        return null;
    }

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

    private static void Observe(double[] point, double[] low, double[] high)
    {
        for (var v = 0; v < point.Length; v++)
        {
            low[v] = Math.Min(low[v], point[v]);
            high[v] = Math.Max(high[v], point[v]);
        }
    }
}
