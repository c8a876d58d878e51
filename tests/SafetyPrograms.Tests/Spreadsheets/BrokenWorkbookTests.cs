using System.IO.Compression;
using System.Text;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets.Reading;

namespace SafetyPrograms.Tests.Spreadsheets;

/// <summary>Files that are not readable workbooks: each a <see cref="DataFormatException"/> that names the file and says what to do.</summary>
public class BrokenWorkbookTests
{
    private static DataFormatException Refused(byte[] bytes) =>
        Assert.Throws<DataFormatException>(() =>
        {
            using var workbook = XlsxWorkbook.Open(new MemoryStream(bytes), "partner.xlsx");
            using var reader = workbook.Read();
            while (reader.Next() is not null)
            {
            }
        });

    private static byte[] Zip(params (string Path, string Text)[] entries)
    {
        var bytes = new MemoryStream();
        using (var zip = new ZipArchive(bytes, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(path).Open());
                writer.Write(text);
            }
        }
        return bytes.ToArray();
    }

    private static byte[] Valid() => new TestWorkbook().Sheet("Attendance", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>").Build();

    [Fact]
    public void PasswordProtected_IsAnEncryptedCompoundFile_SaidSo()
    {
        // Excel saves a password-protected workbook as an OLE compound file holding the encrypted package.
        byte[] bytes = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]];
        var error = Refused(bytes);
        Assert.Equal(XlsxWorkbook.Encrypted, error.Reason);
        Assert.Equal("partner.xlsx", error.FileName);
    }

    [Fact]
    public void CsvSavedAsXlsx_IsNotAZip() => Assert.Equal(XlsxWorkbook.NotZip, Refused(Encoding.UTF8.GetBytes("beneficiary,activity\nk1,a1\n")).Reason);

    [Fact]
    public void EmptyFile_IsNotAZip() => Assert.Equal(XlsxWorkbook.NotZip, Refused([]).Reason);

    [Fact]
    public void ZipOfOtherFiles_IsNotAWorkbook() => Assert.Equal(XlsxWorkbook.NotWorkbook, Refused(Zip(("notes.txt", "hello"))).Reason);

    [Fact]
    public void WordDocument_IsNotAWorkbook()
    {
        var docx = Zip(
            ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"),
            ("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>"),
            ("word/document.xml", "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>"));
        Assert.Equal(XlsxWorkbook.NotWorkbook, Refused(docx).Reason);
    }

    [Fact]
    public void Truncated_IsDamaged()
    {
        var bytes = Valid();
        var error = Refused(bytes[..(bytes.Length / 2)]);
        Assert.True(error.Reason == XlsxWorkbook.Damaged, error.InnerException?.ToString());
    }

    [Fact]
    public void CorruptBytesInTheMiddle_AreDamaged()
    {
        var bytes = Valid();
        // Overwrite a stretch of compressed data: the zip's checksums or the XML then fail.
        for (var i = 200; i < 260 && i < bytes.Length; i++)
        {
            bytes[i] ^= 0x5A;
        }
        Assert.Contains(Refused(bytes).Reason, new[] { XlsxWorkbook.Damaged, XlsxWorkbook.NotWorkbook });
    }

    [Fact]
    public void BrokenSheetXml_NamesTheSheet_BeforeAnyRowIsRead()
    {
        var book = new TestWorkbook().Sheet("Attendance", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></row>");
        // The first pass over the sheet (for its merged ranges) parses every row, so a damaged sheet is refused whole.
        using var workbook = XlsxWorkbook.Open(new MemoryStream(book.Build()), "partner.xlsx");
        var error = Assert.Throws<DataFormatException>(() => workbook.Read());
        Assert.Equal(XlsxWorkbook.Damaged, error.Reason);
        Assert.Equal("Attendance", error.Path);
    }

    [Fact]
    public void SharedStringOutOfRange_NamesTheCell()
    {
        var book = new TestWorkbook().Sheet("Attendance", "<row r=\"3\"><c r=\"B3\" t=\"s\"><v>99</v></c></row>");
        var error = Refused(book.Build());
        Assert.Equal("Attendance!B3", error.Path);
        Assert.StartsWith(XlsxWorkbook.Damaged, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EntityExpansion_IsRefused_NotExpanded()
    {
        // A sheet with a DTD: the reader prohibits DTDs, so no entity is ever expanded.
        var withDtd = Zip(
            ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>"),
            ("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
            ("xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
            ("xl/worksheets/sheet1.xml", "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>"));
        Assert.Equal(XlsxWorkbook.Damaged, Refused(withDtd).Reason);
    }

    /// <summary>The broken files every workbook entry point meets: password-protected, not a zip, a zip but no workbook, truncated.</summary>
    public static TheoryData<string, string> BrokenFiles => new()
    {
        { "encrypted", XlsxWorkbook.Encrypted }, { "csv", XlsxWorkbook.NotZip }, { "docx", XlsxWorkbook.NotWorkbook }, { "truncated", XlsxWorkbook.Damaged },
    };

    private static byte[] Broken(string kind) => kind switch
    {
        "encrypted" => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]],
        "csv" => Encoding.UTF8.GetBytes("beneficiary,activity\nk1,a1\n"),
        "docx" => Zip(("notes.txt", "hello")),
        _ => Valid()[..(Valid().Length / 2)],
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void EveryWorkbookEntryPoint_BrokenFile_RefusedWholeNamingTheFile_NothingAdded(string kind, string reason)
    {
        var dataset = RepositoryPaths.SampleDataset();
        var mapping = SafetyPrograms.Spreadsheets.SubmissionMapping.Read(
            new MemoryStream("{\"tool\":\"kobo\",\"records\":\"participants\",\"fields\":{\"beneficiary\":\"k\"}}"u8.ToArray()));
        var store = new SafetyPrograms.Aggregation.ParticipationStore(dataset);
        Action[] entries =
        [
            () => store.Append(new SafetyPrograms.Spreadsheets.WorkbookParticipationSource(new MemoryStream(Broken(kind)), "partner.xlsx")),
            () => store.Append(SafetyPrograms.Spreadsheets.SubmissionExportSource.FromWorkbook(mapping, new MemoryStream(Broken(kind)), "partner.xlsx"), mapping.SourceOptions()),
            () => store.DryRun(SafetyPrograms.Spreadsheets.SubmissionExportSource.FromWorkbook(mapping, new MemoryStream(Broken(kind)), "partner.xlsx"), mapping.SourceOptions()),
            () => SafetyPrograms.Spreadsheets.SummaryAttendanceImport.FromWorkbook(dataset, new MemoryStream(Broken(kind)), "partner.xlsx"),
        ];
        foreach (var entry in entries)
        {
            var error = Assert.Throws<DataFormatException>(entry);
            Assert.Equal((reason, "partner.xlsx"), (error.Reason, error.FileName));
        }
        Assert.Equal(0, store.Count);
    }
}
