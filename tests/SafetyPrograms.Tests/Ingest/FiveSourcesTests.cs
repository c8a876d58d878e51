using Npgsql;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Ingest;
using SafetyPrograms.Parquet;
using SafetyPrograms.Spreadsheets;
using SafetyPrograms.Tests.Support;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>
/// The same rows, refused ones among them, through CSV, an Excel sheet, SQLite, Parquet and a real PostgreSQL server:
/// every source gives the store and the ingest report the CSV gives (the same records; the same rows refused, for the
/// same codes, columns and reasons). Without PostgreSQL's programs the five-way test is skipped with the reason and the
/// four-way test still runs.
/// </summary>
public sealed class FiveSourcesTests(PostgresCluster postgres) : IClassFixture<PostgresCluster>
{
    // A Parquet file holds scores of four places at most, so the five-place score of the shared rows is left out.
    private static readonly List<SourceRow> Rows = [.. SameRows.Build(Programme, seed: 1505, count: 3000).Where(r => r.Pre != 1.23456m)];

    [Fact]
    public async Task FourWays_CsvExcelSqliteParquet_IdenticalStoresAndReports()
    {
        var (csv, fromCsv) = IngestFile(Programme, SameRows.Csv(Rows), csv: true);

        var sources = await Sources(withPostgres: false);

        Assert.Equal(["excel", "sqlite", "parquet"], sources.Select(s => s.Name));
        foreach (var (_, report, store, firstRow) in sources)
        {
            SameRows.AssertSameAsCsv(csv, fromCsv, report, store, firstRow);
        }
    }

    [FactWhenInstalled(PostgresCluster.Initdb, PostgresCluster.PgCtl)]
    public async Task FiveWays_CsvExcelPostgresSqliteParquet_IdenticalStoresAndReports()
    {
        var (csv, fromCsv) = IngestFile(Programme, SameRows.Csv(Rows), csv: true);

        var sources = await Sources(withPostgres: true);

        Assert.Equal(["excel", "sqlite", "parquet", "postgres"], sources.Select(s => s.Name));
        foreach (var (_, report, store, firstRow) in sources)
        {
            SameRows.AssertSameAsCsv(csv, fromCsv, report, store, firstRow);
        }
    }

    /// <summary>The rows through each source other than CSV, with the number its first row takes (a sheet's is 2: the header is row 1).</summary>
    private async Task<List<(string Name, IngestReport Report, ParticipationStore Store, long FirstRow)>> Sources(bool withPostgres)
    {
        var sources = new List<(string, IngestReport, ParticipationStore, long)>();
        var excel = new ParticipationStore(Programme.Dataset);
        sources.Add(("excel", excel.Append(new WorkbookParticipationSource(new MemoryStream(SameRows.Xlsx(Rows)), "parts.xlsx")), excel, 2));
        var (sqlite, fromSqlite) = SameRows.ThroughSqlite(Programme.Dataset, Rows);
        sources.Add(("sqlite", sqlite, fromSqlite, 1));
        var parquet = new ParticipationStore(Programme.Dataset);
        sources.Add(("parquet", parquet.AppendParquet(await ParquetSourceTests.Write(Rows), "parts.parquet"), parquet, 1));
        if (withPostgres)
        {
            using var connection = new NpgsqlConnection(postgres.ConnectionString("five_sources"));
            connection.Open();
            SameRows.Replace(connection, "participation", Rows, "text", "date", "boolean", "numeric");
            var store = new ParticipationStore(Programme.Dataset);
            sources.Add(("postgres", store.Append(new DatabaseQuerySource(connection, SameRows.Select("participation"))), store, 1));
        }
        return sources;
    }
}
