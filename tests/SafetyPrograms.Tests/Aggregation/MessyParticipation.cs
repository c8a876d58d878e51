using System.Globalization;
using System.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Indexing;
using SafetyPrograms.Ingest;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// Seeded participation files as real exports arrive: good rows among bad rows of every kind, blank lines, mixed line
/// ends (<c>\n</c>, <c>\r\n</c>, a lone <c>\r</c>), quoted fields holding commas, doubled quotes and line breaks, a byte
/// order mark, a last line without line end or an unclosed quote at the end. And the comparisons that say two ingests
/// came out the same.
/// </summary>
internal static class MessyParticipation
{
    internal const string CsvHeader = "beneficiary,activity,date,role,sex,ageBand,mode,completed,school,preScore,postScore";

    /// <summary>The programme every ingest specification runs over (120 activities act-0.., 30 schools sch-0..).</summary>
    internal static TestProgramme Programme { get; } = TestProgramme.Build(seed: 4101, records: 600);

    /// <summary>A CSV row at act-1 with no school or scores, valid unless told otherwise.</summary>
    internal static string Row(string beneficiary, string date = "2024-01-01", string role = "student") =>
        $"{beneficiary},act-1,{date},{role},female,10-14,online,true,,,";

    /// <summary>How a file ends.</summary>
    internal enum Ending
    {
        LineEnd,
        NoLineEnd,
        UnclosedQuote,
    }

    /// <summary>A messy CSV file over <paramref name="p"/>'s dataset.</summary>
    internal static byte[] Csv(TestProgramme p, int seed, int rows = 250, bool bom = false, Ending ending = Ending.LineEnd)
    {
        var rng = new Random(seed);
        var file = new Bytes();
        if (bom)
        {
            file.Raw(0xEF, 0xBB, 0xBF);
        }
        file.Text(CsvHeader).Text(LineEnd(rng));
        for (var i = 0; i < rows; i++)
        {
            if (i == rows / 2)
            {
                file.Text(new string(',', 1100)).Text(LineEnd(rng)); // more than 1024 fields
                continue;
            }
            var fields = CsvFields(p, rng);
            var kind = rng.Next(40);
            switch (kind)
            {
                case 0: fields[1] = "act-nope"; break;
                case 1: fields[2] = "2024-02-30"; break;
                case 2: fields[2] = "1999-12-31"; break; // a valid date the store cannot hold
                case 3: fields[3] = "pupil"; break;
                case 4: fields[7] = "yes"; break;
                case 5: fields = fields[..4]; break;
                case 6: fields = [.. fields, "x"]; break;
                case 7: fields[0] = "ben 1"; break;
                case 8: fields[0] = string.Empty; break;
                case 9: fields[8] = "sch-nope"; break;
                case 10: fields[9] = "1.23456"; break; // a decimal the store cannot hold
                case 11: fields[10] = "abc"; break;
                case 12: fields[0] = "be\"n-1"; break; // a quote inside an unquoted field
                case 13: fields[0] = "\"ben-1\"x"; break; // text after a closing quote
                case 14: fields[0] = "\"ben,1\""; break;
                case 15: fields[0] = "\"be\"\"n-1\""; break;
                case 16: fields[0] = "\"ben\n-1\r\nx\""; break;
                case 17: fields[0] = "\"" + new string('x', 37) + "\n" + new string('y', 41) + "\r\n" + new string('z', 29) + "\""; break;
                case 18: fields[8] = "\"\""; break; // a quoted empty school is no school: valid
                case 19: fields[1] = "\"" + fields[1] + "\""; fields[2] = "\"" + fields[2] + "\""; break; // quoted valid values
                case 20: fields[0] = "\"a\rb\""; break;
                case 21: file.Text(LineEnd(rng)); continue; // a blank line
                case 22: file.Text(" ").Text(LineEnd(rng)); continue;
                default: break;
            }
            file.Text(string.Join(',', fields)).Text(LineEnd(rng));
        }
        var last = string.Join(',', CsvFields(p, rng));
        switch (ending)
        {
            case Ending.NoLineEnd: file.Text(last); break;
            case Ending.UnclosedQuote: file.Text(last).Text("\n").Text("ben-7,\"act-1,2024-01-01\nstudent,\r\n"); break;
            default: file.Text(last).Text(LineEnd(rng)); break;
        }
        return file.ToArray();
    }

