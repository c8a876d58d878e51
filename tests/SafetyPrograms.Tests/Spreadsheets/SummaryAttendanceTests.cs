using System.Globalization;
using System.Text;
using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Progress;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets;
using SafetyPrograms.Spreadsheets.Reading;
using SafetyPrograms.Tests.Cli;

namespace SafetyPrograms.Tests.Spreadsheets;

/// <summary>
/// Summary attendance (activity, cohort, count) from the attendance template's workbook or a CSV file into the dataset's
/// activities: every row read accepted or refused by code, located at its cell; the figures set are the ones
/// <see cref="AttendanceSummary"/> counts; a dry run and the CLI report the same.
/// </summary>
public sealed class SummaryAttendanceTests : IDisposable
{
    private const string Teacher = "coh-ds1-khatoon-e-pakistan-teacher", Student = "coh-ds1-khatoon-e-pakistan-student", Parent = "coh-ds1-smb-fatima-jinnah-parent";
    private static readonly string DatasetPath = Path.Combine(RepositoryPaths.SamplesData, "programmes.json");
    private readonly string _dir = Directory.CreateTempSubdirectory("sp-attendance-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Rows by sheet row (row 1 is the header; row 9 is left blank), with one problem of each kind.</summary>
    private static readonly (int Row, string Activity, string Cohort, string Count)[] Rows =
    [
        (2, "act-ds1-020", Teacher, "12"),          // replaces the dataset's 10
        (3, "act-ds1-020", Student, "300"),         // added
        (4, "act-nope", Teacher, "5"),              // SP8002 at A4
        (5, "act-ds1-015", "coh-nope", "5"),        // SP1105 at B5
        (6, "act-cop-signing", Parent, "5"),        // SP1110 at B6: the cohort is of another phase
        (7, "act-ds1-015", Parent, "2.5"),          // SP3001 at C7
        (8, "act-ds1-015", Parent, "many"),         // SP3001 at C8
        (10, "act-ds1-020", Teacher, "7"),          // SP8019 at A10: given at row 2 already
        (11, "act-ds1-015", Parent, "-1"),          // SP3001 at C11
        (13, "act-ds1-015", Parent, "0"),           // replaces the dataset's 86
    ];

    private static ProgrammeDataset Dataset()
    {
        using var stream = File.OpenRead(DatasetPath);
        return ProgrammeDatasetJson.Read(stream, DatasetPath);
    }

    /// <summary>The rows as the template's sheet holds them (counts typed as numbers where they are), with a formula never calculated in C12.</summary>
    private static byte[] Workbook()
    {
        var book = new TestWorkbook();
        var xml = new StringBuilder("<row r=\"1\">" + book.S("A1", "activity") + book.S("B1", "cohort") + book.S("C1", "count") + "</row>");
        foreach (var (row, activity, cohort, count) in Rows.Where(r => r.Row < 12))
        {
            var countCell = decimal.TryParse(count, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? TestWorkbook.N($"C{row}", count) : book.S($"C{row}", count);
            xml.Append(CultureInfo.InvariantCulture, $"<row r=\"{row}\">{book.S($"A{row}", activity)}{book.S($"B{row}", cohort)}{countCell}</row>");
        }
        xml.Append("<row r=\"12\">" + book.S("A12", "act-ds1-015") + book.S("B12", Parent) + "<c r=\"C12\"><f>SUM(C2:C3)</f></c></row>");
        xml.Append("<row r=\"13\">" + book.S("A13", "act-ds1-015") + book.S("B13", Parent) + TestWorkbook.N("C13", "0") + "</row>");
        return book.Sheet("Attendance", xml.ToString()).Build();
    }

    /// <summary>The same rows as CSV, on the same line numbers (line 9 blank), line 12 a line of four values.</summary>
    private static byte[] Csv()
    {
        var text = new StringBuilder("activity,cohort,count\n");
        for (var line = 2; line <= 13; line++)
        {
            text.Append(line == 9 ? "" : line == 12 ? "act-ds1-015,x,1,2" : string.Join(',', Rows.Single(r => r.Row == line) is var r ? [r.Activity, r.Cohort, r.Count] : Array.Empty<string>()));
            text.Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static IReadOnlyList<Attendance> AttendanceOf(ProgrammeDataset dataset, string activity) =>
        dataset.Activities.Single(a => a.Id.Value == activity).Attendance;

    [Fact]
    public void FromWorkbook_EveryRowAccountedFor_ByCodeAndCell_FiguresSetOnTheActivities()
    {
        var dataset = Dataset();

        var import = SummaryAttendanceImport.FromWorkbook(dataset, new MemoryStream(Workbook()), "attendance.xlsx");

        var report = import.Report;
        Assert.Equal((11L, 3L, 8L), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal("attendance.xlsx", report.FileName);
        Assert.Equal([4L, 5, 6, 7, 8, 10, 11, 12], report.RejectedLines);
        Assert.Equal(
            [("SP8002", "activity", "Attendance!A4"), ("SP1105", "cohort", "Attendance!B5"), ("SP1110", "cohort", "Attendance!B6"),
                ("SP3001", "count", "Attendance!C7"), ("SP3001", "count", "Attendance!C8"), ("SP8019", "$", "Attendance!A10"),
                ("SP3001", "count", "Attendance!C11"), ("SP8001", "count", "Attendance!C12")],
            report.Rejects.Select(r => (r.Code, r.Path, r.Location)));
        Assert.Equal(new Dictionary<string, long> { ["SP1105"] = 1, ["SP1110"] = 1, ["SP3001"] = 3, ["SP8001"] = 1, ["SP8002"] = 1, ["SP8019"] = 1 }, report.RejectedByCode);
        Assert.Contains("Attendance!A2", report.Rejects[5].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Rejects, r => r.Message.Contains("many", StringComparison.Ordinal));

        Assert.Equal([new Attendance(new Id<Cohort>(Teacher), 12), new Attendance(new Id<Cohort>(Student), 300)], AttendanceOf(import.Dataset, "act-ds1-020"));
        Assert.Equal([new Attendance(new Id<Cohort>(Parent), 0)], AttendanceOf(import.Dataset, "act-ds1-015"));
        Assert.Equal(
            dataset.Activities.Where(a => a.Id.Value is not ("act-ds1-020" or "act-ds1-015")),
            import.Dataset.Activities.Where(a => a.Id.Value is not ("act-ds1-020" or "act-ds1-015")));
        // The dataset given is left as it was.
        Assert.Equal([new Attendance(new Id<Cohort>(Teacher), 10)], AttendanceOf(dataset, "act-ds1-020"));

        // The figures are the ones the attendance summary counts: +2 teachers, +300 students, -86 parents.
        var scope = new ProgressScope(new Id<Partnership>("ps-digital-safety"));
        var window = new DateInterval(new LocalDate(2000, 1, 1), new LocalDate(2100, 1, 1));
        Assert.Equal(
            AttendanceSummary.For(dataset, scope, window).Attendances + 2 + 300 - 86,
            AttendanceSummary.For(import.Dataset, scope, window).Attendances);
    }

    [Fact]
    public void FromCsv_SameRows_SameDatasetAndReport_LocatedByLine()
    {
        var dataset = Dataset();
        var sheet = SummaryAttendanceImport.FromWorkbook(dataset, new MemoryStream(Workbook()), "attendance.xlsx");

        var csv = SummaryAttendanceImport.FromCsv(dataset, new MemoryStream(Csv()), "attendance.csv");

        Assert.Equal(sheet.Dataset, csv.Dataset);
        Assert.Equal((sheet.Report.Read, sheet.Report.Accepted), (csv.Report.Read, csv.Report.Accepted));
        Assert.Equal(sheet.Report.RejectedLines, csv.Report.RejectedLines);
        // The same refusals, but for line 12, unreadable for another reason (four values, not a formula).
        Assert.Equal(sheet.Report.Rejects.SkipLast(1).Select(r => (r.Code, r.Path, r.Message.Replace("Attendance!A2", "attendance.csv line 2", StringComparison.Ordinal))),
            csv.Report.Rejects.SkipLast(1).Select(r => (r.Code, r.Path, r.Message)));
        Assert.Equal(("SP8001", "$", "attendance.csv line 12"), (csv.Report.Rejects[^1].Code, csv.Report.Rejects[^1].Path, csv.Report.Rejects[^1].Location));
        Assert.Equal("attendance.csv line 4", csv.Report.Rejects[0].Location);
    }

    [Fact]
    public void ImportTwice_SameDataset()
    {
        var once = SummaryAttendanceImport.FromWorkbook(Dataset(), new MemoryStream(Workbook())).Dataset;

        var twice = SummaryAttendanceImport.FromWorkbook(once, new MemoryStream(Workbook())).Dataset;

        Assert.Equal(once, twice);
    }

    [Fact]
    public void EmptyTemplate_ReadsCleanly_DatasetUnchanged()
    {
        var dataset = Dataset();
        var template = new MemoryStream();
        SpreadsheetTemplates.WriteSummaryAttendance(template, dataset);
        template.Position = 0;

        var import = SummaryAttendanceImport.FromWorkbook(dataset, template, "attendance.xlsx");

        Assert.True(import.Report.IsClean);
        Assert.Equal(0, import.Report.Read);
        Assert.Same(dataset, import.Dataset);
    }

    [Fact]
    public void HeaderThatDoesNotFit_NotAWorkbook_RefusedWhole()
    {
        var dataset = Dataset();
        var header = Assert.Throws<DataFormatException>(() => SummaryAttendanceImport.FromCsv(
            dataset, new MemoryStream("activity,group,count,count\nact-ds1-020,x,1,1\n"u8.ToArray()), "attendance.csv"));
        Assert.Contains("missing column 'cohort'", header.Reason, StringComparison.Ordinal);
        Assert.Contains("unknown column 'group'", header.Reason, StringComparison.Ordinal);
        Assert.Contains("column 'count' repeated", header.Reason, StringComparison.Ordinal);

        var notWorkbook = Assert.Throws<DataFormatException>(() => SummaryAttendanceImport.FromWorkbook(
            dataset, new MemoryStream("activity,cohort,count\n"u8.ToArray()), "attendance.xlsx"));
        Assert.Contains(XlsxWorkbook.NotZip, notWorkbook.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_ImportAttendance_DryRunWritesNothing_OutWritesTheDatasetWithTheFigures()
    {
        var input = Path.Combine(_dir, "attendance.xlsx");
        await File.WriteAllBytesAsync(input, Workbook());
        var written = Path.Combine(_dir, "programmes-with-attendance.json");

        var dry = await CliRunner.Run(["import", "--dataset", DatasetPath, "--attendance", input, "--dry-run"]);
        Assert.Equal(1, dry.Code);
        Assert.Contains("read 11 = accepted 3 + rejected 8 (dry run: nothing written)", dry.Out, StringComparison.Ordinal);
        Assert.Contains("rejected: Attendance!C7: SP3001 count: ", dry.Err, StringComparison.Ordinal);
        Assert.Contains("  SP3001 Count not a whole non-negative number: 3", dry.Err, StringComparison.Ordinal);

        var neither = await CliRunner.Run(["import", "--dataset", DatasetPath, "--attendance", input]);
        Assert.Equal(2, neither.Code);
        Assert.Contains("--out", neither.Err, StringComparison.Ordinal);

        var run = await CliRunner.Run(["import", "--dataset", DatasetPath, "--attendance", input, "--out", written]);
        Assert.Equal(1, run.Code);
        Assert.Contains("3 attendance figures set", run.Out, StringComparison.Ordinal);
        using var stream = File.OpenRead(written);
        Assert.Equal(
            SummaryAttendanceImport.FromWorkbook(Dataset(), new MemoryStream(Workbook())).Dataset,
            ProgrammeDatasetJson.Read(stream, written));
    }
}
