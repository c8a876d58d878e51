using System.Globalization;
using System.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// The parallel ingest is a single pass in disguise: however a file is cut into chunks and however many workers parse
/// them, the report (every count, line, reason, path and file) and the store (rows, numbering, answers) are those of
/// one chunk read by one thread; long records, broken streams and concurrent ingests keep it so.
/// </summary>
public sealed class ChunkedIngestTests
{
    private static readonly int[] ChunkSizes = [16, 17, 31, 64, 1000, 1 << 20];

    private static readonly int[] Degrees = [1, 2, 3, 4];

    /// <summary>Seed, byte order mark, how the file ends (an <see cref="Ending"/>).</summary>
    public static TheoryData<int, bool, string> Files => new()
    {
        { 11, true, nameof(Ending.NoLineEnd) },
        { 12, false, nameof(Ending.UnclosedQuote) },
        { 13, true, nameof(Ending.LineEnd) },
    };

    internal static byte[] File(bool csv, int seed, bool bom, string ending) =>
        csv
            ? Csv(Programme, seed, bom: bom, ending: Enum.Parse<Ending>(ending))
            : JsonLines(Programme, seed, bom: bom, ending: Enum.Parse<Ending>(ending));

    [Theory]
    [MemberData(nameof(Files))]
    public void AppendCsv_AnyChunkSizeAndWorkerCount_SameReportAndStoreAsOneChunkOnOneThread(int seed, bool bom, string ending) =>
        AssertChunkingInvisible(File(csv: true, seed, bom, ending), csv: true);

    [Theory]
    [MemberData(nameof(Files))]
    public void AppendJsonLines_AnyChunkSizeAndWorkerCount_SameReportAndStoreAsOneChunkOnOneThread(int seed, bool bom, string ending) =>
        AssertChunkingInvisible(File(csv: false, seed, bom, ending), csv: false);

    private static void AssertChunkingInvisible(byte[] file, bool csv)
    {
        var (expected, reference) = IngestFile(Programme, file, csv);
        // The file is messy enough to mean something: many rows of each outcome.
        Assert.InRange(expected.Accepted, 100, expected.Read - 30);
        Assert.InRange(expected.Rejects.Select(r => r.Path).Distinct().Count(), 5, 20);
        Assert.Equal(expected.Read, expected.Accepted + expected.Rejected);
        foreach (var chunkBytes in ChunkSizes)
        {
            foreach (var degree in Degrees)
            {
                var (report, store) = IngestFile(Programme, file, csv, chunkBytes, degree);
                AssertSameReport(expected, report);
                AssertSameStore(reference, store);
            }
        }
    }

    /// <summary>
    /// A record of <paramref name="recordBytes"/> bytes (its <c>\r\n</c> included) on line 4, whose quoted beneficiary
    /// holds two line breaks right after its opening quote, so it spans lines 4 to 6; bad rows on lines 7 and 10 prove
    /// later lines keep their numbers.
    /// </summary>
    private static byte[] CsvWithLongRecord(int recordBytes)
    {
        const string tail = ",act-1,2024-01-01,student,female,10-14,online,true,,,";
        var padding = recordBytes - tail.Length - "\"\"\r\n".Length - 2;
        var quoted = "\"\n\n" + new string('x', padding) + "\"";
        string[] lines =
        [
            CsvHeader,
            Row("ben-1"),
            Row("ben-2"),
            quoted + tail,
            Row("ben-3", date: "2024-02-30"),
            Row("ben-4"),
            string.Empty,
            Row("ben-5", role: "pupil"),
        ];
        var csv = string.Join("\r\n", lines) + "\r\n";
        Assert.Equal(recordBytes, Encoding.UTF8.GetByteCount(quoted + tail + "\r\n"));
        return Encoding.UTF8.GetBytes(csv);
    }

