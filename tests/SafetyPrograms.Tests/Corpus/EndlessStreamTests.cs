using System.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;
using static SafetyPrograms.Tests.Corpus.Hostile;

namespace SafetyPrograms.Tests.Corpus;

/// <summary>
/// Streams that never end, records that never end and files that are not text: every reader stops with a clear error,
/// never hangs, never overflows, never prints the input's bytes. Each test runs under <see cref="Corpus.HangGuard"/>.
/// </summary>
public class EndlessStreamTests
{
    /// <summary>A CSV header and one good row, then <paramref name="value"/> forever: a record with no end.</summary>
    private static GeneratingStream RecordWithNoEnd(byte value) =>
        GeneratingStream.Repeat(long.MaxValue, value, Utf8(CsvHeader + CsvRow()));

    /// <summary>A CSV header, then good rows forever, each with its own key.</summary>
    private static GeneratingStream EndlessGoodRows() =>
        new(long.MaxValue, (n, span) => Encoding.ASCII.GetBytes(n == 0 ? CsvHeader : CsvRow($"k-{n}"), span));

    [Theory]
    [InlineData((byte)0)]
    [InlineData((byte)'x')]
    [InlineData((byte)'"')]
    public async Task AppendCsv_RecordWithNoEnd_RefusedOnItsLine_ReadingStopsAfterAboutOneMiB(byte value)
    {
        using var stream = RecordWithNoEnd(value);

        var report = await Corpus.Bounded(() => new ParticipationStore(Corpus.BaseDataset()).AppendCsv(stream, "zeros.csv"));

        Assert.Equal((2L, 1L), (report.Read, report.Accepted));
        Assert.Equal([3L], report.RejectedLines);
        Assert.True(report.StoppedEarly);
        Assert.Equal(RecordChunker.StoppedMessage, report.Rejects[0].Message);
        Assert.True(stream.Position <= 3 * RecordChunker.MaxRecordBytes, $"read {stream.Position} bytes");
    }

    [Fact]
    public async Task ValidateParticipation_RecordWithNoEnd_RefusedThenStopped()
    {
        using var stream = RecordWithNoEnd((byte)'x');

        var report = await Corpus.Bounded(() => new ParticipationValidator(Corpus.BaseDataset()).Validate(ParticipationCsv.Read(stream, "endless.csv")));

        Assert.Equal(["SP8001 line 3 $", "SP0001 line 3 $"], report.Findings.Select(Corpus.Describe));
        Assert.True(report.Participation!.StoppedEarly);
    }

    [Fact]
    public async Task AppendJsonLines_LineWithNoEnd_RefusedOnItsLine_ReadingStops()
    {
        using var stream = GeneratingStream.Repeat(long.MaxValue, (byte)' ', Utf8(JsonRecord()));

        var report = await Corpus.Bounded(() => new ParticipationStore(Corpus.BaseDataset()).AppendJsonLines(stream, "endless.jsonl"));

        Assert.Equal([2L], report.RejectedLines);
        Assert.True(report.StoppedEarly);
    }

    [Fact]
    public async Task AppendCsv_EndlessGoodRows_StopAtTheRecordLimit_WithSP8016()
    {
        using var stream = EndlessGoodRows();
        var store = new ParticipationStore(Corpus.BaseDataset()) { MaxRecords = 5000 };

        var report = await Corpus.Bounded(() => store.AppendCsv(stream, "endless.csv"));

        Assert.Equal((5001L, 5000L), (report.Read, report.Accepted));
        Assert.Equal([5002L], report.RejectedLines);
        Assert.Equal(ValidationRules.RecordBeyondLimit.Code, report.Rejects[0].Code);
        Assert.True(report.StoppedEarly);
        Assert.Equal(5000, store.Count);
    }

