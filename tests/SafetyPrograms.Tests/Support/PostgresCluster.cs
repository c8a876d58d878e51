using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SafetyPrograms.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: made with the installed server's <c>initdb</c> in a temporary
/// directory, started with <c>pg_ctl</c> on a free loopback port (as the <c>postgres</c> user when the tests run as
/// root, since the server refuses to run as root), and stopped and removed when the tests are done. Started on first
/// use, so a class whose tests are skipped (no PostgreSQL installed) never starts one.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    /// <summary>The programs the cluster needs: tests using it are <c>[FactWhenInstalled(PostgresCluster.Initdb, PostgresCluster.PgCtl)]</c>.</summary>
    public const string Initdb = "initdb", PgCtl = "pg_ctl";

    /// <summary>The password of the cluster's superuser, so that tests can check it is never echoed.</summary>
    public const string Password = "Sp-test-pw-7qK2x9";

    private readonly Lock _lock = new();
    private string? _directory;
    private int _port;

    /// <summary>A connection string to database <paramref name="database"/> (made on first use), as the superuser with its password.</summary>
    public string ConnectionString(string database = "postgres")
    {
        lock (_lock)
        {
            if (_directory is null)
            {
                Start();
            }
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = _port, Username = "postgres", Password = Password, Database = "postgres", Pooling = false,
        };
        if (database != "postgres")
        {
            using var connection = new NpgsqlConnection(builder.ConnectionString);
            connection.Open();
            using var exists = new NpgsqlCommand("select count(*) from pg_database where datname = @name", connection);
            exists.Parameters.AddWithValue("name", database);
            if ((long)exists.ExecuteScalar()! == 0)
            {
                using var create = new NpgsqlCommand($"create database \"{database}\"", connection);
                create.ExecuteNonQuery();
            }
            builder.Database = database;
        }
        return builder.ConnectionString;
    }

    /// <summary>A loopback port no one listens on at the moment.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Start()
    {
        var directory = Directory.CreateTempSubdirectory("sp-postgres-").FullName;
        var data = Path.Combine(directory, "data");
        var passwordFile = Path.Combine(directory, "pw");
        File.WriteAllText(passwordFile, Password + "\n");
        Own(directory);
        Run(ExternalTool.Find(Initdb)!, "-D", data, "-U", "postgres", "--auth=scram-sha-256", "--pwfile=" + passwordFile, "--no-sync", "-E", "UTF8", "--locale=C");
        _port = FreePort();
        Run(
            ExternalTool.Find(PgCtl)!, "-D", data, "-l", Path.Combine(directory, "log"), "-w", "-t", "60",
            "-o", $"-p {_port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        _directory = directory;
    }

    /// <summary>Gives the directory to the postgres user when running as root.</summary>
    private static void Own(string directory)
    {
        if (Environment.UserName == "root")
        {
            Run("/bin/chown", "-R", "postgres", directory);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var asPostgres = Environment.UserName == "root" && !program.StartsWith("/bin/", StringComparison.Ordinal);
        var result = asPostgres
            ? ProcessRunner.Run("runuser", ["-u", "postgres", "--", program, .. arguments], "/", TimeSpan.FromMinutes(2))
            : ProcessRunner.Run(program, arguments, "/", TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed: {result}");
        }
    }

    public void Dispose()
    {
        if (_directory is not { } directory)
        {
            return;
        }
        Run(ExternalTool.Find(PgCtl)!, "-D", Path.Combine(directory, "data"), "-m", "immediate", "-w", "stop");
        Directory.Delete(directory, recursive: true);
        _directory = null;
    }
}
