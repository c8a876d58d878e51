using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

/// <summary>The linear-programming core that both the suppression engine and the attacker rely on.</summary>
public class FeasibleRegionTests
{
    private static (double Low, double High)[] Ranges(double[][] rows, double[] rhs, int variables) =>
        IntervalAudit.Ranges(FeasibleRegion.Create(rows, rhs, variables)!, variables);

    [Fact]
    public void Ranges_OneSum_EachPartBetweenZeroAndTheSum()
    {
        var ranges = Ranges([[1, 1, 1]], [12], 3);
        Assert.All(ranges, r => Assert.Equal((0.0, 12.0), r));
    }

    [Fact]
    public void Ranges_TwoEquations_PinOneVariable()
    {
        // x + y + z = 10, x + y = 4: z is 6 whatever x and y are.
        var ranges = Ranges([[1, 1, 1], [1, 1, 0]], [10, 4], 3);
        Assert.Equal((6.0, 6.0), ranges[2]);
        Assert.Equal((0.0, 4.0), ranges[0]);
    }

    [Fact]
    public void Ranges_RedundantEquations_AreTolerated()
    {
        var ranges = Ranges([[1, 1], [2, 2], [1, 1]], [10, 20, 10], 2);
        Assert.Equal((0.0, 10.0), ranges[0]);
    }

    [Fact]
    public void Ranges_Unconstrained_IsUnboundedAbove()
    {
        var ranges = Ranges([[1, -1]], [3], 2);
        Assert.Equal(3.0, ranges[0].Low, 9);
        Assert.True(double.IsPositiveInfinity(ranges[0].High));
    }

    [Fact]
    public void Create_InconsistentEquations_IsNull()
    {
        Assert.Null(FeasibleRegion.Create([[1, 1]], [-1], 2));
        Assert.Null(FeasibleRegion.Create([[1, 1], [1, 1]], [4, 5], 2));
    }

    [Fact]
    public void Ranges_RandomTwoByThreeTablesWithKnownMargins_MatchBruteForce()
    {
        // Cells x[i,j] >= 0 with row sums r and column sums c: enumerate every integer table and compare.
        var random = new Random(42);
        for (var trial = 0; trial < 40; trial++)
        {
            var cells = Enumerable.Range(0, 6).Select(_ => random.Next(0, 7)).ToArray();
            double[] rhs = [cells[0] + cells[1] + cells[2], cells[3] + cells[4] + cells[5], cells[0] + cells[3], cells[1] + cells[4], cells[2] + cells[5]];
            double[][] rows =
            [
                [1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1],
                [1, 0, 0, 1, 0, 0], [0, 1, 0, 0, 1, 0], [0, 0, 1, 0, 0, 1],
            ];
            var ranges = Ranges(rows, rhs, 6);
            var low = Enumerable.Repeat(int.MaxValue, 6).ToArray();
            var high = new int[6];
            for (var a = 0; a <= rhs[0]; a++)
            {
                for (var b = 0; a + b <= rhs[0]; b++)
                {
                    int[] t = [a, b, (int)rhs[0] - a - b, (int)rhs[2] - a, (int)rhs[3] - b, (int)rhs[4] - ((int)rhs[0] - a - b)];
                    if (t.Any(v => v < 0))
                    {
                        continue;
                    }
                    for (var k = 0; k < 6; k++)
                    {
                        low[k] = Math.Min(low[k], t[k]);
                        high[k] = Math.Max(high[k], t[k]);
                    }
                }
            }
            for (var k = 0; k < 6; k++)
            {
                Assert.Equal(low[k], ranges[k].Low, 6);
                Assert.Equal(high[k], ranges[k].High, 6);
            }
        }
    }

    [Fact]
    public void IntegerMaximum_FractionalRelaxation_IsRoundedByBranching()
    {
        // 2a + b = 5: the relaxation allows a = 2.5, whole numbers only a = 2 (b = 1).
        Assert.Equal(2.5, FeasibleRegion.Create([[2, 1]], [5], 2)!.Extreme(0, maximise: true, out _), 9);
        Assert.Equal(2, TableAttacker.IntegerMaximum([[2, 1]], [5], 2, 0, 1));
        // a + b = 1, b + c = 1, a + c = 1 has only a = b = c = 0.5: no whole-number solution.
        Assert.Equal(double.NegativeInfinity, TableAttacker.IntegerMaximum([[1, 1, 0], [0, 1, 1], [1, 0, 1]], [1, 1, 1], 3, 0, 1));
        // 3a + 3b + c = 10, minimised: a = b = 0 is allowed (c = 10), so the least a is 0.
        Assert.Equal(0, -TableAttacker.IntegerMaximum([[3, 3, 1]], [10], 3, 0, -1));
    }
}
