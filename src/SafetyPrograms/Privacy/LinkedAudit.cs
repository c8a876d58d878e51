using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Privacy;

/// <summary>
/// The cross-table audit of a <see cref="PublicationSession"/>: tables of one unit (distinct beneficiaries, activities or
/// schools) from one store, written over the groups of units that fall in the same cells of every table ("atoms"), so
/// that every figure of every table is a sum of atoms and any subtraction between tables is a linear consequence.
/// </summary>
/// <remarks>
/// <para>Only atoms that occur are variables; a reader who knows the filters may know more about which combinations can
/// occur than the published figures say, but never that an occurring one cannot, so this model gives the reader at least
/// as much as they have and ranges at most as wide: a pass here is a pass.</para>
/// <para>Every occurring atom is free, not only those under a suppressed figure. Holding the others at their true sizes
/// would also be a pass-is-a-pass model, but a far narrower one: each hidden figure's atoms could then move only
/// against atoms of other hidden figures with the very same cells in every other table, which a sparse log rarely has,
/// so nearly every hidden figure looked pinned and the suppression of one table spread to all of them.</para>
/// </remarks>
internal sealed class LinkedAudit
{
    private readonly ParticipationStore _store;
    private readonly PublicationPolicy _policy;
    private readonly IReadOnlyList<(GroupingTerm[] GroupBy, Func<AggregationQuery, AggregationQuery> Filter, PublicationTable Table)> _requests;
    private readonly Measure _unit;
    private readonly PublicationTable[] _tables;
    private readonly SimplexBudget _budget;
    private long[] _atomSize = [];
    private List<(int Table, int Figure)>[] _figuresOf = [];
    private List<int>[][] _atomsOf = [];

    private static readonly bool[] Directions = [false, true];

    internal LinkedAudit(
        ParticipationStore store, PublicationPolicy policy,
        IReadOnlyList<(GroupingTerm[] GroupBy, Func<AggregationQuery, AggregationQuery> Filter, PublicationTable Table)> tables, Measure unit,
        SimplexBudget budget)
    {
        _store = store;
        _policy = policy;
        _requests = tables;
        _unit = unit;
        _budget = budget;
        _tables = [.. tables.Select(t => t.Table)];
    }

    /// <summary>
    /// Writes every figure as a sum of atoms: the units of each table's cells, from the store, grouped by the cells they
    /// fall in across all the tables.
    /// </summary>
    private void BuildAtoms()
    {
        var cellsOf = new Dictionary<string, int[]>(StringComparer.Ordinal);
        for (var t = 0; t < _requests.Count; t++)
        {
            var (groupBy, filter, table) = _requests[t];
            foreach (var group in filter(_store.Query()).GroupBy(groupBy).Measure(_unit).RunPartial().Groups)
            {
                var cell = table.Shape.IndexOf([.. group.Keys.Select(k => k is { Length: > 0 } ? k : AggregationPublishing.MissingKey)]);
                var members = _unit switch
                {
                    Measure.Activities => group.Activities,
                    Measure.Schools => group.Schools,
                    _ => group.Beneficiaries,
                };
                foreach (var member in members ?? [])
                {
                    if (!cellsOf.TryGetValue(member, out var cells))
                    {
                        cellsOf[member] = cells = Enumerable.Repeat(-1, _requests.Count).ToArray();
                    }
                    // The table's own recount check refuses a grouping that puts one unit in two cells.
                    cells[t] = cells[t] < 0 ? cell : throw new InvalidOperationException("A published table counts one unit in two cells; this is a bug, please report it.");
                }
            }
        }

        var atomOf = new Dictionary<int[], int>(CellsComparer.Instance);
        var sizes = new List<long>();
        var signatures = new List<int[]>();
        foreach (var cells in cellsOf.Values)
        {
            if (!atomOf.TryGetValue(cells, out var atom))
            {
                atomOf[cells] = atom = sizes.Count;
                sizes.Add(0);
                signatures.Add(cells);
            }
            sizes[atom]++;
        }
        _atomSize = [.. sizes];
        _figuresOf = new List<(int, int)>[_atomSize.Length];
        _atomsOf = [.. _tables.Select(t => Enumerable.Range(0, t.Shape.Size).Select(_ => new List<int>()).ToArray())];
        for (var atom = 0; atom < _atomSize.Length; atom++)
        {
            _figuresOf[atom] = [];
            for (var t = 0; t < _tables.Length; t++)
            {
                if (signatures[atom][t] is var cell and >= 0)
                {
                    foreach (var figure in _tables[t].Shape.FiguresAbove(cell))
                    {
                        _figuresOf[atom].Add((t, figure));
                        _atomsOf[t][figure].Add(atom);
                    }
                }
            }
        }
        for (var t = 0; t < _tables.Length; t++)
        {
            for (var f = 0; f < _tables[t].Shape.Size; f++)
            {
                if (_atomsOf[t][f].Sum(a => _atomSize[a]) != _tables[t].Values[f])
                {
                    throw new InvalidOperationException("A published figure is not the sum of the units under it; this is a bug, please report it.");
                }
            }
        }
    }

