using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// The radix-partitioned pass (QueryEngine.Partitioned.cs). It is taken when every measure is additive or a distinct
/// count of activities or schools (no exact or approximate unique, no improved share), the key space is at most
/// <c>DenseLimit</c>, and the group state over the whole key space exceeds <see cref="AggregationQuery.PartitionAboveStateBytes"/>
/// (256 KiB by default); above <c>SparseFrom</c> keys it numbers the keys present first. Each test states which
/// path and how many ranges it runs on, asked of the engine itself (<see cref="QueryEngine.RouteOf"/>).
/// </summary>
public class PartitionedAggregationTests
{
    private static readonly Measure[] Q2 = [Measure.Participations, Measure.Completions, Measure.MeanGain];

    private static readonly Measure[] PartitionableMeasures =
    [
        Measure.Participations, Measure.Completions, Measure.CompletionRate, Measure.MeanPreScore, Measure.MeanPostScore,
        Measure.MeanGain, Measure.Activities, Measure.Schools,
    ];

    public static TheoryData<string, bool, int> ForcedShapes()
    {
        var data = new TheoryData<string, bool, int>();
        foreach (var threads in new[] { 1, 2, 3 })
        {
            data.Add("day,school,role", false, threads);
            data.Add("school,quarter", false, threads);
            data.Add("province,district,school,quarter", true, threads);
            data.Add("week,school,ageBand", true, threads);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ForcedShapes))]
    public void Run_ForcedPartitioned_AnyThreadCount_MatchesReference(string grouping, bool rollup, int threads)
    {
        var p = TestProgramme.Build(seed: 201, records: 4000, beneficiaries: 900);
        var store = p.Store();
        var rng = new Random(threads * 100 + grouping.Length);
        for (var q = 0; q < 4; q++)
        {
            var shape = QueryShape.DrawAround(rng, p, GroupByTests.Parse(grouping), DrawPartitionable(rng)) with
            {
                Rollup = rollup,
                Threads = threads,
                MinRecordsPerThread = 1,
                PartitionAboveStateBytes = 0,
            };
            AssertOnPathAndLikeReference(p, store, shape, partitioned: true, $"query {q}");
        }
    }

    [Theory]
    [InlineData("school,quarter", false)]
    [InlineData("school,month", true)]
    public void Run_ManySchools_DefaultThresholds_PartitionsAndMatchesReference(string grouping, bool numbered)
    {
        var path = numbered ? EnginePath.PartitionedNumbered : EnginePath.PartitionedDense;
        // 2,500 schools: school x quarter has about 30,000 keys of four longs, about 1 MB of state, so the engine partitions
        // with its default threshold; school x month has more keys than SparseFrom, so it numbers them first.
        var p = TestProgramme.Build(seed: 202, records: 6000, beneficiaries: 3000, schools: 2500, schoolOverrideTenths: 8);
        var store = p.Store();
        foreach (var threads in new[] { 1, 2, 3 })
        {
            var shape = new QueryShape { Terms = GroupByTests.Parse(grouping), Measures = Q2, Threads = threads, MinRecordsPerThread = 1 };
            var query = shape.ToQuery(store);
            Assert.Equal(path, QueryEngine.RouteOf(query).Path);
            Assert.Equal(threads, QueryEngine.RouteOf(query).Ranges);
            shape.AssertMatchesReference(p, store, "default thresholds");
        }
    }

    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 60)]
    [InlineData(3, 60)]
    [InlineData(2, 20_000)]
    [InlineData(3, 20_000)]
    public void Run_BeneficiaryHeavyExactUnique_NeverPartitioned_MatchesReference(int threads, int beneficiaries)
    {
        // 60 children with about 80 records each: a range boundary inside a child's records would count the child twice.
        // 20,000 children for 5,000 records: large unique counts, and registers shared by several children.
        // Distinct state relies on the beneficiary order, so even a zero threshold must not partition these queries.
        var p = TestProgramme.Build(seed: 203, records: 5000, beneficiaries: beneficiaries);
        var store = p.Store();
        Measure[] measures = [Measure.UniqueBeneficiaries, Measure.ApproximateUniqueBeneficiaries, Measure.ImprovedShare, .. Q2];
        foreach (var grouping in new[] { "day,school,role", "school,quarter", "district,role,fiscalYear" })
        {
            var shape = new QueryShape
            {
                Terms = GroupByTests.Parse(grouping),
                Measures = measures,
                Threads = threads,
                MinRecordsPerThread = 1,
                PartitionAboveStateBytes = 0,
            };
            AssertOnPathAndLikeReference(p, store, shape, partitioned: false, "exact unique");
        }
    }

    [Fact]
    public void Run_PartitionedAndSinglePass_GiveBitIdenticalRows()
    {
        // The same query with and without partitioning: sums are integers, and means and rates come from one formula,
        // so not even the last bit may differ.
        var p = TestProgramme.Build(seed: 204, records: 4000);
        var store = p.Store();
        var rng = new Random(204);
        foreach (var grouping in new[] { "day,school,role", "school,quarter", "mode,sex,month" })
        {
            var shape = QueryShape.DrawAround(rng, p, GroupByTests.Parse(grouping), PartitionableMeasures) with { Threads = 2, MinRecordsPerThread = 1 };
            var partitioned = shape with { PartitionAboveStateBytes = 0 };
            var single = shape with { PartitionAboveStateBytes = long.MaxValue };
            Assert.True(QueryEngine.RouteOf(partitioned.ToQuery(store)).Path is EnginePath.PartitionedDense or EnginePath.PartitionedNumbered);
            Assert.True(QueryEngine.RouteOf(single.ToQuery(store)).Path is EnginePath.Dense or EnginePath.Mapped);
            Reference.AssertSame(
                Reference.Rows(single.ToQuery(store).Run()), Reference.Rows(partitioned.ToQuery(store).Run()), tolerance: 0, context: shape.ToString());
        }
    }

    /// <summary>Asserts the premise (partitioned or not, on as many ranges as the shape's threads), then the answer.</summary>
    private static void AssertOnPathAndLikeReference(TestProgramme p, ParticipationStore store, QueryShape shape, bool partitioned, string context)
    {
        var query = shape.ToQuery(store);
        var (path, ranges, _) = QueryEngine.RouteOf(query);
        Assert.True((path is EnginePath.PartitionedDense or EnginePath.PartitionedNumbered) == partitioned, $"premise: partitioned={partitioned}, path {path}: {shape}");
        Assert.Equal(shape.Threads, ranges);
        shape.AssertMatchesReference(p, store, context);
    }

    private static Measure[] DrawPartitionable(Random rng)
    {
        var measures = PartitionableMeasures.Where(_ => rng.Next(2) == 0).ToArray();
        return measures.Length == 0 ? Q2 : measures;
    }
}
