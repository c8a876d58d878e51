using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets.Reading;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Spreadsheets;

/// <summary>
/// Participation rows from a sheet of an Excel workbook (.xlsx): the first row that holds anything is the header
/// naming the columns (as the participation CSV names them, or renamed through <see cref="ParticipationSourceOptions"/>),
/// and every row below it with a value is a record. Append it with <c>ParticipationStore.Append</c> (or report on it with
/// <c>DryRun</c>): its rows go through the same field decoder and row rules as CSV, and each reject is located as Excel
/// shows it: the cell, such as <c>Attendance!C12</c>, when one column's value is refused (a date that is no date, a
/// school not in the dataset), and the row's first cell, such as <c>Attendance!A12</c>, when the row as a whole is (a
/// duplicate, merged cells).
/// </summary>
/// <remarks>
/// <para>The sheet is streamed: only its shared strings, styles and merged ranges are held, never the sheet as a
/// document, so a sheet of a million rows reads in a few MiB beyond its shared strings.</para>
/// <para>Cells: text as written (trimmed); numbers as Excel shows them (15 significant digits); a number formatted as a
/// date is that date, in the workbook's 1900 or 1904 date system (a date as ISO text, <c>2025-12-03</c>, is read too);
/// TRUE/FALSE as <c>true</c>/<c>false</c>; a formula's saved result. Blank rows are skipped and not counted.</para>
/// <para>A row is refused (SP8001), its cell named and no value repeated, when a cell holds an Excel error value, a
/// formula without a saved result, or lies under merged cells (a merge leaves all but its first cell empty), or when a
/// cell holds a value outside the header's columns. Every other value goes to the field decoder, which refuses wrong
/// types as it does in CSV.</para>
/// <para>The file is refused whole (<see cref="DataFormatException"/>, naming the file, and the sheet or cell where one
/// is at fault) when it is not a zip, a zip but not a workbook, password-protected (encrypted), or damaged; when the
/// sheet does not exist or has no header; or when merged cells cover the header. Nothing is added then.</para>
/// <para>Reads the stream once, when appended; the stream is not closed. Not thread-safe.</para>
/// </remarks>
public sealed class WorkbookParticipationSource : ParticipationSource
{
    private readonly Stream _workbook;
    private readonly int? _headerRow;
    private string _sheet;

    /// <summary>Creates a source over a workbook's sheet.</summary>
    /// <param name="workbook">The .xlsx file; read when the source is appended, not closed.</param>
    /// <param name="fileName">The file name, for the report and messages.</param>
    /// <param name="sheet">The worksheet's name (compared ignoring case), or <c>null</c> for the first worksheet.</param>
    /// <param name="headerRow">The header's row number, or <c>null</c> for the first row that holds anything (rows above
    /// a given header, such as a title, are not read).</param>
    /// <exception cref="ArgumentNullException"><paramref name="workbook"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="headerRow"/> is not a row of a sheet.</exception>
    public WorkbookParticipationSource(Stream workbook, string? fileName = null, string? sheet = null, int? headerRow = null)
        : base(fileName)
    {
        _workbook = Preconditions.CheckNotNull(workbook);
        if (headerRow is < 1 or > CellReference.MaxRows)
        {
            throw new ArgumentOutOfRangeException(nameof(headerRow), headerRow, $"A header row is 1 to {CellReference.MaxRows}.");
        }
        _headerRow = headerRow;
        _sheet = sheet ?? "";
        Sheet = sheet;
    }

    /// <summary>The worksheet read, or <c>null</c> for the first.</summary>
    public string? Sheet { get; }

    /// <summary>Where a row is, as Excel shows it: the sheet and the row's first cell, such as <c>Attendance!A12</c>.</summary>
    /// <param name="rowNumber">The row's number on the sheet.</param>
    /// <returns>Such as <c>Attendance!A12</c> or <c>'My sheet'!A12</c>.</returns>
    public override string Locate(long rowNumber) => Locate(rowNumber, 0);

    /// <summary>Where a cell is, as Excel shows it: the sheet, the column's letters and the row, such as <c>Attendance!C12</c>.</summary>
    /// <param name="rowNumber">The row's number on the sheet.</param>
    /// <param name="column">The header column (0 for column A: the header starts there); a column beyond Excel's last, XFD, reads as A.</param>
    /// <returns>Such as <c>Attendance!C12</c> or <c>'My sheet'!C12</c>; before the first worksheet is opened (no sheet
    /// named, nothing read yet) the cell alone, <c>C12</c>, as Excel names a cell of the sheet at hand.</returns>
    public override string Locate(long rowNumber, int column) =>
        (_sheet.Length > 0 ? CellReference.Sheet(_sheet) + "!" : "") + CellReference.Column((uint)column < CellReference.MaxColumns ? column : 0)
        + rowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    protected internal override void ReadRows(ParticipationRowWriter rows, CancellationToken cancellationToken)
    {
        Preconditions.CheckNotNull(rows);
        using var workbook = XlsxWorkbook.Open(_workbook, Name);
        using var sheet = workbook.Read(Sheet);
        _sheet = sheet.Sheet;
        var header = SheetTable.ReadHeader(sheet, _headerRow);
        SheetTable.SetColumns(rows, sheet, header);
        var cells = new string?[header.Names.Count];
        while (sheet.Next() is { } row)
        {
            if (row.IsBlank)
            {
                continue;
            }
            rows.BeginRow(row.Number);
            if (SheetTable.ReadCells(sheet, row, cells) is { } problem)
            {
                rows.RefuseRow(problem.Message, problem.Column >= 0 ? header.Names[problem.Column] : null);
            }
            else
            {
                for (var c = 0; c < cells.Length; c++)
                {
                    rows.Set(c, cells[c]);
                }
            }
            if (!rows.EndRow())
            {
                return;
            }
        }
    }
}