    /// <summary>A messy JSON Lines file over <paramref name="p"/>'s dataset.</summary>
    internal static byte[] JsonLines(TestProgramme p, int seed, int rows = 250, bool bom = false, Ending ending = Ending.LineEnd)
    {
        var rng = new Random(seed);
        var file = new Bytes();
        if (bom)
        {
            file.Raw(0xEF, 0xBB, 0xBF);
        }
        for (var i = 0; i < rows; i++)
        {
            var record = p.Records[rng.Next(p.Records.Count)];
            var line = JsonLine(p, record);
            var end = rng.Next(3) == 0 ? "\r\n" : "\n";
            switch (rng.Next(30))
            {
                case 0: line = line.Replace("\"activity\":\"act-", "\"activity\":\"act-x", StringComparison.Ordinal); break;
                case 1: line = line.Replace("\"completed\":true", "\"completed\":\"yes\"", StringComparison.Ordinal); break;
                case 2: line = line[..^1] + ",\"colour\":\"red\"}"; break;
                case 3: line = line[..^1] + ",\"completed\":false}"; break;
                case 4: line = "{\"beneficiary\":\"b1\"}"; break;
                case 5: line = "[1,2]"; break;
                case 6: line = line[..^1]; break;
                case 7: line += " {}"; break;
                case 8: line = line.Replace("\"beneficiary\":\"ben-", "\"beneficiary\":\"b\\u0065n-", StringComparison.Ordinal); break; // same key, escaped
                case 9: line = "{ " + line[1..^1] + " }"; break;
                case 10: line = JsonLine(p, Copy(record, record.Date, 1.23456m)); break; // a decimal the store cannot hold
                case 11: line = JsonLine(p, Copy(record, new NodaTime.LocalDate(1999, 12, 31), record.PreScore)); break;
                case 12 when record.School is null: line = line[..^1] + ",\"school\":null}"; break;
                case 13:
                    file.Text(line[..20]).Raw(0xFF).Text(line[20..]).Text(end); // invalid UTF-8
                    continue;
                case 14: line += "\r" + line; break; // a lone \r is no line end in JSON Lines
                case 15: line = string.Empty; break;
                case 16: line = " \t"; break;
                case 17: line = line.Replace("\"school\":\"sch-", "\"school\":\"sch-x", StringComparison.Ordinal); break;
                default: break;
            }
            file.Text(line).Text(end);
        }
        var last = JsonLine(p, p.Records[rng.Next(p.Records.Count)]);
        switch (ending)
        {
            case Ending.NoLineEnd: file.Text(last); break;
            case Ending.UnclosedQuote: file.Text(last).Text("\n{\"beneficiary\":\"ben-1"); break;
            default: file.Text(last).Text("\n"); break;
        }
        return file.ToArray();
    }

    /// <summary>A valid row's values (identifiers and enum names hold no comma).</summary>
    private static string[] CsvFields(TestProgramme p, Random rng)
    {
        var row = p.ToCsv([p.Records[rng.Next(p.Records.Count)]], people: false).Split('\n')[1];
        return row.Split(',');
    }

    private static string JsonLine(TestProgramme p, ParticipationRecord r) => p.ToJsonLines([r]).TrimEnd('\n');

    internal static ParticipationRecord Copy(ParticipationRecord r, NodaTime.LocalDate date, decimal? preScore) =>
        new(r.Beneficiary, r.Activity, date, r.Role, r.Sex, r.AgeBand, r.Mode, r.Completed, r.School, preScore, r.PostScore);

    private static string LineEnd(Random rng) => rng.Next(10) switch
    {
        < 5 => "\n",
        < 8 => "\r\n",
        _ => "\r",
    };

    /// <summary>Appends <paramref name="file"/> to a new store over <paramref name="p"/>'s dataset by the internal ingest, with chunks and workers chosen.</summary>
    internal static (IngestReport Report, ParticipationStore Store) IngestFile(
        TestProgramme p, byte[] file, bool csv, int chunkBytes = 1 << 20, int degree = 1, string name = "parts")
    {
        var store = new ParticipationStore(p.Dataset);
        var report = Append(store, file, csv, chunkBytes, degree, name);
        return (report, store);
    }

    /// <summary>Appends <paramref name="file"/> to <paramref name="store"/> by the internal ingest.</summary>
    internal static IngestReport Append(ParticipationStore store, byte[] file, bool csv, int chunkBytes = 1 << 20, int degree = 1, string name = "parts")
    {
        using var stream = new MemoryStream(file, writable: false);
        return csv
            ? CsvIngest.Append(store, stream, name + ".csv", chunkBytes, degree)
            : JsonLinesIngest.Append(store, stream, name + ".jsonl", chunkBytes, degree);
    }

    /// <summary>Both reports say the same of every line: counts, rejected lines, and each reason with its path, line and file.</summary>
    internal static void AssertSameReport(IngestReport expected, IngestReport actual)
    {
        Assert.Equal(expected.Read, actual.Read);
        Assert.Equal(expected.Accepted, actual.Accepted);
        Assert.Equal(expected.RejectedLines, actual.RejectedLines);
        Assert.Equal(Describe(expected), Describe(actual));
    }

    /// <summary>Each reject as one comparable line.</summary>
    internal static string[] Describe(IngestReport report) =>
        [.. report.Rejects.Select(r => string.Create(CultureInfo.InvariantCulture, $"{report.FileName}:{r.LineNumber} {r.Code} [{r.Path}] {r.Message}"))];

