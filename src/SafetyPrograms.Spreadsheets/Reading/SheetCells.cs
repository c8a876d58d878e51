using System.Globalization;

namespace SafetyPrograms.Spreadsheets.Reading;

/// <summary>
/// The one rule for reading a stored cell as the text the row pipeline decodes: text as it is (trimmed), a number as
/// Excel shows it (15 significant digits), a date-formatted number as its ISO date (1900 or 1904 system), TRUE/FALSE as
/// <c>true</c>/<c>false</c>. A cell the pipeline cannot take (an error value, a formula never calculated) gives a
/// problem naming the cell, never its value.
/// </summary>
internal static class SheetCells
{
    /// <summary>The cell's text for the pipeline (empty for an empty cell), or <c>null</c> and why not.</summary>
    internal static string? Text(in SheetCell cell, SheetReader sheet, int row, out string? problem)
    {
        problem = null;
        switch (cell.Kind)
        {
            case CellKind.Empty:
                return "";
            case CellKind.Text:
                return cell.Text.Trim();
            case CellKind.Boolean:
                return cell.Text == "1" ? "true" : "false";
            case CellKind.Number when cell.TryNumber(out var number):
                if (!cell.DateFormat)
                {
                    // As Excel shows it: 0.1+0.2 reads 0.3, and a 15-digit id stays whole.
                    return number.ToString("G15", CultureInfo.InvariantCulture);
                }
                if (NumberFormats.Date(number, sheet.Date1904) is { } date)
                {
                    return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                }
                problem = $"{sheet.Reference(cell.Column, row)} is formatted as a date but holds no date Excel can show.";
                return null;
            case CellKind.Number:
                problem = $"{sheet.Reference(cell.Column, row)} holds a number the workbook does not write as one.";
                return null;
            case CellKind.Error:
                problem = $"{sheet.Reference(cell.Column, row)} holds an Excel error value ({ErrorName(cell.Text)}): correct the cell or its formula.";
                return null;
            default:
                problem = $"{sheet.Reference(cell.Column, row)} has a formula whose result the workbook does not hold: open the workbook in Excel and save it again.";
                return null;
        }
    }

    /// <summary>An error value's name, which holds no data: one of Excel's codes, or "an error".</summary>
    private static string ErrorName(string code) =>
        code is "#N/A" or "#DIV/0!" or "#VALUE!" or "#REF!" or "#NAME?" or "#NUM!" or "#NULL!" or "#SPILL!" or "#CALC!" or "#GETTING_DATA" ? code : "an error";
}