    [Theory]
    [InlineData(RecordChunker.MaxRecordBytes + 1, 16, 1)]
    [InlineData(RecordChunker.MaxRecordBytes + 1, 1 << 20, 3)]
    [InlineData(3 << 20, 64, 2)]
    [InlineData(3 << 20, 1 << 20, 1)]
    public void AppendCsv_RecordLongerThan1MiB_RejectedOnItsFirstLineAndReadingStops(int recordBytes, int chunkBytes, int degree)
    {
        var file = CsvWithLongRecord(recordBytes);

        var (report, store) = IngestFile(Programme, file, csv: true, chunkBytes, degree);

        Assert.Equal(3, report.Read);
        Assert.Equal(2, report.Accepted);
        Assert.Equal([4L], report.RejectedLines);
        Assert.Equal(RecordChunker.StoppedMessage, report.Rejects[0].Message);
        Assert.Equal("SP8001", report.Rejects[0].Code);
        Assert.True(report.StoppedEarly);
        Assert.False(report.IsClean);
        Assert.Equal(2, store.Count);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(1 << 20)]
    public void AppendCsv_RecordOfExactly1MiB_IsNotTooLong(int chunkBytes)
    {
        var file = CsvWithLongRecord(RecordChunker.MaxRecordBytes);

        var (report, _) = IngestFile(Programme, file, csv: true, chunkBytes, degree: 2);

        Assert.Equal([4L, 7, 10], report.RejectedLines);
        Assert.Equal("beneficiary", report.Rejects[0].Path); // read and refused for what it holds, not for its size
    }

    [Fact]
    public void AppendCsv_TooLongRecords_SameReasonAndPathWhateverTheirSize()
    {
        var (justOver, _) = IngestFile(Programme, CsvWithLongRecord(RecordChunker.MaxRecordBytes + 1), csv: true);
        var (farOver, _) = IngestFile(Programme, CsvWithLongRecord(3 << 20), csv: true);

        Assert.Equal(Describe(justOver), Describe(farOver));
    }

