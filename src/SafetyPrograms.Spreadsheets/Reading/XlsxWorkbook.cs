using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Spreadsheets.Reading;

/// <summary>
/// An .xlsx workbook opened for reading rows: the package and its small parts (the workbook's sheet list, the styles,
/// the shared strings) are read once; each worksheet is then streamed with a forward-only XML reader over its part, so
/// a sheet of a million rows never becomes a document in memory.
/// </summary>
/// <remarks>
/// Every way a file can fail to be a readable workbook (not a zip, a zip of something else, an encrypted or password-
/// protected file, a damaged part) is a <see cref="DataFormatException"/> naming the file, and, where one is at fault,
/// the sheet and cell. Not thread-safe: one reader at a time.
/// </remarks>
internal sealed class XlsxWorkbook : IDisposable
{
    private readonly SpreadsheetDocument _document;
    private readonly WorkbookPart _workbook;
    private readonly List<(string Name, string RelationshipId)> _sheets;
    private IReadOnlyList<string>? _sharedStrings;
    private bool[]? _dateStyles;

    private XlsxWorkbook(SpreadsheetDocument document, WorkbookPart workbook, List<(string, string)> sheets, bool date1904, string? fileName)
    {
        _document = document;
        _workbook = workbook;
        _sheets = sheets;
        Date1904 = date1904;
        FileName = fileName;
    }

    /// <summary>The file name given when opening, for messages.</summary>
    internal string? FileName { get; }

    /// <summary>Whether the workbook counts dates from 1904 (older Mac workbooks) rather than 1900.</summary>
    internal bool Date1904 { get; }

    /// <summary>The worksheets' names, in the workbook's order.</summary>
    internal IReadOnlyList<string> SheetNames => _sheets.ConvertAll(s => s.Name);

    /// <summary>The first bytes of an OLE compound file: an encrypted (password-protected) .xlsx, or an old .xls.</summary>
    private static ReadOnlySpan<byte> CompoundFile => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <summary>The first bytes of a zip file, which an .xlsx is.</summary>
    private static ReadOnlySpan<byte> Zip => "PK\u0003\u0004"u8;

    internal const string Encrypted =
        "The file is password-protected (encrypted) or is an old .xls workbook: open it in Excel, remove the password (File > Info > Protect Workbook), and save it as an .xlsx workbook.";

    internal const string NotZip = "The file is not an Excel .xlsx workbook: save it from Excel as \"Excel Workbook (.xlsx)\", or read it as CSV.";

    internal const string NotWorkbook = "The file is a zip archive but not an Excel workbook: it has no workbook part. Save it from Excel as \"Excel Workbook (.xlsx)\".";

    internal const string Damaged = "The workbook is damaged and cannot be read: open it in Excel (which may repair it) and save it again.";

    /// <summary>Opens a workbook; the stream must stay open until the workbook is disposed.</summary>
    /// <exception cref="DataFormatException">The stream is not a readable .xlsx workbook.</exception>
    internal static XlsxWorkbook Open(Stream stream, string? fileName)
    {
        if (!stream.CanSeek)
        {
            // The zip directory sits at the end of the file: an unseekable stream is copied first (it is compressed).
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        Span<byte> head = stackalloc byte[8];
        var start = stream.Position;
        var got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        if (got == head.Length && head.SequenceEqual(CompoundFile))
        {
            throw new DataFormatException(Encrypted, fileName, null, null, null);
        }
        if (got < Zip.Length || !head[..Zip.Length].SequenceEqual(Zip))
        {
            throw new DataFormatException(NotZip, fileName, null, null, null);
        }
        if (!IsPackage(stream, start, fileName))
        {
            throw new DataFormatException(NotWorkbook, fileName, null, null, null);
        }
        SpreadsheetDocument? document = null;
        try
        {
            document = SpreadsheetDocument.Open(stream, false, new OpenSettings { AutoSave = false });
            var workbook = document.WorkbookPart is { } part && IsWorkbook(part.ContentType)
                ? part
                : throw new DataFormatException(NotWorkbook, fileName, null, null, null);
            var (sheets, date1904) = ReadSheetList(workbook);
            var opened = new XlsxWorkbook(document, workbook, sheets, date1904, fileName);
            document = null;
            return opened;
        }
        catch (Exception e) when (IsPackageFault(e) && e is not DataFormatException)
        {
            throw new DataFormatException(e is OpenXmlPackageException ? NotWorkbook : Damaged, fileName, null, null, null, e);
        }
        finally
        {
            document?.Dispose();
        }
    }

    /// <summary>
    /// Whether the zip can be read and is an Open Packaging package (it lists its parts' content types): a damaged zip
    /// is told apart here from a sound zip of something else.
    /// </summary>
    private static bool IsPackage(Stream stream, long start, string? fileName)
    {
        try
        {
            using var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true);
            return zip.GetEntry("[Content_Types].xml") is not null;
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(Damaged, fileName, null, null, null, e);
        }
        finally
        {
            stream.Position = start;
        }
    }

