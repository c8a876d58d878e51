using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>Random queries over stores at the edges of what the engine holds, and concurrent queries on one store.</summary>
public class EdgeStoreTests
{
    public static TheoryData<string> Edges() => ["empty", "one record", "one child", "first and last storable days", "unusual scores"];

    [Theory]
    [MemberData(nameof(Edges))]
    public void Run_RandomQueriesOnEdgeStore_MatchLinqReference(string edge)
    {
        var p = TestProgramme.Build(seed: 600, records: 1500, everyStorableDay: true);
        var records = EdgeRecords(p, edge);
        var store = p.Store(records);
        var rng = new Random(edge.Length);
        // Every query over the full storable day range plans all 65,536 days, so that store gets fewer queries.
        var queries = edge.StartsWith("first and last", StringComparison.Ordinal) ? 8 : 20;
        for (var q = 0; q < queries; q++)
        {
            var shape = QueryShape.Draw(rng, p);
            shape.AssertMatchesReference(p, store, $"{edge}, query {q}", records);
            Reference.AssertSame(
                shape.Expected(p, records), Reference.Rows(shape.ToQuery(store).RunPartial().ToResult(shape.Rollup)), QueryShape.ExactEnough,
                $"{edge}, partial of query {q}: {shape}");
        }
    }

    [Fact]
    public void Run_NoGroupingTerms_RandomMeasuresFiltersAndThreads_OneTotalRowLikeReference()
    {
        var p = TestProgramme.Build(seed: 602, records: 2000);
        var store = p.Store();
        var rng = new Random(602);
        for (var q = 0; q < 15; q++)
        {
            var shape = QueryShape.DrawAround(rng, p, [], [.. Enum.GetValues<Measure>().Where(_ => rng.Next(2) == 0)]);
            shape.AssertMatchesReference(p, store, $"query {q}");
        }
    }

    [Theory]
    [InlineData(2023, 3, 1, 2023, 9, 30, 2023, 6, 1, 2024, 1, 31)]
    [InlineData(2023, 3, 1, 2023, 4, 30, 2023, 6, 1, 2023, 7, 31)]
    public void Between_Twice_KeepsTheIntersection(int y1, int m1, int d1, int y2, int m2, int d2, int y3, int m3, int d3, int y4, int m4, int d4)
    {
        var p = TestProgramme.Build(seed: 603, records: 2000);
        LocalDate a = new(y1, m1, d1), b = new(y2, m2, d2), c = new(y3, m3, d3), d = new(y4, m4, d4);
        var result = p.Store().Query().GroupBy(TimeBucket.Month).Measure(Measure.UniqueBeneficiaries).Between(a, b).Between(c, d).Run();
        var from = a > c ? a : c;
        var to = b < d ? b : d;
        Reference.AssertSame(
            Reference.Compute(p, [TimeBucket.Month], [Measure.UniqueBeneficiaries], r => r.Date >= from && r.Date <= to), Reference.Rows(result));
    }

    [Fact]
    public void Run_ConcurrentQueriesOnAStoreLeftUnsortedByAnAppend_EachMatchesLinqReference()
    {
        // The first queries after an append race to sort the store; each must see the sorted columns, whole.
        var p = TestProgramme.Build(seed: 601, records: 3000);
        var store = p.Store(p.Records.Take(1000));
        _ = store.Query().Run();
        store.Append(p.Records.Skip(1000));
        var rng = new Random(601);
        var shapes = Enumerable.Range(0, 12).Select(_ => QueryShape.Draw(rng, p)).ToArray();
        var expected = shapes.Select(s => s.Expected(p)).ToArray();
        var actual = new Dictionary<string, double[]>[shapes.Length];
        Parallel.For(0, shapes.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => actual[i] = Reference.Rows(shapes[i].ToQuery(store).Run()));
        for (var i = 0; i < shapes.Length; i++)
        {
            Reference.AssertSame(expected[i], actual[i], QueryShape.ExactEnough, $"query {i}: {shapes[i]}");
        }
    }

    private static List<ParticipationRecord> EdgeRecords(TestProgramme p, string edge)
    {
        var first = new LocalDate(2000, 1, 1);
        var last = new LocalDate(2179, 6, 6);
        return edge switch
        {
            "empty" => [],
            "one record" => [p.Records[0]],
            "one child" => p.Records.Take(400).Select(r => Copy(r, beneficiary: "the-only-child")).ToList(),
            // The store's day range is then all 65,536 days it can hold.
            // Only records of the phase open from 2000-01-01 may be dated on any storable day.
            "first and last storable days" => p.Records.Select((r, i) => Copy(
                r, date: p.Activities[r.Activity].Phase.Value != "p2-ph1" ? r.Date : (i % 5) switch { 0 => first, 1 => last, _ => r.Date })).ToList(),
            // Negative, zero, four-decimal and very large scores, and a score on only one side.
            _ => p.Records.Select((r, i) => Copy(r, scores: (i % 6) switch
            {
                0 => (-12.3456m, 0m),
                1 => (0m, -0.0001m),
                2 => (999_999_999.9999m, 1_000_000_000m),
                3 => (7.1234m, null),
                4 => (null, 3.5m),
                _ => (r.PreScore, r.PostScore),
            })).ToList(),
        };
    }

    private static ParticipationRecord Copy(
        ParticipationRecord r, string? beneficiary = null, LocalDate? date = null, (decimal? Pre, decimal? Post)? scores = null) =>
        new(
            beneficiary is null ? r.Beneficiary : new BeneficiaryKey(beneficiary), r.Activity, date ?? r.Date, r.Role, r.Sex, r.AgeBand, r.Mode,
            r.Completed, r.School, scores is { } s ? s.Pre : r.PreScore, scores is { } t ? t.Post : r.PostScore);
}
