using SafetyPrograms.Aggregation;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;
using Xunit.Abstractions;
using static SafetyPrograms.Tests.Corpus.Hostile;

namespace SafetyPrograms.Tests.Corpus;

/// <summary>
/// 100 MB inputs, generated as they are read (never held by the test): participation files must stream in memory
/// far below their size and count every line; a 100 MB line or value must be refused or read, not hang or
/// exhaust memory. Each case runs once; together they dominate the corpus run time.
/// </summary>
[Collection(MemoryMeasuringCollection.Name)]
public sealed class HugeInputTests(ITestOutputHelper output)
{
    private const long HundredMegabytes = 100L << 20;

    /// <summary>Every line of the generated CSV has this length, so the line count follows from the size.</summary>
    private static readonly int RowLength = CsvRow("k-0000000").Length;

    /// <summary>Line 1 is the header; data row <c>i</c> is line <c>i + 2</c>; every 100,000th row is dated 2024-02-30.</summary>
    private static readonly long Rows = (HundredMegabytes - CsvHeader.Length + RowLength - 1) / RowLength;

    private static readonly long[] BadLines = [.. Enumerable.Range(0, (int)(Rows / 100_000)).Select(k => ((k * 100_000L) + 99_999) + 2)];

    private static GeneratingStream HundredMegabyteCsv() =>
        new(CsvHeader.Length + (Rows * RowLength), (n, line) =>
        {
            if (n == 0)
            {
                return GeneratingStream.Put(line, 0, CsvHeader);
            }
            var row = n - 1;
            if (row >= Rows)
            {
                return -1;
            }
            // k-0000000 .. k-0009999: ten thousand beneficiaries, each written with the same width.
            var at = GeneratingStream.Put(line, 0, "k-");
            var key = row % 10_000;
            for (var divisor = 1_000_000; divisor > 0; divisor /= 10)
            {
                line[at++] = (byte)('0' + (key / divisor % 10));
            }
            return GeneratingStream.Put(line, at, row % 100_000 == 99_999 ? ",a1,2024-02-30" + CsvRowTail[14..] : CsvRowTail);
        });

    /// <summary>A valid line, a 100 MB beneficiary key on line 2, a valid line.</summary>
    private static GeneratingStream HundredMegabyteJsonLine() =>
        GeneratingStream.Repeat(HundredMegabytes, (byte)'x', Utf8(JsonRecord() + "{\"beneficiary\":\""), Utf8("\"" + JsonRecordTail + JsonRecord()));

