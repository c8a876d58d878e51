using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Ingest;
using SafetyPrograms.Spreadsheets;
using SafetyPrograms.Spreadsheets.Reading;
using SafetyPrograms.Tests.Cli;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Tests.Spreadsheets;

/// <summary>
/// Every report names a row where its user finds it: a workbook's cell (<c>Attendance!D12</c> for a bad date, the cell
/// of the value at fault), a Kobo repeat group's sheet and cell, a database's result row, a text file's line; alike in
/// the library's ingest report, the validator's findings and the commands' messages.
/// </summary>
public sealed class CellLocationTests : SubmissionSamples, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cells").FullName;

    /// <summary>The columns of the workbook, the date in column D (not where the CSV has it): the cell named is the sheet's own.</summary>
    private static readonly string[] Columns = ["beneficiary", "activity", "role", "date", "sex", "ageBand", "mode", "completed", "school"];

    /// <summary>
    /// The sample's first rows, on sheet Attendance with its header on row 1: row 12 holds a date that does not exist
    /// (30 February: unreadable, SP8001), row 13 a real date before its activity ran (a row rule on the date).
    /// </summary>
    private static List<string[]> Rows()
    {
        var lines = File.ReadLines(Path.Combine(Data, "participations.csv")).ToList();
        var header = lines[0].Split(',');
        var at = Columns.Select(c => Array.IndexOf(header, c)).ToArray();
        var rows = lines.Skip(1).Take(13).Select(l => l.Split(',')).Select(f => at.Select(i => f[i]).ToArray()).ToList();
        rows[10][3] = "2022-02-30";
        rows[11][3] = "2010-01-05";
        return rows;
    }

    private static byte[] Workbook(List<string[]> rows)
    {
        var book = new TestWorkbook();
        var xml = new StringBuilder("<row r=\"1\">");
        for (var c = 0; c < Columns.Length; c++)
        {
            xml.Append(book.S(CellReference.Of(c, 1), Columns[c]));
        }
        xml.Append("</row>");
        for (var r = 0; r < rows.Count; r++)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<row r=\"{r + 2}\">");
            for (var c = 0; c < Columns.Length; c++)
            {
                xml.Append(rows[r][c].Length == 0 ? "" : book.S(CellReference.Of(c, r + 2), rows[r][c]));
            }
            xml.Append("</row>");
        }
        return book.Sheet("Attendance", xml.ToString()).Build();
    }

    private string WorkbookFile()
    {
        var path = Path.Combine(_dir, "attendance.xlsx");
        File.WriteAllBytes(path, Workbook(Rows()));
        return path;
    }

    private static WorkbookParticipationSource Source(byte[] xlsx) => new(new MemoryStream(xlsx), "attendance.xlsx");

    [Fact]
    public void Workbook_BadDateInD12_IngestReportNamesTheCell()
    {
        var store = new ParticipationStore(Dataset());

        var report = store.Append(Source(Workbook(Rows())));

        Assert.Equal([12L, 13], report.RejectedLines);
        Assert.Equal(
            [("SP8001", "date", "Attendance!D12"), ("SP8003", "date", "Attendance!D13")],
            report.Rejects.Select(r => (r.Code, r.Path, r.Location)));
        Assert.StartsWith("Attendance!D12: SP8001 date: ", report.Rejects[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Workbook_BadDateInD12_ValidatorFindingNamesTheCell()
    {
        var source = Source(Workbook(Rows()));
        // Before the workbook is read its first sheet has no name yet: the cell alone, never an empty quoted sheet.
        Assert.Equal("A12", source.Locate(12));

        var report = ProgrammeValidator.ValidateParticipation(Dataset(), source.ReadRecords());

        var dates = report.Findings.Where(f => f.Path == "date").ToList();
        Assert.Equal([("SP8001", "Attendance!D12", 12L), ("SP8003", "Attendance!D13", 13L)], dates.Select(f => (f.Code, f.Location!, f.Line!.Value)));
        Assert.StartsWith("error SP8001 Attendance!D12 date: ", dates[0].ToString(), StringComparison.Ordinal);
        Assert.Contains("\"location\": \"Attendance!D12\"", report.ToJson(indented: true), StringComparison.Ordinal);
        // A finding about the row as a whole (none here) names its first cell, on the sheet read (the first, unnamed in the source).
        Assert.Equal("Attendance!A12", source.Locate(12));
    }

    [Fact]
    public async Task Validate_WorkbookBadDate_OutputNamesTheCell()
    {
        var (code, output, _) = await CliRunner.Run(["validate", Path.Combine(Data, "programmes.json"), "--participations", WorkbookFile()]);

        Assert.Equal(1, code); // invalid input
        Assert.Contains("error SP8001 Attendance!D12 date: ", output, StringComparison.Ordinal);
        Assert.Contains("error SP8003 Attendance!D13 date: ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("line 12", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("import")]
    [InlineData("aggregate")]
    public async Task ImportAndAggregate_WorkbookBadDate_StandardErrorNamesTheCell(string command)
    {
        var (code, _, error) = await CliRunner.Run([command, "--dataset", Path.Combine(Data, "programmes.json"), "--participations", WorkbookFile()]);

        Assert.Equal(1, code); // invalid input
        Assert.Contains("rejected: Attendance!D12: SP8001 date: ", error, StringComparison.Ordinal);
        Assert.Contains("rejected: Attendance!D13: SP8003 date: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("line 12", error, StringComparison.Ordinal);
    }

    private static readonly string[] RootHeader = ["school", "_uuid", "_index"];
    private static readonly string[] SessionHeader = ["sessions/activity_id", "sessions/session_date", "_index", "_parent_table_name", "_parent_index"];
    private static readonly string[] PersonHeader =
        ["sessions/participants/learner_id", "sessions/participants/role", "sessions/participants/sex", "sessions/participants/age_band", "sessions/participants/completed", "_index", "_parent_table_name", "_parent_index"];

    /// <summary>
    /// A Kobo register (sessions repeat, participants repeat inside): the second session's date (sessions!B3) does not
    /// exist, and the second person's role (participants!B3) is not one.
    /// </summary>
    private SubmissionExportSource Kobo(out ParticipationSourceOptions options)
    {
        var workbook = KoboWorkbook(
            ("Term register", [RootHeader, ["sch-cop-001", "u-1", "1"], ["sch-cop-002", "u-2", "2"]]),
            ("sessions", [SessionHeader, ["act-cop-0009", "2025-07-27", "1", "Term register", "1"], ["act-cop-0022", "2025-02-30", "2", "Term register", "2"]]),
            ("participants", [
                PersonHeader,
                ["L-1001", "student", "f", "a10_14", "yes", "1", "sessions", "1"],
                ["L-1002", "pupil", "f", "a10_14", "yes", "2", "sessions", "1"],
                ["L-1004", "student", "f", "a10_14", "yes", "3", "sessions", "2"],
            ]));
        var mapping = Mapping("kobo/register-mapping.json");
        options = mapping.SourceOptions(Keys);
        return SubmissionExportSource.FromWorkbook(mapping, new MemoryStream(workbook), "register.xlsx");
    }

    [Fact]
    public void KoboRepeatGroups_BadValues_NamedByTheirSheetsCells()
    {
        var store = new ParticipationStore(Dataset());

        var report = store.Append(Kobo(out var options), options);

        // The role is the record's own (participants); the date is its session's, on the sessions sheet at that session's row.
        Assert.Equal([("SP8001", "participants!B3"), ("SP8001", "sessions!B3")], report.Rejects.Select(r => (r.Code, r.Location)));
        Assert.Equal([3L, 4], report.RejectedLines);

        var findings = ProgrammeValidator.ValidateParticipation(Dataset(), Kobo(out options).ReadRecords(options)).Findings;
        Assert.Equal(["participants!B3", "sessions!B3"], findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.Location));
        Assert.All(findings, f => Assert.DoesNotContain("L-100", f.ToString(), StringComparison.Ordinal));
    }

    /// <summary>Two result rows, the second dated 30 February.</summary>
    private static DatabaseQuerySource Sqlite(SqliteConnection connection) => new(connection, """
        select 'syn-00000025' as beneficiary, 'act-ds1-012' as activity, '2022-04-16' as date, 'parent' as role, 'female' as sex,
               '25-49' as "ageBand", 'inPerson' as mode, 'true' as completed, 'sch-zt-khatoon-e-pakistan' as school
        union all
        select 'syn-00000001', 'act-ds1-012', '2022-02-30', 'parent', 'male', '25-49', 'inPerson', 'true', 'sch-zt-khatoon-e-pakistan'
        """);

    [Fact]
    public void Sqlite_BadDate_NamedByItsResultRow()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var store = new ParticipationStore(Dataset());

        var report = store.Append(Sqlite(connection));

        var reject = Assert.Single(report.Rejects);
        Assert.Equal(("SP8001", "date", "row 2 of the query result"), (reject.Code, reject.Path, reject.Location));
        var finding = Assert.Single(ProgrammeValidator.ValidateParticipation(Dataset(), Sqlite(connection).ReadRecords()).Findings);
        Assert.Equal(("SP8001", "row 2 of the query result"), (finding.Code, finding.Location));
        Assert.StartsWith("error SP8001 row 2 of the query result date: ", finding.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CsvLines_NamedAsLines_InReportAndFindings()
    {
        var csv = string.Join(',', Columns) + "\n" + string.Concat(Rows().Select(r => string.Join(',', r) + "\n"));
        var store = new ParticipationStore(Dataset());

        var report = store.AppendCsv(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "attendance.csv");
        var findings = ProgrammeValidator.ValidateParticipation(
            Dataset(), SafetyPrograms.Serialization.ParticipationCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "attendance.csv")).Findings;

        Assert.Equal(["line 12", "line 13"], report.Rejects.Select(r => r.Location));
        Assert.Equal(["line 12", "line 13"], findings.Where(f => f.Path == "date").Select(f => f.Location));
    }

    void IDisposable.Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        Dispose();
    }
}
