using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Aggregation;

public class IngestTests
{
    private static readonly Measure[] Measures =
        [Measure.Participations, Measure.UniqueBeneficiaries, Measure.Completions, Measure.MeanPreScore, Measure.MeanGain, Measure.Schools];

    private static GroupingTerm[] Terms => [Dimension.School, Dimension.Role, TimeBucket.Month, Dimension.AgeBand];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AppendCsv_SameAnswersAsRecords(bool shuffleColumns)
    {
        var p = TestProgramme.Build(seed: 81);
        var store = new ParticipationStore(p.Dataset);
        var report = store.AppendCsv(TestProgramme.Utf8(p.ToCsv(shuffleColumns: shuffleColumns)), "parts.csv");
        Assert.Equal(p.Records.Count, report.Read);
        Assert.Equal(p.Records.Count, report.Accepted);
        Reference.AssertSame(
            Reference.Rows(p.Store().Query().GroupBy(Terms).Measure(Measures).Run()),
            Reference.Rows(store.Query().GroupBy(Terms).Measure(Measures).Run()), tolerance: 0);
    }

    [Fact]
    public void AppendJsonLines_SameAnswersAsRecords()
    {
        var p = TestProgramme.Build(seed: 82);
        var store = new ParticipationStore(p.Dataset);
        var report = store.AppendJsonLines(TestProgramme.Utf8(p.ToJsonLines()), "parts.jsonl");
        Assert.Equal(p.Records.Count, report.Accepted);
        Assert.Equal(0, report.Rejected);
        Reference.AssertSame(
            Reference.Rows(p.Store().Query().GroupBy(Terms).Measure(Measures).Run()),
            Reference.Rows(store.Query().GroupBy(Terms).Measure(Measures).Run()), tolerance: 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Append_FromAFile_SizesTheColumnsFromTheFirstChunkInsteadOfDoubling(bool csv)
    {
        // Records of one length: the estimate samples the first chunk, and rows with a person's answers are longer.
        var p = TestProgramme.Build(seed: 87, records: 40_000, people: false);
        var bytes = System.Text.Encoding.UTF8.GetBytes(csv ? p.ToCsv() : p.ToJsonLines());
        var store = new ParticipationStore(p.Dataset);

        var report = csv
            ? SafetyPrograms.Ingest.CsvIngest.Append(store, new MemoryStream(bytes), "parts", chunkBytes: 64 * 1024, degree: 2)
            : SafetyPrograms.Ingest.JsonLinesIngest.Append(store, new MemoryStream(bytes), "parts", chunkBytes: 64 * 1024, degree: 2);

        Assert.Equal(p.Records.Count, report.Accepted);
        // Room for every record and at most 5% more (plus the estimate's sampling error), where doubling from 1,024 ends at 65,536.
        Assert.InRange(store.Capacity, store.Count, (int)(store.Count * 1.10));
    }

    [Fact]
    public void AppendCsv_FromAPipe_GrowsByDoubling()
    {
        var p = TestProgramme.Build(seed: 88, records: 40_000);
        var store = new ParticipationStore(p.Dataset);

        store.AppendCsv(new Pipe(System.Text.Encoding.UTF8.GetBytes(p.ToCsv())));

        Assert.Equal(65_536, store.Capacity);
    }

    [Fact]
    public void AppendCsv_BadLines_RejectedWithLineNumbersAndColumns()
    {
        var p = TestProgramme.Build(seed: 83, records: 3);
        var csv = p.ToCsv(people: false).Replace("\n", "\r\n", StringComparison.Ordinal)
            + "ben-1,act-nope,2024-01-01,student,female,10-14,online,true,,,\r\n"
            + "ben-1,act-1,2024-02-30,student,female,10-14,online,true,,,\r\n"
            + "ben-1,act-1,2024-01-01,pupil,female,10-14,online,true,,,\r\n"
            + "ben-1,act-1,2024-01-01,student,female,10-14,online,yes,,,\r\n"
            + "\r\n"
            + "ben-1,act-1,2024-01-01,student\r\n"
            + "ben 1,act-1,2024-01-01,student,female,10-14,online,true,,,\r\n"
            + "ben-1,act-1,2024-01-01,student,female,10-14,online,true,sch-nope,,\r\n"
            + "ben-1,act-1,2024-01-01,student,female,10-14,online,true,,1.23456,\r\n"
            + "ben-1,act-1,2024-01-01,student,female,10-14,online,true,,abc,\r\n"
            + "\"ben-9\",\"act-1\",2024-01-01,student,female,10-14,online,true,,7.5,8\r\n";
        var store = new ParticipationStore(p.Dataset);
        var report = store.AppendCsv(TestProgramme.Utf8("\uFEFF" + csv), "parts.csv");
        Assert.Equal(13, report.Read); // the blank line 9 is not a record
        Assert.Equal(4, report.Accepted);
        Assert.Equal(report.Read, report.Accepted + report.Rejected);
        Assert.Equal([5L, 6, 7, 8, 10, 11, 12, 13, 14], report.RejectedLines);
        Assert.Equal(["activity", "date", "role", "completed", "$", "beneficiary", "school", "preScore", "preScore"], report.Rejects.Select(r => r.Path));
        Assert.Equal("parts.csv", report.FileName);
        Assert.Equal(4, store.Count);
    }

    [Theory]
    [InlineData("beneficiary,activity,date,role,sex,ageBand,mode\n", "completed")]
    [InlineData("beneficiary,activity,date,role,sex,ageBand,mode,completed,colour\n", "colour")]
    [InlineData("beneficiary,activity,date,role,sex,ageBand,mode,completed,date\n", "date")]
    public void AppendCsv_BadHeader_Throws(string header, string column)
    {
        var p = TestProgramme.Build(seed: 84, records: 0);
        var ex = Assert.Throws<DataFormatException>(() => new ParticipationStore(p.Dataset).AppendCsv(TestProgramme.Utf8(header), "x.csv"));
        Assert.Equal(column, ex.Path);
        Assert.Equal(1, ex.LineNumber);
    }

    [Fact]
    public void AppendCsv_Empty_Throws()
    {
        var p = TestProgramme.Build(seed: 85, records: 0);
        Assert.Throws<DataFormatException>(() => new ParticipationStore(p.Dataset).AppendCsv(TestProgramme.Utf8(string.Empty)));
    }

    [Fact]
    public void AppendJsonLines_BadLines_RejectedWithReasons()
    {
        var p = TestProgramme.Build(seed: 86, records: 2);
        const string ok = "\"beneficiary\":\"b1\",\"activity\":\"act-1\",\"date\":\"2024-01-01\",\"role\":\"teacher\",\"sex\":\"male\",\"ageBand\":\"25-49\",\"mode\":\"hybrid\",\"completed\":true";
        var jsonl = p.ToJsonLines()
            + "{" + ok + ",\"colour\":\"red\"}\n"
            + "{" + ok + ",\"completed\":false}\n"
            + "{\"beneficiary\":\"b1\"}\n"
            + "{" + ok.Replace("true", "\"yes\"", StringComparison.Ordinal) + "}\n"
            + "{" + ok + ",\"preScore\":\"5\"}\n"
            + "[1,2]\n"
            + "{" + ok + "\n"
            + "{" + ok + "} {}\n"
            + "   \n"
            + "{" + ok + ",\"school\":null,\"preScore\":null,\"postScore\":4.5}\n"
            + "{" + ok.Replace("b1", "b\\u0032", StringComparison.Ordinal) + "}\n";
        var store = new ParticipationStore(p.Dataset);
        var report = store.AppendJsonLines(TestProgramme.Utf8(jsonl), "parts.jsonl");
        Assert.Equal(12, report.Read); // the blank line 11 is not a record
        Assert.Equal(4, report.Accepted);
        Assert.Equal([3L, 4, 5, 6, 7, 8, 9, 10], report.RejectedLines);
        Assert.Contains("colour", report.Rejects[0].Message, StringComparison.Ordinal);
        Assert.Equal("completed", report.Rejects[1].Path);
        Assert.Equal("activity", report.Rejects[2].Path);
        Assert.Equal("preScore", report.Rejects[4].Path);
        // b1 (lines 3 and 12) and b2 (escaped as b\u0032, line 13) on top of the generated records.
        Assert.Equal(
            p.Records.Select(r => r.Beneficiary).Distinct().Count() + 2,
            store.Query().Measure(Measure.UniqueBeneficiaries).Run().Rows[0].Count(Measure.UniqueBeneficiaries));
    }

    [Fact]
    public void Append_UnknownActivity_RejectedNotThrown()
    {
        var p = TestProgramme.Build(seed: 87, records: 0);
        var store = new ParticipationStore(p.Dataset);
        var record = new ParticipationRecord(
            new BeneficiaryKey("b"), new Id<Activity>("nope"), new NodaTime.LocalDate(2024, 1, 1), BeneficiaryRole.Student, Sex.Male,
            AgeBand.Age10To14, DeliveryMode.Online, true);
        var good = new ParticipationRecord(
            new BeneficiaryKey("b"), p.Dataset.Activities[0].Id, p.Dataset.Activities[0].Date, BeneficiaryRole.Student, Sex.Male,
            AgeBand.Age10To14, DeliveryMode.Online, true);
        var report = store.Append([record, good]);
        Assert.Equal([1L], report.RejectedLines);
        Assert.Equal(1, report.Accepted);
    }

    [Fact]
    public void Append_AfterQuery_NextQuerySeesEverything()
    {
        var p = TestProgramme.Build(seed: 88);
        var store = new ParticipationStore(p.Dataset);
        store.Append(p.Records.Take(1000));
        var first = store.Query().GroupBy(Dimension.District).Measure(Measure.UniqueBeneficiaries).Run();
        Reference.AssertSame(
            Reference.Compute(p, [Dimension.District], [Measure.UniqueBeneficiaries], r => p.Records.IndexOf(r) < 1000), Reference.Rows(first));
        store.AppendCsv(TestProgramme.Utf8(p.ToCsv(p.Records.Skip(1000))));
        var second = store.Query().GroupBy(Dimension.District).Measure(Measure.UniqueBeneficiaries).Run();
        Reference.AssertSame(Reference.Compute(p, [Dimension.District], [Measure.UniqueBeneficiaries]), Reference.Rows(second));
    }

    [Fact]
    public void Append_Records_HoldsEachRecordAndEachBeneficiaryOnce()
    {
        var p = TestProgramme.Build(seed: 89);

        var store = p.Store();

        Assert.Equal(p.Records.Count, store.Count);
        Assert.Equal(p.Records.Select(r => r.Beneficiary).Distinct().Count(), store.BeneficiaryCount);
        var total = Assert.Single(store.Query().Measure(Measure.Participations, Measure.UniqueBeneficiaries).Run().Rows);
        Assert.Equal((p.Records.Count, store.BeneficiaryCount), ((int)total.Count(Measure.Participations), (int)total.Count(Measure.UniqueBeneficiaries)));
    }

    /// <summary>A stream that cannot say how long it is, as a pipe.</summary>
    private sealed class Pipe(byte[] data) : ForwardOnlyReadStream
    {
        private readonly MemoryStream _inner = new(data);

        public override int Read(Span<byte> buffer) => _inner.Read(buffer);
    }
}