    /// <summary>Whether a main part is a workbook: .xlsx, .xlsm or a template, not a document or a presentation.</summary>
    private static bool IsWorkbook(string contentType) =>
        contentType.Contains("spreadsheetml.sheet.main", StringComparison.Ordinal)
        || contentType.Contains("spreadsheetml.template.main", StringComparison.Ordinal)
        || contentType.Contains("ms-excel.sheet.macroEnabled.main", StringComparison.Ordinal)
        || contentType.Contains("ms-excel.template.macroEnabled.main", StringComparison.Ordinal);

    /// <summary>The failures of a damaged package or part, as the zip, packaging and XML readers throw them.</summary>
    internal static bool IsPackageFault(Exception e) =>
        e is OpenXmlPackageException or FileFormatException or InvalidDataException or XmlException or NotSupportedException
            or IOException and not FileNotFoundException;

    /// <summary>The worksheet named <paramref name="sheet"/>, or the first worksheet.</summary>
    /// <exception cref="DataFormatException">No worksheet has that name, or the workbook has none.</exception>
    internal WorksheetPart Worksheet(string? sheet, out string name)
    {
        foreach (var (n, id) in _sheets)
        {
            if ((sheet is null || string.Equals(n, sheet, StringComparison.OrdinalIgnoreCase))
                && _workbook.TryGetPartById(id, out var part) && part is WorksheetPart worksheet)
            {
                name = n;
                return worksheet;
            }
        }
        throw new DataFormatException(
            sheet is null
                ? "The workbook has no worksheet."
                : $"The workbook has no worksheet named '{sheet}': its sheets are {string.Join(", ", SheetNames.Select(s => "'" + s + "'"))}.",
            FileName, null, null, null);
    }

    /// <summary>Whether the workbook has a worksheet of that name (case-insensitive, as Excel compares names).</summary>
    internal bool HasSheet(string name) => _sheets.Exists(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Streams the rows of a worksheet (the first when <paramref name="sheet"/> is null).</summary>
    internal SheetReader Read(string? sheet = null)
    {
        var part = Worksheet(sheet, out var name);
        return Guard(name, null, () => new SheetReader(this, part, name, MergedRanges(part)));
    }

    internal IReadOnlyList<string> SharedStrings => _sharedStrings ??= Guard(null, null, ReadSharedStrings);

    internal bool[] DateStyles => _dateStyles ??= Guard(null, null, ReadDateStyles);

    /// <summary>Runs a read of the package, turning a damaged part into a <see cref="DataFormatException"/> naming the sheet.</summary>
    internal T Guard<T>(string? sheet, string? cell, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (IsPackageFault(e) && e is not DataFormatException)
        {
            throw new DataFormatException(Damaged, FileName, cell ?? (sheet is null ? null : CellReference.Sheet(sheet)), null, null, e);
        }
    }

    /// <summary>A forward-only reader over a part, refusing DTDs (no entity expansion).</summary>
    internal static XmlReader Xml(OpenXmlPart part) => XmlReader.Create(
        part.GetStream(FileMode.Open, FileAccess.Read),
        new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = false, IgnoreComments = true, CloseInput = true });

