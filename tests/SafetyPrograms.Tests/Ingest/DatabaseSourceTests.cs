using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Ingest;
using SafetyPrograms.Tests.Support;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>
/// Participation rows from a database through ADO.NET: a real PostgreSQL server (a throwaway cluster started from the
/// installed binaries) through Npgsql, and SQLite through Microsoft.Data.Sqlite, give the store and report CSV gives;
/// a refused connection names the host and database and never the password; a query that fails part way keeps nothing.
/// </summary>
public sealed class DatabaseSourceTests(PostgresCluster postgres) : IClassFixture<PostgresCluster>
{
    private static readonly List<SourceRow> Rows = SameRows.Build(Programme, seed: 1501, count: 6000);

    private static (IngestReport Report, ParticipationStore Store) FromCsv() => IngestFile(Programme, SameRows.Csv(Rows), csv: true);

    [FactWhenInstalled(PostgresCluster.Initdb, PostgresCluster.PgCtl)]
    public void Append_PostgresQuery_SameStoreAndReportAsCsv()
    {
        using var connection = new NpgsqlConnection(postgres.ConnectionString("same_rows"));
        connection.Open();
        Recreate(connection, "participation", "text", "date", "boolean", "numeric");

        var store = new ParticipationStore(Programme.Dataset);
        var report = store.Append(new DatabaseQuerySource(connection, SameRows.Select("participation")));

        var (csv, fromCsv) = FromCsv();
        SameRows.AssertSameAsCsv(csv, fromCsv, report, store);
        Assert.Equal("database 'same_rows' on 'tcp://127.0.0.1:" + new NpgsqlConnectionStringBuilder(connection.ConnectionString).Port + "'", report.FileName);
        Assert.Matches("^row [0-9]+ of the query result$", report.Rejects[0].Location);
    }

    [Fact]
    public void Append_SqliteReader_SameStoreAndReportAsCsv()
    {
        var (report, store) = SameRows.ThroughSqlite(Programme.Dataset, Rows);

        var (csv, fromCsv) = FromCsv();
        SameRows.AssertSameAsCsv(csv, fromCsv, report, store);
    }

    [Fact]
    public void Append_SqliteColumnsNamedOtherwise_MappedByOptions()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        SameRows.Insert(connection, "participation", Rows, "text", "text", "boolean", "real");
        var query = SameRows.Select("participation").Replace("\"date\"", "\"date\" as attended_on", StringComparison.Ordinal);

        var store = new ParticipationStore(Programme.Dataset);
        var report = store.Append(
            new DatabaseQuerySource(connection, query),
            new ParticipationSourceOptions { Columns = new Dictionary<string, string> { ["date"] = "Attended_On" } });