    /// <summary>
    /// Suppresses, in <paramref name="linked"/>, figures of these tables until no suppressed non-zero figure of any of them
    /// can be worked out to within the minimum from everything they publish together.
    /// </summary>
    /// <param name="linked">Per table, the figures it must hide for the others; updated in place.</param>
    /// <exception cref="SimplexBudgetExceededException">Protecting the tables would cost more than the budget.</exception>
    internal void Protect(bool[][] linked)
    {
        var reasons = _tables.Select((t, i) => CellSuppression.Suppress(t.Shape, t.Values, _policy, linked[i])).ToArray();
        if (!AnySuppressed(reasons))
        {
            // Nothing hidden, nothing to work out: the units need not be read from the store at all.
            return;
        }
        BuildAtoms();
        while (FirstUnprotected(reasons) is var (table, figure, binding))
        {
            var (ct, cf) = Complement(reasons, table, figure, binding)
                ?? throw (_policy.Marks == SuppressionMarks.PrimaryAndSecondary
                    ? CellSuppression.MarksDisclose()
                    : new InvalidOperationException("Linked suppression cannot protect the tables; this is a bug, please report it."));
            linked[ct][cf] = true;
            reasons[ct] = CellSuppression.Suppress(_tables[ct].Shape, _tables[ct].Values, _policy, linked[ct]);
        }
    }

