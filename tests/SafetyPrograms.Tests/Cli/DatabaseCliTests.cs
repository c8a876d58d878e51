using Microsoft.Data.Sqlite;
using SafetyPrograms.Tests.Ingest;
using SafetyPrograms.Tests.Support;

namespace SafetyPrograms.Tests.Cli;

/// <summary>
/// <c>aggregate --database</c>: participations from a query, with the same figures as from the file holding the same
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
        var database = Path.Combine(_temp, "attendance.db");
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
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
        }
        string[] query = ["--by", "province,role", "--measures", "participations,unique", "--format", "csv"];

        var fromFile = await CliRunner.Run(["aggregate", "--dataset", Dataset, "--participations", Participations, .. query]);
        var fromDatabase = await CliRunner.Run(
            ["aggregate", "--dataset", Dataset, "--database", $"Data Source={database};Pooling=False", "--participations", "select * from attendance", .. query]);

        Assert.Equal(fromFile.Code, fromDatabase.Code);
        Assert.Equal(fromFile.Out, fromDatabase.Out);
        Assert.Contains("\n", fromDatabase.Out, StringComparison.Ordinal);
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