    [Theory]
    [InlineData(RecordChunker.MaxRecordBytes + 1000, 16)]
    [InlineData(3 << 20, 1 << 20)]
    public void AppendCsv_UnclosedQuoteRunningPast1MiB_RejectsItsOwnLineAndReadsEveryLineAfter(int length, int chunkBytes)
    {
        var text = new StringBuilder(CsvHeader + "\n" + Row("ben-1") + "\r\n" + Row("ben-2") + "\n" + "ben-3,\"act-1\n");
        var after = 0;
        while (text.Length < length)
        {
            text.Append(new string('x', 999)).Append('\n');
            after++;
        }

        var (report, store) = IngestFile(Programme, Encoding.UTF8.GetBytes(text.ToString()), csv: true, chunkBytes, degree: 2);

        Assert.Equal(3 + after, report.Read);
        Assert.Equal(4L, report.RejectedLines[0]);
        Assert.Equal("SP8015", report.Rejects[0].Code);
        Assert.Equal(after, report.RejectedByCode["SP8001"]); // each line after is a record of its own (one field)
        Assert.Equal(2, store.Count);
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(1 << 20, 2)]
    public void AppendCsv_StrayQuoteOnLine3_Then20000GoodLines_OnlyLine3IsRefused(int chunkBytes, int degree)
    {
        // The attack of issue 11: one stray quote at the start of a field used to swallow the rest of the file.
        var text = new StringBuilder(CsvHeader + "\n" + Row("ben-1") + "\n" + "\"ben-2,act-1,2024-01-01,student,female,10-14,online,true,,,\n");
        for (var i = 0; i < 20_000; i++)
        {
            text.Append(Row($"ben-{i + 10}")).Append('\n');
        }
        var file = Encoding.UTF8.GetBytes(text.ToString());

        var (report, store) = IngestFile(Programme, file, csv: true, chunkBytes, degree);
        var validated = new ParticipationValidator(Programme.Dataset).Validate(ParticipationCsv.Read(new MemoryStream(file), "stray.csv"));

        Assert.Equal(20_002, report.Read);
        Assert.Equal(20_001, report.Accepted);
        Assert.Equal([3L], report.RejectedLines);
        Assert.Equal("SP8015", report.Rejects[0].Code);
        Assert.Equal(20_001, store.Count);
        Assert.Equal(20_001, validated.Participation!.Accepted);
        Assert.Equal(["SP8015 line 3"], validated.Findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => $"{f.Code} line {f.Line}"));
    }

    [Theory]
    [InlineData(16, 3)]
    [InlineData(1 << 20, 1)]
    public void AppendJsonLines_LineLongerThan1MiB_RejectedOnItsLineAndReadingStops(int chunkBytes, int degree)
    {
        var good = Programme.ToJsonLines(Programme.Records.Take(2));
        var jsonl = good + "{\"beneficiary\":\"" + new string('x', 3 << 20) + "\"}\r\n" + good + "[1]\n" + good;

        var (report, _) = IngestFile(Programme, Encoding.UTF8.GetBytes(jsonl), csv: false, chunkBytes, degree);

        Assert.Equal(3, report.Read);
        Assert.Equal([3L], report.RejectedLines);
        Assert.Equal(RecordChunker.StoppedMessage, report.Rejects[0].Message);
        Assert.True(report.StoppedEarly);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(1 << 20)]
    public void AppendCsv_HeaderAfterAChunkOfBlankLines_ReadsTheHeader(int chunkBytes)
    {
        var csv = new string('\n', chunkBytes + 1) + CsvHeader + "\n" + Row("ben-1") + "\n";

        var (report, store) = IngestFile(Programme, Encoding.UTF8.GetBytes(csv), csv: true, chunkBytes);

        Assert.Equal(1, report.Accepted);
        Assert.Equal(1, store.Count);
        Assert.Empty(report.RejectedLines);
    }

    [Fact]
    public void AppendCsv_OldMacLineEndsWithAQuotedLineBreak_LaterRowsKeepTheirPhysicalLineNumbers()
    {
        var csv = CsvHeader + "\r\"a\rb\",act-1,2024-01-01,student,female,10-14,online,true,,,\r"
            + Row("ben-1", date: "2024-02-30") + "\r";

        var (report, _) = IngestFile(Programme, Encoding.UTF8.GetBytes(csv), csv: true);

        Assert.Equal([2L, 4], report.RejectedLines);
    }

    [Fact]
    public void AppendCsv_SameFileTwiceWithManyWorkers_SameStoreAsTwiceOnOneThread()
    {
        var file = Csv(Programme, seed: 14);
        var parallel = new ParticipationStore(Programme.Dataset);
        var sequential = new ParticipationStore(Programme.Dataset);
        var single = IngestFile(Programme, file, csv: true).Store;

        for (var pass = 0; pass < 2; pass++)
        {
            AssertSameReport(Append(sequential, file, csv: true), Append(parallel, file, csv: true, chunkBytes: 64, degree: 4));
        }

        AssertSameStore(sequential, parallel);
        Assert.Equal(2 * single.Count, parallel.Count);
        Assert.Equal(single.BeneficiaryCount, parallel.BeneficiaryCount); // the second pass meets only known beneficiaries
    }

    [Fact]
    public void Append_SeveralIngestsAtOnce_EachAsIfAlone()
    {
        // Workers keep tokenizers and scratch buffers per thread; ingests sharing the pool must not see each other's.
        var files = Enumerable.Range(0, 6).Select(i => (Csv: i % 2 == 0, File: i % 2 == 0 ? Csv(Programme, 30 + i) : JsonLines(Programme, 30 + i))).ToArray();
        var alone = files.Select(f => IngestFile(Programme, f.File, f.Csv)).ToArray();

        var together = files.AsParallel().AsOrdered().WithDegreeOfParallelism(3)
            .Select(f => IngestFile(Programme, f.File, f.Csv, chunkBytes: 64, degree: 3)).ToArray();

        for (var i = 0; i < files.Length; i++)
        {
            AssertSameReport(alone[i].Report, together[i].Report);
            AssertSameStore(alone[i].Store, together[i].Store);
        }
    }

    /// <summary>A pipe that breaks after <paramref name="length"/> bytes.</summary>
    private sealed class BreakingStream(byte[] data, int length) : ForwardOnlyReadStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            if (_position >= length)
            {
                throw new IOException("The pipe broke.");
            }
            var take = Math.Min(Math.Min(buffer.Length, length - _position), data.Length - _position);
            data.AsSpan(_position, take).CopyTo(buffer);
            _position += take;
            return take;
        }
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 4)]
    [InlineData(false, 4)]
    public void Append_StreamBreaksMidway_ItsExceptionSurfacesAfterTheWorkersStop(bool csv, int degree)
    {
        var file = csv ? Csv(Programme, seed: 40) : JsonLines(Programme, seed: 40);
        var store = new ParticipationStore(Programme.Dataset);

        var ex = Assert.Throws<IOException>(() => csv
            ? CsvIngest.Append(store, new BreakingStream(file, file.Length / 2), "broken.csv", chunkBytes: 64, degree)
            : JsonLinesIngest.Append(store, new BreakingStream(file, file.Length / 2), "broken.jsonl", chunkBytes: 64, degree));

        Assert.Equal("The pipe broke.", ex.Message);
        // The store stays usable: what was committed before the break answers queries, and appends go on.
        var before = store.Count;
        Assert.Equal(before, store.Query().Measure(Measure.Participations).Run().Rows.Sum(r => r.Count(Measure.Participations)));
        Append(store, file, csv);
        Assert.Equal(before + IngestFile(Programme, file, csv).Store.Count, store.Count);
    }

    [Fact]
    public void AppendCsv_MoreDistinctScoresThanTheStoreHolds_RowsPastTheLimitRefusedInFileOrderWhateverTheChunking()
    {
        // Scores are coded in 16 bits (code 0 = no score): 65,535 distinct values fit, the rows bringing more are refused.
        const int rows = 66_000;
        var text = new StringBuilder(CsvHeader + "\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(Row("ben-" + (i % 500).ToString(CultureInfo.InvariantCulture)).Replace(",,,", ",," + (i / 10_000m).ToString(CultureInfo.InvariantCulture) + ",", StringComparison.Ordinal)).Append('\n');
        }
        var file = Encoding.UTF8.GetBytes(text.ToString());

        var (expected, reference) = IngestFile(Programme, file, csv: true);
        var (report, store) = IngestFile(Programme, file, csv: true, chunkBytes: 1000, degree: 4);

        Assert.Equal(ushort.MaxValue, expected.Accepted);
        Assert.Equal(Enumerable.Range(ushort.MaxValue + 2, rows - ushort.MaxValue).Select(line => (long)line), expected.RejectedLines);
        Assert.All(expected.Rejects, r => Assert.Equal(("SP8013", "preScore"), (r.Code, r.Path)));
        AssertSameReport(expected, report);
        AssertSameStore(reference, store);
    }

    [Fact]
    public void AppendCsv_LineEndsAndQuotedFieldsAtEveryChunkOffset_ExactLineNumbers()
    {
        // Rows of growing length put each \r\n, lone \r and quoted line break at every offset of every chunk size.
        var text = new StringBuilder(CsvHeader + "\r\n");
        var expected = new List<long>();
        var line = 2L;
        for (var i = 0; i < 40; i++)
        {
            var beneficiary = "ben-" + new string('x', i);
            switch (i % 4)
            {
                case 0:
                    text.Append(Row(beneficiary, role: "pupil")).Append("\r\n");
                    expected.Add(line++);
                    break;
                case 1:
                    text.Append('"').Append(beneficiary).Append("\r\n\",act-1,2024-01-01,student,female,10-14,online,true,,,\r");
                    expected.Add(line);
                    line += 2;
                    break;
                case 2:
                    text.Append(Row(beneficiary)).Append("\r\r\n");
                    line += 2;
                    break;
                default:
                    text.Append(Row(beneficiary, date: "2024-02-30")).Append('\n');
                    expected.Add(line++);
                    break;
            }
        }
        var file = Encoding.UTF8.GetBytes(text.ToString());

        for (var chunkBytes = 16; chunkBytes <= 80; chunkBytes++)
        {
            var (report, store) = IngestFile(Programme, file, csv: true, chunkBytes, degree: 2);

            Assert.Equal(expected, report.RejectedLines);
            Assert.Equal(10, store.Count);
        }
    }
}
