using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Ingest;
using SafetyPrograms.Parquet;
using SafetyPrograms.Privacy;
using SafetyPrograms.Spreadsheets;
using SafetyPrograms.Tests.Support;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>
/// Raw identifiers keyed on the fly from every source with named columns: the same rows, their beneficiary column holding
/// raw learner ids, through an Excel sheet, SQLite, Parquet and a real PostgreSQL server, each read with the raw column
/// keyed by the programme's secret, give the store and report the CSV of the keys gives, and no raw id reaches the store
/// or the report. CSV and JSON Lines read as sources (<see cref="CsvParticipationSource"/>, <see cref="JsonLinesParticipationSource"/>)
/// do the same, and give the store the <c>pseudonymise</c> command's output gives. Without PostgreSQL's programs that
/// source is skipped with the reason; the others still run.
/// </summary>
public sealed class RawIdentifierSourcesTests(PostgresCluster postgres) : IClassFixture<PostgresCluster>, IDisposable
{
    private readonly BeneficiaryPseudonymiser _pseudonymiser = new("made-up test secret: 4b1e9d27c03f8a65e2d71c9046b8f3a1");

    public void Dispose() => _pseudonymiser.Dispose();

    private RawIdentifierKeys LearnerKeys => new(_pseudonymiser, IdentifierScheme.PartnerLearnerId("school-register"));

    private ParticipationSourceOptions Options => new() { RawIdentifierColumn = "beneficiary", RawIdentifiers = LearnerKeys };

    /// <summary>The shared rows (Parquet holds four places of a score: the five-place one is left out), each beneficiary given a raw learner id.</summary>
    private static readonly List<SourceRow> Raw = RawRows();

    private static List<SourceRow> RawRows()
    {
        var rows = SameRows.Build(Programme, seed: 1509, count: 2500).Where(r => r.Pre != 1.23456m).ToList();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        return [.. rows.Select(r => r with { Beneficiary = ids.TryGetValue(r.Beneficiary, out var id) ? id : ids[r.Beneficiary] = $"L-{ids.Count + 1000:D5}" })];
    }

    /// <summary>The CSV of the same rows holding the keys: what every source must give.</summary>
    private (IngestReport Report, ParticipationStore Store) Expected()
    {
        var keyed = Raw.Select(r => r with { Beneficiary = LearnerKeys.TryKey(r.Beneficiary, out var key, out _) ? key.Value : throw new InvalidOperationException("a learner id the scheme refuses") });
        return IngestFile(Programme, SameRows.Csv(keyed), csv: true);
    }

