using System.Text;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Serialization;

/// <summary>
/// The contract is UTF-8. A participation or dataset file saved as UTF-16 or UTF-32 (with that encoding's byte order
/// mark) is refused as a whole at line 1, naming the file and saying to save it as UTF-8; a UTF-8 byte order mark is accepted.
/// </summary>
public class Utf8OnlyTests
{
    private const string CsvRow = "b1,a1,2024-02-29,student,female,10-14,inPerson,true,s1,1.5,-2\n";

    private const string CsvText = "beneficiary,activity,date,role,sex,ageBand,mode,completed,school,preScore,postScore\n" + CsvRow;

    private const string JsonLine =
        "{\"beneficiary\":\"b1\",\"activity\":\"a1\",\"date\":\"2024-02-29\",\"role\":\"student\",\"sex\":\"female\",\"ageBand\":\"10-14\",\"mode\":\"inPerson\",\"completed\":true}\n";

    private const string Dataset = "{\"schemaVersion\":\"1.0\",\"organisations\":[],\"partnerships\":[]}";

    /// <summary>The encodings a spreadsheet or editor offers as "Unicode", with the name the error must give.</summary>
    public static TheoryData<string, string> ForeignEncodings => new()
    {
        { "utf-16", "UTF-16 (little-endian)" },
        { "utf-16BE", "UTF-16 (big-endian)" },
        { "utf-32", "UTF-32 (little-endian)" },
        { "utf-32BE", "UTF-32 (big-endian)" },
    };

    /// <summary>The text as a file saved in <paramref name="encodingName"/>: its byte order mark, then the text.</summary>
    private static MemoryStream Saved(string text, string encodingName)
    {
        var encoding = Encoding.GetEncoding(encodingName);
        return new MemoryStream([.. encoding.GetPreamble(), .. encoding.GetBytes(text)]);
    }

    private static MemoryStream Utf8WithBom(string text) => new([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);

    private static void AssertRefused(DataFormatException ex, string file, string encoding)
    {
        Assert.Equal(file, ex.FileName);
        Assert.Equal(1, ex.LineNumber);
        Assert.StartsWith($"The file is {encoding}, not UTF-8: save it as UTF-8", ex.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"{file}, line 1, position 0", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ForeignEncodings))]
    public void Csv_ForeignByteOrderMark_IsRefusedAtLine1(string encodingName, string encoding)
    {
        using var stream = Saved(CsvText, encodingName);

        var ex = Assert.Throws<DataFormatException>(() => ParticipationCsv.Read(stream, "p.csv").ToList());

        AssertRefused(ex, "p.csv", encoding);
        Assert.Null(ex.Path);
    }

    [Theory]
    [MemberData(nameof(ForeignEncodings))]
    public void JsonLines_ForeignByteOrderMark_IsRefusedAtLine1(string encodingName, string encoding)
    {
        using var stream = Saved(JsonLine + JsonLine, encodingName);

        var ex = Assert.Throws<DataFormatException>(() => ParticipationJsonLines.Read(stream, "p.jsonl").ToList());

        AssertRefused(ex, "p.jsonl", encoding);
    }

    [Theory]
    [MemberData(nameof(ForeignEncodings))]
    public void Dataset_ForeignByteOrderMark_IsRefusedAtTheRoot(string encodingName, string encoding)
    {
        using var stream = Saved(Dataset, encodingName);

        var ex = Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Read(stream, "d.json"));

        AssertRefused(ex, "d.json", encoding);
        Assert.Equal("$", ex.Path);
    }

    [Fact]
    public void Csv_Utf8ByteOrderMark_IsAcceptedAndNotPartOfTheFirstColumn()
    {
        using var stream = Utf8WithBom(CsvText);

        var record = Assert.Single(ParticipationCsv.Read(stream, "p.csv")).Record;

        Assert.Equal("b1", record!.Beneficiary.Value);
    }

    [Fact]
    public void JsonLines_Utf8ByteOrderMark_IsAccepted()
    {
        using var stream = Utf8WithBom(JsonLine + JsonLine);

        var results = ParticipationJsonLines.Read(stream, "p.jsonl").ToList();

        Assert.Equal([1L, 2L], results.Select(r => r.LineNumber));
        Assert.All(results, r => Assert.True(r.IsSuccess));
    }

    [Fact]
    public void Csv_ReadInOneByteSteps_StillSeesTheWholeFile()
    {
        // The check reads the first bytes before the parser does; they must reach it again, whatever the read sizes.
        using var stream = new TrickleStream([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(CsvText + CsvRow)]);

        var results = ParticipationCsv.Read(stream, "p.csv").ToList();

        Assert.Equal([2L, 3L], results.Select(r => r.LineNumber));
        Assert.All(results, r => Assert.Equal("b1", r.Record!.Beneficiary.Value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{}\n")]
    public void JsonLines_FilesShorterThanAByteOrderMark_AreReadAsTheyAre(string text)
    {
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes(text));

        var results = ParticipationJsonLines.Read(stream, "short.jsonl").ToList();

        Assert.Equal(text.Trim().Length == 0 ? 0 : 1, results.Count);
        Assert.All(results, r => Assert.False(r.IsSuccess));
    }

    [Fact]
    public void Csv_Utf16WithoutAByteOrderMark_IsNotTakenForRecords()
    {
        // Without a mark there is nothing to name the encoding by; the NUL bytes between letters still fail the header.
        using var stream = new MemoryStream(Encoding.Unicode.GetBytes(CsvText));

        var ex = Assert.Throws<DataFormatException>(() => ParticipationCsv.Read(stream, "p.csv").ToList());

        Assert.Equal(1, ex.LineNumber);
    }

    /// <summary>A non-seekable stream that hands out one byte per read.</summary>
    private sealed class TrickleStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1)]);
    }
}
