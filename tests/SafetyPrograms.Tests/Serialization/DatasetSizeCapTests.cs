using System.Globalization;
using System.Text;
using System.Xml.Linq;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Corpus;

namespace SafetyPrograms.Tests.Serialization;

/// <summary>
/// The dataset reader holds the whole document, so it refuses one larger than its cap with a
/// <see cref="DataFormatException"/>, counting the bytes it reads (never the stream's own Length) and reading at most
/// one byte past the cap.
/// </summary>
public class DatasetSizeCapTests
{
    private const int Cap = 1_000;

    private static readonly ProgrammeDatasetReadOptions Capped = new() { MaxDocumentBytes = Cap };

    private const string Document = "{\"schemaVersion\":\"1.0\",\"organisations\":[],\"partnerships\":[]}";

    /// <summary>A valid document padded with trailing white space to exactly <paramref name="length"/> bytes.</summary>
    private static byte[] DocumentOf(int length) => Encoding.UTF8.GetBytes(Document.PadRight(length));

    [Fact]
    public void Read_DocumentExactlyAtTheCap_IsRead()
    {
        using var stream = new ForwardOnlyStream(new MemoryStream(DocumentOf(Cap)));

        var dataset = ProgrammeDatasetJson.Read(stream, "at-cap.json", Capped);

        Assert.Empty(dataset.Organisations);
        Assert.Equal(Cap, stream.BytesRead);
    }

    [Fact]
    public void Read_NonSeekableDocumentOneByteOverTheCap_IsRefusedNamingFileLimitAndRemedy()
    {
        using var stream = new ForwardOnlyStream(new MemoryStream(DocumentOf(Cap + 1)));

        var ex = Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Read(stream, "big.json", Capped));

        Assert.Equal("big.json", ex.FileName);
        Assert.Equal("$", ex.Path);
        Assert.Null(ex.LineNumber);
        Assert.Contains("larger than 1,000 bytes", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("ProgrammeDatasetReadOptions.MaxDocumentBytes", ex.Reason, StringComparison.Ordinal);
        Assert.StartsWith("big.json, $: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EndlessStream_ReadsOneBytePastTheCapAndStops()
    {
        using var stream = new ForwardOnlyStream(GeneratingStream.Repeat(long.MaxValue, (byte)' ', Encoding.UTF8.GetBytes(Document)));

        Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Read(stream, "endless.json", Capped));

        Assert.Equal(Cap + 1, stream.BytesRead);
    }

    [Fact]
    public async Task ReadAsync_EndlessStream_ReadsOneBytePastTheCapAndStops()
    {
        using var stream = new ForwardOnlyStream(GeneratingStream.Repeat(long.MaxValue, (byte)' ', Encoding.UTF8.GetBytes(Document)));

        var ex = await Assert.ThrowsAsync<DataFormatException>(
            () => ProgrammeDatasetJson.ReadAsync(stream, "endless.json", Capped, CancellationToken.None));

        Assert.Equal("endless.json", ex.FileName);
        Assert.Equal(Cap + 1, stream.BytesRead);
    }

    [Fact]
    public async Task ReadAsync_DocumentExactlyAtTheCap_IsRead()
    {
        using var stream = new ForwardOnlyStream(new MemoryStream(DocumentOf(Cap)));

        var dataset = await ProgrammeDatasetJson.ReadAsync(stream, "at-cap.json", Capped, CancellationToken.None);

        Assert.Empty(dataset.Partnerships);
    }

    [Fact]
    public void Read_CapCountsTheByteOrderMark()
    {
        // The cap is on the file's bytes, as a user sees its size, not on the JSON after the mark.
        var withBom = Encoding.UTF8.GetPreamble().Concat(DocumentOf(Cap - 2)).ToArray();
        using var stream = new ForwardOnlyStream(new MemoryStream(withBom));

        Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Read(stream, "bom.json", Capped));
    }

    [Fact]
    public void Read_WithoutOptions_UsesTheDefaultCap()
    {
        using var stream = new ForwardOnlyStream(GeneratingStream.Repeat(long.MaxValue, (byte)' ', Encoding.UTF8.GetBytes(Document)));

        var ex = Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Read(stream, "endless.json"));

        Assert.Equal(ProgrammeDatasetReadOptions.DefaultMaxDocumentBytes + 1L, stream.BytesRead);
        Assert.Contains("larger than 256 MiB (268,435,456 bytes)", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultCap_Is256MiB_AndSaidSoInTheXmlDocs()
    {
        Assert.Equal(256 * 1024 * 1024, ProgrammeDatasetReadOptions.DefaultMaxDocumentBytes);
        Assert.Equal(ProgrammeDatasetReadOptions.DefaultMaxDocumentBytes, ProgrammeDatasetReadOptions.Default.MaxDocumentBytes);
        Assert.Equal(ProgrammeDatasetReadOptions.DefaultMaxDocumentBytes, new ProgrammeDatasetReadOptions().MaxDocumentBytes);

        var docs = XDocument.Load(Path.Combine(AppContext.BaseDirectory, "SafetyPrograms.xml"));
        string Summary(string member) =>
            docs.Descendants("member").Single(m => (string?)m.Attribute("name") == member).Element("summary")!.Value;
        var mib = (ProgrammeDatasetReadOptions.DefaultMaxDocumentBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MiB";
        Assert.Contains(mib, Summary("F:SafetyPrograms.Serialization.ProgrammeDatasetReadOptions.DefaultMaxDocumentBytes"), StringComparison.Ordinal);
        Assert.Contains(
            ProgrammeDatasetReadOptions.DefaultMaxDocumentBytes.ToString("N0", CultureInfo.InvariantCulture),
            Summary("F:SafetyPrograms.Serialization.ProgrammeDatasetReadOptions.DefaultMaxDocumentBytes"),
            StringComparison.Ordinal);
        Assert.Contains(mib, Summary("T:SafetyPrograms.Serialization.ProgrammeDatasetJson") + docs.Descendants("member")
            .Single(m => (string?)m.Attribute("name") == "T:SafetyPrograms.Serialization.ProgrammeDatasetJson").Element("remarks")!.Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void MaxDocumentBytes_OutOfRange_Throws(int bytes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProgrammeDatasetReadOptions { MaxDocumentBytes = bytes });

    [Fact]
    public void MaxDocumentBytes_Largest_IsAccepted() =>
        Assert.Equal(
            ProgrammeDatasetReadOptions.LargestMaxDocumentBytes,
            new ProgrammeDatasetReadOptions { MaxDocumentBytes = ProgrammeDatasetReadOptions.LargestMaxDocumentBytes }.MaxDocumentBytes);

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{\"a\":", "}")]
    public void Read_HostileNestingFromAStream_IsRefusedWithDataFormatException(string open, string close)
    {
        // 100,000 levels would overflow the stack of a recursive reader; the wrong shape or the depth limit (32) stops it first.
        const int Levels = 100_000;
        var json = string.Concat(Enumerable.Repeat(open, Levels)) + "1" + string.Concat(Enumerable.Repeat(close, Levels));
        using var stream = new ForwardOnlyStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));

        var ex = Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Read(stream, "deep.json"));

        Assert.Equal("deep.json", ex.FileName);
        Assert.Equal(1, ex.LineNumber);
    }

    /// <summary>
    /// A stream that cannot seek and will not say its length (as a network or pipe stream), counting the bytes it hands out.
    /// </summary>
    private sealed class ForwardOnlyStream(Stream inner) : ForwardOnlyReadStream
    {
        public long BytesRead { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            BytesRead += read;
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
