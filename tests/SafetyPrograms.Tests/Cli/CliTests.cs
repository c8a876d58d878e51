using System.Text.Json;
using SafetyPrograms.Cli;

namespace SafetyPrograms.Tests.Cli;

/// <summary>The command-line tool as a partner pipeline sees it: exit codes, formats, and errors that say what to fix.</summary>
public sealed class CliTests : IDisposable
{
    private static readonly string Dataset = Path.Combine(RepositoryPaths.SamplesData, "programmes.json");
    private static readonly string Participations = Path.Combine(RepositoryPaths.SamplesData, "participations.csv");
    private readonly string _temp = Directory.CreateTempSubdirectory("safetyprograms-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public async Task Validate_ValidSample_ExitsZero()
    {
        var (code, output, _) = await Run("validate", Dataset);
        Assert.Equal(0, code);
        Assert.Contains("valid: 0 error(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ReadableButWrong_ExitsOne_WithCodeAndPath()
    {
        var json = File.ReadAllText(Dataset).Replace("\"organisation\": \"org-zindagi-trust\"", "\"organisation\": \"org-unknown\"", StringComparison.Ordinal);
        var path = Path.Combine(_temp, "wrong.json");
        File.WriteAllText(path, json);

        var (code, output, _) = await Run("validate", path, "--format", "json");

        Assert.Equal(1, code);
        using var report = JsonDocument.Parse(output);
        var finding = report.RootElement.GetProperty("findings").EnumerateArray().First();
        Assert.StartsWith("SP1", finding.GetProperty("code").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("partnerships[0].members[", finding.GetProperty("path").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Unreadable_ExitsTwo_NamingLine()
    {
        var path = Path.Combine(_temp, "broken.json");
        File.WriteAllText(path, "{\n  \"schemaVersion\": \"1.0\",\n  \"organisations\": [ oops ]\n}");
        var (code, output, _) = await Run("validate", path);
        Assert.Equal(2, code);
        Assert.Contains("SP0001", output, StringComparison.Ordinal);
        Assert.Contains("line 3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFile_ExitsTwo_WithAMessage()
    {
        var (code, _, error) = await Run("progress", "--dataset", Path.Combine(_temp, "nope.json"));
        Assert.Equal(2, code);
        Assert.Contains("nope.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_SameSeed_SameFile_AndEveryLineValidates()
    {
        var a = Path.Combine(_temp, "a.csv");
        var b = Path.Combine(_temp, "b.jsonl");
        Assert.Equal(0, (await Run("generate", "--records", "3000", "--seed", "5", "--out", a)).Code);
        Assert.Equal(0, (await Run("generate", "--records", "3000", "--seed", "5", "--out", b)).Code);
        Assert.Equal(3001, File.ReadAllLines(a).Length);
        Assert.Equal(3000, File.ReadAllLines(b).Length);

        var (code, output, _) = await Run("validate", Dataset, "--participations", b);
        Assert.Equal(0, code);
        Assert.Contains("read 3000 = accepted 3000 + rejected 0", output, StringComparison.Ordinal);

        var again = Path.Combine(_temp, "a2.csv");
        await Run("generate", "--records", "3000", "--seed", "5", "--out", again);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(again));
    }

    [Fact]
    public async Task Aggregate_Csv_RollupTotalIsARecount()
    {
        var (code, output, _) = await Run("aggregate", "--participations", Participations, "--by", "province", "--measures", "unique,participations", "--rollup", "--format", "csv");
        Assert.Equal(0, code);
        var lines = output.Trim().Split('\n');
        Assert.Equal("province,unique,participations,level", lines[0].Trim());
        var rows = lines.Skip(1).Select(l => l.Trim().Split(',')).ToList();
        var total = rows.Single(r => r[^1] == "1");
        var provinces = rows.Where(r => r[^1] == "0").ToList();
        Assert.Equal(5000, int.Parse(total[2], System.Globalization.CultureInfo.InvariantCulture));
        // Unique beneficiaries are recounted for the total; summing the provinces would count movers twice or more.
        Assert.True(int.Parse(total[1], System.Globalization.CultureInfo.InvariantCulture) <= provinces.Sum(r => int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task AggregateAndValidate_FileWithRefusedRows_BothExitOne_AggregateCountsTheAcceptedRowsAndNamesTheCodes()
    {
        // The sample log with two rows broken: an activity the dataset lacks (SP8002) and a date outside the days held (SP8011).
        var lines = File.ReadAllLines(Participations);
        var broken = Path.Combine(_temp, "broken.csv");
        var fields = lines[1].Split(',');
        var unknownActivity = string.Join(',', fields.Select((f, i) => i == 1 ? "act-nope" : f));
        var tooEarly = string.Join(',', fields.Select((f, i) => i == 2 ? "1999-12-31" : f));
        File.WriteAllLines(broken, [.. lines, unknownActivity, tooEarly]);

        var (code, output, error) = await Run("aggregate", "--participations", broken, "--measures", "participations", "--format", "csv");
        var (validateCode, validated, _) = await Run("validate", Dataset, "--participations", broken);

        Assert.Equal(1, code);
        Assert.Equal(lines.Length - 1, int.Parse(output.Trim().Split('\n')[1].Trim().Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains($"read {lines.Length + 1:N0} = accepted {lines.Length - 1:N0} + rejected 2", error, StringComparison.Ordinal);
        Assert.Contains("SP8002", error, StringComparison.Ordinal);
        Assert.Contains("SP8011", error, StringComparison.Ordinal);
        Assert.Equal(1, validateCode);
        Assert.Contains($"accepted {lines.Length - 1} + rejected 2", validated, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aggregate_UnknownDimension_ExitsTwo_ListingTheNames()
    {
        var (code, _, error) = await Run("aggregate", "--participations", Participations, "--by", "county");
        Assert.Equal(2, code);
        Assert.Contains("province", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_FiguresThatCannotBeAdded_ExitsOne_SayingWhy_AndStillShowsTheOtherTargets()
    {
        // Two overlapping incremental reports for a targeted indicator: summing them would double count, so progress refuses.
        using var stream = File.OpenRead(Dataset);
        var sample = SafetyPrograms.Serialization.ProgrammeDatasetJson.Read(stream);
        var ds = sample.Partnerships.Single(p => p.Id.Value == "ps-digital-safety");
        var phase = ds.Phases.Single(p => p.Sequence == 2);
        var period = new NodaTime.DateInterval(phase.Period.Start, phase.Period.End!.Value);
        var attendances = new SafetyPrograms.Domain.Id<SafetyPrograms.Domain.Indicator>("DS-OUT-2");
        var withTarget = new SafetyPrograms.Domain.Partnership(
            ds.Id, ds.Name, ds.Period, ds.Status, ds.Members, ds.Phases,
            [new SafetyPrograms.Domain.Target(attendances, period, 100_000)], ds.Milestones, ds.Country, ds.Description, ds.Source);
        var overlapping = new[]
        {
            new SafetyPrograms.Domain.ReportedActual(attendances, ds.Id, new(period.Start, period.Start.PlusMonths(6)), 40_000),
            new SafetyPrograms.Domain.ReportedActual(attendances, ds.Id, new(period.Start.PlusMonths(3), period.End), 50_000),
        };
        var broken = new SafetyPrograms.Domain.ProgrammeDataset(
            sample.SchemaVersion, sample.Organisations, [.. sample.Partnerships.Select(p => p.Id == ds.Id ? withTarget : p)],
            sample.Indicators, sample.Schools, sample.Cohorts, sample.Activities, [.. sample.Actuals, .. overlapping], sample.Description);
        var path = Path.Combine(_temp, "overlapping.json");
        File.WriteAllText(path, SafetyPrograms.Serialization.ProgrammeDatasetJson.ToJson(broken));

        var (code, output, error) = await Run("progress", "--dataset", path, "--as-of", "2025-01-01");

        Assert.Equal(1, code);
        Assert.StartsWith("error: The target for DS-OUT-2 in ps-digital-safety, ", error, StringComparison.Ordinal);
        Assert.Contains("overlap", error, StringComparison.OrdinalIgnoreCase);
        // The other targets are still reported, and the refused one is listed with them.
        Assert.Contains("refused (OverlappingPeriods): The target for DS-OUT-2", output, StringComparison.Ordinal);
        Assert.Contains("COP-OUT-1", output, StringComparison.Ordinal);
        Assert.Contains("DS-OUT-1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_ExitsTwo_PointingToHelp()
    {
        var (code, _, error) = await Run("validate", Dataset, "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("--bogus", error, StringComparison.Ordinal);
        Assert.Contains("--help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_OnEveryCommand_ExitsZero()
    {
        foreach (var command in new[] { "demo", "validate", "schema", "generate", "aggregate", "progress", "report", "pseudonymise" })
        {
            var (code, output, _) = await Run(command, "--help");
            Assert.Equal(0, code);
            Assert.Contains("Usage:", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Schema_WritesTheSchemas()
    {
        var (code, _, _) = await Run("schema", "--out", _temp);
        Assert.Equal(0, code);
        foreach (var name in new[] { "programme-dataset.schema.json", "participation-record.schema.json", "validation-report.schema.json" })
        {
            using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp, name)));
            Assert.Equal(JsonValueKind.Object, schema.RootElement.ValueKind);
        }
    }

    [Fact]
    public async Task Demo_RunsEndToEnd_AndWritesASelfContainedReport()
    {
        var (code, output, error) = await Run("demo", "--records", "20000", "--out", _temp, "--as-of", "2025-12-31");
        Assert.True(code == 0, output + error);
        Assert.Contains("lines read 20000 = accepted 20000 + rejected 0", output, StringComparison.Ordinal);
        Assert.Contains("COP-OUT-1", output, StringComparison.Ordinal);
        Assert.Contains("Full findings published", output, StringComparison.Ordinal);
        Assert.Matches(@"agrees  DS-OUT-1 ps-digital-safety/ph-ds-1, 2022-02-01\.\.2022-12-31: reported 1,800, recounted 1,\d{3} from the records; within tolerance", output);

        var html = File.ReadAllText(Path.Combine(_temp, "report.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        // 20,000 records over 160 schools leave many figures small, yet the age table is audited with the others within
        // the publication's budget (the linked audit hides only figures that hold a narrow range up), so it is shown.
        Assert.DoesNotContain("id='age-left-out'", html, StringComparison.Ordinal);
        Assert.Contains("by age and sex (UN child age bands", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);

        // Each published table is a file named by its kind: no caption words (quotes, colons) in a file name.
        var published = Directory.GetFiles(_temp, "published-*.csv").Select(Path.GetFileName).ToList();
        Assert.Contains("published-province-by-sex.csv", published);
        Assert.Contains("published-disability-by-sex.csv", published);
        Assert.All(published, name => Assert.Matches("^published-[a-z-]+\\.csv$", name!));
    }
}

/// <summary>The tool's privacy commands: raw identifiers never reach the output, published tables never show a small cell.</summary>
public sealed class CliPrivacyTests : IDisposable
{
    private static readonly string Participations = Path.Combine(RepositoryPaths.SamplesData, "participations.csv");
    private readonly string _temp = Directory.CreateTempSubdirectory("safetyprograms-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public async Task Pseudonymise_ReplacesThePhoneColumn_AndReportsBadRowsByLine()
    {
        var input = Path.Combine(_temp, "partner.csv");
        File.WriteAllText(input, "phone,activity\n0300-1234567,act-1\n+92 300 1234567,act-2\n,act-3\n");
        var output = Path.Combine(_temp, "keyed.csv");
        var variable = "SAFETYPROGRAMS_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "a-test-secret-that-is-long-enough-to-be-accepted-0123456789");
        try
        {
            var (code, text, _) = await Run("pseudonymise", "--in", input, "--out", output, "--column", "phone", "--scheme", "phone", "--secret-env", variable);

            Assert.Equal(1, code); // one row rejected
            Assert.Contains("rows read 3 = written 2 + rejected 1", text, StringComparison.Ordinal);
            Assert.Contains("line 4", text, StringComparison.Ordinal);
            var lines = File.ReadAllLines(output);
            Assert.Equal("beneficiary,activity", lines[0]);
            Assert.Equal(lines[1].Split(',')[0], lines[2].Split(',')[0]); // the same number in two formats is one child
            Assert.DoesNotContain("1234567", File.ReadAllText(output), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Pseudonymise_WithoutTheSecret_ExitsTwo_SayingWhichVariable()
    {
        var (code, _, error) = await Run("pseudonymise", "--in", Participations, "--out", Path.Combine(_temp, "x.csv"), "--column", "beneficiary", "--scheme", "nationalId", "--secret-env", "SAFETYPROGRAMS_SURELY_UNSET");
        Assert.Equal(2, code);
        Assert.Contains("SAFETYPROGRAMS_SURELY_UNSET", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aggregate_Publish_SaysSoAndShowsNoSmallCell()
    {
        var (code, output, _) = await Run("aggregate", "--participations", Participations, "--by", "province,sex", "--measures", "unique", "--publish", "--format", "csv");
        Assert.Equal(0, code);
        var lines = output.Trim().Split('\n').Select(l => l.Trim()).ToList();
        Assert.StartsWith("# publication policy: cells under 10 suppressed", lines[0], StringComparison.Ordinal);
        Assert.Equal("province,sex,value,suppressed", lines[1]);
        var rows = lines.Skip(2).Select(l => l.Split(',')).ToList();
        Assert.Contains(rows, r => r[3] == "suppressed");
        Assert.All(rows, r => Assert.True(r[2].Length == 0 ? r[3] == "suppressed" : long.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture) is 0 or >= 10));
    }

    [Fact]
    public async Task Report_Publish_SaysTheReportIsPublicationSafe()
    {
        var html = Path.Combine(_temp, "r.html");
        var (code, output, _) = await Run("report", "--participations", Participations, "--html", html, "--publish", "--as-of", "2025-12-31");
        Assert.Equal(0, code);
        Assert.Contains("publication policy applied", output, StringComparison.Ordinal);
        Assert.Contains("Publication policy applied", File.ReadAllText(html), StringComparison.Ordinal);
    }
}

/// <summary>Runs the tool in-process with captured output, as a pipeline would see it.</summary>
internal static class CliRunner
{
    public static async Task<(int Code, string Out, string Err)> Run(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
