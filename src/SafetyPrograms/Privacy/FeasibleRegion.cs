namespace SafetyPrograms.Privacy;

/// <summary>
/// The set { x ≥ 0 : A x = b } and the range of each variable over it, by the simplex method on a dense tableau.
/// This is what a reader can do with published margins: the range of a suppressed figure is the interval between
/// minimising and maximising it over every non-negative table that agrees with what was published.
/// </summary>
/// <remarks>
/// Phase 1 finds a feasible basis once; each range query starts phase 2 from a copy of it. Dantzig's rule is used
/// until the pivot count suggests cycling, then Bland's rule, which always terminates. Redundant equations (margins
/// repeat one another) are dropped after phase 1. Not thread-safe; small problems only (the tableau is dense).
/// </remarks>
internal sealed class FeasibleRegion
{
    private const double Epsilon = 1e-9;

    private readonly int _variables;
    private readonly double[][] _tableau;
    private readonly int[] _basis;
    private readonly SimplexBudget? _budget;

    // With duals kept, the number of equations, each with its artificial column left in the tableau (never entering again).
    private readonly int? _equations;

    private FeasibleRegion(int variables, double[][] tableau, int[] basis, SimplexBudget? budget, int? equations)
    {
        _variables = variables;
        _tableau = tableau;
        _basis = basis;
        _budget = budget;
        _equations = equations;
    }

    /// <summary>The basic feasible point phase 1 found.</summary>
    internal double[] Point => Solution(_tableau, _basis);

    /// <summary>Builds the region, or returns <c>null</c> when it is empty.</summary>
    /// <param name="rows">The rows of A, each of length <paramref name="variables"/>.</param>
    /// <param name="rhs">b.</param>
    /// <param name="variables">The number of variables.</param>
    /// <param name="budget">The work this region and its range queries may spend, or <c>null</c> for no limit.</param>
    /// <param name="keepDuals">
    /// Whether <see cref="BindingEquations"/> may be asked: the tableau keeps a column per equation, so pivots cost more.
    /// </param>
    /// <exception cref="SimplexBudgetExceededException">The tableau or its pivots would cost more than <paramref name="budget"/> allows.</exception>
    internal static FeasibleRegion? Create(
        IReadOnlyList<double[]> rows, IReadOnlyList<double> rhs, int variables, SimplexBudget? budget = null, bool keepDuals = false)
    {
        var m = rows.Count;
        var width = variables + m + 1;
        budget?.Allocate((long)(m + 1) * width);
        var t = new double[m + 1][];
        var basis = new int[m];
        for (var i = 0; i < m; i++)
        {
            var sign = rhs[i] < 0 ? -1 : 1;
            t[i] = new double[width];
            for (var k = 0; k < variables; k++)
            {
                t[i][k] = sign * rows[i][k];
            }
            t[i][variables + i] = 1;
            t[i][width - 1] = sign * rhs[i];
            basis[i] = variables + i;
        }
        // Phase 1 minimises the sum of the artificial variables.
        var cost = new double[width];
        for (var i = 0; i < m; i++)
        {
            for (var k = 0; k < variables; k++)
            {
                cost[k] -= t[i][k];
            }
            cost[width - 1] -= t[i][width - 1];
        }
        t[m] = cost;
        if (!Minimise(t, basis, variables + m, budget) || -t[m][width - 1] > 1e-6 * (1 + Math.Abs(rhs.Sum())))
        {
            return null;
        }
        var kept = new List<int>(m);
        for (var i = 0; i < m; i++)
        {
            if (basis[i] >= variables)
            {
                var k = Array.FindIndex(t[i], 0, variables, v => Math.Abs(v) > Epsilon);
                if (k < 0)
                {
                    continue; // a redundant equation
                }
                Pivot(t, basis, i, k, budget);
            }
            kept.Add(i);
        }
        // Artificial columns never enter again: keep only the variables and the right-hand side (and, for duals, the
        // artificial columns, which hold the inverse of the basis).
        var columns = keepDuals ? variables + m : variables;
        var tableau = new double[kept.Count + 1][];
        var keptBasis = new int[kept.Count];
        for (var i = 0; i < kept.Count; i++)
        {
            var row = new double[columns + 1];
            Array.Copy(t[kept[i]], row, columns);
            row[columns] = t[kept[i]][width - 1];
            tableau[i] = row;
            keptBasis[i] = basis[kept[i]];
        }
        tableau[kept.Count] = new double[columns + 1];
        return new FeasibleRegion(variables, tableau, keptBasis, budget, keepDuals ? m : null);
    }

