using System.Text;

namespace SafetyPrograms.Spreadsheets.Reading;

/// <summary>Cell references as Excel shows them: columns A to XFD, rows from 1, and <c>Sheet!A12</c> (<c>'My sheet'!A12</c>).</summary>
internal static class CellReference
{
    /// <summary>Excel's last column, XFD.</summary>
    internal const int MaxColumns = 16_384;

    /// <summary>Excel's last row.</summary>
    internal const int MaxRows = 1_048_576;

    /// <summary>The column's letters: 0 is A, 26 is AA.</summary>
    internal static string Column(int column)
    {
        Span<char> letters = stackalloc char[3];
        var at = letters.Length;
        for (var c = column + 1; c > 0; c = (c - 1) / 26)
        {
            letters[--at] = (char)('A' + ((c - 1) % 26));
        }
        return new string(letters[at..]);
    }

    /// <summary>A cell's reference on its sheet, such as <c>B12</c>.</summary>
    internal static string Of(int column, int row) => Column(column) + row.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A cell's reference with its sheet, such as <c>Attendance!B12</c>, quoted as Excel quotes names with spaces.</summary>
    internal static string Of(string sheet, int column, int row) => Sheet(sheet) + "!" + Of(column, row);

    /// <summary>A range on its sheet, such as <c>Attendance!B12:B15</c>.</summary>
    internal static string Of(string sheet, CellRange range) =>
        Sheet(sheet) + "!" + Of(range.FirstColumn, range.FirstRow) + ":" + Of(range.LastColumn, range.LastRow);

    /// <summary>The sheet's name as a reference writes it: bare when it is a plain word, else in single quotes.</summary>
    internal static string Sheet(string name)
    {
        var plain = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_');
        foreach (var c in name)
        {
            plain &= char.IsAsciiLetterOrDigit(c) || c is '_' or '.';
        }
        // A name that reads as a cell (A1, XFD12) would be taken for one.
        plain &= !TryParse(name, out _, out _);
        return plain ? name : "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Reads a reference such as <c>B12</c> into a 0-based column and a 1-based row.</summary>
    internal static bool TryParse(ReadOnlySpan<char> text, out int column, out int row)
    {
        column = 0;
        row = 0;
        var i = 0;
        while (i < text.Length && char.IsAsciiLetter(text[i]) && i < 3)
        {
            column = column * 26 + (char.ToUpperInvariant(text[i]) - 'A' + 1);
            i++;
        }
        if (i == 0 || column > MaxColumns || i == text.Length)
        {
            return false;
        }
        column--;
        for (; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]) || row > 104_857)
            {
                return false;
            }
            row = row * 10 + (text[i] - '0');
        }
        return row >= 1;
    }

    /// <summary>Reads a range such as <c>B12:C15</c> (or one cell).</summary>
    internal static bool TryParseRange(string text, out CellRange range)
    {
        range = default;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var first = colon < 0 ? text.AsSpan() : text.AsSpan(0, colon);
        var last = colon < 0 ? text.AsSpan() : text.AsSpan(colon + 1);
        if (!TryParse(first, out var c1, out var r1) || !TryParse(last, out var c2, out var r2))
        {
            return false;
        }
        range = new CellRange(Math.Min(c1, c2), Math.Min(r1, r2), Math.Max(c1, c2), Math.Max(r1, r2));
        return true;
    }

    /// <summary>Column letters for a message listing several columns.</summary>
    internal static string Columns(IEnumerable<int> columns)
    {
        var text = new StringBuilder();
        foreach (var c in columns)
        {
            text.Append(text.Length == 0 ? "" : ", ").Append(Column(c));
        }
        return text.ToString();
    }
}

/// <summary>A rectangle of cells: 0-based columns, 1-based rows, both ends included.</summary>
internal readonly record struct CellRange(int FirstColumn, int FirstRow, int LastColumn, int LastRow)
{
    /// <summary>Whether the range covers any cell of <paramref name="row"/>.</summary>
    internal bool CoversRow(int row) => row >= FirstRow && row <= LastRow;
}
