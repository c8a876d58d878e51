using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets;
using SafetyPrograms.Spreadsheets.Reading;
using SafetyPrograms.Tests.Cli;

namespace SafetyPrograms.Tests.Spreadsheets;

/// <summary>The <c>template</c> and <c>import</c> commands: a template that reads back, and Kobo/Excel inputs reported.</summary>
public sealed class SpreadsheetCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sheets-cli").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sample(params string[] parts) => Path.Combine([RepositoryPaths.SamplesData, .. parts]);

    /// <summary>A file holding the made-up programme secret that keys the samples' raw learner ids.</summary>
    private async Task<string> SecretFile()
    {
        var secret = Path.Combine(_dir, "secret.txt");
        await File.WriteAllTextAsync(secret, "made-up test secret: 9f2c41d7b0e6a583c1f4d92e7a06b3c8\n");
        return secret;
    }

    [Fact]
    public async Task Template_Participations_HeaderDropDownsNotesAndCodes()
    {
        var path = Path.Combine(_dir, "entry.xlsx");
        var (code, output, error) = await CliRunner.Run(["template", "--dataset", Sample("programmes.json"), "--out", path]);
        Assert.True(code == 0, error);
        Assert.Contains("wrote", output, StringComparison.Ordinal);

        using (var workbook = XlsxWorkbook.Open(File.OpenRead(path), path))
        {
            Assert.Equal([SpreadsheetTemplates.ParticipationSheet, SpreadsheetTemplates.CodesSheet, SpreadsheetTemplates.NotesSheet], workbook.SheetNames);
            using var sheet = workbook.Read();
            var header = SheetTable.ReadHeader(sheet, null);
            Assert.Equal(ParticipationCsv.Columns, header.Names);
        }
        using var document = SpreadsheetDocument.Open(path, false);
        var part = document.WorkbookPart!;
        var data = (WorksheetPart)part.GetPartById(part.Workbook!.Sheets!.Elements<Sheet>().First().Id!);
        var validations = data.Worksheet!.Descendants<DataValidation>().ToList();
        Assert.Equal(ParticipationCsv.Columns.Count, validations.Count);
        var activity = validations[ParticipationCsv.Columns.ToList().IndexOf("activity")];
        Assert.Equal(DataValidationValues.List, activity.Type!.Value);
        var dataset = Inputs();
        Assert.Equal($"Codes!$A$2:$A${dataset.Activities.Count + 1}", activity.Formula1!.Text);
        Assert.All(validations, v => Assert.False(string.IsNullOrEmpty(v.Prompt?.Value)));
        var role = validations[ParticipationCsv.Columns.ToList().IndexOf("role")];
        Assert.Equal(DataValidationValues.List, role.Type!.Value);
        // The Codes sheet lists every activity id under its heading, and the roles' names.
        using var workbook2 = XlsxWorkbook.Open(File.OpenRead(path), path);
        using var codes = workbook2.Read(SpreadsheetTemplates.CodesSheet);
        var rows = new List<SheetRow>();
        while (codes.Next() is { } r)
        {
            rows.Add(r);
        }
        Assert.Equal("activity", rows[0][0].Text);
        Assert.Equal(dataset.Activities.Select(a => a.Id.Value), rows.Skip(1).Select(r => r[0].Text).Where(t => t.Length > 0));
        Assert.Contains(rows, r => r.Cells.Any(c => c.Text == "student"));
    }

    [Fact]
    public async Task Template_Attendance_ActivityCohortCount_AndAnEmptyTemplateImportsCleanly()
    {
        var path = Path.Combine(_dir, "attendance.xlsx");
        var (code, _, error) = await CliRunner.Run(["template", "--dataset", Sample("programmes.json"), "--kind", "attendance", "--out", path]);
        Assert.True(code == 0, error);
        using (var workbook = XlsxWorkbook.Open(File.OpenRead(path), path))
        using (var sheet = workbook.Read(SpreadsheetTemplates.AttendanceSheet))
        {
            Assert.Equal(SpreadsheetTemplates.AttendanceColumns, SheetTable.ReadHeader(sheet, null).Names);
        }
        var participations = Path.Combine(_dir, "entry.xlsx");
        await CliRunner.Run(["template", "--dataset", Sample("programmes.json"), "--out", participations]);
        var (dry, output, dryError) = await CliRunner.Run(["import", "--dataset", Sample("programmes.json"), "--participations", participations, "--dry-run"]);
        Assert.True(dry == 0, dryError);
        Assert.Contains("read 0 = accepted 0 + rejected 0 (dry run: nothing added)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_KoboExportWithMapping_ReportsTheResentSessionAndNoRawId()
    {
        var secret = await SecretFile();
        var (code, output, error) = await CliRunner.Run(
        [
            "import", "--dataset", Sample("programmes.json"), "--participations", Sample("kobo", "attendance.xlsx"),
            "--mapping", Sample("kobo", "attendance-mapping.json"), "--scheme", "learner:school-register", "--secret-file", secret,
        ]);
        Assert.Equal(1, code); // refusals: the re-sent copy
        Assert.Contains("read 8 = accepted 5 + rejected 3", output, StringComparison.Ordinal);
        Assert.Contains("held 5 records of 4 beneficiaries", output, StringComparison.Ordinal);
        Assert.Contains("SP8018 Submission sent again: 3", error, StringComparison.Ordinal);
        Assert.Contains("participants!A5", error, StringComparison.Ordinal);
        Assert.DoesNotContain("L-10", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OdkNestedRepeat_EachGroupFileGivenWithRecords_JoinedAndReported()
    {
        var secret = await SecretFile();
        var (code, output, error) = await CliRunner.Run(
        [
            "import", "--dataset", Sample("programmes.json"), "--participations", Sample("odk", "register.csv"),
            "--records", Sample("odk", "register-participants.csv"), "--records", Sample("odk", "register-sessions.csv"),
            "--mapping", Sample("odk", "register-mapping.json"), "--scheme", "learner:school-register", "--secret-file", secret, "--dry-run",
        ]);
        Assert.Equal(1, code); // refusals: the re-sent copy
        Assert.Contains("read 10 = accepted 6 + rejected 4", output, StringComparison.Ordinal);
        Assert.Contains("SP8018 Submission sent again: 4", error, StringComparison.Ordinal);
        Assert.Contains("register-participants.csv line 8", error, StringComparison.Ordinal);
        Assert.DoesNotContain("L-10", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Workbook_RejectNamesTheCellAsExcelDoes()
    {
        var lines = File.ReadLines(Sample("participations.csv")).Take(4).Select(l => l.Split(',')).ToArray();
        lines[2][2] = "someday";
        var book = new TestWorkbook();
        var path = Path.Combine(_dir, "attendance.xlsx");
        await File.WriteAllBytesAsync(path, book.Sheet("Attendance", book.Rows(lines)).Build());

        var (code, output, error) = await CliRunner.Run(["import", "--dataset", Sample("programmes.json"), "--participations", path, "--dry-run"]);

        Assert.Equal(1, code);
        Assert.Contains("read 3 = accepted 2 + rejected 1 (dry run: nothing added)", output, StringComparison.Ordinal);
        Assert.Contains("rejected: Attendance!C3: SP8001 date: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("someday", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_NotAWorkbook_ClearErrorExit2()
    {
        var path = Path.Combine(_dir, "fake.xlsx");
        await File.WriteAllTextAsync(path, "beneficiary,activity\n");
        var (code, _, error) = await CliRunner.Run(["import", "--dataset", Sample("programmes.json"), "--participations", path]);
        Assert.Equal(2, code);
        Assert.Contains(XlsxWorkbook.NotZip, error, StringComparison.Ordinal);
    }

    private static SafetyPrograms.Domain.ProgrammeDataset Inputs()
    {
        using var stream = File.OpenRead(Sample("programmes.json"));
        return ProgrammeDatasetJson.Read(stream, "programmes.json");
    }
}
