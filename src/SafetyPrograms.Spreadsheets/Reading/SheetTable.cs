using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Spreadsheets.Reading;

/// <summary>A sheet's header: its row number and its column names, from column A on.</summary>
internal sealed record SheetHeader(int Row, IReadOnlyList<string> Names);

/// <summary>A sheet read as a table: a header row naming the columns, then rows of cells under them.</summary>
internal static class SheetTable
{
    /// <summary>Reads up to and including the header row: the row numbered <paramref name="headerRow"/>, or the first that holds anything.</summary>
    /// <exception cref="DataFormatException">No header, a header cell without a name before the last named one, or merged cells on the header.</exception>
    internal static SheetHeader ReadHeader(SheetReader sheet, int? headerRow)
    {
        while (sheet.Next() is { } row)
        {
            if (headerRow is { } wanted ? row.Number < wanted : row.IsBlank)
            {
                continue;
            }
            if (row.IsBlank || headerRow is { } at && row.Number != at)
            {
                break;
            }
            foreach (var range in sheet.Merged)
            {
                if (range.CoversRow(row.Number))
                {
                    throw new DataFormatException(
                        $"The header row has merged cells ({CellReference.Of(sheet.Sheet, range)}): unmerge them so that each column has its own name.",
                        sheet.FileName, CellReference.Of(sheet.Sheet, range.FirstColumn, row.Number), null, null);
                }
            }
            var last = row.Cells.Max(c => c.Kind == CellKind.Uncalculated ? -1 : c.Column);
            var names = new string[last + 1];
            for (var c = 0; c <= last; c++)
            {
                var name = SheetCells.Text(row[c], sheet, row.Number, out var problem);
                if (string.IsNullOrEmpty(name))
                {
                    throw new DataFormatException(
                        problem ?? "A column of the header row has no name: give every column up to the last a name, or delete the empty column.",
                        sheet.FileName, sheet.Reference(c, row.Number), null, null);
                }
                names[c] = name;
            }
            return new SheetHeader(row.Number, names);
        }
        throw new DataFormatException(
            headerRow is { } n
                ? $"Row {n} of the sheet is blank: it should be the header row naming the columns."
                : "The sheet is empty: it needs a header row naming the columns, then a row a record.",
            sheet.FileName, CellReference.Sheet(sheet.Sheet), null, null);
    }

    /// <summary>Names the header's columns to the writer; a header that does not fit is refused naming the header row.</summary>
    internal static void SetColumns(ParticipationRowWriter rows, SheetReader sheet, SheetHeader header, IReadOnlyList<string>? names = null)
    {
        try
        {
            rows.SetColumns(names ?? header.Names, header.Row);
        }
        catch (DataFormatException e)
        {
            throw new DataFormatException(e.Reason, sheet.FileName, sheet.Reference(0, header.Row), null, null, e);
        }
    }

    /// <summary>
    /// Reads a data row's cells as text, one a header column, into <paramref name="cells"/> (null for an empty cell).
    /// </summary>
    /// <returns><c>null</c>, or why the row cannot be read (a cell outside the header's columns, under merged cells, or
    /// unreadable), naming the cell; <see cref="RowProblem.Column"/> is the header column of the cell at fault, or -1 when
    /// the problem is the row's (merged cells, a value outside the header's columns). The first problem is the one given;
    /// the row's other cells are still read, so that a refused row keeps its keys (an export's repeat rows find it by them).</returns>
    internal static RowProblem? ReadCells(SheetReader sheet, SheetRow row, string?[] cells)
    {
        Array.Clear(cells);
        RowProblem? first = null;
        foreach (var range in sheet.Merged)
        {
            if (range.CoversRow(row.Number))
            {
                first = new($"{CellReference.Of(sheet.Sheet, range)} are merged cells, which leave all but their first cell empty: unmerge them and fill in every cell.", -1);
                break;
            }
        }
        foreach (var cell in row.Cells)
        {
            if (cell.Column >= cells.Length)
            {
                first ??= new($"{sheet.Reference(cell.Column, row.Number)} holds a value in a column the header row does not name.", -1);
                continue;
            }
            var text = SheetCells.Text(cell, sheet, row.Number, out var problem);
            if (text is null)
            {
                first ??= new(problem!, cell.Column);
                continue;
            }
            cells[cell.Column] = text.Length == 0 ? null : text;
        }
        return first;
    }
}

/// <summary>Why a sheet row cannot be read, and the header column of the cell at fault (-1 for the row as a whole).</summary>
internal sealed record RowProblem(string Message, int Column);