    [Fact]
    public async Task AppendCsv_AStoreAtItsLimit_RefusesTheNextAppendsFirstRow()
    {
        var store = new ParticipationStore(Corpus.BaseDataset()) { MaxRecords = 3 };
        var rows = Utf8(CsvHeader + CsvRow("k-1") + CsvRow("k-2"));
        await Corpus.Bounded(() => store.AppendCsv(new MemoryStream(rows), "a.csv"));

        var second = await Corpus.Bounded(() => store.AppendCsv(new MemoryStream(rows), "b.csv"));

        Assert.Equal(1, second.Accepted);
        Assert.Equal([3L], second.RejectedLines);
        Assert.Equal("SP8016", second.Rejects[0].Code);
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public async Task ValidateParticipation_EndlessGoodRows_StopAtTheRecordLimit_WithSP8016()
    {
        using var stream = EndlessGoodRows();
        var validator = new ParticipationValidator(Corpus.BaseDataset()) { MaxRecords = 5000 };

        var report = await Corpus.Bounded(() => validator.Validate(ParticipationCsv.Read(stream, "endless.csv")));

        Assert.Equal((5001L, 5000L, true), (report.Participation!.Read, report.Participation.Accepted, report.Participation.StoppedEarly));
        Assert.Equal(["SP8016 line 5002 $"], report.Findings.Where(f => f.Severity == FindingSeverity.Error).Select(Corpus.Describe));
    }

    [Fact]
    public async Task AppendCsv_EndlessGoodRows_StopAtTheMemoryBound_NeverPastIt()
    {
        using var stream = EndlessGoodRows();
        const long Bound = 64 << 10;
        var store = new ParticipationStore(Corpus.BaseDataset()) { MemoryBound = Bound };

        var report = await Corpus.Bounded(() => store.AppendCsv(stream, "endless.csv"));

        Assert.True(report.StoppedEarly);
        Assert.Equal("SP8016", Assert.Single(report.Rejects).Code);
        Assert.Equal(report.Accepted + 2, report.RejectedLines[0]); // the header, then every row up to the refused one
        Assert.True(store.Count > 0);
        Assert.True(store.Capacity * 16L <= Bound, $"columns of {store.Capacity} records");
    }

    [Fact]
    public async Task AppendCsv_EndlessStream_StopsWhenCancelled()
    {
        using var stream = EndlessGoodRows();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var store = new ParticipationStore(Corpus.BaseDataset());

        var error = await Record.ExceptionAsync(() => Task.Run(() => store.AppendCsv(stream, "endless.csv", cancel.Token)).WaitAsync(Corpus.HangGuard));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.True(store.Count > 0); // the chunks before cancellation stay, in file order
    }

    public static TheoryData<string, byte[]> BinaryFiles => new()
    {
        { "gzip", [0x1F, 0x8B, 0x08, 0x00, .. Utf8("SECRET-0300-1234567")] },
        { "zip", [(byte)'P', (byte)'K', 0x03, 0x04, .. Utf8("SECRET-0300-1234567")] },
        { "Parquet", [.. Utf8("PAR1SECRET-0300-1234567"), 0x00, 0x15] },
        { "NUL", [.. Utf8("beneficiary,SECRET-0300-1234567"), 0x00, 0x00, .. Utf8("\n" + CsvRow())] },
        { "/dev/zero", new byte[1 << 16] },
    };

    [Theory]
    [MemberData(nameof(BinaryFiles))]
    public async Task EveryReader_BinaryFile_RefusedAtLine1_WithoutPrintingItsBytes(string kind, byte[] file)
    {
        var errors = new List<Exception?>
        {
            await Record.ExceptionAsync(() => Corpus.Bounded(() => new ParticipationStore(Corpus.BaseDataset()).AppendCsv(new MemoryStream(file), "p.csv"))),
            await Record.ExceptionAsync(() => Corpus.Bounded(() => new ParticipationStore(Corpus.BaseDataset()).AppendJsonLines(new MemoryStream(file), "p.jsonl"))),
            await Record.ExceptionAsync(() => Corpus.Bounded(() => ParticipationCsv.Read(new MemoryStream(file), "p.csv").ToList())),
            await Record.ExceptionAsync(() => Corpus.Bounded(() => ParticipationJsonLines.Read(new MemoryStream(file), "p.jsonl").ToList())),
        };

        Assert.All(errors, error =>
        {
            var format = Assert.IsType<DataFormatException>(error);
            Assert.Equal(1, format.LineNumber);
            Assert.Contains("not text", format.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRET", format.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(format.Message, c => char.IsControl(c) || c == '\uFFFD');
        });
        Assert.NotNull(kind);
    }
}
