using SafetyPrograms.Tests.Cli;

namespace SafetyPrograms.Tests.Spreadsheets;

/// <summary>
/// The source options every reading command shares (<c>import</c>, <c>convert</c>, <c>aggregate</c>): a raw identifier
/// column pseudonymised as a CSV or JSON Lines file is read (<c>--raw-column</c>, <c>--scheme</c>, <c>--secret-file</c>), so
/// no raw id reaches an output, a message or a Parquet file, and the figures are those of the <c>pseudonymise</c> command's
/// output; and <c>convert --mapping</c> / <c>--sheet</c>, reading a Kobo/ODK export or a chosen sheet as <c>import</c> does.
/// </summary>
public sealed class SourceOptionsCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("source-options-cli").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sample(params string[] parts) => Path.Combine([RepositoryPaths.SamplesData, .. parts]);

    private string[] Secret()
    {
        var secret = Path.Combine(_dir, "secret.txt");
        File.WriteAllText(secret, "made-up test secret: 9f2c41d7b0e6a583c1f4d92e7a06b3c8\n");
        return ["--scheme", "learner:school-register", "--secret-file", secret];
    }

    /// <summary>The sample participations with their beneficiary column renamed learner_id, its values taken as raw learner ids (<c>syn-…</c>).</summary>
    private string RawCsv()
    {
        var text = File.ReadAllText(Sample("participations.csv"));
        var path = Path.Combine(_dir, "raw.csv");
        File.WriteAllText(path, string.Concat("learner_id", text.AsSpan("beneficiary".Length)));
        return path;
    }

    [Fact]
    public async Task RawColumn_ImportConvertAggregate_NoRawIdAnywhere_FiguresOfThePseudonymiseCommandsOutput()
    {
        var raw = RawCsv();
        var keyed = Path.Combine(_dir, "keyed.csv");
        var (pseudonymised, _, pseudonymiseError) = await CliRunner.Run(["pseudonymise", "--in", raw, "--out", keyed, "--column", "learner_id", .. Secret()]);
        Assert.True(pseudonymised == 0, pseudonymiseError);

        var (imported, importOutput, importError) = await CliRunner.Run(["import", "--dataset", Sample("programmes.json"), "--participations", raw, "--raw-column", "learner_id", .. Secret()]);
        var (keyedImport, keyedOutput, _) = await CliRunner.Run(["import", "--dataset", Sample("programmes.json"), "--participations", keyed]);
        Assert.Equal(keyedImport, imported);
        Assert.Equal(keyedOutput.Replace(keyed, raw, StringComparison.Ordinal), importOutput);

        var parquet = Path.Combine(_dir, "keyed.parquet");
        var (converted, convertOutput, convertError) = await CliRunner.Run(
            ["convert", "--dataset", Sample("programmes.json"), "--participations", raw, "--raw-column", "learner_id", .. Secret(), "--out", parquet]);
        Assert.True(converted is 0 or 1, convertError);
        Assert.Contains("wrote " + parquet, convertOutput, StringComparison.Ordinal);
        Assert.True(File.ReadAllBytes(parquet).AsSpan().IndexOf("syn-0"u8) < 0, "a raw id is in the Parquet file");

        string[] by = ["--by", "role,sex", "--measures", "participations,unique", "--format", "csv"];
        var (_, fromRaw, rawError) = await CliRunner.Run(["aggregate", "--dataset", Sample("programmes.json"), "--participations", raw, "--raw-column", "learner_id", .. Secret(), .. by]);
        var (_, fromKeyed, _) = await CliRunner.Run(["aggregate", "--dataset", Sample("programmes.json"), "--participations", keyed, .. by]);
        var (_, fromParquet, _) = await CliRunner.Run(["aggregate", "--dataset", Sample("programmes.json"), "--participations", parquet, .. by]);
        Assert.Equal(fromKeyed, fromRaw);
        Assert.Equal(fromKeyed, fromParquet);
        Assert.All(new[] { importOutput, importError, convertOutput, convertError, fromRaw, rawError }, text => Assert.DoesNotContain("syn-0", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RawColumn_WithoutScheme_RefusedBeforeReading()
    {
        var (code, _, error) = await CliRunner.Run(["import", "--dataset", Sample("programmes.json"), "--participations", RawCsv(), "--raw-column", "learner_id"]);
        Assert.Equal(2, code);
        Assert.Contains("--scheme", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_KoboExportWithMapping_ToParquet_ReadsBackAsTheImport()
    {
        var parquet = Path.Combine(_dir, "kobo.parquet");
        var (code, output, error) = await CliRunner.Run(
        [
            "convert", "--dataset", Sample("programmes.json"), "--participations", Sample("kobo", "attendance.xlsx"),
            "--mapping", Sample("kobo", "attendance-mapping.json"), .. Secret(), "--out", parquet,
        ]);
        Assert.Equal(1, code); // refusals: the re-sent copy
        Assert.Contains("read 8 = accepted 5 + rejected 3", output, StringComparison.Ordinal);
        Assert.Contains("SP8018 Submission sent again: 3", error, StringComparison.Ordinal);
        Assert.DoesNotContain("L-10", output + error, StringComparison.Ordinal);
        Assert.True(File.ReadAllBytes(parquet).AsSpan().IndexOf("L-10"u8) < 0, "a raw id is in the Parquet file");

        var (back, backOutput, backError) = await CliRunner.Run(["import", "--dataset", Sample("programmes.json"), "--participations", parquet]);
        Assert.True(back == 0, backError);
        Assert.Contains("held 5 records of 4 beneficiaries", backOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_OdkNestedExport_EachGroupFileGivenWithRecords()
    {
        var parquet = Path.Combine(_dir, "odk.parquet");
        var (code, output, _) = await CliRunner.Run(
        [
            "convert", "--dataset", Sample("programmes.json"), "--participations", Sample("odk", "register.csv"),
            "--records", Sample("odk", "register-participants.csv"), "--records", Sample("odk", "register-sessions.csv"),
            "--mapping", Sample("odk", "register-mapping.json"), .. Secret(), "--out", parquet,
        ]);
        Assert.Equal(1, code);
        Assert.Contains("read 10 = accepted 6 + rejected 4", output, StringComparison.Ordinal);
        Assert.Contains("wrote " + parquet + ": 6 records", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_Sheet_ReadsTheChosenSheet()
    {
        // A notes sheet first, the records on the second: without --sheet the first is read, and has no header.
        var lines = File.ReadLines(Sample("participations.csv")).Take(3).Select(l => l.Split(',')).ToArray();
        var book = new TestWorkbook();
        var path = Path.Combine(_dir, "entry.xlsx");
        await File.WriteAllBytesAsync(path, book.Sheet("Notes", book.Rows([["Entered by the field team"]])).Sheet("Attendance", book.Rows(lines)).Build());
        var parquet = Path.Combine(_dir, "sheet.parquet");

        var (code, output, error) = await CliRunner.Run(["convert", "--dataset", Sample("programmes.json"), "--participations", path, "--sheet", "Attendance", "--out", parquet]);
        Assert.True(code == 0, error);
        Assert.Contains("read 2 = accepted 2 + rejected 0", output, StringComparison.Ordinal);

        var (first, _, firstError) = await CliRunner.Run(["convert", "--dataset", Sample("programmes.json"), "--participations", path, "--out", parquet]);
        Assert.Equal(2, first);
        Assert.Contains("names none of the columns", firstError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_SheetForACsv_Refused()
    {
        var (code, _, error) = await CliRunner.Run(
            ["convert", "--dataset", Sample("programmes.json"), "--participations", Sample("participations.csv"), "--sheet", "Attendance", "--out", Path.Combine(_dir, "x.parquet")]);
        Assert.Equal(2, code);
        Assert.Contains("--sheet", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "x.parquet")));
    }
}
