using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Aggregation;

public class PartialTests
{
    private static readonly Measure[] AllMeasures = Enum.GetValues<Measure>();

    private static AggregatePartial PartialOf(TestProgramme p, IEnumerable<ParticipationRecord> records, GroupingTerm[] terms) =>
        p.Store(records).Query().GroupBy(terms).Measure(AllMeasures).RunPartial();

    [Theory]
    [InlineData(1, "district,role,fiscalYear")]
    [InlineData(2, "province,month")]
    [InlineData(3, "school")]
    [InlineData(4, "")]
    public void Merge_RandomPartitions_EqualsSinglePass(int seed, string grouping)
    {
        var p = TestProgramme.Build(seed: 50 + seed, records: 2000);
        var terms = grouping.Length == 0 ? [] : GroupByTests.Parse(grouping);
        var whole = PartialOf(p, p.Records, terms);
        var rng = new Random(seed);
        for (var round = 0; round < 5; round++)
        {
            // Each partition gets its own store (its own dictionaries): keys merge by value, not by store-local numbers.
            var parts = rng.Next(2, 6);
            var assignment = p.Records.Select(_ => rng.Next(parts)).ToArray();
            var partials = Enumerable.Range(0, parts)
                .Select(k => PartialOf(p, p.Records.Where((_, i) => assignment[i] == k), terms))
                .OrderBy(_ => rng.Next())
                .ToList();
            var merged = AggregatePartial.Merge(partials);
            Assert.Equal(whole.ToJson(), merged.ToJson());
        }
    }

    [Fact]
    public void ToResult_EqualsDirectQuery_IncludingRollup()
    {
        var p = TestProgramme.Build(seed: 61, records: 2500);
        GroupingTerm[] terms = [Dimension.Province, Dimension.District, Dimension.School];
        var direct = p.Store().Query().GroupBy(terms).Measure(AllMeasures).Rollup().Run();
        var half = p.Records.Count / 2;
        var merged = PartialOf(p, p.Records.Take(half), terms).Merge(PartialOf(p, p.Records.Skip(half), terms));
        Reference.AssertSame(Reference.Rows(direct), Reference.Rows(merged.ToResult(rollup: true)), tolerance: 0);
    }

    [Fact]
    public void Merge_IsAssociativeAndCommutative()
    {
        var p = TestProgramme.Build(seed: 62, records: 1500);
        GroupingTerm[] terms = [Dimension.Sex, TimeBucket.Quarter];
        var a = PartialOf(p, p.Records.Take(400), terms);
        var b = PartialOf(p, p.Records.Skip(400).Take(600), terms);
        var c = PartialOf(p, p.Records.Skip(1000), terms);
        Assert.Equal(a.Merge(b).Merge(c).ToJson(), a.Merge(b.Merge(c)).ToJson());
        Assert.Equal(a.Merge(b).ToJson(), b.Merge(a).ToJson());
        Assert.Equal(a.Merge(b).Merge(c).ToJson(), c.Merge(a).Merge(b).ToJson());
    }

    [Fact]
    public void Json_RoundTrips()
    {
        var p = TestProgramme.Build(seed: 63, records: 800);
        var partial = PartialOf(p, p.Records, [Dimension.Role, TimeBucket.FiscalYear(7)]);
        var json = partial.ToJson();
        var back = AggregatePartial.FromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(partial.GroupCount, back.GroupCount);
        Reference.AssertSame(Reference.Rows(partial.ToResult()), Reference.Rows(back.ToResult()), tolerance: 0);
    }

