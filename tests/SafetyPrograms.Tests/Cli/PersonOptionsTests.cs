using System.Text.Json;

namespace SafetyPrograms.Tests.Cli;

/// <summary><c>--age-scheme</c> and <c>--disability-cutoff</c>: breakdowns in any scheme and cut-off, each output saying which.</summary>
public sealed class PersonOptionsTests : IDisposable
{
    private static readonly string Dataset = Path.Combine(RepositoryPaths.SamplesData, "programmes.json");
    private static readonly string Participations = Path.Combine(RepositoryPaths.SamplesData, "participations.csv");
    private readonly string _temp = Directory.CreateTempSubdirectory("safetyprograms-person-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public async Task Aggregate_ByAge_DefaultsToTheUnChildScheme_AndSaysSo()
    {
        var (code, output, _) = await Run("aggregate", "--participations", Participations, "--by", "age", "--measures", "participations");
        Assert.Equal(0, code);
        Assert.Contains("age scheme: un-child (0-4, 5-9, 10-14, 15-17, 18+)", output, StringComparison.Ordinal);
        Assert.Contains("\n  18+ ", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("25-49", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aggregate_AnotherBuiltInScheme_SplitsAdults()
    {
        var (code, output, _) = await Run(
            "aggregate", "--participations", Participations, "--by", "age", "--measures", "participations", "--age-scheme", "un-child-adults", "--format", "json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.StartsWith("un-child-adults", json.RootElement.GetProperty("ageScheme").GetString(), StringComparison.Ordinal);
        var bands = json.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("age").GetString()).ToList();
        Assert.Contains("25-49", bands);
        Assert.DoesNotContain("18+", bands);
    }

    [Fact]
    public async Task Aggregate_ADatasetsOwnScheme_IsUsedByItsCode()
    {
        var text = File.ReadAllText(Dataset);
        var withScheme = text.Insert(text.LastIndexOf('}'), ",\"ageSchemes\":[{\"code\":\"school-years\",\"bands\":[\"0-11\",\"12-17\",\"18+\"]}]");
        var path = Path.Combine(_temp, "with-scheme.json");
        File.WriteAllText(path, withScheme);

        var (code, output, error) = await Run(
            "aggregate", "--dataset", path, "--participations", Participations, "--by", "age", "--measures", "participations", "--age-scheme", "school-years");
        Assert.True(code == 0, error);
        Assert.Contains("age scheme: school-years (0-11, 12-17, 18+)", output, StringComparison.Ordinal);
        Assert.Contains("12-17", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aggregate_UnknownScheme_ExitsTwo_ListingTheSchemes()
    {
        var (code, _, error) = await Run("aggregate", "--participations", Participations, "--by", "age", "--age-scheme", "decades");
        Assert.Equal(2, code);
        Assert.Contains("--age-scheme", error, StringComparison.Ordinal);
        Assert.Contains("un-child, un-child-adults, ageBand", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aggregate_ByDisability_CutoffChangesWhoCounts_AndIsStated()
    {
        async Task<(long Disability, string Stated)> Disability(string cutoff)
        {
            var (code, output, _) = await Run(
                "aggregate", "--participations", Participations, "--by", "disability", "--measures", "unique", "--disability-cutoff", cutoff, "--format", "json");
            Assert.Equal(0, code);
            using var json = JsonDocument.Parse(output);
            var row = json.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("disability").GetString() == "disability");
            return (row.GetProperty("unique").GetInt64(), json.RootElement.GetProperty("disabilityCutoff").GetString()!);
        }

        var some = await Disability("wg-some");
        var published = await Disability("wg-a-lot");
        var cannot = await Disability("wg-cannot");
        Assert.True(some.Disability > published.Disability && published.Disability > cannot.Disability && cannot.Disability > 0);
        Assert.Contains("\"some difficulty\"", some.Stated, StringComparison.Ordinal);
        Assert.Equal("Washington Group cut-off: at least one domain \"a lot of difficulty\" or \"cannot do at all\" (anxiety or depression: daily)", published.Stated);

        var (badCode, _, error) = await Run("aggregate", "--participations", Participations, "--by", "disability", "--disability-cutoff", "a-lot");
        Assert.NotEqual(0, badCode);
        Assert.Contains("wg-a-lot", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_AnotherSchemeAndCutoff_AreUsedAndStated_OnThePageAndTheConsole()
    {
        var html = Path.Combine(_temp, "report.html");
        var (code, output, error) = await Run(
            "report", "--participations", Participations, "--html", html, "--as-of", "2025-12-31",
            "--age-scheme", "un-child-adults", "--disability-cutoff", "wg-cannot");
        Assert.True(code == 0, error);
        var cutoff = new SafetyPrograms.Domain.DisabilityCutoff(SafetyPrograms.Domain.FunctioningAnswer.CannotDoAtAll);
        Assert.Contains("age scheme: un-child-adults (0-4, 5-9, 10-14, 15-17, 18-24, 25-49, 50+); disability: " + cutoff.Description, output, StringComparison.Ordinal);
        var page = File.ReadAllText(html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(cutoff.Description), page, StringComparison.Ordinal);
        Assert.Contains("age scheme un-child-adults", page, StringComparison.Ordinal);

        var (defaults, defaultOutput, _) = await Run("report", "--participations", Participations, "--html", Path.Combine(_temp, "default.html"), "--as-of", "2025-12-31");
        Assert.Equal(0, defaults);
        Assert.Contains("age scheme: un-child (0-4, 5-9, 10-14, 15-17, 18+); disability: " + SafetyPrograms.Domain.DisabilityCutoff.WashingtonGroup.Description, defaultOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aggregate_Publish_StatesTheCutoffOfThePublishedTable()
    {
        var (code, output, _) = await Run(
            "aggregate", "--participations", Participations, "--by", "disability,sex", "--measures", "unique", "--publish", "--format", "csv",
            "--disability-cutoff", "wg-cannot");
        Assert.Equal(0, code);
        Assert.Contains("# disability: Washington Group cut-off: at least one domain \"cannot do at all\" (anxiety or depression: daily)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DescribesBothOptions()
    {
        var (_, output, _) = await Run("aggregate", "--help");
        Assert.Contains("--age-scheme", output, StringComparison.Ordinal);
        Assert.Contains("un-child-adults", output, StringComparison.Ordinal);
        Assert.Contains("--disability-cutoff", output, StringComparison.Ordinal);
        Assert.Contains("wg-cannot", output, StringComparison.Ordinal);
    }
}
