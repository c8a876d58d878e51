using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// Random query shapes, records split into random partitions (each its own store with its own dictionaries, some
/// empty), partials merged in random order: the merge must equal the single pass, its result the direct query.
/// </summary>
public class PartialMergeEquivalenceTests
{
    internal static bool UsesDisability(QueryShape shape) =>
        shape.Terms.Contains(Dimension.Disability) || shape.Filters.Any(f => f.Dimension == Dimension.Disability);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Merge_RandomShapesOverRandomPartitions_EqualsSinglePassAndDirectQuery(int store)
    {
        var p = RandomQueryEquivalenceTests.Programme(store);
        var whole = p.Store();
        var rng = new Random(500 + store);
        for (var q = 0; q < 8; q++)
        {
            var shape = QueryShape.Draw(rng, p);
            if (UsesDisability(shape))
            {
                // A part's store holds the answers of its own records only: a person answered in another part is
                // "notRecorded" there, so disability partials merge exactly only when each part carries its people's answers.
                continue;
            }
            var partials = RandomPartitions(rng, p.Records)
                .Select(records => shape.ToQuery(p.Store(records)).RunPartial())
                .OrderBy(_ => rng.Next())
                .ToList();
            var merged = AggregatePartial.Merge(partials);
            var context = $"store {store}, query {q}, {partials.Count} partitions: {shape}";

            Assert.Equal(shape.ToQuery(whole).RunPartial().ToJson(), merged.ToJson());
            var rows = Reference.Rows(merged.ToResult(shape.Rollup));
            Reference.AssertSame(Reference.Rows(shape.ToQuery(whole).Run()), rows, tolerance: 0, context);
            Reference.AssertSame(shape.Expected(p), rows, QueryShape.ExactEnough, context);
            if (!shape.Terms.Any(t => t.Name == "schoolTerms"))
            {
                // School terms are the one grouping a partial cannot be read back with: its dates are not in the JSON.
                Reference.AssertSame(rows, Reference.Rows(AggregatePartial.FromJson(merged.ToJson()).ToResult(shape.Rollup)), tolerance: 0, context);
            }
        }
    }

    [Theory]
    [InlineData("province,month")]
    [InlineData("school,quarter")]
    [InlineData("school,month")]
    [InlineData("day,school,role,sex,ageBand,mode")]
    public void RunPartial_AnyThreadsOrPartitioning_SamePartialAndDirectQueryRows(string grouping)
    {
        // A partial is made by the engine's own pass, so each of its paths (dense, numbered, hashed, partitioned, on one
        // range or several) must hand over the same state: the same JSON, finished into the direct query's rows.
        var p = RandomQueryEquivalenceTests.Programme(3);
        var store = p.Store();
        var rng = new Random(grouping.Length);
        var shape = QueryShape.DrawAround(rng, p, GroupByTests.Parse(grouping), Enum.GetValues<Measure>()) with { Rollup = true };
        var expected = shape with { Threads = 1, MinRecordsPerThread = null, PartitionAboveStateBytes = long.MaxValue };
        var json = expected.ToQuery(store).RunPartial().ToJson();
        var direct = Reference.Rows(expected.ToQuery(store).Run());
        foreach (var threads in new[] { 1, 3 })
        {
            foreach (var above in new long?[] { 0, long.MaxValue })
            {
                var variant = shape with { Threads = threads, MinRecordsPerThread = 1, PartitionAboveStateBytes = above };
                var partial = variant.ToQuery(store).RunPartial();
                Assert.Equal(json, partial.ToJson());
                Reference.AssertSame(direct, Reference.Rows(partial.ToResult(rollup: true)), tolerance: 0, variant.ToString());
            }
        }
    }

    [Fact]
    public void Merge_DifferentSchoolTermCalendars_Throws()
    {
        // Both buckets are named "schoolTerms" and both have a term "T1", but on different dates: merging them would add
        // autumn records to spring records under one label.
        var p = TestProgramme.Build(seed: 510, records: 300);
        var autumn = TimeBucket.SchoolTerms([new SchoolTerm("T1", new DateInterval(new LocalDate(2023, 9, 1), new LocalDate(2023, 12, 15)))]);
        var spring = TimeBucket.SchoolTerms([new SchoolTerm("T1", new DateInterval(new LocalDate(2024, 1, 8), new LocalDate(2024, 3, 29)))]);
        var a = p.Store().Query().GroupBy(autumn).RunPartial();
        var b = p.Store().Query().GroupBy(spring).RunPartial();
        Assert.Throws<ArgumentException>(() => a.Merge(b));
    }

    /// <summary>1 to 5 partitions of random sizes, and sometimes an empty one (a partner with nothing to report yet).</summary>
    private static List<List<ParticipationRecord>> RandomPartitions(Random rng, List<ParticipationRecord> records)
    {
        var count = rng.Next(1, 6);
        var weights = Enumerable.Range(0, count).Select(_ => rng.Next(1, 10)).ToArray();
        var parts = Enumerable.Range(0, count).Select(_ => new List<ParticipationRecord>()).ToList();
        foreach (var r in records)
        {
            var pick = rng.Next(weights.Sum());
            var k = 0;
            while (pick >= weights[k])
            {
                pick -= weights[k++];
            }
            parts[k].Add(r);
        }
        if (rng.Next(3) == 0)
        {
            parts.Add([]);
        }
        return parts;
    }
}
