using System.Globalization;

namespace SafetyPrograms.Spreadsheets.Reading;

/// <summary>What a cell holds, as the workbook stores it.</summary>
internal enum CellKind
{
    /// <summary>No value: an absent cell, or an empty or blank string.</summary>
    Empty,

    /// <summary>Text: a shared string, an inline string, or a formula's text result.</summary>
    Text,

    /// <summary>A number (untyped cells are numbers); a date is a number with a date format.</summary>
    Number,

    /// <summary>TRUE or FALSE.</summary>
    Boolean,

    /// <summary>An error value such as <c>#N/A</c> or <c>#DIV/0!</c>.</summary>
    Error,

    /// <summary>A formula whose result the workbook does not hold (saved by a program that does not calculate).</summary>
    Uncalculated,
}

/// <summary>One cell of a row as stored: its column, kind and text, whether its format is a date format, and whether a formula made it.</summary>
/// <param name="Column">The 0-based column (A is 0).</param>
/// <param name="Kind">What the cell holds.</param>
/// <param name="Text">The stored text: a string's characters, a number as the workbook wrote it (invariant), <c>1</c>/<c>0</c> for a boolean, an error's code.</param>
/// <param name="DateFormat">Whether the cell's number format shows a date or time.</param>
/// <param name="Formula">Whether a formula made the value (the value is the formula's result saved with the workbook).</param>
internal readonly record struct SheetCell(int Column, CellKind Kind, string Text, bool DateFormat, bool Formula)
{
    /// <summary>The number a numeric cell holds.</summary>
    internal bool TryNumber(out double value) =>
        double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}

/// <summary>One row of a sheet: its 1-based number as Excel shows it, and its cells that hold something (or an uncalculated formula), by column.</summary>
/// <param name="Number">The row number as Excel shows it.</param>
/// <param name="Cells">The cells with a value, in column order.</param>
internal sealed record SheetRow(int Number, IReadOnlyList<SheetCell> Cells)
{
    /// <summary>Whether no cell holds anything (a blank row, or cells formatted but empty).</summary>
    internal bool IsBlank => Cells.All(c => c.Kind == CellKind.Uncalculated);

    /// <summary>The cell in <paramref name="column"/>, or an empty one.</summary>
    internal SheetCell this[int column]
    {
        get
        {
            foreach (var cell in Cells)
            {
                if (cell.Column == column)
                {
                    return cell;
                }
                if (cell.Column > column)
                {
                    break;
                }
            }
            return new SheetCell(column, CellKind.Empty, "", false, false);
        }
    }
}