    /// <summary>
    /// The equations that hold up the largest or smallest value of a variable: those with a non-zero dual value at the
    /// optimum, so that dropping one of them is what can move the value (a degenerate optimum may name more than that).
    /// </summary>
    /// <param name="variable">The variable.</param>
    /// <param name="maximise"><c>true</c> for the largest value, <c>false</c> for the smallest.</param>
    /// <returns>The indexes of the equations, as passed to <see cref="Create"/>; empty when the value is unbounded.</returns>
    /// <exception cref="InvalidOperationException">The region was created without <c>keepDuals</c>.</exception>
    internal List<int> BindingEquations(int variable, bool maximise)
    {
        var count = _equations ?? throw new InvalidOperationException("The region was created without its duals.");
        var equations = new List<int>();
        if (Solve(variable, maximise, out _, out _) is { } cost)
        {
            for (var i = 0; i < count; i++)
            {
                // The reduced cost of an artificial column is minus its equation's dual value.
                if (Math.Abs(cost[_variables + i]) > Epsilon)
                {
                    equations.Add(i);
                }
            }
        }
        return equations;
    }

    /// <summary>The largest or smallest value of one variable over the region, and a point where it is reached.</summary>
    /// <param name="variable">The variable.</param>
    /// <param name="maximise"><c>true</c> for the largest value, <c>false</c> for the smallest.</param>
    /// <param name="point">A point of the region reaching the value; <c>null</c> when the value is unbounded.</param>
    /// <returns>The value; <see cref="double.PositiveInfinity"/> when the maximum is unbounded.</returns>
    internal double Extreme(int variable, bool maximise, out double[]? point)
    {
        if (Solve(variable, maximise, out var t, out var basis) is null)
        {
            point = null;
            return double.PositiveInfinity;
        }
        point = Solution(t, basis);
        return point[variable];
    }

    /// <summary>Runs phase 2 from a copy of the feasible basis; the final reduced-cost row, or <c>null</c> when unbounded.</summary>
    private double[]? Solve(int variable, bool maximise, out double[][] t, out int[] basis)
    {
        var m = _basis.Length;
        t = new double[m + 1][];
        _budget?.Spend((long)(m + 1) * _tableau[m].Length);
        for (var i = 0; i < m; i++)
        {
            t[i] = (double[])_tableau[i].Clone();
        }
        basis = (int[])_basis.Clone();
        var width = _tableau[m].Length;
        var sign = maximise ? -1.0 : 1.0;
        var cost = new double[width];
        cost[variable] = sign;
        var row = Array.IndexOf(basis, variable);
        if (row >= 0)
        {
            for (var k = 0; k < width; k++)
            {
                cost[k] -= sign * t[row][k];
            }
        }
        t[m] = cost;
        return Minimise(t, basis, _variables, _budget) ? t[m] : null;
    }

    private double[] Solution(double[][] t, int[] basis)
    {
        var x = new double[_variables];
        for (var i = 0; i < basis.Length; i++)
        {
            if (basis[i] < _variables)
            {
                x[basis[i]] = t[i][^1];
            }
        }
        return x;
    }

