namespace SafetyPrograms.Tests.Cli;

/// <summary>
/// <c>progress</c>, <c>report</c> and <c>validate</c> run in-process on the sample with extreme but valid values put in
/// (issue 11): an exit code and one line a partner can act on, never a stack trace or an overflow.
/// </summary>
public sealed class ExtremeValueCliTests : IDisposable
{
    private static readonly string Participations = Path.Combine(RepositoryPaths.SamplesData, "participations.csv");
    private readonly string _temp = Directory.CreateTempSubdirectory("safetyprograms-extreme-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string Write(string name, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        var path = Path.Combine(_temp, name);
        File.WriteAllText(path, ExtremeSample.Json(change));
        return path;
    }

    private static void NoCrash(string output, string error)
    {
        foreach (var text in new[] { output, error })
        {
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string?, string> OpenPeriods => new()
    {
        { null, "9999-12-31" },
        { "0001-01-01", "9999-12-31" },
        { "0001-01-01", "2025-12-03" },
        { "0000-01-01", "9999-12-31" },
    };

    [Theory]
    [MemberData(nameof(OpenPeriods))]
    public async Task Progress_PeriodsToTheCalendarsEdges_Computes_WithAndWithoutTheParticipationLog(string? start, string end)
    {
        var dataset = Write("open.json", ExtremeSample.Periods(start, end));
        foreach (var asOf in new[] { "2025-06-30", "0001-01-01", "0000-01-01", "9999-12-31" })
        {
            var (code, output, error) = await CliRunner.Run(["progress", "--dataset", dataset, "--as-of", asOf]);
            Assert.True(code == 0, error);
            NoCrash(output, error);
            Assert.Contains("COP-OUT-1", output, StringComparison.Ordinal);

            (code, output, error) = await CliRunner.Run(["progress", "--dataset", dataset, "--participations", Participations, "--as-of", asOf]);
            Assert.True(code == 0, error);
            NoCrash(output, error);
            Assert.Contains("Unique reach recounted", output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(OpenPeriods))]
    public async Task Report_PeriodsToTheCalendarsEdges_WritesTheReport(string? start, string end)
    {
        var dataset = Write("open.json", ExtremeSample.Periods(start, end));
        var html = Path.Combine(_temp, "open.html");

        var (code, output, error) = await CliRunner.Run(["report", "--dataset", dataset, "--participations", Participations, "--html", html, "--as-of", "9999-12-31"]);

        Assert.True(code == 0, error);
        NoCrash(output, error);
        var written = File.ReadAllText(html);
        Assert.Contains("Children, caregivers and educators trained through the hybrid child online protection module", written, StringComparison.Ordinal);
        Assert.Contains("31 December 9999", written, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("week")]
    [InlineData("month")]
    [InlineData("fiscalYear")]
    [InlineData("day")]
    public async Task Aggregate_OverTheWholeCalendar_ByTime_RecountsTheSameTotal(string bucket)
    {
        var whole = await CliRunner.Run(["aggregate", "--participations", Participations, "--by", bucket, "--rollup", "--format", "csv"]);
        var edges = await CliRunner.Run(["aggregate", "--participations", Participations, "--by", bucket, "--rollup", "--format", "csv", "--from", "0000-01-01", "--to", "9999-12-31"]);

        NoCrash(edges.Out, edges.Err);
        Assert.Equal(0, edges.Code);
        Assert.Equal(whole.Out, edges.Out);
    }

    [Fact]
    public async Task Progress_HugeTargetAndActual_ExitsOne_RefusingThatTargetWithTheLimit_AndShowsTheOthers()
    {
        var dataset = Write("huge.json", ExtremeSample.HugeFigures);

        var (code, output, error) = await CliRunner.Run(["progress", "--dataset", dataset, "--as-of", "2025-06-30"]);

        NoCrash(output, error);
        Assert.Equal(1, code);
        // One line per refused target, naming it and the limit but not the figure; every other target is still shown.
        Assert.Equal(
            ["error: The target for COP-OUT-1 in ps-child-online-protection, 2022-12-05 to 2025-12-03: The figure for 2022-12-05..2024-12-31 " +
             "is beyond ±10^15, the largest a programme figure may be (validation rule SP3006); check its digits and units."],
            error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.All(new[] { "refused (FigureOutOfRange)", "DS-OUT-1", "COP-OC-1" }, expected => Assert.Contains(expected, output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_HugeTargetAndActual_ShowsTheRefusal_WithoutOverflow()
    {
        var dataset = Write("huge.json", root =>
        {
            ExtremeSample.HugeFigures(root);
            ExtremeSample.Periods(null, "9999-12-31")(root);
        });
        var html = Path.Combine(_temp, "huge.html");

        var (code, output, error) = await CliRunner.Run(["report", "--dataset", dataset, "--participations", Participations, "--html", html, "--as-of", "2025-06-30"]);

        NoCrash(output, error);
        Assert.Equal(1, code);
        Assert.Contains("could not be calculated", error, StringComparison.Ordinal);
        Assert.Contains("10^15", File.ReadAllText(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_HugeTargetAndActual_ReportsSP3006_AtTheirPaths()
    {
        var dataset = Write("huge.json", ExtremeSample.HugeFigures);

        var (code, output, error) = await CliRunner.Run(["validate", dataset]);

        Assert.Equal(1, code);
        NoCrash(output, error);
        Assert.Contains("SP3006 partnerships[1].targets[0].value", output, StringComparison.Ordinal);
        Assert.Contains("SP3006 actuals[2].value", output, StringComparison.Ordinal);
    }
}