    /// <summary>Whether any table hides a non-zero figure: the only figures a reader could work out.</summary>
    private bool AnySuppressed(SuppressionReason[][] reasons)
    {
        for (var t = 0; t < _tables.Length; t++)
        {
            for (var f = 0; f < reasons[t].Length; f++)
            {
                if (reasons[t][f] != SuppressionReason.None && _tables[t].Values[f] > 0)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// The first suppressed non-zero figure whose range, over every non-negative solution of the atom sums that agrees
    /// with every published figure, is narrower than the minimum, with the published figures that hold its range up;
    /// <c>null</c> when there is none.
    /// </summary>
    /// <remarks>
    /// A zero figure that the policy hides counts no atom, so this model cannot free it; the table's own audit
    /// protects it (see the session's remarks).
    /// </remarks>
    private (int Table, int Figure, List<(int Table, int Figure)> Binding)? FirstUnprotected(SuppressionReason[][] reasons)
    {
        var suppressed = new List<(int Table, int Figure)>();
        for (var t = 0; t < _tables.Length; t++)
        {
            for (var f = 0; f < reasons[t].Length; f++)
            {
                if (reasons[t][f] != SuppressionReason.None && _tables[t].Values[f] > 0)
                {
                    suppressed.Add((t, f));
                }
            }
        }
        if (suppressed.Count == 0)
        {
            return null;
        }
        // Every atom is a variable, at least 0; each hidden figure y is what the reader knows of it (at least 1 when zeros
        // are shown; with primary and secondary marks, also at most the minimum − 1 or at least the minimum), shifted:
        // y = y' + lower.
        var atoms = _atomSize.Length;
        var known = new KnownRanges([
            .. Enumerable.Repeat((0L, (long?)null), atoms),
            .. suppressed.Select(s => _policy.HiddenRange(reasons[s.Table][s.Figure], _tables[s.Table].Values[s.Figure])),
        ]);
        var width = known.Width;
        var rows = new List<double[]>();
        var rhs = new List<double>();
        var publishedRows = new List<(int Table, int Figure)>();
        for (var t = 0; t < _tables.Length; t++)
        {
            for (var f = 0; f < reasons[t].Length; f++)
            {
                if (reasons[t][f] == SuppressionReason.None && _atomsOf[t][f].Count > 0)
                {
                    var row = new double[width];
                    foreach (var a in _atomsOf[t][f])
                    {
                        row[a] = 1;
                    }
                    rows.Add(row);
                    rhs.Add(_tables[t].Values[f]);
                    publishedRows.Add((t, f));
                }
            }
        }
        var values = new long[atoms + suppressed.Count];
        Array.Copy(_atomSize, values, atoms);
        for (var k = 0; k < suppressed.Count; k++)
        {
            var (t, f) = suppressed[k];
            var row = new double[width];
            row[atoms + k] = 1;
            foreach (var atom in _atomsOf[t][f])
            {
                row[atom] = -1;
            }
            rows.Add(row);
            rhs.Add(-known.Lower(atoms + k));
            values[atoms + k] = _tables[t].Values[f];
        }
        known.AddUpperBounds(rows, rhs);
        var region = FeasibleRegion.Create(rows, rhs, width, _budget, keepDuals: true)
            ?? throw new InvalidOperationException("The tables' own values do not satisfy their sums; this is a bug, please report it.");
        var point = known.Point(values);
        for (var k = 0; k < suppressed.Count; k++)
        {
            var (t, f) = suppressed[k];
            // The promise for a primary figure is its own table's marks-alone range: the other tables' marks can only
            // narrow that, so comparing with it asks at least as much.
            if (!CellSuppression.KeepsPromise(
                region, atoms + k, point, _policy, reasons[t][f], known.Range(atoms + k),
                () => CellSuppression.MarksAloneWidth(_tables[t].Shape.Relations(), _tables[t].Shape.Size, _tables[t].Values, reasons[t], _policy, f)))
            {
                List<(int Table, int Figure)> binding = [.. Directions
                    .SelectMany(maximise => region.BindingEquations(atoms + k, maximise))
                    .Where(e => e < publishedRows.Count)
                    .Select(e => publishedRows[e])
                    .Distinct()];
                return (t, f, binding);
            }
        }
        return null;
    }

    /// <summary>
    /// The published figure to hide for a hidden one whose range is too narrow: one that counts exactly the same units (the
    /// same figure published by another table, such as the grand total of every table of everyone), which pins it
    /// whatever else is hidden; otherwise the smallest published figure that holds up its range (an equation with a
    /// non-zero dual value where its least or greatest value is reached: hiding a figure that pins nothing widens
    /// nothing, and spreads); failing that, the smallest published figure that counts some of the same units. Another
    /// table's first; ties to the earlier.
    /// </summary>
    private (int Table, int Figure)? Complement(
        SuppressionReason[][] reasons, int table, int figure, List<(int Table, int Figure)> binding)
    {
        // Each figure lists its atoms in ascending order, so the same units are the same list.
        var units = _atomsOf[table][figure];
        foreach (var candidate in _figuresOf[units[0]])
        {
            if (reasons[candidate.Table][candidate.Figure] == SuppressionReason.None && _atomsOf[candidate.Table][candidate.Figure].SequenceEqual(units))
            {
                return candidate;
            }
        }
        (int Table, int Figure)? best = null;
        (bool, long, int, int) Rank((int T, int F) c) => (c.T == table, _tables[c.T].Values[c.F], c.T, c.F);
        foreach (var candidate in binding)
        {
            if (best is not { } b || Rank(candidate).CompareTo(Rank(b)) < 0)
            {
                best = candidate;
            }
        }
        if (best is not null)
        {
            return best;
        }
        foreach (var atom in _atomsOf[table][figure])
        {
            foreach (var candidate in _figuresOf[atom])
            {
                if (reasons[candidate.Table][candidate.Figure] == SuppressionReason.None
                    && (best is not { } b || Rank(candidate).CompareTo(Rank(b)) < 0))
                {
                    best = candidate;
                }
            }
        }
        return best;
    }
}

/// <summary>Compares the cells a unit falls in, table by table, by value: units with equal cells form one atom.</summary>
file sealed class CellsComparer : IEqualityComparer<int[]>
{
    internal static CellsComparer Instance { get; } = new();

    public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(int[] obj)
    {
        var hash = default(HashCode);
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
        return hash.ToHashCode();
    }
}
