using System.Globalization;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets.Reading;

namespace SafetyPrograms.Spreadsheets.Submissions;

/// <summary>One row of an export table: its number (sheet row or file line), its cells by column (null: empty), and why it
/// cannot be read, if so, with the column of the cell at fault (-1 for the row as a whole).</summary>
internal sealed record SubmissionRow(long Number, string?[] Cells, string? Problem, int ProblemColumn = -1);

/// <summary>
/// One table of a data-collection export, held whole (exports are of submissions, not of millions of rows): a sheet of
/// an XLSX export or one CSV file, with its column names and rows, and how a row's place reads.
/// </summary>
internal sealed class SubmissionTable(string name, IReadOnlyList<string> columns, List<SubmissionRow> rows, Func<long, int, string> locate)
{
    /// <summary>The sheet or file name.</summary>
    internal string Name => name;

    internal IReadOnlyList<string> Columns => columns;

    internal List<SubmissionRow> Rows => rows;

    /// <summary>Where a row is: <c>participants!A5</c>, or <c>form-participants.csv line 5</c>.</summary>
    internal string Locate(long number) => locate(number, 0);

    /// <summary>Where a cell is: <c>attendance!C5</c> on a sheet; a file's line (<c>attendance.csv line 5</c>) has no cell address.</summary>
    internal string Locate(long number, int column) => locate(number, column);

    /// <summary>The position of a column, compared ignoring case, or -1.</summary>
    internal int Column(string column)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>A sheet of an XLSX export, read through the one sheet reader: every non-blank row below the header.</summary>
    internal static SubmissionTable FromSheet(XlsxWorkbook workbook, string? sheetName)
    {
        using var sheet = workbook.Read(sheetName);
        var header = SheetTable.ReadHeader(sheet, null);
        var rows = new List<SubmissionRow>();
        while (sheet.Next() is { } row)
        {
            if (row.IsBlank)
            {
                continue;
            }
            var cells = new string?[header.Names.Count];
            var problem = SheetTable.ReadCells(sheet, row, cells);
            rows.Add(new SubmissionRow(row.Number, cells, problem?.Message, problem?.Column ?? -1));
        }
        var name = sheet.Sheet;
        return new SubmissionTable(name, header.Names, rows, (n, c) => CellReference.Sheet(name) + "!" + CellReference.Column(c) + n.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A CSV file of an export (comma-separated, as ODK Central and Kobo's default export write it), read by the one CSV tokenizer.</summary>
    internal static SubmissionTable FromCsv(Stream stream, string? fileName)
    {
        var name = fileName ?? "export.csv";
        var csv = new Utf8CsvReader(stream, fileName);
        if (!csv.ReadRecord())
        {
            throw new DataFormatException("The export is empty: it needs a header row naming the form's fields.", fileName, null, 1, null);
        }
        var columns = new string[csv.FieldCount];
        for (var f = 0; f < columns.Length; f++)
        {
            columns[f] = csv[f].Trim().ToString();
        }
        if (columns.Length == 1 && columns[0].Contains(';', StringComparison.Ordinal))
        {
            throw new DataFormatException(
                "The export separates its values with ';': export it again with ',' as the separator (in KoboToolbox, the export's CSV settings).",
                fileName, null, csv.RecordLine, null);
        }
        var rows = new List<SubmissionRow>();
        while (csv.ReadRecord())
        {
            if (csv.Stopped)
            {
                throw new DataFormatException(RecordChunker.StoppedMessage, fileName, null, csv.RecordLine, null);
            }
            var cells = new string?[columns.Length];
            string? problem = csv.Error is not null || csv.BrokenQuote
                ? "The line is malformed CSV (a broken quote or a stray character)."
                : csv.FieldCount != columns.Length ? $"The line has {csv.FieldCount} values where the header names {columns.Length}." : null;
            if (problem is not null && csv.FieldCount == 1 && csv[0].IsWhiteSpace())
            {
                continue; // a blank line
            }
            // Kept even when the line is refused, so that its repeat rows still find it (and are refused with it).
            for (var f = 0; f < Math.Min(columns.Length, csv.FieldCount); f++)
            {
                var text = csv[f].Trim();
                cells[f] = text.IsEmpty ? null : text.ToString();
            }
            rows.Add(new SubmissionRow(csv.RecordLine, cells, problem));
        }
        return new SubmissionTable(name, columns, rows, (n, _) => name + " line " + n.ToString(CultureInfo.InvariantCulture));
    }
}
