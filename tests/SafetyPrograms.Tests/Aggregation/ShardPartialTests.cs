using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// Records routed to shards by ranges of the beneficiary-key hash, each shard its own store: merged in any order, the
/// shards' partials finish into the single query's rows, at every rollup level, with counts, not keys.
/// </summary>
public class ShardPartialTests
{
    private static readonly Measure[] AllMeasures = Enum.GetValues<Measure>();

    /// <summary>The records of each range, as a router in front of the shards would send them.</summary>
    internal static List<ParticipationRecord>[] Route(IEnumerable<ParticipationRecord> records, IReadOnlyList<ShardRange> ranges)
    {
        var parts = ranges.Select(_ => new List<ParticipationRecord>()).ToArray();
        foreach (var r in records)
        {
            parts[ranges.Select((range, i) => (range, i)).Single(x => x.range.Contains(r.Beneficiary.Value)).i].Add(r);
        }
        return parts;
    }

    [Theory]
    [MemberData(nameof(RandomQueryEquivalenceTests.Stores), MemberType = typeof(RandomQueryEquivalenceTests))]
    public void Merge_RandomQueriesOverShards_EqualsSingleQuery(int store)
    {
        var p = RandomQueryEquivalenceTests.Programme(store);
        var whole = p.Store();
        var rng = new Random(900 + store);
        for (var q = 0; q < 12; q++)
        {
            var shape = QueryShape.Draw(rng, p);
            var ranges = ShardRange.Split(rng.Next(1, 6));
            var partials = Route(p.Records, ranges)
                .Select((records, i) => shape.ToQuery(p.Store(records)).RunShardPartial(ranges[i]))
                .OrderBy(_ => rng.Next())
                .ToList();
            var merged = ShardPartial.Merge(partials);
            var context = $"store {store}, query {q}, {ranges.Count} shards: {shape}";

            Assert.True(merged.IsComplete, context);
            var rows = Reference.Rows(merged.ToResult());
            Reference.AssertSame(Reference.Rows(shape.ToQuery(whole).Run()), rows, tolerance: 0, context);
            Reference.AssertSame(shape.Expected(p), rows, QueryShape.ExactEnough, context);
            var json = merged.ToJson();
            Assert.Equal(json, ShardPartial.FromJson(json).ToJson());
            Reference.AssertSame(rows, Reference.Rows(ShardPartial.FromJson(json).ToResult()), tolerance: 0, context);
        }
    }

    [Theory]
    [InlineData("province,month")]
    [InlineData("country,province,district,school")]
    [InlineData("day,school,role,sex,ageBand,mode")]
    public void RunShardPartial_AnyThreadsOrPartitioning_SamePartial(string grouping)
    {
        // Made by the engine's own pass: each of its paths (dense, numbered, hashed, partitioned; one range or several)
        // must hand over the same counts.
        var p = RandomQueryEquivalenceTests.Programme(3);
        var range = ShardRange.Split(3)[1];
        var store = p.Store(Route(p.Records, ShardRange.Split(3))[1]);
        var shape = QueryShape.DrawAround(new Random(grouping.Length), p, GroupByTests.Parse(grouping), AllMeasures) with { Rollup = true };
        var expected = (shape with { Threads = 1, MinRecordsPerThread = null, PartitionAboveStateBytes = long.MaxValue }).ToQuery(store).RunShardPartial(range).ToJson();
        foreach (var threads in new[] { 1, 3 })
        {
            foreach (var above in new long?[] { 0, long.MaxValue })
            {
                var variant = shape with { Threads = threads, MinRecordsPerThread = 1, PartitionAboveStateBytes = above };
                Assert.Equal(expected, variant.ToQuery(store).RunShardPartial(range).ToJson());
            }
        }
    }

    [Fact]
    public void RollupCounts_AreTheShardsSums_AndDifferFromSummingTheFinerGroups()
    {
        // The premise of the whole design: at the district level a child at two schools is one child, and only the
        // shard holding the child knows it, so the shard sends that level's count rather than letting the merge add schools.
        var p = RandomQueryEquivalenceTests.Programme(1);
        var ranges = ShardRange.Split(2);
        var partials = Route(p.Records, ranges)
            .Select((records, i) => p.Store(records).Query().GroupBy(Dimension.District, Dimension.School)
                .Measure(Measure.UniqueBeneficiaries).Rollup().RunShardPartial(ranges[i]))
            .ToList();
        var result = ShardPartial.Merge(partials).ToResult();
        var total = result.Rows.Single(r => r.IsGrandTotal).Count(Measure.UniqueBeneficiaries);

        Assert.Equal(p.Records.Select(r => r.Beneficiary).Distinct().Count(), total);
        Assert.True(result.Rows.Where(r => r.Level == 0).Sum(r => r.Count(Measure.UniqueBeneficiaries)) > total, "premise: children attend several schools");
    }