    [Fact]
    public void Json_HoldsKeysNotStoreNumbers()
    {
        var p = TestProgramme.Build(seed: 64, records: 50);
        var json = PartialOf(p, p.Records, [Dimension.Role]).ToJson();
        Assert.Contains("\"beneficiaries\":[\"ben-", json, StringComparison.Ordinal);
        Assert.Contains("\"groupBy\":[\"role\"]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_DifferentGrouping_Throws()
    {
        var p = TestProgramme.Build(seed: 65, records: 100);
        var a = PartialOf(p, p.Records, [Dimension.Role]);
        var b = PartialOf(p, p.Records, [Dimension.Sex]);
        Assert.Throws<ArgumentException>(() => a.Merge(b));
    }

    [Theory]
    [InlineData("{\"format\":\"other\",\"version\":1}", "format")]
    [InlineData("{\"format\":\"safetyprograms.aggregatePartial\",\"version\":1,\"groupBy\":[\"planet\"],\"measures\":[],\"groups\":[]}", "groupBy[0]")]
    [InlineData("{\"format\":\"safetyprograms.aggregatePartial\",\"version\":1,\"groupBy\":[],\"measures\":[\"x\"],\"groups\":[]}", "measures[0]")]
    [InlineData(Head + "[\"role\"]" + Middle + "{" + Sums + ",\"key\":[]}]}", "groups[0].key")]
    [InlineData(Head + "[\"role\"]" + Middle + "{" + Sums + ",\"key\":[\"a\"]},{" + Sums + ",\"key\":[\"a\"]}]}", "groups[1].key")]
    [InlineData(Head + "[]" + Middle + "{" + Sums + ",\"key\":[],\"hll\":[65,1048577]}]}", "groups[0].hll[1]")]
    [InlineData(Head + "[]" + Middle + "{" + Sums + ",\"key\":[],\"unique\":3}]}", "groups[0].unique")]
    [InlineData(Head + "[]" + Middle + "{" + Sums + ",\"key\":[],\"participations\":3}]}", "groups[0].participations")]
    [InlineData(Head + "[]" + Middle + "{" + Sums + ",\"key\":[],\"beneficiaries\":[null]}]}", "groups[0].beneficiaries[0]")]
    [InlineData(Head + "[]" + Middle + "{" + Sums + ",\"key\":[],\"schools\":\"s1\"}]}", "groups[0].schools")]
    [InlineData("{\"format\":\"safetyprograms.aggregatePartial\",\"version\":2,\"groupBy\":[],\"measures\":[],\"groups\":[]}", "version")]
    public void FromJson_Invalid_NamesThePath(string json, string path)
    {
        var ex = Assert.Throws<DataFormatException>(() => AggregatePartial.FromJson(json));
        Assert.Equal(path, ex.Path);
    }

    private const string Head = "{\"format\":\"safetyprograms.aggregatePartial\",\"version\":1,\"groupBy\":";
    private const string Middle = ",\"measures\":[],\"groups\":[";
    private const string Sums =
        "\"participations\":1,\"completions\":0,\"preScoreSum\":0,\"preScoreCount\":0,\"postScoreSum\":0,\"postScoreCount\":0,\"gainSum\":0,\"gainCount\":0";

    [Fact]
    public void FromJson_MissingMembers_RefusedAtTheirObjectNamingThem()
    {
        var ex = Assert.Throws<DataFormatException>(() => AggregatePartial.FromJson(Head + "[]" + Middle + "{\"key\":[]}]}"));

        // Each missing member is a problem of its own, at its place in the object; the exception carries them all.
        Assert.Equal("groups[0].participations", ex.Path);
        Assert.Contains(ex.Problems, p => p.Path == "groups[0].participations" && p.Reason.Contains("'participations'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Path == "groups[0].gainCount" && p.Reason.Contains("'gainCount'", StringComparison.Ordinal));
    }

    [Fact]
    public void FromJson_IndentedPartialWithAFault_GivesItsLine()
    {
        var p = TestProgramme.Build(seed: 66, records: 40);
        var json = PartialOf(p, p.Records, [Dimension.Role]).ToJson()
            .Replace(",", ",\n", StringComparison.Ordinal)
            .Replace("\"completions\":", "\"completions\":-", StringComparison.Ordinal);
        var expectedLine = json[..json.IndexOf("\"completions\":-", StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var ex = Assert.Throws<DataFormatException>(() => AggregatePartial.FromJson(json.Replace("\"completions\":-", "\"completions\":\"x\",\"c\":", StringComparison.Ordinal)));

        Assert.Equal(("groups[0].completions", (long?)expectedLine), (ex.Path, ex.LineNumber));
    }

    [Fact]
    public void FromJson_NotJson_Throws() =>
        Assert.Throws<DataFormatException>(() => AggregatePartial.FromJson("{\"format\":"));
}
