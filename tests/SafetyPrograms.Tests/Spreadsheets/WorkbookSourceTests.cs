using System.Globalization;
using System.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets;
using SafetyPrograms.Spreadsheets.Reading;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Spreadsheets;

/// <summary>
/// A sheet's rows through the one row pipeline: the same rows as CSV and as Excel give the same store and report; cells
/// of every wrong type, merged cells, blank rows and values outside the header are each accounted for, named by cell.
/// </summary>
[Collection(MeasuresTheHeap.Name)]
public sealed class WorkbookSourceTests
{
    /// <summary>Rows as CSV fields: the programme's valid records, with a bad one of each kind among them.</summary>
    private static List<string[]> Rows()
    {
        var lines = Programme.ToCsv(Programme.Records.Take(300)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(',')).ToList();
        lines[10][1] = "act-nope";          // an unknown activity (SP8002)
        lines[20][2] = "2024-02-30";        // no such day
        lines[30][3] = "pupil";             // not a role
        lines[40][2] = "1999-12-31";        // a day the store cannot hold (SP8011)
        lines[50][7] = "maybe";             // not true or false
        lines[60][9] = "high";              // not a score
        lines[70][0] = "";                  // no beneficiary
        return lines;
    }

    /// <summary>Every participation column, as the CSV writer writes them (the rows' ages and functioning answers among them).</summary>
    private static readonly string[] AllColumns = [.. ParticipationCsv.Columns];

    private static string Csv(List<string[]> rows) => string.Join(',', AllColumns) + "\n" + string.Concat(rows.Select(r => string.Join(',', r) + "\n"));