    /// <summary>Runs the simplex method on a tableau whose last row is the reduced cost; <c>false</c> when unbounded.</summary>
    private static bool Minimise(double[][] t, int[] basis, int enterable, SimplexBudget? budget)
    {
        var m = basis.Length;
        var rhs = t[m].Length - 1;
        var blandAfter = 50 * (m + enterable) + 1000;
        for (var iteration = 0; ; iteration++)
        {
            if (iteration > 20 * blandAfter)
            {
                throw new InvalidOperationException("The simplex method did not converge; this is a bug, please report it.");
            }
            var bland = iteration > blandAfter;
            var entering = -1;
            var best = -Epsilon;
            for (var k = 0; k < enterable; k++)
            {
                if (t[m][k] < best)
                {
                    entering = k;
                    if (bland)
                    {
                        break;
                    }
                    best = t[m][k];
                }
            }
            if (entering < 0)
            {
                return true;
            }
            var leaving = -1;
            var ratio = double.PositiveInfinity;
            for (var i = 0; i < m; i++)
            {
                var a = t[i][entering];
                if (a <= Epsilon)
                {
                    continue;
                }
                var r = t[i][rhs] / a;
                if (r < ratio - Epsilon || (r <= ratio + Epsilon && leaving >= 0 && basis[i] < basis[leaving]))
                {
                    ratio = Math.Min(r, ratio);
                    leaving = i;
                }
            }
            if (leaving < 0)
            {
                return false;
            }
            Pivot(t, basis, leaving, entering, budget);
        }
    }

    private static void Pivot(double[][] t, int[] basis, int row, int column, SimplexBudget? budget)
    {
        var pivotRow = t[row];
        var p = pivotRow[column];
        // Tableaux of table relations stay sparse: update only the pivot row's non-zero columns.
        var nonZero = new List<int>();
        for (var k = 0; k < pivotRow.Length; k++)
        {
            if (pivotRow[k] != 0)
            {
                pivotRow[k] /= p;
                nonZero.Add(k);
            }
        }
        budget?.Spend((long)t.Length * nonZero.Count);
        for (var i = 0; i < t.Length; i++)
        {
            var target = t[i];
            var f = target[column];
            if (i == row || f == 0)
            {
                continue;
            }
            foreach (var k in nonZero)
            {
                target[k] -= f * pivotRow[k];
            }
            target[column] = 0;
        }
        basis[row] = column;
    }
}

/// <summary>
/// How much work the simplex method may do for one publication: tableau cells held, and cell updates over all pivots.
/// A dense tableau grows with the square of the problem and the pivots with its cube, so a publication past the budget
/// is refused before it exhausts memory or runs for hours.
/// </summary>
/// <param name="cellUpdates">The cell updates the pivots may make in all.</param>
/// <param name="cells">The cells one tableau may hold.</param>
internal sealed class SimplexBudget(long cellUpdates, long cells)
{
    private readonly long _cellUpdates = cellUpdates;

    /// <summary>The cell updates left.</summary>
    internal long Remaining { get; private set; } = cellUpdates;

    /// <summary>The cell updates spent so far.</summary>
    internal long Spent => _cellUpdates - Remaining;

    /// <summary>Checks that a tableau of <paramref name="tableauCells"/> cells fits.</summary>
    internal void Allocate(long tableauCells)
    {
        if (tableauCells > cells)
        {
            throw new SimplexBudgetExceededException();
        }
    }

    /// <summary>Takes <paramref name="updates"/> cell updates from the budget.</summary>
    internal void Spend(long updates)
    {
        Remaining -= updates;
        if (Remaining < 0)
        {
            throw new SimplexBudgetExceededException();
        }
    }
}

/// <summary>The simplex method stopped at its <see cref="SimplexBudget"/>; the caller turns this into its own refusal.</summary>
internal sealed class SimplexBudgetExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SimplexBudgetExceededException()
        : base("The linear program is larger than its budget.")
    {
    }
}
