using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets.Reading;

namespace SafetyPrograms.Tests.Spreadsheets;

public class SheetReaderTests
{
    private static List<SheetRow> Rows(TestWorkbook book, string? sheet = null, Action<SheetReader>? check = null)
    {
        using var workbook = XlsxWorkbook.Open(new MemoryStream(book.Build()), "book.xlsx");
        using var reader = workbook.Read(sheet);
        check?.Invoke(reader);
        var rows = new List<SheetRow>();
        while (reader.Next() is { } row)
        {
            rows.Add(row);
        }
        return rows;
    }

    [Fact]
    public void Cells_SharedInlineNumberBooleanErrorAndFormula_ReadAsStored()
    {
        var book = new TestWorkbook();
        book.Sheet("Attendance",
            "<row r=\"1\">" + book.S("A1", "name") + TestWorkbook.Inline("B1", "inline text") + TestWorkbook.N("C1", "72.5") +
            TestWorkbook.B("D1", true) + "<c r=\"E1\" t=\"e\"><v>#N/A</v></c>" +
            "<c r=\"F1\" t=\"str\"><f>A1&amp;\"!\"</f><v>name!</v></c><c r=\"G1\"><f>1+1</f><v>2</v></c><c r=\"H1\"><f>1+2</f></c></row>");
        var row = Assert.Single(Rows(book));
        Assert.Equal(1, row.Number);
        Assert.Equal(new SheetCell(0, CellKind.Text, "name", false, false), row[0]);
        Assert.Equal(new SheetCell(1, CellKind.Text, "inline text", false, false), row[1]);
        Assert.Equal(new SheetCell(2, CellKind.Number, "72.5", false, false), row[2]);
        Assert.Equal(new SheetCell(3, CellKind.Boolean, "1", false, false), row[3]);
        Assert.Equal(new SheetCell(4, CellKind.Error, "#N/A", false, false), row[4]);
        Assert.Equal(new SheetCell(5, CellKind.Text, "name!", false, true), row[5]);
        Assert.Equal(new SheetCell(6, CellKind.Number, "2", false, true), row[6]);
        Assert.Equal(CellKind.Uncalculated, row[7].Kind);
        Assert.Equal(CellKind.Empty, row[8].Kind);
    }

    [Fact]
    public void Rows_BlankAndMissing_KeepExcelNumbers()
    {
        var book = new TestWorkbook();
        // Row 2 is formatted but empty, rows 3-4 are not written, row 5 has a blank string, cells without r follow on.
        book.Sheet("S", "<row r=\"1\"><c r=\"B1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" s=\"1\"/></row>" +
            "<row r=\"5\">" + TestWorkbook.Inline("A5", "  ") + "</row><row><c><v>7</v></c><c><v>8</v></c></row>");
        var rows = Rows(book);
        Assert.Equal([1, 2, 5, 6], rows.Select(r => r.Number));
        Assert.Equal([false, true, true, false], rows.Select(r => r.IsBlank));
        Assert.Equal(1, rows[0].Cells.Single().Column);
        Assert.Equal([0, 1], rows[3].Cells.Select(c => c.Column));
    }

    [Theory]
    [InlineData("45658", false, "2025-01-01")]
    [InlineData("45658.75", false, "2025-01-01")]
    [InlineData("1", false, "1900-01-01")]
    [InlineData("59", false, "1900-02-28")]
    [InlineData("61", false, "1900-03-01")]
    [InlineData("44196", true, "2025-01-01")]
    [InlineData("0", true, "1904-01-01")]
    public void SerialDates_Both1900And1904Systems(string serial, bool date1904, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), NumberFormats.Date(double.Parse(serial, System.Globalization.CultureInfo.InvariantCulture), date1904));
    }

    [Theory]
    [InlineData(60)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3e7)]
    public void SerialDates_ThatAreNoDate_AreNull(double serial) => Assert.Null(NumberFormats.Date(serial, false));

    [Fact]
    public void DateFormats_BuiltInAndCustom_FlagTheCell_AndTheWorkbookSaysItsSystem()
    {
        var book = new TestWorkbook { Date1904 = true };
        book.Sheet("S", "<row r=\"1\">" + TestWorkbook.N("A1", "44196", TestWorkbook.DateStyle) + TestWorkbook.N("B1", "44196", TestWorkbook.CustomDateStyle) +
            TestWorkbook.N("C1", "44196", TestWorkbook.NumberStyle) + TestWorkbook.N("D1", "44196") + "</row>");
        var date1904 = false;
        var row = Assert.Single(Rows(book, check: r => date1904 = r.Date1904));
        Assert.True(date1904);
        Assert.Equal([true, true, false, false], row.Cells.Select(c => c.DateFormat));
    }

    [Theory]
    [InlineData("yyyy-mm-dd", true)]
    [InlineData("d/m/yy h:mm", true)]
    [InlineData("[$-409]mmmm d, yyyy", true)]
    [InlineData("0.00", false)]
    [InlineData("#,##0;[Red]-#,##0", false)]
    [InlineData("\"days\" 0", false)]
    [InlineData("General", false)]
    public void CustomFormats_DateOrNot(string code, bool isDate) => Assert.Equal(isDate, NumberFormats.IsDate(code));

    [Fact]
    public void MergedRanges_AreKnownBeforeTheRows()
    {
        var book = new TestWorkbook();
        book.Sheet("Attendance", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", "B12:B15", "A3:C3");
        IReadOnlyList<CellRange> merged = [];
        Rows(book, check: r => merged = r.Merged);
        Assert.Equal([new CellRange(1, 12, 1, 15), new CellRange(0, 3, 2, 3)], merged);
    }

    [Fact]
    public void Sheets_ByNameIgnoringCase_OrTheFirst_OrAClearError()
    {
        var book = new TestWorkbook();
        book.Sheet("First", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>").Sheet("My sheet", "<row r=\"4\"><c r=\"A4\"><v>2</v></c></row>");
        Assert.Equal(1, Rows(book).Single().Number);
        Assert.Equal(4, Rows(book, "my SHEET").Single().Number);
        var error = Assert.Throws<DataFormatException>(() => Rows(book, "Missing"));
        Assert.Contains("'First', 'My sheet'", error.Message, StringComparison.Ordinal);
        Assert.Equal("book.xlsx", error.FileName);
    }

    [Theory]
    [InlineData("Attendance", 0, 12, "Attendance!A12")]
    [InlineData("My sheet", 27, 3, "'My sheet'!AB3")]
    [InlineData("O'Brien", 2, 1, "'O''Brien'!C1")]
    [InlineData("A1", 0, 1, "'A1'!A1")]
    [InlineData("2024", 16383, 1048576, "'2024'!XFD1048576")]
    public void References_AsExcelShowsThem(string sheet, int column, int row, string expected)
    {
        Assert.Equal(expected, CellReference.Of(sheet, column, row));
        Assert.True(CellReference.TryParse(expected.AsSpan(expected.LastIndexOf('!') + 1), out var c, out var r));
        Assert.Equal((column, row), (c, r));
    }
}
