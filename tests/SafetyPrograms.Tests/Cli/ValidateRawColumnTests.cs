using System.Text.Json;
using SafetyPrograms.Cli;

namespace SafetyPrograms.Tests.Cli;

/// <summary>
/// <c>validate --participations</c> reads a file of raw identifiers as every reading command does: with
/// <c>--raw-column</c>, <c>--scheme</c> and the programme's secret it keys each raw id as the row is read, so the file
/// validates as its pseudonymised copy does and no finding, summary or error quotes a raw id; without them a raw id in
/// the beneficiary column is reported under its rule (SP5001), never echoed. Every command that reads participation
/// records takes the same input options.
/// </summary>
public sealed class ValidateRawColumnTests : IDisposable
{
    private static readonly string Dataset = Path.Combine(RepositoryPaths.SamplesData, "programmes.json");
    private static readonly string Participations = Path.Combine(RepositoryPaths.SamplesData, "participations.csv");

    /// <summary>Every raw phone number of <see cref="RawCsv"/> starts so; no output may hold it.</summary>
    private const string PhonePrefix = "0300100";

    private readonly string _dir = Directory.CreateTempSubdirectory("validate-raw-column").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Secret()
    {
        var secret = Path.Combine(_dir, "secret.txt");
        File.WriteAllText(secret, "made-up test secret: 5d0e7a92c4b81f36e9a2047bd1c5f863\n");
        return ["--scheme", "phone", "--secret-file", secret];
    }

