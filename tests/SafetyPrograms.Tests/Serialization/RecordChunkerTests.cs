using System.Text;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Aggregation;

namespace SafetyPrograms.Tests.Serialization;

/// <summary>
/// The chunker cuts a stream only between whole records: the chunks put back together are the file (without its
/// UTF-8 byte order mark), and tokenizing them one by one gives the records, fields and line numbers of the whole.
/// </summary>
public sealed class RecordChunkerTests
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>A chunk copied out of the pool.</summary>
    private readonly record struct Piece(byte[] Bytes, bool TooLong);

    private static List<Piece> ReadAll(Stream stream, RecordSyntax syntax, int chunkBytes)
    {
        var chunker = new RecordChunker(stream, syntax, "x", chunkBytes);
        var pieces = new List<Piece>();
        while (chunker.TryRead(out var chunk))
        {
            pieces.Add(new Piece(chunk.Bytes.ToArray(), chunk.TooLong));
            chunk.Return();
        }
        return pieces;
    }

    private static List<Piece> ReadAll(byte[] data, RecordSyntax syntax, int chunkBytes) =>
        ReadAll(new MemoryStream(data, writable: false), syntax, chunkBytes);

    private static byte[] Joined(IEnumerable<Piece> pieces) => [.. pieces.Where(p => !p.TooLong).SelectMany(p => p.Bytes)];

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));

    /// <summary>Inputs where a careless cut goes wrong: line ends at every offset, quotes at buffer ends, quoted line breaks.</summary>
    public static TheoryData<string> TrickyCsv => new()
    {
        string.Concat(Enumerable.Range(1, 40).Select(n => new string('a', n) + ",b" + (n % 3) switch { 0 => "\r\n", 1 => "\r", _ => "\n" })),
        Repeat("id,\"has, a comma, \"\"quotes\"\" and\r\nline\nbreaks\rinside\",z\n", 6),
        Repeat("\r\n\r\n\n\r\ra,b\r\n\n", 8),
        Repeat("ab\"c,d\n\"x\ny\",e\r\n", 6),
        Repeat("\"a\"b\"c\nd,\"e\nf\"\n", 6),
        Repeat("\"a\"\"\",\"\"\n\"\"\"\"\r\n", 10),
        Repeat("a,b\n", 10) + "c,\"d\ne\r\nf",
        Repeat("a,b\r\n", 10) + "c,d",
        Repeat("a,b\r", 10),
        Repeat("\"" + new string('q', 70) + "\"\r\n", 4),
    };

    [Theory]
    [MemberData(nameof(TrickyCsv))]
    public void TryRead_TrickyCsvAtEveryChunkSize_CutsOnlyBetweenRecords(string text) =>
        AssertCutsOnlyBetweenRecords(Encoding.UTF8.GetBytes(text), 16, 80);

    [Fact]
    public void TryRead_MessyParticipationCsvWithBomAtEveryChunkSize_CutsOnlyBetweenRecords()
    {
        var file = MessyParticipation.Csv(TestProgramme.Build(seed: 4201, records: 200), seed: 21, rows: 120, bom: true);
        AssertCutsOnlyBetweenRecords(file, 16, 80);
    }

    [Fact]
    public void TryRead_SeededRandomCsv_CutsOnlyBetweenRecords()
    {
        var rng = new Random(4202);
        for (var run = 0; run < 400; run++)
        {
            var size = rng.Next(16, 41);
            AssertCutsOnlyBetweenRecords(Encoding.UTF8.GetBytes(CsvTokens.RandomText(rng, 200)), size, size);
        }
    }

    private static void AssertCutsOnlyBetweenRecords(byte[] input, int smallest, int largest)
    {
        var content = input.AsSpan().StartsWith(Utf8Bom) ? input[3..] : input;
        var expected = CsvTokens.Records(content);
        for (var chunkBytes = smallest; chunkBytes <= largest; chunkBytes++)
        {
            var pieces = ReadAll(input, RecordSyntax.Csv, chunkBytes);
            Assert.DoesNotContain(pieces, p => p.TooLong || p.Bytes.Length == 0);
            Assert.Equal(content, Joined(pieces));
            for (var i = 0; i < pieces.Count - 1; i++)
            {
                Assert.True(pieces[i].Bytes[^1] is (byte)'\n' or (byte)'\r', $"chunk {i} of size {chunkBytes} ends inside a record");
                Assert.False(pieces[i].Bytes[^1] == '\r' && pieces[i + 1].Bytes[0] == '\n', $"chunk {i} of size {chunkBytes} ends between \\r and \\n");
            }
            Assert.Equal(expected, CsvTokens.RecordsByChunk(pieces.Select(p => p.Bytes)));
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(23)]
    [InlineData(80)]
    [InlineData(1 << 20)]
    public void TryRead_JsonLines_ChunksEndAtLineFeedsAndJoinToTheFile(int chunkBytes)
    {
        var p = TestProgramme.Build(seed: 4203, records: 200);
        var file = MessyParticipation.JsonLines(p, seed: 22, rows: 100, bom: true, ending: MessyParticipation.Ending.NoLineEnd);

        var pieces = ReadAll(file, RecordSyntax.JsonLines, chunkBytes);

        Assert.Equal(file[3..], Joined(pieces));
        Assert.All(pieces.SkipLast(1), piece => Assert.Equal((byte)'\n', piece.Bytes[^1]));
        Assert.NotEqual((byte)'\n', pieces[^1].Bytes[^1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_ByteOrderMarkAlone_NoChunk(bool jsonLines) =>
        Assert.Empty(ReadAll(Utf8Bom, jsonLines ? RecordSyntax.JsonLines : RecordSyntax.Csv, 16));

    [Theory]
    [InlineData(false, new byte[] { 0xFF, 0xFE, (byte)'a', 0 })]
    [InlineData(false, new byte[] { 0xFE, 0xFF, 0, (byte)'a' })]
    [InlineData(false, new byte[] { 0xFF, 0xFE, 0, 0, (byte)'a', 0, 0, 0 })]
    [InlineData(false, new byte[] { 0, 0, 0xFE, 0xFF, 0, 0, 0, (byte)'a' })]
    [InlineData(true, new byte[] { 0xFF, 0xFE, (byte)'{', 0, (byte)'}', 0, (byte)'\n', 0 })]
    [InlineData(true, new byte[] { 0xFF, 0xFE })]
    public void TryRead_Utf16OrUtf32ByteOrderMark_ThrowsAtLine1(bool jsonLines, byte[] input)
    {
        var ex = Assert.Throws<DataFormatException>(() => ReadAll(input, jsonLines ? RecordSyntax.JsonLines : RecordSyntax.Csv, 16));

        Assert.Equal(1, ex.LineNumber);
        Assert.Equal("x", ex.FileName);
        Assert.Contains("UTF-", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A pipe that gives one byte a read.</summary>
    private sealed class OneByteAtATime(byte[] data) : ForwardOnlyReadStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            if (_position == data.Length || buffer.IsEmpty)
            {
                return 0;
            }
            buffer[0] = data[_position++];
            return 1;
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(37)]
    public void TryRead_NonSeekableStreamGivingOneByteARead_SameChunksAsAMemoryStream(int chunkBytes)
    {
        var file = MessyParticipation.Csv(TestProgramme.Build(seed: 4204, records: 100), seed: 23, rows: 60, bom: true);

        var trickled = ReadAll(new OneByteAtATime(file), RecordSyntax.Csv, chunkBytes);

        Assert.Equal(file[3..], Joined(trickled));
        Assert.Equal(CsvTokens.Records(file[3..]), CsvTokens.RecordsByChunk(trickled.Select(p => p.Bytes)));
        var jsonl = MessyParticipation.JsonLines(TestProgramme.Build(seed: 4204, records: 100), seed: 24, rows: 40);
        Assert.Equal(jsonl, Joined(ReadAll(new OneByteAtATime(jsonl), RecordSyntax.JsonLines, chunkBytes)));
    }

    /// <summary>
    /// Ten short records, then one of <paramref name="recordBytes"/> bytes (line end included) whose quoted field holds
    /// a <c>\n</c> and a <c>\r\n</c> near its start (within <see cref="Utf8CsvRecords.MaxQuotedFieldBytes"/>) and which
    /// ends in <c>\r\n</c>: three line ends; then five short records.
    /// </summary>
    private static (byte[] File, byte[] Long) CsvWithLongRecord(int recordBytes)
    {
        var before = Repeat("a,b\n", 10);
        var after = Repeat("c,d\r\n", 5);
        var filler = recordBytes - "x,\"\n\r\n\"\r\n".Length;
        var record = "x,\"\n\r\n" + new string('p', filler) + "\"\r\n";
        Assert.Equal(recordBytes, record.Length);
        return (Encoding.ASCII.GetBytes(before + record + after), Encoding.ASCII.GetBytes(record));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(1000)]
    [InlineData(1 << 20)]
    public void TryRead_RecordOf3MiBAmongShortOnes_IsTheLastChunk_NothingAfterItIsRead(int chunkBytes)
    {
        var (file, _) = CsvWithLongRecord(3 << 20);
        var stream = new CountingStream(file);

        var pieces = ReadAll(stream, RecordSyntax.Csv, chunkBytes);

        Assert.True(pieces[^1].TooLong);
        Assert.Single(pieces, p => p.TooLong);
        Assert.Equal(Encoding.ASCII.GetBytes(Repeat("a,b\n", 10)), Joined(pieces));
        Assert.True(stream.BytesRead <= (2 * RecordChunker.MaxRecordBytes) + chunkBytes, $"read {stream.BytesRead} bytes of a 3 MiB record");
    }

    [Theory]
    [InlineData(16)]
    [InlineData(1 << 20)]
    public void TryRead_RecordOneByteOver1MiB_IsTheLastChunk(int chunkBytes)
    {
        var (file, _) = CsvWithLongRecord(RecordChunker.MaxRecordBytes + 1);
        var json = Encoding.ASCII.GetBytes("{\"a\":\"b\"}\n{\"a\":\"" + new string('x', 3 << 20) + "\"}\n" + new string('y', 3 << 20));

        var pieces = ReadAll(file, RecordSyntax.Csv, chunkBytes);
        var lines = ReadAll(json, RecordSyntax.JsonLines, chunkBytes);

        Assert.True(pieces[^1].TooLong);
        Assert.True(lines[^1].TooLong);
        Assert.Equal("{\"a\":\"b\"}\n"u8.ToArray(), Joined(lines));
        Assert.All(pieces.Concat(lines), p => Assert.True(p.Bytes.Length <= RecordChunker.MaxRecordBytes));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(1 << 20)]
    public void TryRead_RecordOfExactly1MiB_HeldWhole(int chunkBytes)
    {
        var (file, record) = CsvWithLongRecord(RecordChunker.MaxRecordBytes);

        var pieces = ReadAll(file, RecordSyntax.Csv, chunkBytes);

        Assert.DoesNotContain(pieces, p => p.TooLong);
        Assert.Equal(file, Joined(pieces));
        Assert.Contains(pieces, p => p.Bytes.AsSpan().IndexOf(record) >= 0);
    }

    [Theory]
    [InlineData(16, "\n")]
    [InlineData(1 << 20, "\r\n")]
    public void TryRead_UnclosedQuote_EndsItsRecordAtItsOwnLineEnd_AndTheLinesAfterAreRecords(int chunkBytes, string lineBreak)
    {
        var rest = Repeat(new string('z', 999) + lineBreak, 3000);
        var file = Encoding.ASCII.GetBytes(Repeat("a,b\n", 3) + "x,\"" + rest);

        var pieces = ReadAll(file, RecordSyntax.Csv, chunkBytes);

        Assert.DoesNotContain(pieces, p => p.TooLong);
        Assert.Equal(file, Joined(pieces));
        var records = new Utf8CsvRecords();
        var lines = 0;
        var broken = 0;
        foreach (var piece in pieces)
        {
            records.Reset();
            while (records.Read(piece.Bytes))
            {
                lines++;
                broken += records.BrokenQuote ? 1 : 0;
            }
        }
        Assert.Equal(3 + 3000, lines);
        Assert.Equal(1, broken);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(1 << 20)]
    public void TryRead_JsonLineOf3MiB_IsTheLastChunk(int chunkBytes)
    {
        var file = Encoding.ASCII.GetBytes("{}\n{}\r\n" + "{\"a\":\"" + new string('x', 3 << 20) + "\"}\r\n{}\n{}");

        var pieces = ReadAll(file, RecordSyntax.JsonLines, chunkBytes);

        Assert.True(pieces[^1].TooLong);
        Assert.Equal("{}\n{}\r\n"u8.ToArray(), Joined(pieces));
    }

    [Theory]
    [InlineData("a\nb", 2)]
    [InlineData("a\r", 0)]
    [InlineData("a\r\nb\r", 3)]
    [InlineData("a\rb", 2)]
    [InlineData("\"a\nb", 0)]
    [InlineData("\"a\nb\"\nc", 6)]
    [InlineData("x\"a\nb", 4)]
    [InlineData("\"a\"\"\n", 0)]
    [InlineData("\"a\"", 0)]
    [InlineData("\"a\"\n\"", 4)]
    [InlineData("a,\"b\r\nc\"\r\nd,\"e\n", 10)]
    public void LastRecordEnd_Csv_AfterTheLastLineEndOutsideQuotesThatCanBeJudged(string data, int expected) =>
        Assert.Equal(expected, new RecordChunker(Stream.Null, RecordSyntax.Csv, null).LastRecordEnd(Encoding.ASCII.GetBytes(data)));

    [Theory]
    [InlineData("{\"a\":\"\r\"}\r\nb", 11)]
    [InlineData("{}", 0)]
    [InlineData("\n", 1)]
    public void LastRecordEnd_JsonLines_AfterTheLastLineFeed(string data, int expected) =>
        Assert.Equal(expected, new RecordChunker(Stream.Null, RecordSyntax.JsonLines, null).LastRecordEnd(Encoding.ASCII.GetBytes(data)));
}
