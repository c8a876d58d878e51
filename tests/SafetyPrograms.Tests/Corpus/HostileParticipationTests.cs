using System.Text;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;
using static SafetyPrograms.Tests.Corpus.Hostile;

namespace SafetyPrograms.Tests.Corpus;

/// <summary>
/// Generated hostile participation streams, each between valid lines so that a reader which gave up early would
/// be caught: deep nesting, invalid UTF-8, unpaired surrogates, NUL bytes, enormous headers and rows, blank files.
/// Both paths (readers + validator, and the store's ingest) must account for every line or refuse the file with
/// <see cref="DataFormatException"/>.
/// </summary>
public sealed class HostileParticipationTests
{
    private static readonly byte[] InvalidUtf8 = [0xFF];

    private static readonly string SemicolonHeader = CsvHeader.TrimEnd().Replace(',', ';');

    /// <summary>Content; validator findings, read and accepted counts; the store's outcome (see <see cref="ParticipationOutcome"/>).</summary>
    private static readonly Dictionary<string, (Func<byte[]> Content, string[] Findings, long Read, long Accepted, string Ingest)> Cases = new()
    {
        ["nested arrays as a line.jsonl"] =
            (() => Utf8(JsonRecord() + DeepArray() + "\n" + JsonRecord()), ["SP8001 line 2 $"], 3, 2, "read 3 rejects 2"),
        ["nested arrays as a member.jsonl"] =
            (() => Utf8(JsonRecord() + "{\"beneficiary\":" + DeepArray() + "}\n" + JsonRecord()), ["SP8001 line 2 beneficiary"], 3, 2, "read 3 rejects 2"),
        ["nested objects as a line.jsonl"] =
            (() => Utf8(JsonRecord() + DeepObject() + "\n" + JsonRecord()), ["SP8001 line 2 a"], 3, 2, "read 3 rejects 2"),
        ["invalid UTF-8 in a value.jsonl"] =
            (() => Concat(Utf8(JsonRecord() + "{\"beneficiary\":\"k"), InvalidUtf8, Utf8("\"" + JsonRecordTail + JsonRecord())),
                ["SP8001 line 2 beneficiary"], 3, 2, "read 3 rejects 2"),
        ["NUL bytes as a line.jsonl"] =
            (() => Concat(Utf8(JsonRecord()), new byte[8], Utf8("\n" + JsonRecord())), ["SP8001 line 2 $"], 3, 2, "read 3 rejects 2"),
        ["empty.jsonl"] = (() => [], [], 0, 0, "read 0 rejects"),
        ["a byte order mark alone.jsonl"] = (() => Bom, [], 0, 0, "read 0 rejects"),
        // The reader skips blank lines; the store counts them as rejected (documented on AppendJsonLines).
        ["whitespace only.jsonl"] = (() => Utf8("  \n\t\n"), [], 0, 0, "read 0 rejects"),

        ["invalid UTF-8 in a value.csv"] =
            (() => Concat(Utf8(CsvHeader + CsvRow() + "k-"), InvalidUtf8, Utf8(CsvRowTail + CsvRow())), ["SP8001 line 3 beneficiary"], 3, 2, "read 3 rejects 3"),
        ["invalid UTF-8 in the header.csv"] =
            (() => Concat(Utf8("bene"), InvalidUtf8, Utf8("ficiary,activity,date,role,sex,ageBand,mode,completed\n" + CsvRow())),
                ["SP0001 line 1 (a value of 12 characters that is not text, not shown)"], 0, 0, "throws line 1 *"), // the path, a header name that is not text, is described: see the finding
        ["NUL bytes in a row.csv"] =
            (() => Concat(Utf8(CsvHeader + CsvRow()), new byte[8], Utf8(CsvRowTail + CsvRow())), ["SP8001 line 3 beneficiary"], 3, 2, "read 3 rejects 3"),
        ["empty.csv"] = (() => [], ["SP0001 line 1 $"], 0, 0, "throws line 1"),
        ["a byte order mark alone.csv"] = (() => Bom, ["SP0001 line 1 $"], 0, 0, "throws line 1"),
        ["whitespace only.csv"] = (() => Utf8("  \n \n"), ["SP0001 line 1 $"], 0, 0, "throws line 1 *"),
        ["a header of 70 columns.csv"] = (() => Utf8(Columns(70) + "\n" + CsvRow()), ["SP0001 line 1 c0"], 0, 0, "throws line 1 c0"),
        ["a header of 2,000 columns.csv"] = (() => Utf8(Columns(2000) + "\n" + CsvRow()), ["SP0001 line 1 $"], 0, 0, "throws line 1"),
        ["a row of 2,000 fields.csv"] =
            (() => Utf8(CsvHeader + CsvRow() + Columns(2000) + "\n" + CsvRow()), ["SP8001 line 3 $"], 3, 2, "read 3 rejects 3"),
        ["a 2 MB row.csv"] =
            (() => Utf8(CsvHeader + CsvRow() + new string('x', 2 << 20) + CsvRowTail + CsvRow()), ["SP8001 line 3 $", "SP0001 line 3 $"], 2, 1, "read 2 rejects 3 stopped"),
        ["a 2 MB line.jsonl"] =
            (() => Utf8(JsonRecord() + "{\"beneficiary\":\"" + new string('x', 2 << 20) + "\"" + JsonRecordTail + JsonRecord()),
                ["SP8001 line 2 $", "SP0001 line 2 $"], 2, 1, "read 2 rejects 2 stopped"),
        ["overflowing and underflowing scores.csv"] =
            (() => Utf8(CsvHeader
                + "k-1,a1,2024-02-10,student,female,10-14,inPerson,true,school-1,99999999999999999999999,1e400\n"
                + "k-2,a1,2024-02-10,student,female,10-14,inPerson,true,school-1,-99999999999999999999999999999999,\n"
                + CsvRow("k-3")),
                ["SP8001 line 2 postScore", "SP8001 line 3 preScore"], 3, 1, "read 3 rejects 2,3"),
        ["semicolon separated.csv"] =
            (() => Utf8((CsvHeader + CsvRow()).Replace(',', ';')), [$"SP0001 line 1 {SemicolonHeader}"], 0, 0, $"throws line 1 {SemicolonHeader}"),
        // Both paths read files alike (one tokenizer, one encoding check): \r line ends are taken; a padded header name
        // and a UTF-16 file are refused as a whole, at line 1.
        ["UTF-16.csv"] = (() => Concat([0xFF, 0xFE], Encoding.Unicode.GetBytes(CsvHeader + CsvRow())), ["SP0001 line 1 $"], 0, 0, "throws line 1 *"),
        ["UTF-16.jsonl"] =
            (() => Concat([0xFF, 0xFE], Encoding.Unicode.GetBytes(JsonRecord())), ["SP0001 line 1 $"], 0, 0, "throws line 1 *"),
        ["old Mac line ends.csv"] = (() => Utf8((CsvHeader + CsvRow() + CsvRow("k-2")).Replace('\n', '\r')), [], 2, 2, "read 2 rejects"),
        ["a padded header name.csv"] = (() => Utf8(CsvHeader.Replace("beneficiary,", "beneficiary ,", StringComparison.Ordinal) + CsvRow()), ["SP0001 line 1 beneficiary "], 0, 0, "throws line 1 *"),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public Task ValidateParticipation_HostileStream_AccountsForEveryLine(string name)
    {
        var (content, findings, read, accepted, _) = Cases[name];
        return ParticipationOutcome.AssertValidated(content(), name, findings, read, accepted);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public Task AppendToStore_HostileStream_AccountsForEveryLineOrThrowsDataFormatException(string name)
    {
        var (content, _, _, _, ingest) = Cases[name];
        return ParticipationOutcome.AssertIngested(content(), name, ingest);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public Task AppendToStoreAndValidate_HostileStream_RefuseTheSameLinesForTheSameReasons(string name)
    {
        var (content, findings, _, _, ingest) = Cases[name];
        return ingest.StartsWith("throws", StringComparison.Ordinal)
            ? Task.CompletedTask
            : ParticipationOutcome.AssertStoreRefusesAsValidator(content(), name, findings);
    }

    [Fact]
    public async Task AppendToStoreAndValidate_SeededMutatedStreams_RefuseTheSameLines()
    {
        // Valid-looking files with a few bytes flipped, dropped or doubled: wherever both read the file, the store
        // refuses exactly the lines the validator refuses, each for one of the validator's codes for that line.
        var dataset = Corpus.BaseDataset();
        var csv = File.ReadAllBytes(Corpus.PathOf("participation-bad-values.csv"));
        var jsonl = File.ReadAllBytes(Corpus.PathOf("participation-bad-lines.jsonl"));
        var random = new Random(1123);
        var compared = 0;
        await Corpus.Bounded(() =>
        {
            for (var run = 0; run < 300; run++)
            {
                var name = run % 2 == 0 ? "fuzz.csv" : "fuzz.jsonl";
                var content = HostileDatasetTests.Mutate(run % 2 == 0 ? csv : jsonl, random);
                var validated = Corpus.ValidateParticipation(dataset, new MemoryStream(content), name);
                if (validated.Participation!.StoppedEarly)
                {
                    continue; // the file as a whole is unreadable: the store throws, as its own tests say
                }
                var ingested = Corpus.IngestFile(dataset, new MemoryStream(content), name);
                var codes = validated.Findings.Where(f => f.Severity == FindingSeverity.Error && f.Line is not null)
                    .ToLookup(f => f.Line!.Value, f => f.Code);
                Assert.Equal(Corpus.RejectedLines(validated), ingested.RejectedLines);
                Assert.All(ingested.Rejects, r => Assert.Contains(r.Code, codes[r.LineNumber]));
                compared++;
            }
            return 0;
        });
        Assert.InRange(compared, 100, 300);
    }

    [Theory]
    [InlineData("invalid UTF-8 in a member name", "$")]
    [InlineData("an unpaired surrogate in a member name", "$")]
    [InlineData("an unpaired surrogate in a value", "beneficiary")]
    public Task ValidateParticipation_UndecodableJsonLine_RejectsThatLineOnly(string name, string path) =>
        ParticipationOutcome.AssertValidated(UndecodableJsonLines(name), name + ".jsonl", [$"SP8001 line 2 {path}"], 3, 2);

    [Theory]
    [InlineData("invalid UTF-8 in a member name")]
    [InlineData("an unpaired surrogate in a member name")]
    [InlineData("an unpaired surrogate in a value")]
    public Task AppendToStore_UndecodableJsonLine_RejectsThatLineOnly(string name) =>
        ParticipationOutcome.AssertIngested(UndecodableJsonLines(name), name + ".jsonl", "read 3 rejects 2");

    [Fact]
    public async Task ValidateParticipation_UndecodableJsonLine_SaysWhatIsWrong()
    {
        var report = await Corpus.Bounded(() => Corpus.ValidateParticipation(
            Corpus.BaseDataset(), new MemoryStream(UndecodableJsonLines("an unpaired surrogate in a member name")), "surrogate.jsonl"));

        Assert.Equal($"surrogate.jsonl: {JsonContractReader.UndecodableText}", Assert.Single(report.Findings).Message);
    }

    [Fact]
    public async Task ValidateParticipation_SeededRandomAndMutatedStreams_AccountForEveryLine()
    {
        // Random bytes and valid files with a few bytes flipped, dropped or doubled: every outcome is a report whose
        // counts add up, with findings from the participation rules or SP0001; never another exception.
        var dataset = Corpus.BaseDataset();
        var validator = new ParticipationValidator(dataset);
        var csv = File.ReadAllBytes(Corpus.PathOf("participation-bad-values.csv"));
        var jsonl = File.ReadAllBytes(Corpus.PathOf("participation-bad-lines.jsonl"));
        var random = new Random(1122);
        var codes = new HashSet<string>();
        await Corpus.Bounded(() =>
        {
            for (var run = 0; run < 400; run++)
            {
                var asCsv = run % 2 == 0;
                var content = run % 4 < 2 ? RandomBytes(run, random.Next(4096)) : HostileDatasetTests.Mutate(asCsv ? csv : jsonl, random);
                var lines = asCsv ? ParticipationCsv.Read(new MemoryStream(content), "fuzz.csv") : ParticipationJsonLines.Read(new MemoryStream(content), "fuzz.jsonl");
                var report = validator.Validate(lines);
                var counts = report.Participation!;
                Assert.Equal(counts.Rejected, Corpus.RejectedLines(report).Length);
                Assert.All(report.Findings, f => Assert.NotNull(ValidationRules.Find(f.Code)));
                codes.UnionWith(report.Findings.Select(f => f.Code));
            }
            return 0;
        });

        Assert.Contains("SP0001", codes);
        Assert.Contains("SP8001", codes);
    }

    private static byte[] UndecodableJsonLines(string name) => name switch
    {
        "invalid UTF-8 in a member name" => Concat(Utf8(JsonRecord() + "{\"be"), InvalidUtf8, Utf8("\":\"k\"" + JsonRecordTail + JsonRecord())),
        "an unpaired surrogate in a member name" => Utf8(JsonRecord() + "{\"\\ud800\":1}\n" + JsonRecord()),
        "an unpaired surrogate in a value" => Utf8(JsonRecord() + "{\"beneficiary\":\"\\ud800\"" + JsonRecordTail + JsonRecord()),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
