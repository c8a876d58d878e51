using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace SafetyPrograms.Spreadsheets.Templates;

/// <summary>The templates' few cell formats: plain, a bold header, a yyyy-mm-dd date and text.</summary>
internal static class TemplateStyles
{
    internal const uint Plain = 0;
    internal const uint Header = 1;
    internal const uint Date = 2;
    internal const uint TextFormat = 3;

    /// <summary>The custom number format id of the ISO date format (ids below 164 are built in).</summary>
    private const uint IsoDate = 164;

    internal static Stylesheet Create() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = IsoDate, FormatCode = "yyyy-mm-dd" }) { Count = 1 },
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellStyleFormats(new CellFormat()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { NumberFormatId = IsoDate, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 49, ApplyNumberFormat = true }) { Count = 4 });

    /// <summary>The style of a column's cells by what it holds.</summary>
    internal static uint ForColumn(ColumnKind kind) => kind switch
    {
        ColumnKind.Date => Date,
        ColumnKind.Key or ColumnKind.Text => TextFormat,
        _ => Plain,
    };

    /// <summary>A cell holding text, written inline (no shared string table needed for a template).</summary>
    internal static Cell Text(string reference, string text, uint style) => new(new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }))
    {
        CellReference = reference, DataType = CellValues.InlineString, StyleIndex = style == Plain ? null : style,
    };

    /// <summary>A row of text cells from column A.</summary>
    internal static Row Row(uint number, uint style, params string[] texts)
    {
        var row = new Row { RowIndex = number };
        for (var c = 0; c < texts.Length; c++)
        {
            row.Append(Text(Reading.CellReference.Of(c, (int)number), texts[c], style));
        }
        return row;
    }
}
