using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// Rollups over random term orders on data where summing unique counts would be wrong: every subtotal and the grand
/// total must be the reference's recount over the records of that subtotal.
/// </summary>
public class RollupRecountTests
{
    private static readonly Measure[] DistinctMeasures =
    [
        Measure.UniqueBeneficiaries, Measure.ApproximateUniqueBeneficiaries, Measure.ImprovedShare, Measure.Activities, Measure.Schools,
        Measure.Participations,
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Rollup_RandomTermOrders_EveryLevelIsARecountNotASum(int seed)
    {
        // 250 children share 3,000 records: each child falls in many detail groups, so children's unique counts add up
        // to more than their parent's.
        var p = TestProgramme.Build(seed: 300 + seed, records: 3000, beneficiaries: 250);
        var store = p.Store();
        var rng = new Random(seed);
        for (var q = 0; q < 10; q++)
        {
            var terms = QueryShape.AllTerms.OrderBy(_ => rng.Next()).Take(rng.Next(2, 5)).ToArray();
            var shape = QueryShape.DrawAround(rng, p, terms, DistinctMeasures) with { Rollup = true, Filters = [], Dates = null };
            var result = shape.ToQuery(store).Run();

            Reference.AssertSame(shape.Expected(p), Reference.Rows(result), QueryShape.ExactEnough, shape.ToString());
            Assert.Equal(p.Records.Select(r => r.Beneficiary).Distinct().Count(), result.GrandTotal!.Value.Count(Measure.UniqueBeneficiaries));
            var sums = ChildSums(result, Measure.UniqueBeneficiaries);
            Assert.All(sums, x => Assert.True(x.ChildSum >= x.Parent.Count(Measure.UniqueBeneficiaries), x.Parent.ToString()));
            Assert.True(
                sums.Any(x => x.ChildSum > x.Parent.Count(Measure.UniqueBeneficiaries)),
                $"premise: somewhere summing the children would overcount, {shape}");
        }
    }

    [Fact]
    public void Rollup_Geographic_TwoThreads_SubtotalsAreRecounts()
    {
        // Most records name their own school, so a child is at several schools of one district and several districts.
        var p = TestProgramme.Build(seed: 305, records: 3000, beneficiaries: 300, schoolOverrideTenths: 8);
        var shape = new QueryShape
        {
            Terms = [Dimension.Country, Dimension.Province, Dimension.District, Dimension.School],
            Measures = DistinctMeasures,
            Rollup = true,
            Threads = 2,
            MinRecordsPerThread = 1,
        };
        var result = shape.ToQuery(p.Store()).Run();
        Reference.AssertSame(shape.Expected(p), Reference.Rows(result), QueryShape.ExactEnough);
        foreach (var level in new[] { 1, 2 })
        {
            Assert.Contains(
                ChildSums(result, Measure.UniqueBeneficiaries),
                x => x.Parent.Level == level && x.ChildSum > x.Parent.Count(Measure.UniqueBeneficiaries));
        }
    }

    [Fact]
    public void Rollup_RandomShapes_DetailRowsThenSubtotalsByLevelThenGrandTotal_AlsoFromPartials()
    {
        var p = TestProgramme.Build(seed: 306, records: 2000);
        var store = p.Store();
        var rng = new Random(306);
        for (var q = 0; q < 15; q++)
        {
            var shape = QueryShape.Draw(rng, p) with { Rollup = true };
            foreach (var result in new[] { shape.ToQuery(store).Run(), shape.ToQuery(store).RunPartial().ToResult(rollup: true) })
            {
                var levels = result.Rows.Select(r => r.Level).ToList();
                Assert.Equal(levels.Order(), levels);
                Assert.Equal(levels.Count > 0, result.GrandTotal is not null);
                Assert.Equal(levels.Count(l => l == shape.Terms.Length), result.GrandTotal is null ? 0 : 1);
                Assert.All(result.Rows, r => Assert.Equal(
                    Enumerable.Range(0, shape.Terms.Length).Select(t => t >= shape.Terms.Length - r.Level),
                    r.Keys.Select(k => k is null)));
            }
        }
    }

    /// <summary>For every subtotal row, the sum of a measure over the rows one level below it with the same leading keys.</summary>
    private static List<(ResultRow Parent, long ChildSum)> ChildSums(AggregationResult result, Measure measure)
    {
        var k = result.GroupBy.Count;
        string Prefix(ResultRow row, int parentLevel) => string.Join('|', row.Keys.Take(k - parentLevel));
        var sums = new Dictionary<(int, string), long>();
        foreach (var child in result.Rows.Where(r => r.Level < k))
        {
            var key = (child.Level + 1, Prefix(child, child.Level + 1));
            sums[key] = sums.GetValueOrDefault(key) + child.Count(measure);
        }
        return result.Rows.Where(r => r.Level > 0).Select(parent => (parent, sums[(parent.Level, Prefix(parent, parent.Level))])).ToList();
    }
}
