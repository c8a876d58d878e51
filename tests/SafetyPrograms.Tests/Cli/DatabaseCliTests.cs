using Microsoft.Data.Sqlite;
using SafetyPrograms.Tests.Ingest;
using SafetyPrograms.Tests.Support;

namespace SafetyPrograms.Tests.Cli;

/// <summary>
/// <c>aggregate</c>, <c>report</c>, <c>progress</c>, <c>import</c> and <c>validate</c> with <c>--database</c>: participations from a query, with the same figures as from the file holding the same
/// rows; a refused connection is one clear line naming the host and database, and the password is never printed.
/// </summary>
public sealed class DatabaseCliTests : IDisposable
{
    private static readonly string Dataset = Path.Combine(RepositoryPaths.SamplesData, "programmes.json");
    private static readonly string Participations = Path.Combine(RepositoryPaths.SamplesData, "participations.csv");
    private readonly string _temp = Directory.CreateTempSubdirectory("sp-dbcli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Aggregate_FromSqliteQuery_SameFiguresAsFromTheCsvFile()
    {
        var database = SampleDatabase();
        string[] query = ["--by", "province,role", "--measures", "participations,unique", "--format", "csv"];

        var fromFile = await CliRunner.Run(["aggregate", "--dataset", Dataset, "--participations", Participations, .. query]);
        var fromDatabase = await CliRunner.Run(
            ["aggregate", "--dataset", Dataset, "--database", $"Data Source={database};Pooling=False", "--participations", "select * from attendance", .. query]);

        Assert.Equal(fromFile.Code, fromDatabase.Code);
        Assert.Equal(fromFile.Out, fromDatabase.Out);
        Assert.Contains("\n", fromDatabase.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_FromSqliteQuery_SamePageAsFromTheCsvFile()
    {
        var database = SampleDatabase();
        var fromFile = Path.Combine(_temp, "from-file.html");
        var fromDatabase = Path.Combine(_temp, "from-database.html");

        var file = await CliRunner.Run(["report", "--dataset", Dataset, "--participations", Participations, "--html", fromFile, "--as-of", "2025-12-31"]);
        var query = await CliRunner.Run(
            ["report", "--dataset", Dataset, "--database", $"Data Source={database};Pooling=False", "--participations", "select * from attendance",
                "--html", fromDatabase, "--as-of", "2025-12-31"]);

        Assert.Equal(file.Code, query.Code);
        Assert.Equal(File.ReadAllText(fromFile), File.ReadAllText(fromDatabase));
        Assert.Contains("<svg", File.ReadAllText(fromDatabase), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_FromSqliteQueryInAFile_SameRecountAsFromTheCsvFile()
    {
        var database = SampleDatabase();
        var queryFile = Path.Combine(_temp, "attendance.sql");
        File.WriteAllText(queryFile, "select * from attendance");

        var file = await CliRunner.Run(["progress", "--dataset", Dataset, "--participations", Participations, "--as-of", "2025-12-31"]);
        var query = await CliRunner.Run(
            ["progress", "--dataset", Dataset, "--database", $"Data Source={database};Pooling=False", "--participations", "@" + queryFile, "--as-of", "2025-12-31"]);

        Assert.Equal(file.Code, query.Code);
        Assert.Contains("Unique reach recounted from the database query for: ", query.Out, StringComparison.Ordinal);
        Assert.Equal(file.Out.Replace(Participations, "the database query", StringComparison.Ordinal), query.Out);
    }

    [Fact]
    public async Task Import_DryRun_FromTheCsv_ASqliteQuery_AndItsParquetConversion_SameCounts_NothingKept()
    {
        var database = SampleDatabase();
        var parquet = Path.Combine(_temp, "attendance.parquet");
        var converted = await CliRunner.Run(["convert", "--dataset", Dataset, "--participations", Participations, "--out", parquet]);
        Assert.Equal(0, converted.Code);

        var fromFile = await CliRunner.Run(["import", "--dataset", Dataset, "--participations", Participations, "--dry-run"]);
        var fromQuery = await CliRunner.Run(
            ["import", "--dataset", Dataset, "--database", $"Data Source={database};Pooling=False", "--participations", "select * from attendance", "--dry-run"]);
        var fromParquet = await CliRunner.Run(["import", "--dataset", Dataset, "--participations", parquet, "--dry-run"]);
        var imported = await CliRunner.Run(["import", "--dataset", Dataset, "--participations", parquet]);

        Assert.Equal((0, 0, 0, 0), (fromFile.Code, fromQuery.Code, fromParquet.Code, imported.Code));
        var counts = fromFile.Out[(Participations.Length + 2)..].ReplaceLineEndings("\n").Split('\n')[0];
        Assert.Matches(@"^read [\d,]+ = accepted [\d,]+ \+ rejected 0 \(dry run: nothing added\)$", counts);
        Assert.Equal($"the database query: {counts}", fromQuery.Out.ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.Equal($"{parquet}: {counts}", fromParquet.Out.ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.DoesNotContain("held", fromParquet.Out, StringComparison.Ordinal);
        Assert.Contains("held ", imported.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FromSqliteQuery_SameVerdictAsTheCsvFile_AFindingNamesItsRowOfTheResult()
    {
        var database = SampleDatabase();
        var connection = $"Data Source={database};Pooling=False";

        var fromFile = await CliRunner.Run(["validate", Dataset, "--participations", Participations]);
        var fromDatabase = await CliRunner.Run(["validate", Dataset, "--database", connection, "--participations", "select * from attendance order by rowid"]);
        Assert.Equal(0, fromFile.Code);
        Assert.Equal((fromFile.Code, fromFile.Out), (fromDatabase.Code, fromDatabase.Out));

        using (var sqlite = new SqliteConnection(connection))
        {
            sqlite.Open();
            using var update = sqlite.CreateCommand();
            update.CommandText = "update attendance set date = '2025-02-30' where rowid = 3";
            Assert.Equal(1, update.ExecuteNonQuery());
        }
        var (code, output, _) = await CliRunner.Run(["validate", Dataset, "--database", connection, "--participations", "select * from attendance order by rowid"]);

        Assert.Equal(1, code); // findings
        Assert.Contains("error SP8001 row 3 of the query result date: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_DatabaseWithoutAQuery_Refused()
    {
        var (code, _, error) = await CliRunner.Run(["progress", "--dataset", Dataset, "--database", "Data Source=x.db"]);

        Assert.Equal(2, code);
        Assert.Contains("--database needs --participations", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_DatabaseRefusesTheConnection_HostAndDatabaseNamed_PasswordNeverPrinted_NoPageWritten()
    {
        const string Password = "Report-secret-pw-9qk";
        var port = PostgresCluster.FreePort();
        var html = Path.Combine(_temp, "report.html");

        var (code, output, error) = await CliRunner.Run(
            ["report", "--dataset", Dataset, "--database", $"Host=127.0.0.1;Port={port};Database=attendance;Username=me;Password={Password};Timeout=5",
                "--participations", "select * from attendance", "--html", html]);

        Assert.Equal(2, code);
        Assert.Contains($"Could not connect to the database 'attendance' on 'tcp://127.0.0.1:{port}'", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error + output, StringComparison.Ordinal);
        Assert.False(File.Exists(html));
    }

    [Fact]
    public async Task Aggregate_DatabaseRefusesTheConnection_HostAndDatabaseNamed_PasswordNeverPrinted()
    {
        const string Password = "Cli-secret-pw-2fh7";
        var port = PostgresCluster.FreePort();
        Environment.SetEnvironmentVariable("SP_TEST_PARTNER_DB", $"Host=127.0.0.1;Port={port};Database=attendance;Username=me;Password={Password};Timeout=5");
        try
        {
            foreach (var database in new[] { "env:SP_TEST_PARTNER_DB", Environment.GetEnvironmentVariable("SP_TEST_PARTNER_DB")! })
            {
                var (code, output, error) = await CliRunner.Run(
                    ["aggregate", "--dataset", Dataset, "--database", database, "--participations", "select * from attendance"]);

                Assert.Equal(2, code);
                Assert.Contains($"Could not connect to the database 'attendance' on 'tcp://127.0.0.1:{port}'", error, StringComparison.Ordinal);
                Assert.DoesNotContain(Password, error + output, StringComparison.Ordinal);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("SP_TEST_PARTNER_DB", null);
        }
    }

    /// <summary>The sample participation file as a SQLite table <c>attendance</c>, every column text.</summary>
    private string SampleDatabase()
    {
        var database = Path.Combine(_temp, "attendance.db");
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        var table = ParticipationSourceTests.Table(File.ReadAllBytes(Participations));
        using var create = connection.CreateCommand();
        create.CommandText = $"create table attendance ({string.Join(", ", table.Columns.Select(c => $"\"{c}\" text"))})";
        create.ExecuteNonQuery();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = $"insert into attendance values ({string.Join(", ", table.Columns.Select((_, i) => $"@p{i}"))})";
        for (var i = 0; i < table.Columns.Length; i++)
        {
            insert.Parameters.Add(new SqliteParameter($"@p{i}", null));
        }
        foreach (var (_, cells) in table.Rows)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                insert.Parameters[i].Value = cells[i] is { Length: > 0 } cell ? System.Text.Encoding.UTF8.GetString(cell) : DBNull.Value;
            }
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
        return database;
    }

    [Fact]
    public async Task Aggregate_DatabaseOfNoKnownKind_SaysWhichKeysItNeeds()
    {
        var (code, _, error) = await CliRunner.Run(
            ["aggregate", "--dataset", Dataset, "--database", "User=me;Password=Hidden-pw-1", "--participations", "select 1"]);

        Assert.Equal(2, code);
        Assert.Contains("Host=", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Hidden-pw-1", error, StringComparison.Ordinal);
    }
}
