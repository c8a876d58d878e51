using System.Text;
using System.Text.Json.Nodes;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests;

/// <summary>
/// The sample dataset with extreme but valid values put in (issue 11): periods open to 9999-12-31 (a common open-end
/// sentinel) or starting on 0001-01-01, and figures of 8e26 and decimal.MaxValue. Built from the real sample, so that the
/// attacks meet the whole shape of a programme, not a toy.
/// </summary>
internal static class ExtremeSample
{
    internal const string Cop = "ps-child-online-protection";

    /// <summary>The sample's JSON after <paramref name="change"/>.</summary>
    internal static string Json(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.SamplesData, "programmes.json")))!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    /// <summary>The sample dataset after <paramref name="change"/>.</summary>
    internal static ProgrammeDataset Dataset(Action<JsonObject> change)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Json(change)));
        return ProgrammeDatasetJson.Read(stream);
    }

    /// <summary>
    /// Runs the child-online-protection partnership, its phase and every target of either from <paramref name="start"/>
    /// (their own start when null) to <paramref name="end"/>; a fiscal-year target of a yearly-cumulative indicator keeps its
    /// year (stretched over centuries it would add the unique people of many years, which progress rightly refuses).
    /// </summary>
    internal static Action<JsonObject> Periods(string? start, string end) => root =>
    {
        var yearly = root["indicators"]!.AsArray()
            .Where(i => (string?)i!["accumulation"] == "yearlyCumulative")
            .Select(i => (string?)i!["id"])
            .ToHashSet();
        var partnership = Partnership(root);
        IEnumerable<JsonNode?> holders = [partnership, .. partnership["phases"]!.AsArray()];
        foreach (var holder in holders.ToList())
        {
            Reperiod(holder!["period"]!.AsObject(), start, end);
            foreach (var target in holder["targets"]?.AsArray() ?? [])
            {
                if (!yearly.Contains((string?)target!["indicator"]))
                {
                    Reperiod(target["period"]!.AsObject(), start, end);
                }
            }
        }
    };

    /// <summary>The figures: COP-OUT-1's target becomes decimal.MaxValue and its latest reported actual 8e26.</summary>
    internal static void HugeFigures(JsonObject root)
    {
        Partnership(root)["targets"]!.AsArray().First(t => (string?)t!["indicator"] == "COP-OUT-1")!["value"] = decimal.MaxValue;
        root["actuals"]!.AsArray().Last(a => (string?)a!["indicator"] == "COP-OUT-1")!["value"] = 8e26m;
    }

    private static JsonObject Partnership(JsonObject root) =>
        root["partnerships"]!.AsArray().First(p => (string?)p!["id"] == Cop)!.AsObject();

    private static void Reperiod(JsonObject period, string? start, string end)
    {
        if (start is not null)
        {
            period["start"] = start;
        }
        period["end"] = end;
    }
}