    private static (List<(string, string)>, bool) ReadSheetList(WorkbookPart workbook)
    {
        var sheets = new List<(string, string)>();
        var date1904 = false;
        using var xml = Xml(workbook);
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }
            if (xml.LocalName == "workbookPr")
            {
                date1904 = xml.GetAttribute("date1904") is "1" or "true";
            }
            else if (xml.LocalName == "sheet" && xml.GetAttribute("name") is { } name
                && xml.GetAttribute("id", "http://schemas.openxmlformats.org/officeDocument/2006/relationships") is { } id)
            {
                sheets.Add((name, id));
            }
        }
        return (sheets, date1904);
    }

    private List<string> ReadSharedStrings()
    {
        var strings = new List<string>();
        if (_workbook.SharedStringTablePart is not { } part)
        {
            return strings;
        }
        using var xml = Xml(part);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "si")
            {
                strings.Add(StringItem(xml));
            }
        }
        return strings;
    }

    /// <summary>The text of a string item (<c>si</c> or <c>is</c>): its runs' text, without phonetic guides.</summary>
    internal static string StringItem(XmlReader xml)
    {
        if (xml.IsEmptyElement)
        {
            return "";
        }
        var depth = xml.Depth;
        string? single = null;
        System.Text.StringBuilder? runs = null;
        while (xml.Read() && xml.Depth > depth)
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "rPh")
            {
                xml.Skip();
                if (xml.Depth <= depth)
                {
                    break;
                }
            }
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "t")
            {
                var text = xml.ReadElementContentAsString();
                if (single is null && runs is null)
                {
                    single = text;
                }
                else
                {
                    (runs ??= new System.Text.StringBuilder(single)).Append(text);
                }
                if (xml.Depth <= depth)
                {
                    break;
                }
            }
        }
        return runs?.ToString() ?? single ?? "";
    }

    /// <summary>For each cell format (<c>cellXfs</c>), whether its number format shows a date or time.</summary>
    private bool[] ReadDateStyles()
    {
        if (_workbook.WorkbookStylesPart is not { } part)
        {
            return [];
        }
        var custom = new Dictionary<int, bool>();
        var styles = new List<bool>();
        using var xml = Xml(part);
        var inCellFormats = false;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "cellXfs")
            {
                inCellFormats = false;
            }
            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }
            switch (xml.LocalName)
            {
                case "numFmt" when int.TryParse(xml.GetAttribute("numFmtId"), out var id):
                    custom[id] = NumberFormats.IsDate(xml.GetAttribute("formatCode") ?? "");
                    break;
                case "cellXfs":
                    inCellFormats = !xml.IsEmptyElement;
                    break;
                case "xf" when inCellFormats:
                    var format = int.TryParse(xml.GetAttribute("numFmtId"), out var f) ? f : 0;
                    styles.Add(custom.TryGetValue(format, out var isDate) ? isDate : NumberFormats.IsBuiltInDate(format));
                    break;
            }
        }
        return [.. styles];
    }

    /// <summary>The merged ranges of a sheet: listed after its rows, so found by a first pass that skips the rows unparsed.</summary>
    private static List<CellRange> MergedRanges(WorksheetPart part)
    {
        var ranges = new List<CellRange>();
        using var xml = Xml(part);
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }
            if (xml.LocalName == "sheetData")
            {
                xml.Skip(); // onto the node after the rows; the loop reads on from there
            }
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "mergeCell"
                && CellReference.TryParseRange(xml.GetAttribute("ref") ?? "", out var range))
            {
                ranges.Add(range);
            }
        }
        return ranges;
    }

    public void Dispose() => _document.Dispose();
}
