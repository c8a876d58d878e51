using System.Text.Json;

namespace SafetyPrograms.Tests.Cli;

/// <summary>
/// Reported against recounted on the command line: the shipped 5,000-record sample log holds only a few dozen of phase 1's
/// people, so Zindagi Trust's reported 1,800 stands far above its recount.
/// </summary>
public sealed class RecountCliTests
{
    private static readonly string Dataset = Path.Combine(RepositoryPaths.SamplesData, "programmes.json");
    private static readonly string Participations = Path.Combine(RepositoryPaths.SamplesData, "participations.csv");

    [Fact]
    public async Task Progress_WithTheLog_PrintsEachReportedFigureAgainstItsRecount()
    {
        var (code, output, error) = await CliRunner.Run(["progress", "--dataset", Dataset, "--participations", Participations, "--as-of", "2025-12-31"]);

        Assert.True(code == 0, error);
        Assert.Contains("Reported against recounted from the participation records (tolerance 5% of the recount)", output, StringComparison.Ordinal);
        // The shipped log draws phase 1 from its cohorts, so its total agrees; COP-OUT-1's illustrative figures do not.
        Assert.Matches(@"agrees  DS-OUT-1 ps-digital-safety/ph-ds-1, 2022-02-01\.\.2022-12-31: reported 1,800, recounted 1,7\d\d from the records; within tolerance", output);
        Assert.Matches(@"DIFFERS COP-OUT-1 ps-child-online-protection, 2022-12-05\.\.2023-12-31: reported 182,000, recounted [\d,]+ from the records; reported above the recount", output);
        Assert.Contains("COP-OUT-1 LOP", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_WithTheLog_ReportsSP6008AtTheFiguresPath_AsAWarning()
    {
        var (code, output, _) = await CliRunner.Run(["validate", Dataset, "--participations", Participations, "--format", "json"]);

        Assert.Equal(0, code);
        // The dataset's report comes first, then the stream's, with the recount findings.
        var stream = output[output.LastIndexOf("{\n  \"isValid\"", StringComparison.Ordinal)..];
        using var report = JsonDocument.Parse(stream);
        // COP-OUT-1's reported 182,000 (actuals[1]) lies far from its recount: its finding stands at that figure's path.
        var finding = report.RootElement.GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("code").GetString() == "SP6008" && f.GetProperty("path").GetString() == "actuals[1].value");
        Assert.Equal("warning", finding.GetProperty("severity").GetString());

        var strict = await CliRunner.Run(["validate", Dataset, "--participations", Participations, "--warnings-as-errors"]);
        Assert.Equal(1, strict.Code);
        Assert.Contains("SP6008", strict.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecountTolerance_OutOfRange_IsRefusedWithTheOptionsName()
    {
        var (code, _, error) = await CliRunner.Run(["progress", "--dataset", Dataset, "--participations", Participations, "--recount-tolerance", "-5"]);

        Assert.Equal(2, code);
        Assert.Contains("--recount-tolerance", error, StringComparison.Ordinal);
    }
}
