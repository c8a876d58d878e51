using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// Seeded random queries (grouping, measures, filters, dates, rollup, threads and the engine's internal thresholds)
/// over differently shaped stores, each compared with the LINQ reference.
/// </summary>
public class RandomQueryEquivalenceTests
{
    private const int QueriesPerStore = 60;

    /// <summary>Four stores whose shapes stress different parts of the engine.</summary>
    public static TheoryData<int> Stores => [1, 2, 3, 4];

    internal static TestProgramme Programme(int store) => store switch
    {
        // Few children, many records each: unique counts far below participations, every child at many schools.
        1 => TestProgramme.Build(seed: 101, records: 3000, beneficiaries: 250),
        // Mostly one record per child, twice the schools, in two countries: groups are small, unique is close to participations.
        2 => TestProgramme.Build(seed: 102, records: 3000, beneficiaries: 4000, schools: 60, twoCountries: true),
        // Most records name their own school rather than the activity's, in two countries.
        3 => TestProgramme.Build(seed: 103, records: 2500, beneficiaries: 700, schoolOverrideTenths: 7, twoCountries: true),
        // Schools only from the activity, few schools: large groups, activities without a school give the "none" group.
        _ => TestProgramme.Build(seed: 104, records: 4000, beneficiaries: 1200, schools: 8, schoolOverrideTenths: 0),
    };

    [Theory]
    [MemberData(nameof(Stores))]
    public void Run_SixtyRandomQueries_MatchLinqReference(int store)
    {
        var p = Programme(store);
        var s = p.Store();
        var rng = new Random(7919 * store);
        for (var q = 0; q < QueriesPerStore; q++)
        {
            QueryShape.Draw(rng, p).AssertMatchesReference(p, s, $"store {store}, query {q}");
        }
    }

    [Theory]
    [InlineData("day,school,role,sex,ageBand,mode")]
    [InlineData("mode,ageBand,sex,role,school,day")]
    [InlineData("day,week,school,district,role,ageBand,sex")]
    public void Run_KeySpaceAboveDenseLimit_RandomQueries_MatchLinqReference(string grouping)
    {
        // Random draws of at most four terms never leave the array-sized key spaces; these groupings take the hash
        // fallback unless a filter or a date range shrinks the key space enough.
        var p = Programme(2);
        var s = p.Store();
        var rng = new Random(grouping.Length);
        var paths = new List<EnginePath>();
        for (var q = 0; q < 8; q++)
        {
            var shape = QueryShape.DrawAround(rng, p, GroupByTests.Parse(grouping), [.. Enum.GetValues<Measure>().Where(_ => rng.Next(2) == 0)]);
            paths.Add(QueryEngine.RouteOf(shape.ToQuery(s)).Path);
            shape.AssertMatchesReference(p, s, $"query {q}");
        }
        Assert.True(paths.Count(x => x == EnginePath.Hashed) >= 4, $"premise: mostly the hash fallback, got {string.Join(',', paths)}");
    }

    [Fact]
    public void Draw_TheQueriesOfTheSuite_CoverEveryTermMeasureFilterAndOption()
    {
        var drawn = new[] { 1, 2, 3, 4 }.SelectMany(store =>
        {
            var p = Programme(store);
            var s = p.Store();
            var rng = new Random(7919 * store);
            return Enumerable.Range(0, QueriesPerStore).Select(_ => QueryShape.Draw(rng, p)).Select(shape => (shape, query: shape.ToQuery(s))).ToList();
        }).ToList();
        var shapes = drawn.Select(d => d.shape).ToList();

        Assert.Equal(4 * QueriesPerStore, shapes.Count);
        Assert.All(QueryShape.AllTerms, t => Assert.Contains(shapes, s => s.Terms.Contains(t)));
        Assert.All(Enum.GetValues<Measure>(), m => Assert.Contains(shapes, s => s.Measures.Contains(m)));
        Assert.All(Enum.GetValues<Dimension>(), d => Assert.Contains(shapes, s => s.Filters.Any(f => f.Dimension == d)));
        Assert.Equal([1, 2, 3, 4], shapes.Select(s => s.Terms.Length).Distinct().Order());
        Assert.All(QueryShape.Schemes, scheme => Assert.Contains(shapes, s => s.Scheme.Equals(scheme) && s.Terms.Contains(Dimension.Age)));
        Assert.All(QueryShape.Cutoffs, cutoff => Assert.Contains(shapes, s => s.Cutoff.Equals(cutoff) && s.Terms.Contains(Dimension.Disability)));
        var ranges = drawn.Select(d => QueryEngine.RouteOf(d.query).Ranges).ToList();
        Assert.All([1, 2, 3, 8], n => Assert.Contains(n, ranges));
        var paths = drawn.Select(d => QueryEngine.RouteOf(d.query).Path).ToList();
        Assert.All(
            [EnginePath.Dense, EnginePath.Mapped, EnginePath.PartitionedDense, EnginePath.PartitionedNumbered],
            path => Assert.Contains(path, paths));
        Assert.Contains(shapes, s => s.Filters.Any(f => f.EnumValues is not null));
        Assert.Contains(shapes, s => s.Filters.Length == 2 && s.Filters[0].Dimension == s.Filters[1].Dimension);
        Assert.Contains(shapes, s => s.Rollup && s.Terms.Length == 4);
        Assert.Contains(shapes, s => s.Dates is not null);
        Assert.Contains(shapes, s => s.Measures.Length == 0);
        Assert.Contains(drawn, d => d.shape.Rollup && QueryEngine.RouteOf(d.query).Path is EnginePath.PartitionedDense or EnginePath.PartitionedNumbered);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Run_AfterEachAppend_MatchesReferenceOverAllRecordsSoFar(int store)
    {
        // Each append leaves the store unsorted; the next query re-sorts it. Queries run between appends, so a stale
        // order, a stale context table or a stale date range would show up as a difference.
        var p = Programme(store);
        var rng = new Random(31 * store);
        var s = new ParticipationStore(p.Dataset);
        var appended = 0;
        for (var chunk = 0; appended < p.Records.Count; chunk++)
        {
            var size = Math.Min(p.Records.Count - appended, rng.Next(1, 1200));
            Assert.Equal(0, s.Append(p.Records.Skip(appended).Take(size)).Rejected);
            appended += size;
            var soFar = p.Records.Take(appended).ToList();
            for (var q = 0; q < 3; q++)
            {
                QueryShape.Draw(rng, p).AssertMatchesReference(p, s, $"store {store}, chunk {chunk} ({appended} records), query {q}", soFar);
            }
        }
        Assert.Equal(p.Records.Count, s.Count);
    }

    [Fact]
    public void Run_SameQueryBeforeAndAfterAppend_SecondSeesTheNewRecords()
    {
        var p = Programme(2);
        var s = p.Store(p.Records.Take(1000));
        var shape = new QueryShape
        {
            Terms = [Dimension.District, TimeBucket.Quarter],
            Measures = [Measure.UniqueBeneficiaries, Measure.ApproximateUniqueBeneficiaries, Measure.ImprovedShare, Measure.Schools],
            Rollup = true,
            Threads = 2,
            MinRecordsPerThread = 1,
        };
        var query = shape.ToQuery(s);
        Reference.AssertSame(shape.Expected(p, p.Records.Take(1000)), Reference.Rows(query.Run()), QueryShape.ExactEnough);
        s.Append(p.Records.Skip(1000));
        Reference.AssertSame(shape.Expected(p), Reference.Rows(query.Run()), QueryShape.ExactEnough);
    }
}
