using System.Globalization;
using System.Text;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Aggregation.Ingest;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// The parallel ingest is a single pass in disguise: however a file is cut into chunks and however many workers parse
/// them, the report (every count, line, reason, path and file) and the store (rows, numbering, answers) are those of
/// one chunk read by one thread, and agree with the typed readers line by line.
/// </summary>
public sealed class ChunkedIngestTests
{
    private static readonly int[] ChunkSizes = [16, 17, 31, 64, 1000, 1 << 20];

    private static readonly int[] Degrees = [1, 2, 3, 4];

    private static readonly TestProgramme Programme = TestProgramme.Build(seed: 4101, records: 600);

    /// <summary>Seed, byte order mark, how the file ends (an <see cref="Ending"/>).</summary>
    public static TheoryData<int, bool, string> Files => new()
    {
        { 11, true, nameof(Ending.NoLineEnd) },
        { 12, false, nameof(Ending.UnclosedQuote) },
        { 13, true, nameof(Ending.LineEnd) },
    };

    private static byte[] File(bool csv, int seed, bool bom, string ending) =>
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
        var (expected, reference) = Ingest(Programme, file, csv);
        // The file is messy enough to mean something: many rows of each outcome.
        Assert.InRange(expected.Accepted, 100, expected.Read - 30);
        Assert.Equal(expected.Read, expected.Accepted + expected.Rejected);
        foreach (var chunkBytes in ChunkSizes)
        {
            foreach (var degree in Degrees)
            {
                var (report, store) = Ingest(Programme, file, csv, chunkBytes, degree);
                AssertSameReport(expected, report);
                AssertSameStore(reference, store);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void AppendCsv_MessyFile_ReadsAndRejectsTheLinesTheTypedReaderDoes(int seed, bool bom, string ending) =>
        AssertAsTypedReader(File(csv: true, seed, bom, ending), csv: true);

    [Theory]
    [MemberData(nameof(Files))]
    public void AppendJsonLines_MessyFile_ReadsAndRejectsTheLinesTheTypedReaderDoes(int seed, bool bom, string ending) =>
        AssertAsTypedReader(File(csv: false, seed, bom, ending), csv: false);

    private static void AssertAsTypedReader(byte[] file, bool csv)
    {
        var (read, rejected) = ExpectedFromTypedReader(Programme, file, csv);
        var (report, _) = Ingest(Programme, file, csv, chunkBytes: 31, degree: 3);
        Assert.Equal(read, report.Read);
        Assert.Equal(rejected, report.RejectedLines);
        Assert.Equal(rejected, report.Rejects.Select(r => r.LineNumber!.Value));
    }

    /// <summary>
    /// A record of <paramref name="recordBytes"/> bytes (its <c>\r\n</c> included) on line 4, whose quoted beneficiary
    /// holds two line breaks, so it spans lines 4 to 6; bad rows on lines 7 and 10 prove later lines keep their numbers.
    /// </summary>
    private static byte[] CsvWithLongRecord(int recordBytes)
    {
        const string tail = ",act-1,2024-01-01,student,female,10-14,online,true,,,";
        var padding = recordBytes - tail.Length - "\"\"\r\n".Length - 2;
        var quoted = "\"" + new string('x', padding / 2) + "\n" + new string('y', padding - (padding / 2)) + "\n\"";
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

    private static string Row(string beneficiary, string date = "2024-01-01", string role = "student") =>
        $"{beneficiary},act-1,{date},{role},female,10-14,online,true,,,";

    [Theory]
    [InlineData(RecordChunker.MaxRecordBytes + 1, 16, 1)]
    [InlineData(RecordChunker.MaxRecordBytes + 1, 1 << 20, 3)]
    [InlineData(3 << 20, 64, 2)]
    [InlineData(3 << 20, 1 << 20, 1)]
    public void AppendCsv_RecordLongerThan1MiB_RejectedOnItsFirstLineAndLaterLinesKeepTheirNumbers(int recordBytes, int chunkBytes, int degree)
    {
        var file = CsvWithLongRecord(recordBytes);

        var (report, store) = Ingest(Programme, file, csv: true, chunkBytes, degree);

        Assert.Equal(6, report.Read);
        Assert.Equal(3, report.Accepted);
        Assert.Equal([4L, 7, 10], report.RejectedLines);
        Assert.Equal(RecordChunker.TooLongMessage, report.Rejects[0].Reason);
        Assert.Equal("date", report.Rejects[1].Path);
        Assert.Equal("role", report.Rejects[2].Path);
        Assert.Equal(3, store.Count);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(1 << 20)]
    public void AppendCsv_RecordOfExactly1MiB_IsNotTooLong(int chunkBytes)
    {
        var file = CsvWithLongRecord(RecordChunker.MaxRecordBytes);

        var (report, _) = Ingest(Programme, file, csv: true, chunkBytes, degree: 2);

        Assert.Equal([4L, 7, 10], report.RejectedLines);
        Assert.Equal("beneficiary", report.Rejects[0].Path); // read and refused for what it holds, not for its size
    }

    [Fact(Skip = "BUG: a too-long record's reject names path '$' when it is under about 2 MiB (the tokenizer refuses it inside a chunk, "
        + "ChunkedIngest via RowError(..., \"$\")) but no path at all when the chunker skips it (ChunkedIngest.cs: report.Reject(line, "
        + "RecordChunker.TooLongMessage) passes no column). RecordChunker holds records up to its 2 MiB pool buffer instead of skipping "
        + "everything over MaxRecordBytes as its summary says. Repro: this test.")]
    public void AppendCsv_TooLongRecords_SameReasonAndPathWhateverTheirSize()
    {
        var (justOver, _) = Ingest(Programme, CsvWithLongRecord(RecordChunker.MaxRecordBytes + 1), csv: true);
        var (farOver, _) = Ingest(Programme, CsvWithLongRecord(3 << 20), csv: true);

        Assert.Equal(Describe(justOver), Describe(farOver));
    }

    [Theory]
    [InlineData(RecordChunker.MaxRecordBytes + 1000, 16)]
    [InlineData(3 << 20, 1 << 20)]
    public void AppendCsv_UnclosedQuoteRunningPast1MiB_OneRejectOnItsLineAfterTheGoodRows(int length, int chunkBytes)
    {
        var text = new StringBuilder(CsvHeader + "\n" + Row("ben-1") + "\r\n" + Row("ben-2") + "\n" + "ben-3,\"act-1");
        while (text.Length < length)
        {
            text.Append(new string('x', 999)).Append('\n');
        }

        var (report, store) = Ingest(Programme, Encoding.UTF8.GetBytes(text.ToString()), csv: true, chunkBytes, degree: 2);

        Assert.Equal(3, report.Read);
        Assert.Equal([4L], report.RejectedLines);
        Assert.Equal(2, store.Count);
    }

    [Theory]
    [InlineData(16, 3)]
    [InlineData(1 << 20, 1)]
    public void AppendJsonLines_LineLongerThan1MiB_RejectedOnItsLineAndLaterLinesKeepTheirNumbers(int chunkBytes, int degree)
    {
        var good = Programme.ToJsonLines(Programme.Records.Take(2));
        var jsonl = good + "{\"beneficiary\":\"" + new string('x', 3 << 20) + "\"}\r\n" + good + "[1]\n" + good;

        var (report, _) = Ingest(Programme, Encoding.UTF8.GetBytes(jsonl), csv: false, chunkBytes, degree);

        Assert.Equal(8, report.Read);
        Assert.Equal([3L, 6], report.RejectedLines);
        Assert.Equal(RecordChunker.TooLongMessage, report.Rejects[0].Reason);
    }

    [Theory(Skip = "BUG: CsvIngest.Append (src/SafetyPrograms/Aggregation/Ingest/CsvIngest.cs, line 34-37) looks for the header in the first "
        + "chunk only; when that chunk holds nothing but blank lines it throws 'The file is empty: a header row is required.' although the "
        + "header follows (the typed reader skips the blank lines and reads it). Public repro: AppendCsv of 1 MiB + 1 byte of \\n, then "
        + "the header and a row (default 1 MiB chunks). Fix: keep reading chunks while the tokenizer finds only blank lines, counting them.")]
    [InlineData(16)]
    [InlineData(64)]
    public void AppendCsv_HeaderAfterAChunkOfBlankLines_ReadsTheHeader(int chunkBytes)
    {
        var csv = new string('\n', 100) + CsvHeader + "\n" + Row("ben-1") + "\n";

        var (report, store) = Ingest(Programme, Encoding.UTF8.GetBytes(csv), csv: true, chunkBytes);

        Assert.Equal(1, report.Accepted);
        Assert.Equal(1, store.Count);
        Assert.Empty(report.RejectedLines);
    }

    [Fact(Skip = "BUG (minor; the typed reader CsvParser does the same): a lone \\r inside a quoted field is a physical line break in a "
        + "file with \\r line ends, but RecordScanner, Utf8CsvRecords and CsvParser count only \\n inside quotes, so every later line "
        + "number is one short. Repro: header\\r + row with beneficiary \"a\\rb\" (line 2-3) + row with a bad date: reported on line 3, physically line 4.")]
    public void AppendCsv_OldMacLineEndsWithAQuotedLineBreak_LaterRowsKeepTheirPhysicalLineNumbers()
    {
        var csv = CsvHeader + "\r\"a\rb\",act-1,2024-01-01,student,female,10-14,online,true,,,\r"
            + Row("ben-1", date: "2024-02-30") + "\r";

        var (report, _) = Ingest(Programme, Encoding.UTF8.GetBytes(csv), csv: true);

        Assert.Equal([2L, 4], report.RejectedLines);
    }

    [Fact]
    public void AppendCsv_SameFileTwiceWithManyWorkers_SameStoreAsTwiceOnOneThread()
    {
        var file = Csv(Programme, seed: 14);
        var parallel = new ParticipationStore(Programme.Dataset);
        var sequential = new ParticipationStore(Programme.Dataset);
        var single = Ingest(Programme, file, csv: true).Store;

        for (var pass = 0; pass < 2; pass++)
        {
            AssertSameReport(Append(sequential, file, csv: true), Append(parallel, file, csv: true, chunkBytes: 64, degree: 4));
        }

        AssertSameStore(sequential, parallel);
        Assert.Equal(2 * single.Count, parallel.Count);
        Assert.Equal(single.BeneficiaryCount, parallel.BeneficiaryCount); // the second pass meets only known beneficiaries
    }

    [Fact]
    public void Append_InMemoryRecordsWithNullsAndBadOnes_SameStoreAndReasonsAsTheSameRowsInCsv()
    {
        // More than 4096 records, so the in-memory path commits several batches.
        var p = TestProgramme.Build(seed: 4102, records: 5000);
        var rng = new Random(4103);
        var records = new List<ParticipationRecord?>();
        foreach (var r in p.Records)
        {
            records.Add(rng.Next(40) switch
            {
                0 => null,
                1 => new(r.Beneficiary, new Id<Activity>("act-nope"), r.Date, r.Role, r.Sex, r.AgeBand, r.Mode, r.Completed),
                2 => new(r.Beneficiary, r.Activity, r.Date, r.Role, r.Sex, r.AgeBand, r.Mode, r.Completed, new Id<School>("sch-nope")),
                3 => new(r.Beneficiary, r.Activity, new LocalDate(1999, 12, 31), r.Role, r.Sex, r.AgeBand, r.Mode, r.Completed),
                4 => new(r.Beneficiary, r.Activity, r.Date, r.Role, r.Sex, r.AgeBand, r.Mode, r.Completed, r.School, 1.23456m),
                _ => r,
            });
        }
        var fromRecords = new ParticipationStore(p.Dataset);
        var nonNull = records.OfType<ParticipationRecord>().ToList();

        var inMemory = fromRecords.Append(records.Cast<ParticipationRecord>());
        var (csv, fromCsv) = Ingest(p, Encoding.UTF8.GetBytes(p.ToCsv(nonNull)), csv: true, chunkBytes: 64, degree: 3);

        AssertSameStore(fromCsv, fromRecords);
        Assert.Equal(csv.Accepted, inMemory.Accepted);
        Assert.Equal(records.Count, inMemory.Read);
        long[] nullPositions = [.. records.Select((r, i) => (r, i)).Where(x => x.r is null).Select(x => (long)x.i + 1)];
        long[] nonNullPositions = [.. records.Select((r, i) => (r, i)).Where(x => x.r is not null).Select(x => (long)x.i + 1)];
        Assert.NotEmpty(nullPositions);
        // CSV line n (the header is line 1) holds the (n-1)-th non-null record.
        Assert.Equal(inMemory.RejectedLines.Except(nullPositions), csv.RejectedLines.Select(line => nonNullPositions[line - 2]));
        Assert.All(inMemory.Rejects.Where(r => nullPositions.Contains(r.LineNumber!.Value)), r => Assert.Equal("$", r.Path));
        Assert.Equal(
            inMemory.Rejects.Where(r => !nullPositions.Contains(r.LineNumber!.Value)).Select(r => r.Path),
            csv.Rejects.Select(r => r.Path));
        // Score reasons differ by path today: see Append_ScoresBeyondTheFastPath_AcceptedWhenHeldOrRefusedForTheirSize.
        Assert.Equal(
            inMemory.Rejects.Where(r => !nullPositions.Contains(r.LineNumber!.Value) && r.Path != "preScore").Select(r => r.Reason),
            csv.Rejects.Where(r => r.Path != "preScore").Select(r => r.Reason));
    }

    [Fact]
    public void AppendCsv_BlankLinesBeforeTheHeader_LaterLinesNumberedAsTheTypedReaderDoes()
    {
        var file = Encoding.UTF8.GetBytes("\r\n\n\r" + CsvHeader + "\r\n" + Row("ben-1") + "\n\n" + Row("ben-2", role: "pupil") + "\r" + Row("ben-3") + "\n");

        var (report, _) = Ingest(Programme, file, csv: true, chunkBytes: 1 << 20);

        Assert.Equal([7L], report.RejectedLines);
        var (read, rejected) = ExpectedFromTypedReader(Programme, file, csv: true);
        Assert.Equal(read, report.Read);
        Assert.Equal(rejected, report.RejectedLines);
    }

    [Theory]
    [InlineData("\"date\":\"2024\\u002d01\\u002d01\",\"role\":\"stud\\u0065nt\",\"school\":\"sch\\u002d3\"")]
    [InlineData("\"school\":\"sch\\u002d3\",\"date\":\"2024-01-01\",\"role\":\"student\"")]
    public void AppendJsonLines_EscapedSchoolAfterEscapedValuesOrBeforePlainOnes_Kept(string members) => AssertEscapedLineAccepted(members);

    [Theory(Skip = "BUG: JsonLinesIngest.ReadLine (src/SafetyPrograms/Aggregation/Ingest/JsonLinesIngest.cs, line 143-153) unescapes the school "
        + "AND every escaped date or enum name into the same scratch buffer (scratch[2]); the date/enum is copied out (ToArray) but the school "
        + "span is not, so an escaped school followed by an escaped date, role, sex, ageBand or mode is overwritten and the valid line is "
        + "rejected ('School '2024-' is not in the dataset.'); the typed reader accepts it. Repro: {\"beneficiary\":\"ben-1\",\"activity\":\"act-1\","
        + "\"school\":\"sch\\u002d3\",\"date\":\"2024\\u002d01\\u002d01\",...}. Fix: give school its own buffer (or copy it out too).")]
    [InlineData("\"school\":\"sch\\u002d3\",\"date\":\"2024\\u002d01\\u002d01\",\"role\":\"student\"")]
    [InlineData("\"school\":\"sch\\u002d3\",\"date\":\"2024-01-01\",\"role\":\"stud\\u0065nt\"")]
    public void AppendJsonLines_EscapedSchoolBeforeAnEscapedEnumOrDate_BothKept(string members) => AssertEscapedLineAccepted(members);

    /// <summary>A valid line with <paramref name="members"/> (a school sch-3 among them) is accepted, at that school.</summary>
    private static void AssertEscapedLineAccepted(string members)
    {
        var line = "{\"beneficiary\":\"ben-1\",\"activity\":\"act-1\"," + members
            + ",\"sex\":\"female\",\"ageBand\":\"10-14\",\"mode\":\"online\",\"completed\":true}\n";
        var file = Encoding.UTF8.GetBytes(line);
        var typed = Assert.Single(ParticipationJsonLines.Read(new MemoryStream(file), "typed.jsonl"));
        Assert.Equal("sch-3", typed.Record!.School!.Value.Value);

        var (report, store) = Ingest(Programme, file, csv: false);

        Assert.True(report.Accepted == 1, string.Join("; ", report.Rejects.Select(r => r.Message)));
        var school = Assert.Single(store.Query().GroupBy(Dimension.School).Measure(Measure.Participations).Run().Rows);
        Assert.Equal("sch-3", school.Keys[0]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Append_SeededMutatedLines_ReadsAndRejectsTheLinesTheTypedReaderDoes(bool csv)
    {
        // Valid lines with a few characters changed, dropped or doubled, from an alphabet that breaks values and syntax (no white
        // space: after a JSON number it is a known bug, see AppendJsonLines_WhiteSpaceAfterANumber_Accepted).
        const string alphabet = "0123456789-.:,\"{}[]\\eEtruflsn+aA_/u";
        var rng = new Random(csv ? 4401 : 4402);
        var text = new StringBuilder(csv ? CsvHeader + "\n" : string.Empty);
        foreach (var record in Programme.Records.Concat(Programme.Records))
        {
            var line = new StringBuilder(csv ? Programme.ToCsv([record]).Split('\n')[1] : Programme.ToJsonLines([record]).TrimEnd('\n'));
            // CSV scores are left alone: the readers disagree on forms like ".25" (see the score tests below).
            var mutable = csv ? line.ToString().Split(',')[..9].Sum(field => field.Length + 1) : line.Length;
            for (var m = rng.Next(5); m > 0; m--)
            {
                var at = rng.Next(Math.Min(mutable, line.Length));
                switch (rng.Next(3))
                {
                    case 0: line[at] = alphabet[rng.Next(alphabet.Length)]; break;
                    case 1: line.Remove(at, 1); break;
                    default: line.Insert(at, line[at]); break;
                }
            }
            text.Append(line).Append('\n');
        }
        var file = Encoding.UTF8.GetBytes(text.ToString());
        var (read, rejected) = ExpectedFromTypedReader(Programme, file, csv);

        var (report, _) = Ingest(Programme, file, csv, chunkBytes: 1000, degree: 2);

        Assert.Equal(read, report.Read);
        var lines = text.ToString().Split('\n');
        Assert.True(
            rejected.SequenceEqual(report.RejectedLines),
            string.Join("\n", rejected.Except(report.RejectedLines).Select(l => "typed only: " + lines[l - 1])
                .Concat(report.RejectedLines.Except(rejected).Select(l => "store only: " + lines[l - 1] + " " + report.Rejects.First(r => r.LineNumber == l).Reason))));
    }


    private static byte[] CsvWithPreScore(string score) =>
        Encoding.UTF8.GetBytes(CsvHeader + "\n" + Row("ben-1").Replace(",,,", ",," + score + ",", StringComparison.Ordinal) + "\n");

    private static byte[] JsonLineWithPreScore(string score) =>
        Encoding.UTF8.GetBytes(Programme.ToJsonLines([Programme.Records.First(r => r.PreScore is null)]).Replace("}\n", ",\"preScore\":" + score + "}\n", StringComparison.Ordinal));

    [Theory]
    [InlineData("1.2345", true)]
    [InlineData("-0.5", true)]
    [InlineData("00012", true)]
    [InlineData("1E2", true)]
    [InlineData("1e-2", true)]
    [InlineData("", true)]
    [InlineData("abc", false)]
    [InlineData("1,5", false)]
    public void AppendCsv_Scores_AcceptedOrRefusedAsTheTypedReaderDoes(string score, bool accepted)
    {
        var file = CsvWithPreScore(score);
        var (_, typedRejected) = ExpectedFromTypedReader(Programme, file, csv: true);

        var (report, _) = Ingest(Programme, file, csv: true);

        Assert.Equal(accepted ? 1 : 0, report.Accepted);
        Assert.Equal(typedRejected, report.RejectedLines);
    }

    [Theory(Skip = "BUG: FieldParser.Score (src/SafetyPrograms/Aggregation/Ingest/FieldParser.cs, line 108) falls back to Utf8Parser.TryParse "
        + "with format 'E', which refuses any number without an exponent; so every number the fast path (at most 11 digits, 4 decimals) cannot "
        + "take is 'not a number' in CSV and JSON Lines: 0.50000 (a valid JSON number the store can hold) is rejected, which the typed readers "
        + "and the in-memory path accept; and 1.23456 or 123456789012 get 'The pre score must be a number.' instead of 'at most 4 decimal "
        + "places and at most 1e9' (FieldParser's own summary and the in-memory path). Repro: a CSV row or JSON line with preScore 0.50000.")]
    [InlineData("0.50000", true, null)]
    [InlineData("12.000000", true, null)]
    [InlineData("1.23456", false, "The pre score must have at most 4 decimal places and be at most 1e9 in size.")]
    [InlineData("123456789012", false, "The pre score must have at most 4 decimal places and be at most 1e9 in size.")]
    public void Append_ScoresBeyondTheFastPath_AcceptedWhenHeldOrRefusedForTheirSize(string score, bool accepted, string? reason)
    {
        foreach (var (file, csv) in new[] { (CsvWithPreScore(score), true), (JsonLineWithPreScore(score), false) })
        {
            var (report, _) = Ingest(Programme, file, csv);

            Assert.Equal(accepted ? 1 : 0, report.Accepted);
            Assert.Equal(reason, report.Rejects.SingleOrDefault()?.Reason);
        }
    }

    [Theory(Skip = "DISAGREEMENT (decide which side): ParticipationCsv.Read parses scores with decimal.TryParse (leading sign, point, "
        + "exponent), so it accepts '+5', '.25', '-.5' and '4.'; the store's ingest refuses them as not numbers (they are not JSON numbers, and "
        + "the contract says values are exactly as in JSON). The two paths should count such a file alike.")]
    [InlineData("+5")]
    [InlineData(".25")]
    [InlineData("-.5")]
    [InlineData("4.")]
    public void AppendCsv_ScoreFormsTheTypedReaderTakes_SameOutcomeInTheStore(string score)
    {
        var file = CsvWithPreScore(score);
        var (_, typedRejected) = ExpectedFromTypedReader(Programme, file, csv: true);

        var (report, _) = Ingest(Programme, file, csv: true);

        Assert.Equal(typedRejected, report.RejectedLines);
    }

    [Theory]
    [InlineData("1000000000")]
    [InlineData("-1000000000")]
    [InlineData("999999999.9999")]
    public void Append_ScoreOfAtMost1e9_AcceptedOnEveryPath(string score)
    {
        var record = Programme.Records[0];
        var inMemory = new ParticipationStore(Programme.Dataset).Append([Copy(record, record.Date, decimal.Parse(score, CultureInfo.InvariantCulture))]);

        Assert.Equal(1, inMemory.Accepted);
        Assert.Equal(1, Ingest(Programme, CsvWithPreScore(score), csv: true).Report.Accepted);
        Assert.Equal(1, Ingest(Programme, JsonLineWithPreScore(score), csv: false).Report.Accepted);
    }

    [Theory(Skip = "BUG: FieldParser.Score's fast path (src/SafetyPrograms/Aggregation/Ingest/FieldParser.cs, lines 77-105) takes up to 11 "
        + "integer digits and never checks the store's limit (ParticipationStore.MaxScaledScore, 1e9), so CSV and JSON Lines accept a score of "
        + "1000000001 or 99999999999 that the in-memory path refuses ('at most 1e9 in size'); the limit exists to keep score sums far from "
        + "overflow. Repro: a CSV row with preScore 1000000001 is accepted.")]
    [InlineData("1000000001")]
    [InlineData("-99999999999")]
    public void Append_ScoreOver1e9_RefusedOnEveryPath(string score)
    {
        var record = Programme.Records[0];
        var inMemory = new ParticipationStore(Programme.Dataset).Append([Copy(record, record.Date, decimal.Parse(score, CultureInfo.InvariantCulture))]);

        Assert.Equal(0, inMemory.Accepted);
        Assert.Equal(0, Ingest(Programme, CsvWithPreScore(score), csv: true).Report.Accepted);
        Assert.Equal(0, Ingest(Programme, JsonLineWithPreScore(score), csv: false).Report.Accepted);
    }

    [Theory(Skip = "BUG: JsonLinesIngest.TryReadCompactLine (src/SafetyPrograms/Aggregation/Ingest/JsonLinesIngest.cs, lines 233-256) takes a "
        + "number up to the next ',' or '}' and keeps white space after it ('5 '), which FieldParser.Score then calls not a number; the line is "
        + "valid JSON (the typed reader accepts it) and should go to the general reader. Repro: {...,\"preScore\":5 }.")]
    [InlineData("5 ")]
    [InlineData("5\t")]
    [InlineData("9.7\r")]
    public void AppendJsonLines_WhiteSpaceAfterANumber_Accepted(string score)
    {
        var file = JsonLineWithPreScore(score);
        var (_, typedRejected) = ExpectedFromTypedReader(Programme, file, csv: false);
        Assert.Empty(typedRejected);

        Assert.Equal(1, Ingest(Programme, file, csv: false).Report.Accepted);
    }

    [Fact]
    public void AppendJsonLines_WhiteSpaceBeforeAValue_Accepted()
    {
        var file = JsonLineWithPreScore(" 5");

        Assert.Equal(1, Ingest(Programme, file, csv: false).Report.Accepted);
    }

    [Theory(Skip = "BUG: ParticipationStore.Append(IEnumerable<ParticipationRecord>) throws ArgumentOutOfRangeException (from "
        + "LocalDate.ToDateOnly in RowParser.Add, src/SafetyPrograms/Aggregation/Ingest/RowParser.cs line 83) for a record dated before "
        + "0001-01-01, which ParticipationRecord allows and ParticipationCsv.Read produces from '0000-01-01'; it should be rejected like any "
        + "date outside 2000-01-01..2179-06-06. Repro: Append([record with Date = new LocalDate(0, 1, 1)]).")]
    [InlineData(0)]
    [InlineData(-5)]
    public void Append_RecordDatedBeforeYear1_RejectedNotThrown(int year)
    {
        var record = Programme.Records[0];

        var report = new ParticipationStore(Programme.Dataset).Append([Copy(record, new LocalDate(year, 1, 1), null)]);

        Assert.Equal([1L], report.RejectedLines);
        Assert.Equal("date", report.Rejects[0].Path);
    }

    [Fact]
    public void Append_SeveralIngestsAtOnce_EachAsIfAlone()
    {
        // Workers keep tokenizers and scratch buffers per thread; ingests sharing the pool must not see each other's.
        var files = Enumerable.Range(0, 6).Select(i => (Csv: i % 2 == 0, File: i % 2 == 0 ? Csv(Programme, 30 + i) : JsonLines(Programme, 30 + i))).ToArray();
        var alone = files.Select(f => Ingest(Programme, f.File, f.Csv)).ToArray();

        var together = files.AsParallel().AsOrdered().WithDegreeOfParallelism(3)
            .Select(f => Ingest(Programme, f.File, f.Csv, chunkBytes: 64, degree: 3)).ToArray();

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
        Assert.Equal(before + Ingest(Programme, file, csv).Store.Count, store.Count);
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

        var (expected, reference) = Ingest(Programme, file, csv: true);
        var (report, store) = Ingest(Programme, file, csv: true, chunkBytes: 1000, degree: 4);

        Assert.Equal(ushort.MaxValue, expected.Accepted);
        Assert.Equal(Enumerable.Range(ushort.MaxValue + 2, rows - ushort.MaxValue).Select(line => (long)line), expected.RejectedLines);
        Assert.All(expected.Rejects, r => Assert.Equal(("preScore", "The store holds at most 65,535 distinct score values."), (r.Path, r.Reason)));
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
            var (report, store) = Ingest(Programme, file, csv: true, chunkBytes, degree: 2);

            Assert.Equal(expected, report.RejectedLines);
            Assert.Equal(10, store.Count);
        }
    }
}