    /// <summary>The sample participations, each beneficiary given a made-up raw phone number, in a column named <paramref name="column"/>; <paramref name="extra"/> rows appended.</summary>
    private string RawCsv(string column, params string[] extra)
    {
        var lines = File.ReadAllLines(Participations);
        var phones = new Dictionary<string, string>(StringComparer.Ordinal);
        var rows = lines.Skip(1).Select(line =>
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            var key = line[..comma];
            var phone = phones.TryGetValue(key, out var known) ? known : phones[key] = $"{PhonePrefix}{phones.Count:D4}";
            return phone + line[comma..];
        });
        var path = Path.Combine(_dir, $"raw-{column}-{extra.Length}.csv");
        File.WriteAllLines(path, [column + lines[0]["beneficiary".Length..], .. rows, .. extra]);
        return path;
    }

    /// <summary>The first sample row with its beneficiary replaced by <paramref name="raw"/> and field <paramref name="field"/> by <paramref name="value"/>.</summary>
    private static string Row(string raw, int field = 0, string? value = null)
    {
        var fields = File.ReadLines(Participations).Skip(1).First().Split(',');
        fields[0] = raw;
        if (value is not null)
        {
            fields[field] = value;
        }
        return string.Join(',', fields);
    }

    private static void AssertNoRawId(params string[] texts) =>
        Assert.All(texts, text => Assert.DoesNotContain(PhonePrefix, text, StringComparison.Ordinal));

    [Fact]
    public async Task RawColumn_RawIdFile_ValidatesCleanAsItsPseudonymisedCopy_NoRawIdInAnyOutput()
    {
        var raw = RawCsv("phone");
        var keyed = Path.Combine(_dir, "keyed.csv");
        var (pseudonymised, _, pseudonymiseError) = await CliRunner.Run(["pseudonymise", "--in", raw, "--out", keyed, "--column", "phone", .. Secret()]);
        Assert.True(pseudonymised == 0, pseudonymiseError);

        var (code, output, error) = await CliRunner.Run(["validate", Dataset, "--participations", raw, "--raw-column", "phone", .. Secret()]);
        var (keyedCode, keyedOutput, _) = await CliRunner.Run(["validate", Dataset, "--participations", keyed]);

        Assert.True(code == 0, output + error);
        Assert.Equal(keyedCode, code);
        Assert.Contains("lines read 5000 = accepted 5000 + rejected 0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("SP5001", output, StringComparison.Ordinal);
        Assert.Equal(keyedOutput.Replace(keyed, raw, StringComparison.Ordinal), output);
        AssertNoRawId(output, error);
    }

    [Fact]
    public async Task RawColumn_RowsWithProblems_EveryFindingNamesLineAndColumn_NeverTheRawId()
    {
        const string Unkeyable = "0300-555-ABCD";
        var raw = RawCsv(
            "phone",
            Row(Unkeyable),                              // line 5002: a raw id the phone scheme cannot key
            Row(PhonePrefix + "9001", 2, "2025-02-30"),  // line 5003: no such day
            Row(PhonePrefix + "9002", 1, "act-nope"));   // line 5004: an activity the dataset lacks

        var (code, output, error) = await CliRunner.Run(["validate", Dataset, "--participations", raw, "--raw-column", "phone", .. Secret(), "--format", "json"]);

        Assert.Equal(1, code);
        AssertNoRawId(output, error);
        Assert.DoesNotContain(Unkeyable, output + error, StringComparison.Ordinal);
        // Two reports, the dataset's then the participations'; the second one's findings name the line and column.
        var reports = JsonSplit(output);
        var findings = reports[1].GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("code").GetString() != "SP6008") // reported figures against their recount: about the dataset, not a line
            .Select(f => (Code: f.GetProperty("code").GetString(), Path: f.GetProperty("path").GetString(), Line: f.GetProperty("line").GetInt64()))
            .ToList();
        Assert.Equal([("SP8001", "phone", 5002L), ("SP8001", "date", 5003L), ("SP8002", "activity", 5004L)], findings);
        Assert.Equal(3, reports[1].GetProperty("participation").GetProperty("rejected").GetInt64());
    }

    [Fact]
    public async Task WithoutRawColumn_RawIdsInTheBeneficiaryColumn_ReportedAsRawIdentifiers_NeverEchoed()
    {
        var raw = RawCsv("beneficiary");

        var (_, output, error) = await CliRunner.Run(["validate", Dataset, "--participations", raw, "--max-findings", "10000"]);
        var (keyedCode, keyedOutput, keyedError) = await CliRunner.Run(["validate", Dataset, "--participations", raw, "--raw-column", "beneficiary", .. Secret()]);

        Assert.Equal(5000, output.Split('\n').Count(l => l.Contains("SP5001", StringComparison.Ordinal)));
        AssertNoRawId(output, error);
        Assert.True(keyedCode == 0, keyedOutput + keyedError);
        Assert.DoesNotContain("SP5001", keyedOutput, StringComparison.Ordinal);
        AssertNoRawId(keyedOutput, keyedError);
    }

    [Fact]
    public async Task RawColumn_ProgressReportExport_FiguresOfThePseudonymisedCopy_NoRawIdInAnyOutput()
    {
        var raw = RawCsv("phone");
        var keyed = Path.Combine(_dir, "keyed.csv");
        Assert.Equal(0, (await CliRunner.Run(["pseudonymise", "--in", raw, "--out", keyed, "--column", "phone", .. Secret()])).Code);

        var (progress, progressOutput, progressError) = await CliRunner.Run(
            ["progress", "--dataset", Dataset, "--participations", raw, "--raw-column", "phone", .. Secret(), "--as-of", "2025-12-31"]);
        var (keyedProgress, keyedProgressOutput, _) = await CliRunner.Run(["progress", "--dataset", Dataset, "--participations", keyed, "--as-of", "2025-12-31"]);
        Assert.Equal(keyedProgress, progress);
        Assert.Equal(keyedProgressOutput.Replace(keyed, raw, StringComparison.Ordinal), progressOutput);

        var html = Path.Combine(_dir, "report.html");
        var (report, reportOutput, reportError) = await CliRunner.Run(
            ["report", "--dataset", Dataset, "--participations", raw, "--raw-column", "phone", .. Secret(), "--html", html, "--as-of", "2025-12-31"]);
        Assert.True(report == 0, reportError);

        var hxl = Path.Combine(_dir, "reach.csv");
        var keyedHxl = Path.Combine(_dir, "keyed-reach.csv");
        var (export, exportOutput, exportError) = await CliRunner.Run(
            ["export", "--dataset", Dataset, "--participations", raw, "--raw-column", "phone", .. Secret(), "--format", "hxl", "--out", hxl, "--as-of", "2025-12-31"]);
        Assert.True(export == 0, exportError);
        Assert.Equal(0, (await CliRunner.Run(["export", "--dataset", Dataset, "--participations", keyed, "--format", "hxl", "--out", keyedHxl, "--as-of", "2025-12-31"])).Code);
        Assert.Equal(File.ReadAllText(keyedHxl), File.ReadAllText(hxl));

        AssertNoRawId(progressOutput, progressError, reportOutput, reportError, File.ReadAllText(html), exportOutput, exportError, File.ReadAllText(hxl));
    }

    [Fact]
    public async Task RawColumn_WorkbookThatIsNotOne_UnreadableFinding_NamingTheFile_ExitTwo()
    {
        var path = Path.Combine(_dir, "attendance.xlsx");
        File.WriteAllText(path, "phone,activity\n" + PhonePrefix + "0001,act-1\n"); // a CSV saved under the workbook's name

        var (code, output, error) = await CliRunner.Run(["validate", Dataset, "--participations", path, "--raw-column", "phone", .. Secret()]);

        Assert.Equal(2, code);
        Assert.Contains("SP0001", output, StringComparison.Ordinal);
        Assert.Contains("attendance.xlsx: The file is not an Excel .xlsx workbook", output, StringComparison.Ordinal);
        Assert.Contains("stopped before the end of the stream", output, StringComparison.Ordinal);
        AssertNoRawId(output, error);
    }

    /// <summary>Every command that reads participation records (it has <c>--participations</c>) takes the one set of input options.</summary>
    [Fact]
    public void EveryCommandReadingParticipations_TakesTheSameInputOptions()
    {
        string[] keyed = ["--raw-column", "--scheme", "--secret-env", "--secret-file", "--sheet", "--header-row"];
        var readers = CliApp.CreateRoot().Subcommands.Where(c => c.Options.Any(o => o.Name == "--participations")).ToList();

        Assert.Equal(["validate", "progress", "aggregate", "report", "import", "convert", "export"], readers.Select(c => c.Name));
        Assert.All(readers, command => Assert.Superset(keyed.ToHashSet(), command.Options.Select(o => o.Name).ToHashSet()));
        // The same wording everywhere: one definition, not copies.
        Assert.Single(readers.Select(c => c.Options.Single(o => o.Name == "--raw-column").Description).Distinct());
        // A Kobo/ODK export's options wherever --mapping is not already export's ADX mapping.
        Assert.All(readers.Where(c => c.Name != "export"), command => Assert.Contains(command.Options, o => o.Name == "--records"));
    }

    /// <summary>The JSON documents <c>validate --format json</c> writes one after another.</summary>
    private static List<JsonElement> JsonSplit(string output)
    {
        var documents = new List<JsonElement>();
        var bytes = System.Text.Encoding.UTF8.GetBytes(output);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            using var document = JsonDocument.ParseValue(ref reader);
            documents.Add(document.RootElement.Clone());
        }
        return documents;
    }
}
