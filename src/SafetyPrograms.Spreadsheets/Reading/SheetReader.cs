using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Spreadsheets.Reading;

/// <summary>
/// Streams one worksheet's rows in order with a forward-only XML reader over the part: a row at a time, its cells as
/// stored (shared and inline strings resolved, numbers as written, formulas as their saved results, dates flagged by
/// their format). Rows the sheet does not write (blank rows) are not returned; their numbers are skipped.
/// </summary>
/// <remarks>Not thread-safe. Dispose to close the part's stream.</remarks>
internal sealed class SheetReader : IDisposable
{
    private readonly XlsxWorkbook _workbook;
    private readonly XmlReader _xml;
    private readonly List<SheetCell> _cells = [];
    private int _lastRow;

    internal SheetReader(XlsxWorkbook workbook, WorksheetPart part, string sheet, IReadOnlyList<CellRange> merged)
    {
        _workbook = workbook;
        Sheet = sheet;
        Merged = merged;
        _xml = XlsxWorkbook.Xml(part);
    }

    /// <summary>The sheet's name.</summary>
    internal string Sheet { get; }

    /// <summary>Whether the workbook counts dates from 1904.</summary>
    internal bool Date1904 => _workbook.Date1904;

    /// <summary>The sheet's merged ranges.</summary>
    internal IReadOnlyList<CellRange> Merged { get; }

    /// <summary>The file, for messages.</summary>
    internal string? FileName => _workbook.FileName;

    /// <summary>A cell's reference with this sheet's name, such as <c>Attendance!B12</c>.</summary>
    internal string Reference(int column, int row) => CellReference.Of(Sheet, column, row);

    /// <summary>Reads the next row that the sheet writes, blank or not.</summary>
    /// <returns>The row, or <c>null</c> at the end of the sheet.</returns>
    /// <exception cref="DataFormatException">The sheet's XML is damaged; names the sheet and the row reached.</exception>
    internal SheetRow? Next() => _workbook.Guard(Sheet, _lastRow > 0 ? Reference(0, _lastRow + 1) : null, ReadRow);

    private SheetRow? ReadRow()
    {
        while (_xml.Read())
        {
            if (_xml.NodeType == XmlNodeType.Element && _xml.LocalName == "row")
            {
                var number = int.TryParse(_xml.GetAttribute("r"), out var r) && r > _lastRow ? r : _lastRow + 1;
                _lastRow = number;
                _cells.Clear();
                if (!_xml.IsEmptyElement)
                {
                    ReadCells(number);
                }
                return new SheetRow(number, _cells.ToArray());
            }
            if (_xml.NodeType == XmlNodeType.EndElement && _xml.LocalName == "sheetData")
            {
                return null;
            }
        }
        return null;
    }

    private void ReadCells(int row)
    {
        var depth = _xml.Depth;
        var column = -1;
        while (_xml.Read() && _xml.Depth > depth)
        {
            if (_xml.NodeType != XmlNodeType.Element || _xml.LocalName != "c")
            {
                continue;
            }
            column = CellReference.TryParse(_xml.GetAttribute("r"), out var c, out _) && c > column ? c : column + 1;
            var type = _xml.GetAttribute("t");
            var styled = int.TryParse(_xml.GetAttribute("s"), out var style) && style >= 0 && style < _workbook.DateStyles.Length && _workbook.DateStyles[style];
            string? value = null;
            string? inline = null;
            var formula = false;
            if (!_xml.IsEmptyElement)
            {
                var cellDepth = _xml.Depth;
                while (_xml.Read() && _xml.Depth > cellDepth)
                {
                    if (_xml.NodeType != XmlNodeType.Element)
                    {
                        continue;
                    }
                    switch (_xml.LocalName)
                    {
                        case "f":
                            formula = true;
                            break;
                        case "v":
                            value = _xml.ReadElementContentAsString();
                            break;
                        case "is":
                            inline = XlsxWorkbook.StringItem(_xml);
                            break;
                    }
                    if (_xml.Depth <= cellDepth)
                    {
                        break; // a content read ended on the cell's end
                    }
                }
            }
            var cell = Cell(column, row, type, value, inline, styled, formula);
            if (cell.Kind != CellKind.Empty)
            {
                _cells.Add(cell);
            }
        }
    }

    private SheetCell Cell(int column, int row, string? type, string? value, string? inline, bool dateFormat, bool formula)
    {
        var (kind, text) = type switch
        {
            "s" => (CellKind.Text, SharedString(value, column, row)),
            "inlineStr" => (CellKind.Text, inline ?? value ?? ""),
            "str" => (CellKind.Text, value ?? ""),
            "b" => (CellKind.Boolean, value ?? ""),
            "e" => (CellKind.Error, value ?? ""),
            // An ISO 8601 date cell (strict workbooks): its date part as text, which the date field reads.
            "d" => (CellKind.Text, value is { Length: >= 10 } ? value[..10] : value ?? ""),
            _ => (CellKind.Number, value ?? ""),
        };
        if (value is null && inline is null)
        {
            // A formula whose result the workbook never saved has nothing to read; a formatted empty cell is just empty.
            return new SheetCell(column, formula ? CellKind.Uncalculated : CellKind.Empty, "", dateFormat, formula);
        }
        if (kind == CellKind.Text && string.IsNullOrWhiteSpace(text) || kind != CellKind.Text && text.Length == 0)
        {
            kind = CellKind.Empty;
        }
        return new SheetCell(column, kind, text, dateFormat, formula);
    }

    private string SharedString(string? index, int column, int row)
    {
        var strings = _workbook.SharedStrings;
        return int.TryParse(index, out var i) && i >= 0 && i < strings.Count
            ? strings[i]
            : throw new DataFormatException(XlsxWorkbook.Damaged + " A cell refers to a shared string the workbook does not have.", FileName, Reference(column, row), null, null);
    }

    public void Dispose() => _xml.Dispose();
}
