using System.Text.Json;
using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>An aggregation result as JSON: what the CLI's <c>aggregate --format json</c> prints.</summary>
public class ResultJsonTests
{
    [Fact]
    public void ToJson_RolledUp_EachRowNamesItsLevelItsKeysAndEveryMeasure()
    {
        var p = TestProgramme.Build(seed: 81, records: 600);
        var result = p.Store().Query().GroupBy(Dimension.Province, Dimension.Role)
            .Measure(Measure.Participations, Measure.MeanGain).Rollup().Run();

        using var json = JsonDocument.Parse(result.ToJson());
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();

        Assert.Equal(["province", "role"], json.RootElement.GetProperty("groupBy").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(result.Rows.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = result.Rows[i];
            var names = rows[i].EnumerateObject().Select(m => m.Name).ToList();
            string[] keys = row.Level switch { 0 => ["province", "role"], 1 => ["province"], _ => [] };
            Assert.Equal(["level", .. keys, "participations", "meanGain"], names);
            Assert.Equal(row.Level, rows[i].GetProperty("level").GetInt32());
            Assert.Equal(row[Measure.Participations], rows[i].GetProperty("participations").GetDouble());
            var gain = rows[i].GetProperty("meanGain");
            Assert.Equal(row[Measure.MeanGain], gain.ValueKind == JsonValueKind.Null ? null : gain.GetDouble());
        }
        Assert.Equal(2, rows[^1].GetProperty("level").GetInt32());
    }

    [Fact]
    public void ToJson_Indented_UsesTwoSpacesAndLineFeeds()
    {
        var p = TestProgramme.Build(seed: 82, records: 50);
        var json = p.Store().Query().GroupBy(Dimension.Role).Run().ToJson(indented: true);

        Assert.StartsWith("{\n  \"groupBy\": [\n    \"role\"\n  ],\n  \"rows\": [\n    {\n      \"level\": 0,", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", json, StringComparison.Ordinal);
    }
}
