using System.Text;
using System.Text.Json.Nodes;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Tests.Validation;

/// <summary>
/// Seeded mutations of the sample dataset (types, dates, references, numbers, structure): validating a mutated file
/// never throws and always answers with catalogue findings at a line, and the number of findings grows with the number
/// of independent problems planted, each planted problem found at its own place.
/// </summary>
public sealed class MutationTests
{
    private static readonly string SamplePath = Path.Combine(RepositoryPaths.SamplesData, "programmes.json");

    /// <summary>One problem planted in one activity, and the path (below <c>activities[i]</c>) and code it must be found with.</summary>
    private static readonly (string Kind, Action<JsonObject> Plant, string Member, string Code)[] ActivityProblems =
    [
        ("type", a => a["durationMinutes"] = "ninety", "durationMinutes", "SP0006"),
        ("date", a => a["date"] = "2023-02-29", "date", "SP0007"),
        ("reference", a => a["facilitatedBy"] = "org-nobody", "facilitatedBy", "SP1101"),
        ("number", a => a["durationMinutes"] = -5, "durationMinutes", "SP0008"),
        ("structure", a => a["colour"] = "red", "colour", "SP0003"),
        ("code", a => a["mode"] = "byPigeon", "mode", "SP0009"),
        ("missing", a => a.Remove("kind"), "kind", "SP0004"),
    ];

    [Theory]
    [InlineData(20261203)]
    [InlineData(7)]
    [InlineData(424242)]
    public void Validate_IndependentProblemsPlanted_FindingsGrowWithThem(int seed)
    {
        var random = new Random(seed);
        var baseline = Validate(File.ReadAllText(SamplePath)).Findings.Count;
        var activities = JsonNode.Parse(File.ReadAllText(SamplePath))!["activities"]!.AsArray().Count;
        // Distinct activities, each with one problem: no planted problem can hide or cause another.
        var targets = Enumerable.Range(0, activities).OrderBy(_ => random.Next()).Take(32).ToArray();
        var kinds = targets.Select(_ => ActivityProblems[random.Next(ActivityProblems.Length)]).ToArray();

        var previous = baseline;
        foreach (var count in new[] { 1, 2, 4, 8, 16, 32 })
        {
            var root = JsonNode.Parse(File.ReadAllText(SamplePath))!.AsObject();
            for (var k = 0; k < count; k++)
            {
                kinds[k].Plant(root["activities"]![targets[k]]!.AsObject());
            }

            var report = Validate(root.ToJsonString());

            for (var k = 0; k < count; k++)
            {
                var path = $"activities[{targets[k]}].{kinds[k].Member}";
                Assert.Single(report.Findings, f => f.Code == kinds[k].Code && f.Path == path);
            }
            Assert.True(report.Findings.Count >= baseline + count, $"{count} planted, {report.Findings.Count} findings");
            Assert.True(report.Findings.Count > previous, $"{count} planted, {report.Findings.Count} findings, {previous} before");
            Assert.Equal(report.Findings.OrderBy(f => f.Line).Select(f => f.Line), report.Findings.Select(f => f.Line));
            previous = report.Findings.Count;
        }
    }

    [Fact]
    public void Validate_RandomMutationsAnywhere_NeverThrowAndFindAtALine()
    {
        var random = new Random(5150);
        var codes = new Dictionary<string, int>();
        for (var run = 0; run < 100; run++)
        {
            var root = JsonNode.Parse(File.ReadAllText(SamplePath))!;
            var nodes = new List<JsonNode>();
            Collect(root, nodes);
            for (var edits = random.Next(1, 6); edits > 0; edits--)
            {
                Mutate(nodes[random.Next(1, nodes.Count)], random);
            }

            var report = Validate(root.ToJsonString());

            Assert.All(report.Findings, f => Assert.NotNull(ValidationRules.Find(f.Code)));
            Assert.All(report.Findings.Where(f => f.Code.StartsWith("SP000", StringComparison.Ordinal)), f => Assert.NotNull(f.Line));
            Assert.DoesNotContain(report.Findings, f => f.Code == ValidationRules.UnreadableInput.Code);
            foreach (var finding in report.Findings)
            {
                codes[finding.Code] = codes.GetValueOrDefault(finding.Code) + 1;
            }
        }

        // Every kind of contract problem the mutations make is met, and business rules run on what could be built.
        Assert.All(new[] { "SP0003", "SP0004", "SP0006", "SP0007", "SP0008" }, code => Assert.Contains(code, codes.Keys));
        Assert.Contains(codes.Keys, code => code.StartsWith("SP1", StringComparison.Ordinal));
    }

    private static ValidationReport Validate(string json) =>
        ProgrammeValidator.Validate(new MemoryStream(Encoding.UTF8.GetBytes(json)), "mutated.json", new ValidationOptions { MaxFindings = 100_000 });

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj.ToList())
                {
                    if (child is not null)
                    {
                        Collect(child, nodes);
                    }
                }
                break;
            case JsonArray array:
                foreach (var child in array.ToList())
                {
                    if (child is not null)
                    {
                        Collect(child, nodes);
                    }
                }
                break;
            default:
                break;
        }
    }

    /// <summary>Changes a type, a date, a reference, a number or the structure at <paramref name="node"/>.</summary>
    private static void Mutate(JsonNode node, Random random)
    {
        var parent = node.Parent;
        JsonNode? replacement = random.Next(8) switch
        {
            0 => JsonValue.Create("text"),
            1 => JsonValue.Create(-7),
            2 => JsonValue.Create("2025-02-30"),
            3 => JsonValue.Create("nowhere-" + random.Next(100)),
            4 => new JsonObject { ["unexpected"] = 1 },
            5 => new JsonArray(),
            6 => null,
            _ => JsonValue.Create(""),
        };
        switch (parent)
        {
            case JsonObject obj when random.Next(4) == 0:
                obj.Remove(node.GetPropertyName());
                break;
            case JsonObject obj when random.Next(4) == 0:
                obj["extra" + random.Next(10)] = 1;
                break;
            case JsonObject obj:
                obj[node.GetPropertyName()] = replacement;
                break;
            case JsonArray array:
                array[node.GetElementIndex()] = replacement;
                break;
            default:
                break;
        }
    }
}