    [Fact]
    public async Task ValidateParticipation_100MbCsv_StreamsInBoundedMemoryAndCountsEveryLine()
    {
        var validator = new ParticipationValidator(Corpus.BaseDataset());
        using var stream = HundredMegabyteCsv();
        long accepted = 0, peakHeap = 0;
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        var report = await Corpus.Bounded(() => validator.Validate(ParticipationCsv.Read(stream, "huge.csv"), _ =>
        {
            if (++accepted % 300_000 == 0)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: true));
            }
        }));

        Assert.Equal(stream.Length, stream.Position);
        Assert.Equal(Rows, report.Participation!.Read);
        Assert.Equal(Rows - BadLines.Length, report.Participation.Accepted);
        Assert.Equal(BadLines, Corpus.RejectedLines(report));
        Assert.All(report.Findings, f => Assert.Equal("SP8001 date", $"{f.Code} {f.Path}"));
        output.WriteLine($"{Rows:N0} rows; live heap grew by at most {(peakHeap - baseline) / 1e6:F1} MB");
        Assert.True(peakHeap - baseline < 16 << 20, $"The live heap grew by {(peakHeap - baseline) >> 20} MB while reading a 100 MB file.");
    }

    [Fact]
    public async Task AppendCsv_100MbStream_CountsEveryLineAndHoldsFarLessThanTheFile()
    {
        var store = new ParticipationStore(Corpus.BaseDataset());
        using var stream = HundredMegabyteCsv();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        var (report, allocated) = await Corpus.BoundedAndMeasured(() => store.AppendCsv(stream, "huge.csv"));
        var held = GC.GetTotalMemory(forceFullCollection: true) - baseline;

        Assert.Equal(stream.Length, stream.Position);
        Assert.Equal(Rows, report.Read);
        Assert.Equal(Rows - BadLines.Length, report.Accepted);
        Assert.Equal(BadLines, report.RejectedLines);
        Assert.Equal(report.Accepted, store.Count);
        output.WriteLine($"{Rows:N0} rows; store holds {held / 1e6:F1} MB, ingest allocated {allocated / 1e6:F1} MB");
        // The store keeps 16 bytes a record (1.5 million records, in arrays that double) and ten thousand keys; never the file.
        Assert.True(held < HundredMegabytes / 2, $"The store holds {held >> 20} MB after ingesting a 100 MB file.");
        Assert.True(allocated < 2 * HundredMegabytes, $"Ingesting a 100 MB file allocated {allocated >> 20} MB.");
        GC.KeepAlive(store);
    }

    [Fact]
    public async Task ValidateParticipation_JsonLineOf100Mb_IsRejectedAndReadingStops()
    {
        using var stream = HundredMegabyteJsonLine();

        var (report, allocated) = await Corpus.BoundedAndMeasured(() => ProgrammeValidator.ValidateParticipation(Corpus.BaseDataset(), ParticipationJsonLines.Read(stream, "huge.jsonl")));

        Assert.Equal(["SP8001 line 2 $", "SP0001 line 2 $"], report.Findings.Select(Corpus.Describe));
        Assert.Equal((2, 1, true), (report.Participation!.Read, report.Participation.Accepted, report.Participation.StoppedEarly));
        output.WriteLine($"allocated {allocated / 1e6:F1} MB");
        Assert.True(allocated < 16 << 20, $"Reading a 100 MB line allocated {allocated >> 20} MB.");
    }

    [Fact]
    public async Task ValidateParticipation_CsvRowOf100Mb_IsRejectedAndReadingStops()
    {
        using var stream = GeneratingStream.Repeat(HundredMegabytes, (byte)'x', Utf8(CsvHeader + CsvRow()), Utf8(CsvRowTail + CsvRow()));

        var (report, allocated) = await Corpus.BoundedAndMeasured(() => ProgrammeValidator.ValidateParticipation(Corpus.BaseDataset(), ParticipationCsv.Read(stream, "huge.csv")));

        Assert.Equal(["SP8001 line 3 $", "SP0001 line 3 $"], report.Findings.Select(Corpus.Describe));
        Assert.Equal((2, 1, true), (report.Participation!.Read, report.Participation.Accepted, report.Participation.StoppedEarly));
        output.WriteLine($"allocated {allocated / 1e6:F1} MB");
        Assert.True(allocated < 16 << 20, $"Reading a 100 MB row allocated {allocated >> 20} MB.");
    }

    [Fact]
    public async Task AppendJsonLines_LineOf100Mb_IsRejectedInBoundedMemory()
    {
        using var stream = HundredMegabyteJsonLine();

        var (report, allocated) = await Corpus.BoundedAndMeasured(() => new ParticipationStore(Corpus.BaseDataset()).AppendJsonLines(stream, "huge.jsonl"));

        Assert.Equal([2L], report.RejectedLines);
        Assert.Equal(2, report.Read);
        Assert.True(report.StoppedEarly);
        Assert.True(allocated < 16 << 20, $"Ingesting a 100 MB line allocated {allocated >> 20} MB.");
    }

    [Fact]
    public async Task ReadAsync_EndlessDataset_StopsWhenCancelled()
    {
        // Under the largest size cap a stream that never ends would be buffered for gigabytes; the caller's token is the
        // way out long before the cap (DatasetSizeCapTests shows the cap stopping it).
        using var endless = GeneratingStream.Repeat(long.MaxValue, (byte)' ', Utf8("{\"description\":\""));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var largestCap = new ProgrammeDatasetReadOptions { MaxDocumentBytes = ProgrammeDatasetReadOptions.LargestMaxDocumentBytes };

        var error = await Record.ExceptionAsync(() => ProgrammeDatasetJson.ReadAsync(endless, "endless.json", largestCap, cancel.Token).WaitAsync(Corpus.HangGuard));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
    }

    [Fact]
    public async Task Read_DatasetWithA100MbDescription_ReadsItWhole()
    {
        // The dataset reader holds the whole document by design (datasets are small); a 100 MB one is still read, not refused or cut.
        var prefix = Utf8(Dataset() [..^1] + ",\"description\":\"");
        using var stream = GeneratingStream.Repeat(HundredMegabytes, (byte)'x', prefix, Utf8("\"}"));

        var length = await Corpus.Bounded(() => ProgrammeDatasetJson.Read(stream, "huge.json").Description?.Length);

        Assert.Equal((int)HundredMegabytes - prefix.Length - 2, length);
    }
}

/// <summary>
/// Tests that read the process-wide heap size (<see cref="GC.GetTotalMemory(bool)"/>) run alone, after the parallel ones,
/// so that other tests' allocations cannot be mistaken for theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuringCollection
{
    public const string Name = "Memory-measuring tests";
}
