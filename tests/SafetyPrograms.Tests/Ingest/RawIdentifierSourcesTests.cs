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
/// or the report. Without PostgreSQL's programs that source is skipped with the reason; the others still run.
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
}
