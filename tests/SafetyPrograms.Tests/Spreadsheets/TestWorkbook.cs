using System.IO.Compression;
using System.Security;
using System.Text;

namespace SafetyPrograms.Tests.Spreadsheets;

/// <summary>
/// Builds .xlsx files part by part, as Excel writes them, so that a test controls exactly what the reader meets: shared
/// or inline strings, untyped cells, styles that make a number a date, formulas with or without saved results, merged
/// ranges, the 1904 date system. A sheet can also be written row by row (a million rows without holding them).
/// </summary>
internal sealed class TestWorkbook
{
    private readonly List<(string Name, Action<TextWriter> Rows, string? Merges)> _sheets = [];

    /// <summary>Whether the workbook says it counts dates from 1904.</summary>
    public bool Date1904 { get; init; }

    /// <summary>The shared strings, by index.</summary>
    public List<string> SharedStrings { get; } = [];

    /// <summary>Cell formats: style 0 is General, 1 is a built-in date (14), 2 a custom yyyy-mm-dd, 3 a number with 2 places.</summary>
    public const int DateStyle = 1, CustomDateStyle = 2, NumberStyle = 3;

    public TestWorkbook Sheet(string name, string rowsXml, params string[] merges) =>
        Sheet(name, w => w.Write(rowsXml), merges);

    public TestWorkbook Sheet(string name, Action<TextWriter> rows, params string[] merges)
    {
        _sheets.Add((name, rows, merges.Length == 0 ? null : string.Concat(merges.Select(m => $"<mergeCell ref=\"{m}\"/>"))));
        return this;
    }

    /// <summary>The index of a shared string, added if new.</summary>
    public int Shared(string text)
    {
        var i = SharedStrings.IndexOf(text);
        if (i >= 0)
        {
            return i;
        }
        SharedStrings.Add(text);
        return SharedStrings.Count - 1;
    }

    /// <summary>A shared-string cell.</summary>
    public string S(string reference, string text) => $"<c r=\"{reference}\" t=\"s\"><v>{Shared(text)}</v></c>";

    /// <summary>Rows of shared-string cells from row 1 and column A, an empty text leaving its cell out: a CSV's lines as a sheet.</summary>
    public string Rows(IReadOnlyList<string[]> lines)
    {
        var xml = new StringBuilder();
        for (var r = 0; r < lines.Count; r++)
        {
            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<row r=\"{r + 1}\">");
            for (var c = 0; c < lines[r].Length; c++)
            {
                xml.Append(lines[r][c].Length == 0 ? "" : S(SafetyPrograms.Spreadsheets.Reading.CellReference.Of(c, r + 1), lines[r][c]));
            }
            xml.Append("</row>");
        }
        return xml.ToString();
    }

    /// <summary>An inline-string cell.</summary>
    public static string Inline(string reference, string text) =>
        $"<c r=\"{reference}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(text)}</t></is></c>";

    /// <summary>An untyped (number) cell, with a style.</summary>
    public static string N(string reference, string number, int style = 0) =>
        style == 0 ? $"<c r=\"{reference}\"><v>{number}</v></c>" : $"<c r=\"{reference}\" s=\"{style}\"><v>{number}</v></c>";

    /// <summary>A boolean cell.</summary>
    public static string B(string reference, bool value) => $"<c r=\"{reference}\" t=\"b\"><v>{(value ? 1 : 0)}</v></c>";

    public byte[] Build()
    {
        var bytes = new MemoryStream();
        Write(bytes);
        return bytes.ToArray();
    }

    public void Write(Stream output)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        void Part(string path, string xml)
        {
            using var writer = new StreamWriter(zip.CreateEntry(path, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
            writer.Write(xml);
        }
        const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        var types = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
            .Append("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>")
            .Append("<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>")
            .Append("<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>")
            .Append("<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>");
        for (var i = 1; i <= _sheets.Count; i++)
        {
            types.Append(System.Globalization.CultureInfo.InvariantCulture, $"<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
        }
        Part("[Content_Types].xml", types.Append("</Types>").ToString());
        Part("_rels/.rels", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{Rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
        var sheets = string.Concat(_sheets.Select((s, i) => $"<sheet name=\"{SecurityElement.Escape(s.Name)}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>"));
        Part("xl/workbook.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{Main}\" xmlns:r=\"{Rel}\">" +
            (Date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr/>") + $"<sheets>{sheets}</sheets></workbook>");
        var rels = string.Concat(_sheets.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"{Rel}/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>"));
        rels += $"<Relationship Id=\"rId{_sheets.Count + 1}\" Type=\"{Rel}/styles\" Target=\"styles.xml\"/>";
        rels += $"<Relationship Id=\"rId{_sheets.Count + 2}\" Type=\"{Rel}/sharedStrings\" Target=\"sharedStrings.xml\"/>";
        Part("xl/_rels/workbook.xml.rels", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>");
        Part("xl/styles.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"{Main}\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/></numFmts>" +
            "<fonts count=\"1\"><font/></fonts><fills count=\"1\"><fill/></fills><borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf/></cellStyleXfs>" +
            "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/><xf numFmtId=\"164\" applyNumberFormat=\"1\"/><xf numFmtId=\"2\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>");
        for (var i = 0; i < _sheets.Count; i++)
        {
            using var writer = new StreamWriter(zip.CreateEntry($"xl/worksheets/sheet{i + 1}.xml", CompressionLevel.Fastest).Open(), new UTF8Encoding(false), 1 << 16);
            writer.Write($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{Main}\" xmlns:r=\"{Rel}\"><sheetData>");
            _sheets[i].Rows(writer);
            writer.Write("</sheetData>");
            if (_sheets[i].Merges is { } merges)
            {
                writer.Write($"<mergeCells>{merges}</mergeCells>");
            }
            writer.Write("</worksheet>");
        }
        // Written last, once every sheet has added its strings.
        Part("xl/sharedStrings.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{Main}\" count=\"{SharedStrings.Count}\" uniqueCount=\"{SharedStrings.Count}\">" +
            string.Concat(SharedStrings.Select(s => $"<si><t xml:space=\"preserve\">{SecurityElement.Escape(s)}</t></si>")) + "</sst>");
    }
}