    [Fact]
    public void Merge_OverlappingRanges_Throws()
    {
        var p = TestProgramme.Build(seed: 901, records: 600);
        var halves = ShardRange.Split(2);
        var parts = Route(p.Records, halves);
        var first = p.Store(parts[0]).Query().GroupBy(Dimension.Province).Measure(Measure.UniqueBeneficiaries).RunShardPartial(halves[0]);
        var wider = p.Store(parts[1]).Query().GroupBy(Dimension.Province).Measure(Measure.UniqueBeneficiaries)
            .RunShardPartial(new ShardRange(halves[0].Last, ulong.MaxValue));

        var twice = Assert.Throws<ArgumentException>(() => first.Merge(first));
        Assert.Contains("overlap", twice.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => first.Merge(wider));
        Assert.Throws<ArgumentException>(() => ShardPartial.Merge([wider, first]));
    }

    [Fact]
    public void ToResult_MissingRange_Throws_NamingIt()
    {
        var p = TestProgramme.Build(seed: 902, records: 600);
        var thirds = ShardRange.Split(3);
        var parts = Route(p.Records, thirds);
        var partials = Enumerable.Range(0, 3)
            .Select(i => p.Store(parts[i]).Query().GroupBy(Dimension.Role).Measure(Measure.UniqueBeneficiaries).RunShardPartial(thirds[i]))
            .ToList();
        var twoOfThree = partials[0].Merge(partials[2]);

        Assert.False(twoOfThree.IsComplete);
        Assert.Equal([thirds[0], thirds[2]], twoOfThree.Ranges);
        var error = Assert.Throws<InvalidOperationException>(() => twoOfThree.ToResult());
        Assert.Contains(thirds[1].ToString(), error.Message, StringComparison.Ordinal);
        // Merged in any order, the missing one completes it; the touching ranges join into one.
        var all = twoOfThree.Merge(partials[1]);
        Assert.True(all.IsComplete);
        Assert.Equal([ShardRange.Whole], all.Ranges);
        Assert.Equal(p.Records.Select(r => r.Beneficiary).Distinct().Count(), (int)all.ToResult().Rows.Sum(r => r.Count(Measure.UniqueBeneficiaries)));
    }

    [Fact]
    public void Merge_AShardWithNoRecordsYet_CoversItsRangeAndAddsNothing()
    {
        var p = TestProgramme.Build(seed: 906, records: 500);
        var halves = ShardRange.Split(2);
        AggregationQuery Query(IEnumerable<ParticipationRecord> records) =>
            p.Store(records).Query().GroupBy(Dimension.Province, Dimension.Role).Measure(AllMeasures).Rollup();
        var empty = Query([]).RunShardPartial(halves[1]);
        var full = Query(Route(p.Records, [ShardRange.Whole])[0].Where(r => halves[0].Contains(r.Beneficiary.Value))).RunShardPartial(halves[0]);

        Assert.Equal(0, empty.GroupCount);
        var merged = full.Merge(empty);
        Assert.True(merged.IsComplete);
        Assert.Equal(full.ToJson().Replace(halves[0].ToString(), ShardRange.Whole.ToString(), StringComparison.Ordinal), merged.ToJson());
    }

