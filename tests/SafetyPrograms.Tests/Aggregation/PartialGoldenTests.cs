using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// The JSON of one serialized partial of each kind, with every member a group can carry, against reviewed golden files:
/// the documents' shape is a published format, so a refactoring of the types that write it must not change one byte
/// (set SP_UPDATE_GOLDEN=1 to rewrite them after an intended format change, and review the diff).
/// </summary>
public sealed class PartialGoldenTests
{
    [Fact]
    public void AggregatePartial_Json_MatchesGolden_AndReadsBack()
    {
        var json = Query().RunPartial().ToJson();

        AssertGolden("aggregate-partial.json", json);
        Assert.Equal(json, AggregatePartial.FromJson(json).ToJson());
    }

    [Fact]
    public void ShardPartial_Json_MatchesGolden_AndReadsBack()
    {
        var json = Query().Rollup().RunShardPartial(ShardRange.Whole).ToJson();

        AssertGolden("shard-partial.json", json);
        Assert.Equal(json, ShardPartial.FromJson(json).ToJson());
    }

    /// <summary>Every measure, so that every member of a group is written, over few records, so that the golden stays readable.</summary>
    private static AggregationQuery Query() =>
        TestProgramme.Build(seed: 1616, records: 24, beneficiaries: 10, schools: 3).Store().Query()
            .GroupBy(Dimension.Role, Dimension.Sex)
            .Measure(Enum.GetValues<Measure>());

    private static void AssertGolden(string name, string json)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "SafetyPrograms.Tests", "Aggregation", "Golden", name);
        if (Environment.GetEnvironmentVariable("SP_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, json + "\n");
        }
        Assert.Equal(File.ReadAllText(path), json + "\n");
    }
}