        var (csv, fromCsv) = FromCsv();
        SameRows.AssertSameAsCsv(csv, fromCsv, report, store);
    }

    [Fact]
    public void Append_PostgresConnectionRefused_NamesHostAndDatabase_NeverThePassword()
    {
        var port = PostgresCluster.FreePort();
        const string Password = "Refused-pw-93kq";
        using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Database=attendance;Username=u;Password={Password};Timeout=5");
        var store = new ParticipationStore(Programme.Dataset);

        var error = Assert.Throws<ParticipationSourceException>(() => store.Append(new DatabaseQuerySource(connection, "select 1")));

        Assert.Contains("Could not connect to the database 'attendance' on 'tcp://127.0.0.1:" + port + "'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, error.ReadSoFar.Read);
        Assert.Equal(0, store.Count);
    }

    [FactWhenInstalled(PostgresCluster.Initdb, PostgresCluster.PgCtl)]
    public void Append_PostgresWrongPassword_RefusedWithoutEchoingIt()
    {
        const string Wrong = "Wrong-pw-k3J8";
        var builder = new NpgsqlConnectionStringBuilder(postgres.ConnectionString()) { Password = Wrong };
        using var connection = new NpgsqlConnection(builder.ConnectionString);

        var error = Assert.Throws<ParticipationSourceException>(() =>
            new ParticipationStore(Programme.Dataset).Append(new DatabaseQuerySource(connection, "select 1")));

        Assert.Contains("Could not connect to the database 'postgres' on 'tcp://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresCluster.Password, error.Message, StringComparison.Ordinal);
    }

    [FactWhenInstalled(PostgresCluster.Initdb, PostgresCluster.PgCtl)]
    public void Append_PostgresQueryFailsPartWay_RowsSoFarReported_StoreAsItWas()
    {
        using var connection = new NpgsqlConnection(postgres.ConnectionString("part_way"));
        connection.Open();
        Recreate(connection, "participation", "text", "date", "boolean", "numeric");
        var store = new ParticipationStore(Programme.Dataset);
        store.Append(Programme.Records.Take(50));
        var (count, beneficiaries) = (store.Count, store.BeneficiaryCount);
        // Row 5,500 divides by zero; the rows stream from a plain scan (no sort), so the server has sent those before it
        // in the table's own order (rows of differing widths may fill free space on earlier pages, so not id order).
        var query = SameRows.Select("participation")
            .Replace("\"postScore\",", "\"postScore\" / case when id = 5500 then 0 else 1 end as \"postScore\",", StringComparison.Ordinal)
            .Replace(" order by id", "", StringComparison.Ordinal);

        var error = Assert.Throws<ParticipationSourceException>(() => store.Append(new DatabaseQuerySource(connection, query)));

        Assert.IsType<PostgresException>(error.InnerException);
        Assert.Contains("SQLSTATE 22012", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.ReadSoFar.Read, 1, RowsScannedBefore(connection, "participation", id: 5500));
        Assert.Equal(error.ReadSoFar.Read, error.ReadSoFar.Accepted + error.ReadSoFar.Rejected);
        Assert.Equal((count, beneficiaries), (store.Count, store.BeneficiaryCount));
        Assert.Equal(System.Data.ConnectionState.Open, connection.State); // the caller's connection, left as it was given
    }

    [Fact]
    public void Append_SqliteQueryFailsPartWay_RowsSoFarReported_NothingKept()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        SameRows.Insert(connection, "participation", Rows, "text", "text", "boolean", "real");
        connection.CreateFunction("checked", (long id) => id == 5000 ? throw new InvalidOperationException("disk I/O error") : id);
        var query = SameRows.Select("participation").Replace("order by id", "where checked(id) > 0 order by id", StringComparison.Ordinal);
        var store = new ParticipationStore(Programme.Dataset);

        var error = Assert.Throws<ParticipationSourceException>(() => store.Append(new DatabaseQuerySource(connection, query)));

        Assert.Equal(4999, error.ReadSoFar.Read);
        Assert.Contains("failed after row 4999 of the query result (", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.BeneficiaryCount);
    }

    [Fact]
    public void Append_SqliteWrongTypesInEveryColumn_EachRowRefusedAsUnreadable()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            select 12 as beneficiary, 'act-1' as activity, 45000 as date, 'student' as role, 'female' as sex, '10-14' as "ageBand",
                   'online' as mode, 'yes' as completed, null as school, 'high' as "preScore", x'00ff' as "postScore"
            """;
        using var reader = command.ExecuteReader();
        var store = new ParticipationStore(Programme.Dataset);

        var report = store.Append(reader);

        var reject = Assert.Single(report.Rejects);
        Assert.Equal(("SP8001", "postScore", "row 1 of the query result"), (reject.Code, reject.Path, reject.Location));
        Assert.Equal(0, store.Count);
    }

    /// <summary>
    /// A PostgreSQL column of a type its field cannot take, one column at a time: every row is refused naming that column
    /// (binary data, a boolean for a date, a date for a yes/no or a score, a number for a role, an interval for an age, a
    /// point for a sex), none is kept, and every row is accounted for.
    /// </summary>
    [TheoryWhenInstalled(PostgresCluster.Initdb, PostgresCluster.PgCtl)]
    [InlineData("beneficiary", "'\\x00ff'::bytea")]
    [InlineData("activity", "'\\x00'::bytea")]
    [InlineData("date", "true")]
    [InlineData("role", "12")]
    [InlineData("sex", "point(1, 2)")]
    [InlineData("completed", "date '2025-07-27'")]
    [InlineData("preScore", "date '2025-07-27'")]
    [InlineData("age", "interval '3 days'")]
    public void Append_PostgresColumnOfAWrongType_EveryRowRefusedNamingIt_NothingKept(string column, string wrong)
    {
        using var connection = new NpgsqlConnection(postgres.ConnectionString("wrong_types"));
        connection.Open();
        // Rows the CSV accepts whole, so that the wrong column is each row's only fault.
        var (csv, _) = FromCsv();
        var rejected = csv.RejectedLines.ToHashSet();
        var clean = Rows.Take(400).Where((_, i) => !rejected.Contains(i + 2)).ToList();
        SameRows.Replace(connection, "clean", clean, "text", "date", "boolean", "numeric");
        var query = $"select {string.Join(", ", SameRows.Columns.Select(c => c == column ? $"{wrong} as \"{c}\"" : $"\"{c}\""))} from clean order by id";
        var store = new ParticipationStore(Programme.Dataset);

        var report = store.Append(new DatabaseQuerySource(connection, query));

        Assert.Equal((clean.Count, 0L, (long)clean.Count), (report.Read, report.Accepted, report.Rejected));
        Assert.All(report.Rejects, r => Assert.Equal(column, r.Path));
        Assert.Equal(0, store.Count);
    }

    /// <summary>How many rows a plain scan of the table meets before the row of <paramref name="id"/>: those before it in the heap.</summary>
    private static long RowsScannedBefore(DbConnection connection, string table, int id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"select count(*) from {table} where ctid < (select ctid from {table} where id = {id})";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Recreate(DbConnection connection, string table, string textType, string dateType, string boolType, string numberType) =>
        SameRows.Replace(connection, table, Rows, textType, dateType, boolType, numberType);
}