    [Fact]
    public void RunShardPartial_StoreHoldsABeneficiaryOutsideTheRange_Throws()
    {
        var p = TestProgramme.Build(seed: 903, records: 400);
        var halves = ShardRange.Split(2);
        var error = Assert.Throws<InvalidOperationException>(() => p.Store().Query().GroupBy(Dimension.Role).RunShardPartial(halves[0]));
        Assert.Contains(halves[0].ToString(), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ben-", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_DifferentRollupMeasuresOrGrouping_Throws()
    {
        var p = TestProgramme.Build(seed: 904, records: 400);
        var halves = ShardRange.Split(2);
        var parts = Route(p.Records, halves);
        ShardPartial Run(int i, Func<AggregationQuery, AggregationQuery> shape) =>
            shape(p.Store(parts[i]).Query().GroupBy(Dimension.Province).Measure(Measure.UniqueBeneficiaries)).RunShardPartial(halves[i]);

        Assert.Throws<ArgumentException>(() => Run(0, q => q).Merge(Run(1, q => q.Rollup())));
        Assert.Throws<ArgumentException>(() => Run(0, q => q).Merge(Run(1, q => q.Measure(Measure.Schools))));
        Assert.Throws<ArgumentException>(() => Run(0, q => q).Merge(Run(1, q => q.GroupBy(Dimension.Role))));
    }

    [Fact]
    public void Split_CoversEveryHashOnce()
    {
        foreach (var n in new[] { 1, 2, 3, 7, 1 << 16 })
        {
            var ranges = ShardRange.Split(n);
            Assert.Equal(n, ranges.Count);
            Assert.Equal(0UL, ranges[0].First);
            Assert.Equal(ulong.MaxValue, ranges[^1].Last);
            Assert.All(Enumerable.Range(1, n - 1), i => Assert.Equal(ranges[i - 1].Last + 1, ranges[i].First));
        }
        Assert.Throws<ArgumentException>(() => new ShardRange(5, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardRange.Split(0));
    }

    [Fact]
    public void Json_CarriesCountsNotKeys_AndIsSmallerThanTheKeySetPartial()
    {
        var p = RandomQueryEquivalenceTests.Programme(2);
        var ranges = ShardRange.Split(2);
        var parts = Route(p.Records, ranges);
        AggregationQuery Query(IEnumerable<ParticipationRecord> records) => p.Store(records).Query()
            .GroupBy(Dimension.Country, Dimension.Province, Dimension.District, Dimension.School)
            .Measure(Measure.UniqueBeneficiaries, Measure.ImprovedShare).Rollup();
        var shard = Query(parts[0]).RunShardPartial(ranges[0]).ToJson();
        var keySet = Query(parts[0]).RunPartial().ToJson();

        Assert.DoesNotContain("ben-", shard, StringComparison.Ordinal);
        Assert.Contains("ben-", keySet, StringComparison.Ordinal);
        Assert.Contains("{\"key\":[],\"unique\":", shard, StringComparison.Ordinal);
        Assert.True(shard.Length * 2 < keySet.Length, $"shard partial {shard.Length} bytes, key-set partial {keySet.Length} bytes");
    }

    [Theory]
    [InlineData("\"rollup\":true", "\"rollup\":true,\"extra\":1", "extra")]
    [InlineData("\"ranges\":[\"", "\"ranges\":[\"X", "ranges[0]")]
    [InlineData("\"format\":\"safetyprograms.shardPartial\"", "\"format\":\"safetyprograms.aggregatePartial\"", "format")]
    [InlineData("\"unique\":", "\"unique\":-", "unique")]
    public void FromJson_Malformed_RefusedWithPath(string find, string replace, string path)
    {
        var json = OneShard().ToJson();
        Assert.Contains(find, json, StringComparison.Ordinal);
        var bad = ReplaceFirst(json, find, replace);
        var error = Assert.Throws<DataFormatException>(() => ShardPartial.FromJson(bad));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_OverlappingRangesOrMissingSubtotal_Refused()
    {
        var json = OneShard().ToJson();
        var range = ShardRange.Split(2)[0].ToString();
        Assert.Throws<DataFormatException>(() => ShardPartial.FromJson(json.Replace($"\"{range}\"", $"\"{range}\",\"{range}\"", StringComparison.Ordinal)));
        var withoutTotal = System.Text.RegularExpressions.Regex.Replace(json, ",?\\{\"key\":\\[\\],\"unique\":[0-9]+\\}", string.Empty);
        Assert.NotEqual(json, withoutTotal);
        Assert.Throws<DataFormatException>(() => ShardPartial.FromJson(withoutTotal));
    }

    private static ShardPartial OneShard()
    {
        var p = TestProgramme.Build(seed: 905, records: 300);
        var range = ShardRange.Split(2)[0];
        return p.Store(Route(p.Records, ShardRange.Split(2))[0]).Query().GroupBy(Dimension.Province, Dimension.Role)
            .Measure(Measure.UniqueBeneficiaries).Rollup().RunShardPartial(range);
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), replace, text.AsSpan(at + find.Length));
    }
}