    /// <summary>The same rows as a workbook, each cell typed as Excel stores it: dates as day numbers formatted as dates, scores as numbers, completed as TRUE/FALSE.</summary>
    private static byte[] Xlsx(List<string[]> rows, string sheet = "Attendance", int firstRow = 1, IEnumerable<string>? extraRows = null, params string[] merges)
    {
        var book = new TestWorkbook();
        var xml = new StringBuilder();
        var columns = AllColumns;
        xml.Append(CultureInfo.InvariantCulture, $"<row r=\"{firstRow}\">");
        for (var c = 0; c < columns.Length; c++)
        {
            xml.Append(book.S(CellReference.Of(c, firstRow), columns[c]));
        }
        xml.Append("</row>");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = firstRow + 1 + i;
            xml.Append(CultureInfo.InvariantCulture, $"<row r=\"{r}\">");
            for (var c = 0; c < columns.Length; c++)
            {
                var text = rows[i][c];
                var at = CellReference.Of(c, r);
                if (text.Length == 0)
                {
                    continue;
                }
                xml.Append(
                    c == 2 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                        ? TestWorkbook.N(at, NumberFormats.Serial(date).ToString(CultureInfo.InvariantCulture), TestWorkbook.DateStyle)
                        : c == 7 && text is "true" or "false" ? TestWorkbook.B(at, text == "true")
                        : c >= 9 && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? TestWorkbook.N(at, text)
                        : book.S(at, text));
            }
            xml.Append("</row>");
        }
        foreach (var extra in extraRows ?? [])
        {
            xml.Append(extra);
        }
        return book.Sheet(sheet, xml.ToString(), merges).Build();
    }

    private static IngestReport AppendXlsx(ParticipationStore store, byte[] xlsx, string? sheet = null) =>
        store.Append(new WorkbookParticipationSource(new MemoryStream(xlsx), "parts", sheet), new ParticipationSourceOptions());

    [Fact]
    public void SameRows_CsvAndExcel_IdenticalStoresAndReports()
    {
        var rows = Rows();
        var csvStore = new ParticipationStore(Programme.Dataset);
        var csv = csvStore.AppendCsv(new MemoryStream(Encoding.UTF8.GetBytes(Csv(rows))), "parts");
        var xlsxStore = new ParticipationStore(Programme.Dataset);
        var xlsx = AppendXlsx(xlsxStore, Xlsx(rows));

        Assert.Equal(7, csv.Rejected);
        AssertSameStore(csvStore, xlsxStore);
        AssertSameReport(csv, xlsx);
        Assert.Equal(csv.RejectedByCode, xlsx.RejectedByCode);
        // Excel rows are numbered as CSV lines are (header on row 1), and each reject is located at the cell of the column
        // at fault, as Excel shows it: the activity in B, the dates in C, the role in D, completed in H, the score in J, the beneficiary in A.
        Assert.Equal([12L, 22, 32, 42, 52, 62, 72], csv.RejectedLines);
        Assert.Equal(
            ["Attendance!B12", "Attendance!C22", "Attendance!D32", "Attendance!C42", "Attendance!H52", "Attendance!J62", "Attendance!A72"],
            xlsx.Rejects.Select(r => r.Location));
    }

    [Fact]
    public void DryRun_ReportsAsTheAppendWould_AddsNothing()
    {
        var rows = Rows();
        var store = new ParticipationStore(Programme.Dataset);
        var dry = store.DryRun(new WorkbookParticipationSource(new MemoryStream(Xlsx(rows)), "parts"));
        Assert.Equal(0, store.Count);
        var real = AppendXlsx(store, Xlsx(rows));
        AssertSameReport(real, dry);
        Assert.Equal(real.Accepted, store.Count);
    }

    [Fact]
    public void TitleAboveHeader_BlankRows_And1904Dates_Read()
    {
        var book = new TestWorkbook { Date1904 = true };
        var header = string.Concat(CsvHeader.Split(',').Select((name, c) => book.S(CellReference.Of(c, 3), name)));
        // 2024-01-01 is day 43830 in the 1904 system (45292 in the 1900 system).
        string Row(int r, string beneficiary) => $"<row r=\"{r}\">" + book.S($"A{r}", beneficiary) + book.S($"B{r}", "act-1") +
            TestWorkbook.N($"C{r}", "43830", TestWorkbook.CustomDateStyle) + book.S($"D{r}", "student") + book.S($"E{r}", "female") +
            book.S($"F{r}", "10-14") + book.S($"G{r}", "online") + TestWorkbook.B($"H{r}", true) + "</row>";
        book.Sheet("Register", "<row r=\"1\">" + book.S("A1", "Attendance register, term 1") + "</row>" +
            $"<row r=\"3\">{header}</row>" + Row(4, "ben-1") + "<row r=\"5\"/><row r=\"6\"><c r=\"A6\" s=\"1\"/></row>" + Row(9, "ben-2"));
        var store = new ParticipationStore(Programme.Dataset);

        var report = store.Append(new WorkbookParticipationSource(new MemoryStream(book.Build()), "register.xlsx", "register", headerRow: 3));

        Assert.True(report.IsClean, string.Join("; ", report.Rejects));
        Assert.Equal((2, 2), (report.Read, report.Accepted));
        var days = store.Query().GroupBy(TimeBucket.Day).Measure(Measure.Participations).Run();
        Assert.Equal("2024-01-01", Assert.Single(days.Rows).Keys[0]);
    }

    [Fact]
    public void WrongTypesInEveryColumn_EachRowRefusedAndNamed_NothingLost()
    {
        var book = new TestWorkbook();
        var columns = CsvHeader.Split(',');
        var header = "<row r=\"1\">" + string.Concat(columns.Select((name, c) => book.S(CellReference.Of(c, 1), name))) + "</row>";
        // A valid row, then in each row one column holds a value of the wrong type.
        string[] Good(int r) =>
        [
            book.S($"A{r}", $"ben-{r}"), book.S($"B{r}", "act-1"), TestWorkbook.N($"C{r}", "45292", TestWorkbook.DateStyle), book.S($"D{r}", "student"),
            book.S($"E{r}", "female"), book.S($"F{r}", "10-14"), book.S($"G{r}", "online"), TestWorkbook.B($"H{r}", true), "", TestWorkbook.N($"J{r}", "50"), TestWorkbook.N($"K{r}", "70.25"),
        ];
        var wrong = new (int Column, string Cell)[]
        {
            (0, "<c r=\"A{0}\"><f>NOW()</f></c>"),                              // a formula never calculated
            (1, "<c r=\"B{0}\" t=\"e\"><v>#N/A</v></c>"),                       // an error value
            (2, "<c r=\"C{0}\" t=\"inlineStr\"><is><t>yesterday</t></is></c>"), // text for a date
            (2, "<c r=\"C{0}\"><v>45292</v></c>"),                              // a day number not formatted as a date
            (3, "<c r=\"D{0}\"><v>3</v></c>"),                                  // a number for a role
            (4, "<c r=\"E{0}\" t=\"b\"><v>1</v></c>"),                          // a boolean for a sex
            (5, "<c r=\"F{0}\" s=\"1\"><v>45292</v></c>"),                      // a date for an age band
            (6, "<c r=\"G{0}\"><v>1.5</v></c>"),                                // a number for a mode
            (7, "<c r=\"H{0}\" t=\"inlineStr\"><is><t>maybe</t></is></c>"),     // text for completed
            (8, "<c r=\"I{0}\" t=\"b\"><v>0</v></c>"),                          // a boolean for a school
            (9, "<c r=\"J{0}\" t=\"inlineStr\"><is><t>high</t></is></c>"),      // text for a score
            (10, "<c r=\"K{0}\" s=\"1\"><v>-5</v></c>"),                        // a date format holding no date
            (11, "<c r=\"L{0}\"><v>1</v></c>"),                                 // a value outside the header's columns
        };
        var xml = new StringBuilder(header);
        var r = 2;
        xml.Append(CultureInfo.InvariantCulture, $"<row r=\"{r}\">{string.Concat(Good(r))}</row>");
        foreach (var (column, cell) in wrong)
        {
            r++;
            var cells = Good(r);
            var text = string.Format(CultureInfo.InvariantCulture, cell, r);
            xml.Append(CultureInfo.InvariantCulture, $"<row r=\"{r}\">{string.Concat(column < cells.Length ? cells.Select((c, i) => i == column ? text : c) : [.. cells, text])}</row>");
        }
        book.Sheet("Attendance", xml.ToString());
        var store = new ParticipationStore(Programme.Dataset);

        var report = store.Append(new WorkbookParticipationSource(new MemoryStream(book.Build()), "wrong.xlsx"));

        Assert.Equal(1 + wrong.Length, report.Read);
        Assert.Equal(1, report.Accepted);
        Assert.Equal(Enumerable.Range(3, wrong.Length).Select(n => (long)n), report.RejectedLines);
        // Unreadable (SP8001), but for the boolean in the school column: its text is no school of the dataset (SP8004), as in CSV.
        Assert.Equal([.. Enumerable.Repeat("SP8001", 9), "SP8004", "SP8001", "SP8001", "SP8001"], report.Rejects.Select(j => j.Code));
        // Each located at the cell at fault; the value outside the header's columns (L15) at the row, whose message names the cell.
        Assert.Equal(
            ["Attendance!A3", "Attendance!B4", "Attendance!C5", "Attendance!C6", "Attendance!D7", "Attendance!E8", "Attendance!F9",
                "Attendance!G10", "Attendance!H11", "Attendance!I12", "Attendance!J13", "Attendance!K14", "Attendance!A15"],
            report.Rejects.Select(j => j.Location));
        // Where the sheet knows the cell, the message names it; otherwise the column is named.
        Assert.Contains("Attendance!A3 has a formula whose result", report.Rejects[0].Message, StringComparison.Ordinal);
        Assert.Contains("Attendance!B4 holds an Excel error value (#N/A)", report.Rejects[1].Message, StringComparison.Ordinal);
        Assert.Equal(["date", "date", "role", "sex", "ageBand", "mode", "completed", "school", "preScore"], report.Rejects.Skip(2).Take(9).Select(j => j.Path));
        Assert.Contains("Attendance!K14 is formatted as a date", report.Rejects[11].Message, StringComparison.Ordinal);
        Assert.Contains("Attendance!L15 holds a value in a column the header row does not name", report.Rejects[12].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Rejects, j => j.Message.Contains("yesterday", StringComparison.Ordinal) || j.Message.Contains("maybe", StringComparison.Ordinal));
    }

    [Fact]
    public void RenamedColumnsInAnotherOrder_RejectLocatedAtItsOwnCell()
    {
        var book = new TestWorkbook();
        string[] header = ["activity", "role", "sex", "ageBand", "mode", "completed", "learner", "Attended on"];
        var xml = new StringBuilder("<row r=\"1\">" + string.Concat(header.Select((name, c) => book.S(CellReference.Of(c, 1), name))) + "</row>");
        string Row(int r, string activity, string date, string learner) =>
            $"<row r=\"{r}\">{book.S($"A{r}", activity)}{book.S($"B{r}", "student")}{book.S($"C{r}", "female")}{book.S($"D{r}", "10-14")}"
            + $"{book.S($"E{r}", "online")}{TestWorkbook.B($"F{r}", true)}{book.S($"G{r}", learner)}{book.S($"H{r}", date)}</row>";
        xml.Append(Row(2, "act-1", "2024-01-01", "ben-2")).Append(Row(3, "act-1", "someday", "ben-3"))
            .Append(Row(4, "act-nope", "2024-01-01", "ben-4")).Append(Row(5, "act-1", "2024-01-01", ""));
        book.Sheet("Roll call", xml.ToString());
        var store = new ParticipationStore(Programme.Dataset);

        var report = store.Append(
            new WorkbookParticipationSource(new MemoryStream(book.Build()), "roll.xlsx"),
            new ParticipationSourceOptions { Columns = new Dictionary<string, string> { ["date"] = "Attended on", ["beneficiary"] = "learner" } });

        Assert.Equal((4L, 1L), (report.Read, report.Accepted));
        Assert.Equal(["date", "activity", "beneficiary"], report.Rejects.Select(j => j.Path));
        Assert.Equal(["'Roll call'!H3", "'Roll call'!A4", "'Roll call'!G5"], report.Rejects.Select(j => j.Location));
        Assert.Equal("'Roll call'!H3: SP8001 date: " + report.Rejects[0].Message, report.Rejects[0].ToString());
    }

    [Fact]
    public void MergedCells_TheRowsTheyCoverRefusedNamingTheRange_OthersKept()
    {
        var rows = Rows().Take(10).ToList();
        var store = new ParticipationStore(Programme.Dataset);

        var report = AppendXlsx(store, Xlsx(rows, merges: "B4:B6"));

        Assert.Equal(10, report.Read);
        Assert.Equal([4L, 5, 6], report.RejectedLines);
        Assert.All(report.Rejects, j => Assert.Contains("Attendance!B4:B6 are merged cells", j.Message, StringComparison.Ordinal));
        // The problem is the row's, so each is located at its row.
        Assert.Equal(["Attendance!A4", "Attendance!A5", "Attendance!A6"], report.Rejects.Select(j => j.Location));
        Assert.Equal(7, store.Count);
    }

    [Fact]
    public void MergedHeader_EmptySheet_MissingColumns_RefusedWhole_NamingSheetAndCell()
    {
        var store = new ParticipationStore(Programme.Dataset);
        var merged = Assert.Throws<DataFormatException>(() => AppendXlsx(store, Xlsx(Rows().Take(3).ToList(), merges: "A1:B1")));
        Assert.Equal("Attendance!A1", merged.Path);
        Assert.Contains("merged cells (Attendance!A1:B1)", merged.Reason, StringComparison.Ordinal);

        var empty = Assert.Throws<DataFormatException>(() => AppendXlsx(store, new TestWorkbook().Sheet("Empty", "<row r=\"1\"/>").Build()));
        Assert.Equal("Empty", empty.Path);

        var book = new TestWorkbook();
        book.Sheet("Attendance", "<row r=\"2\">" + book.S("A2", "beneficiary") + book.S("B2", "activity") + "</row>");
        var missing = Assert.Throws<DataFormatException>(() => AppendXlsx(store, book.Build()));
        Assert.Equal("Attendance!A2", missing.Path);
        Assert.Contains("missing required column 'date'", missing.Reason, StringComparison.Ordinal);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void AMillionRows_Streamed_MemoryStaysBounded_EveryRowAccountedFor()
    {
        const int Rows = 1_000_000;
        var path = Path.GetTempFileName();
        try
        {
            var book = new TestWorkbook();
            var header = string.Concat(CsvHeader.Split(',').Take(8).Select((name, c) => book.S(CellReference.Of(c, 1), name)));
            long sheetBytes = 0;
            book.Sheet("Big", w =>
            {
                w.Write($"<row r=\"1\">{header}</row>");
                for (var r = 2; r <= Rows + 1; r++)
                {
                    // Keys as inline strings (unique values do not belong in shared strings); the rest shared, as Excel would.
                    w.Write($"<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t>b-{r % 50_000}</t></is></c><c r=\"B{r}\" t=\"s\"><v>{book.Shared("act-1")}</v></c><c r=\"C{r}\" s=\"1\"><v>{45292 + (r % 300)}</v></c>" +
                        $"<c r=\"D{r}\" t=\"s\"><v>{book.Shared("student")}</v></c><c r=\"E{r}\" t=\"s\"><v>{book.Shared("female")}</v></c><c r=\"F{r}\" t=\"s\"><v>{book.Shared("10-14")}</v></c>" +
                        $"<c r=\"G{r}\" t=\"s\"><v>{book.Shared("online")}</v></c><c r=\"H{r}\" t=\"b\"><v>1</v></c></row>");
                }
                w.Flush();
                sheetBytes = Rows * 250L; // at least this much XML per row, checked below on the file
            });
            using (var file = File.Create(path))
            {
                book.Write(file);
            }

            // The reader alone: the live heap sampled as it goes stays a few MiB, far below the sheet's XML.
            var before = GC.GetTotalMemory(forceFullCollection: true);
            long peak = 0, read = 0;
            using (var stream = File.OpenRead(path))
            using (var workbook = XlsxWorkbook.Open(stream, "big.xlsx"))
            using (var sheet = workbook.Read("Big"))
            {
                while (sheet.Next() is not null)
                {
                    if (++read % 200_000 == 0)
                    {
                        peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
                    }
                }
            }
            long xmlLength;
            using (var zip = System.IO.Compression.ZipFile.OpenRead(path))
            {
                xmlLength = zip.GetEntry("xl/worksheets/sheet1.xml")!.Length;
            }
            Assert.Equal(Rows + 1, read);
            Assert.True(xmlLength > sheetBytes, $"the sheet's XML is {xmlLength} bytes");
            Assert.True(peak < 16 << 20, $"live heap grew by {peak} bytes while streaming {xmlLength} bytes of sheet XML");

            // Through the store: every row read and accepted.
            var store = new ParticipationStore(Programme.Dataset);
            using var input = File.OpenRead(path);
            var report = store.DryRun(new WorkbookParticipationSource(input, "big.xlsx"));
            Assert.Equal((Rows, Rows), (report.Read, report.Accepted));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>Tests that sample the process's live heap run alone, with no other test allocating beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresTheHeap
{
    public const string Name = "Measures the heap";
}