    private void AssertKeyedAsTheCsv(IngestReport report, ParticipationStore store, long firstRow)
    {
        var (csv, fromCsv) = Expected();
        SameRows.AssertSameAsCsv(csv, fromCsv, report, store, firstRow);
        var keys = Keys(store.Sorted().Beneficiaries, store.BeneficiaryCount);
        Assert.All(keys, key => Assert.DoesNotContain("L-", key, StringComparison.Ordinal));
        Assert.All(report.Rejects, r => Assert.DoesNotContain("L-0", r.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Excel_RawColumnKeyedAsRead()
    {
        var store = new ParticipationStore(Programme.Dataset);
        var report = store.Append(new WorkbookParticipationSource(new MemoryStream(SameRows.Xlsx(Raw)), "parts.xlsx"), Options);
        AssertKeyedAsTheCsv(report, store, firstRow: 2);
    }

    [Fact]
    public void Sqlite_RawColumnKeyedAsRead()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        SameRows.Insert(connection, "participation", Raw, "text", "text", "boolean", "real");
        var store = new ParticipationStore(Programme.Dataset);
        var report = store.Append(new DatabaseQuerySource(connection, SameRows.Select("participation")), Options);
        AssertKeyedAsTheCsv(report, store, firstRow: 1);
    }

    [Fact]
    public async Task Parquet_RawColumnKeyedAsRead()
    {
        var store = new ParticipationStore(Programme.Dataset);
        var report = store.AppendParquet(await ParquetSourceTests.Write(Raw), "parts.parquet", Options);
        AssertKeyedAsTheCsv(report, store, firstRow: 1);
    }

    [FactWhenInstalled(PostgresCluster.Initdb, PostgresCluster.PgCtl)]
    public void Postgres_RawColumnKeyedAsRead()
    {
        using var connection = new NpgsqlConnection(postgres.ConnectionString("raw_identifiers"));
        connection.Open();
        SameRows.Replace(connection, "participation", Raw, "text", "date", "boolean", "numeric");
        var store = new ParticipationStore(Programme.Dataset);
        var report = store.Append(new DatabaseQuerySource(connection, SameRows.Select("participation")), Options);
        AssertKeyedAsTheCsv(report, store, firstRow: 1);
    }

    /// <summary>The raw rows' CSV with the raw column named <c>learner_id</c>, as a partner would send it.</summary>
    private static byte[] RawCsv()
    {
        var text = Encoding.UTF8.GetString(SameRows.Csv(Raw));
        Assert.StartsWith("beneficiary,", text, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(string.Concat("learner_id", text.AsSpan("beneficiary".Length)));
    }

    private ParticipationSourceOptions LearnerIdOptions => new() { RawIdentifierColumn = "learner_id", RawIdentifiers = LearnerKeys };

    /// <summary>Rows as JSON Lines, each value typed as the JSON contract writes it, the beneficiary's member named <paramref name="idMember"/> and holding <paramref name="id"/>'s.</summary>
    private static byte[] JsonLines(string idMember, Func<string, string> id)
    {
        using var buffer = new MemoryStream();
        foreach (var r in Raw)
        {
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                var cells = SameRows.Cells(r);
                for (var c = 0; c < cells.Length; c++)
                {
                    var column = SameRows.Columns[c];
                    if (c == 0)
                    {
                        json.WriteString(idMember, id(cells[0]));
                    }
                    else if (cells[c].Length == 0)
                    {
                        continue;
                    }
                    else if (column == "completed")
                    {
                        json.WriteBoolean(column, cells[c] == "true");
                    }
                    else if (column is "preScore" or "postScore" or "age" or "yearOfBirth")
                    {
                        json.WriteNumber(column, decimal.Parse(cells[c], CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.WriteString(column, cells[c]);
                    }
                }
                json.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
        }
        return buffer.ToArray();
    }

    private string Key(string raw) => LearnerKeys.TryKey(raw, out var key, out _) ? key.Value : throw new InvalidOperationException("a learner id the scheme refuses");

    [Fact]
    public void Csv_RawColumnKeyedAsRead()
    {
        var store = new ParticipationStore(Programme.Dataset);
        var report = store.Append(new CsvParticipationSource(new MemoryStream(SameRows.Csv(Raw)), "parts"), Options);
        AssertKeyedAsTheCsv(report, store, firstRow: 2);
        Assert.Equal(Expected().Report.Rejects.Select(r => r.Location), report.Rejects.Select(r => r.Location));
    }

    [Fact]
    public void Csv_RawColumnKeyedAsRead_TheStoreAndReportOfThePseudonymiseCommandsOutput()
    {
        // What the pseudonymise command writes, then appended as any keyed CSV.
        using var keyed = new MemoryStream();
        var summary = new CsvColumnPseudonymiser(_pseudonymiser, IdentifierScheme.PartnerLearnerId("school-register"), "learner_id")
            .Pseudonymise(new MemoryStream(RawCsv()), keyed);
        Assert.Empty(summary.Rejections);
        var (expected, fromCommand) = IngestFile(Programme, keyed.ToArray(), csv: true);

        var store = new ParticipationStore(Programme.Dataset);
        var report = store.Append(new CsvParticipationSource(new MemoryStream(RawCsv()), "parts"), LearnerIdOptions);

        SameRows.AssertSameAsCsv(expected, fromCommand, report, store, firstRow: 2);
        Assert.Equal(expected.Rejects.Select(r => r.Location), report.Rejects.Select(r => r.Location));
    }

    [Fact]
    public void JsonLines_RawMemberKeyedAsRead_TheStoreAndReportOfTheKeyedFile()
    {
        var (expected, fromKeys) = IngestFile(Programme, JsonLines("beneficiary", Key), csv: false);

        var store = new ParticipationStore(Programme.Dataset);
        var report = store.Append(new JsonLinesParticipationSource(new MemoryStream(JsonLines("learner_id", raw => raw)), "parts"), LearnerIdOptions);

        AssertSameStore(fromKeys, store);
        Assert.Equal((expected.Read, expected.Accepted), (report.Read, report.Accepted));
        Assert.Equal(expected.RejectedLines, report.RejectedLines);
        Assert.Equal(expected.RejectedByCode, report.RejectedByCode);
        Assert.All(Keys(store.Sorted().Beneficiaries, store.BeneficiaryCount), key => Assert.DoesNotContain("L-", key, StringComparison.Ordinal));
        Assert.All(report.Rejects, r => Assert.DoesNotContain("L-0", r.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void ConvertedToParquet_RawColumnKeyed_NoRawIdInTheFile_ReadBackAsTheKeyedCsv()
    {
        using var parquet = new MemoryStream();
        var report = ParticipationParquet.Convert(new CsvParticipationSource(new MemoryStream(RawCsv()), "parts"), Programme.Dataset, parquet, LearnerIdOptions);
        var (expected, fromKeys) = Expected();
        Assert.Equal((expected.Read, expected.Accepted), (report.Read, report.Accepted));

        var bytes = parquet.ToArray();
        foreach (var raw in Raw.Select(r => r.Beneficiary).Distinct())
        {
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(raw)) < 0, "a raw learner id is in the file");
        }
        var store = new ParticipationStore(Programme.Dataset);
        Assert.Equal(expected.Accepted, store.AppendParquet(new MemoryStream(bytes), "parts.parquet").Accepted);
        AssertSameStore(fromKeys, store);
    }

    [Fact]
    public void JsonLines_LinesThatAreNoRecord_RefusedQuotingNothing_OthersRead()
    {
        var first = Encoding.UTF8.GetString(JsonLines("learner_id", id => id)).Split('\n')[0];
        var text = string.Join('\n',
            first,
            "not json L-01000",
            "{\"learner_id\":{\"nested\":\"L-01000\"}}",
            "[\"L-01000\"]",
            "   ",
            "{\"learner_id\":\"L-01000\",\"learner_id\":\"L-01001\"}",
            "{\"learner_id\":\"L-01000\",\"shoeSize\":\"L-01000\"}",
            first + "{}");
        var store = new ParticipationStore(Programme.Dataset);

        var report = store.Append(new JsonLinesParticipationSource(new MemoryStream(Encoding.UTF8.GetBytes(text)), "parts.jsonl"), LearnerIdOptions);

        // The first line is the first raw row, read as the keyed CSV reads it (line 2 there, below the header).
        var firstAccepted = !Expected().Report.RejectedLines.Contains(2);
        Assert.Equal((7, firstAccepted ? 1 : 0), (report.Read, report.Accepted));
        Assert.Equal(["line 2", "line 3", "line 4", "line 6", "line 7", "line 8"], report.Rejects.Where(r => r.LineNumber > 1).Select(r => r.Location));
        Assert.All(report.Rejects.Where(r => r.LineNumber > 1), r => Assert.Equal("SP8001", r.Code));
        Assert.All(report.Rejects, r => Assert.DoesNotContain("L-0", r.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Csv_ARecordOverOneMiB_StopsThere_AsTheCsvReaderDoes()
    {
        // The second record's school runs past 1 MiB: both readers count the first, refuse the long one and read no further.
        List<SourceRow> rows = [Raw[0], Raw[1] with { School = new string('x', 1_100_000) }, Raw[2]];
        var (expected, _) = IngestFile(Programme, SameRows.Csv(rows.Select(r => r with { Beneficiary = Key(r.Beneficiary) })), csv: true);

        var store = new ParticipationStore(Programme.Dataset);
        var report = store.Append(new CsvParticipationSource(new MemoryStream(SameRows.Csv(rows)), "parts"), Options);

        Assert.True(expected.StoppedEarly);
        Assert.Equal((true, expected.Read, expected.Accepted), (report.StoppedEarly, report.Read, report.Accepted));
        Assert.Equal(expected.RejectedLines, report.RejectedLines);
        Assert.Equal(expected.RejectedByCode, report.RejectedByCode);
    }

    [Fact]
    public void Csv_AHeaderOverOneMiB_RefusedAsTheTypedReaderRefusesIt_NothingAdded()
    {
        var csv = Encoding.UTF8.GetBytes(new string('x', 1_100_000) + "\n");
        var typed = Assert.Throws<SafetyPrograms.Serialization.DataFormatException>(() => SafetyPrograms.Serialization.ParticipationCsv.Read(new MemoryStream(csv), "parts").ToList());
        var store = new ParticipationStore(Programme.Dataset);

        var error = Assert.Throws<SafetyPrograms.Serialization.DataFormatException>(() => store.Append(new CsvParticipationSource(new MemoryStream(csv), "parts"), Options));

        Assert.Equal(typed.Message, error.Message);
        Assert.StartsWith("The header row is malformed", error.Reason, StringComparison.Ordinal);
        Assert.Equal(0, store.Count);
    }
}