    /// <summary>
    /// Both stores hold the same rows in the same order, with the same beneficiary numbering, contexts and scores, and
    /// give the same answers.
    /// </summary>
    internal static void AssertSameStore(ParticipationStore expected, ParticipationStore actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.BeneficiaryCount, actual.BeneficiaryCount);
        Assert.Equal(expected.ContextCount, actual.ContextCount);
        Assert.Equal(expected.ScoreCount, actual.ScoreCount);
        Assert.Equal(expected.MinDay, actual.MinDay);
        Assert.Equal(expected.MaxDay, actual.MaxDay);
        var e = expected.Sorted();
        var a = actual.Sorted();
        var n = expected.Count;
        Assert.Equal(e.Beneficiary.AsSpan(0, n), a.Beneficiary.AsSpan(0, n));
        Assert.Equal(e.Context.AsSpan(0, n), a.Context.AsSpan(0, n));
        Assert.Equal(e.Day.AsSpan(0, n), a.Day.AsSpan(0, n));
        Assert.Equal(e.Flags.AsSpan(0, n), a.Flags.AsSpan(0, n));
        Assert.Equal(e.Age.AsSpan(0, n), a.Age.AsSpan(0, n));
        Assert.Equal(e.Pre.AsSpan(0, n), a.Pre.AsSpan(0, n));
        Assert.Equal(e.Post.AsSpan(0, n), a.Post.AsSpan(0, n));
        Assert.Equal(Keys(e.Beneficiaries, expected.BeneficiaryCount), Keys(a.Beneficiaries, actual.BeneficiaryCount));
        Assert.Equal(e.ContextActivity.AsSpan(0, e.ContextCount), a.ContextActivity.AsSpan(0, a.ContextCount));
        Assert.Equal(e.ContextSchool.AsSpan(0, e.ContextCount), a.ContextSchool.AsSpan(0, a.ContextCount));
        Assert.Equal(e.ScoreValues.AsSpan(0, expected.ScoreCount), a.ScoreValues.AsSpan(0, actual.ScoreCount));
        GroupingTerm[] terms = [Dimension.School, Dimension.Role, TimeBucket.Month];
        Measure[] measures = [Measure.Participations, Measure.UniqueBeneficiaries, Measure.Completions, Measure.MeanGain];
        Reference.AssertSame(
            Reference.Rows(expected.Query().GroupBy(terms).Measure(measures).Run()),
            Reference.Rows(actual.Query().GroupBy(terms).Measure(measures).Run()), tolerance: 0);
    }

    private static string[] Keys(KeyTable table, int count) => [.. Enumerable.Range(0, count).Select(table.KeyOf)];

    /// <summary>
    /// What the stream validator (default options) says of each line read by the typed reader
    /// (<see cref="ParticipationCsv.Read"/> or <see cref="ParticipationJsonLines.Read"/>), turned into what the store must
    /// report: the same records read, and refused exactly where the validator refuses one.
    /// </summary>
    internal static (long Read, long[] Rejected) ExpectedFromTypedReader(TestProgramme p, byte[] file, bool csv)
    {
        var (read, codes) = ValidatorCodes(p, file, csv);
        return (read, [.. codes.Keys.Order()]);
    }

    /// <summary>The records the typed reader reads, and the error codes the validator gives each refused line.</summary>
    internal static (long Read, Dictionary<long, string[]> Codes) ValidatorCodes(TestProgramme p, byte[] file, bool csv)
    {
        using var stream = new MemoryStream(file, writable: false);
        var report = SafetyPrograms.Validation.ProgrammeValidator.ValidateParticipation(
            p.Dataset, csv ? ParticipationCsv.Read(stream, "typed.csv") : ParticipationJsonLines.Read(stream, "typed.jsonl"));
        var codes = report.Findings
            .Where(f => f.Severity == SafetyPrograms.Validation.FindingSeverity.Error && f.Line is not null)
            .GroupBy(f => f.Line!.Value)
            .ToDictionary(g => g.Key, g => g.Select(f => f.Code).ToArray());
        return (report.Participation!.Read, codes);
    }

    /// <summary>
    /// The store's ingest and the stream validator agree on every line: the same lines read, the same lines refused,
    /// and the store's code for each refused line among the validator's codes for it.
    /// </summary>
    internal static void AssertStoreAgreesWithValidator(TestProgramme p, byte[] file, bool csv, IngestReport report)
    {
        var (read, codes) = ValidatorCodes(p, file, csv);
        Assert.Equal(read, report.Read);
        Assert.Equal(codes.Keys.Order(), report.RejectedLines);
        Assert.All(report.Rejects, r => Assert.Contains(r.Code, codes[r.LineNumber]));
    }

    /// <summary>A file built from text and raw bytes.</summary>
    internal sealed class Bytes
    {
        private readonly List<byte> _bytes = [];

        internal Bytes Text(string text)
        {
            _bytes.AddRange(Encoding.UTF8.GetBytes(text));
            return this;
        }

        internal Bytes Raw(params byte[] bytes)
        {
            _bytes.AddRange(bytes);
            return this;
        }

        internal byte[] ToArray() => [.. _bytes];
    }
}
