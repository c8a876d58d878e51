using System.CommandLine;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using SafetyPrograms.Domain;
using SafetyPrograms.Parquet;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Cli.Commands;

/// <summary>Opening the files a command is given: one place for paths, formats and their errors.</summary>
internal static class Inputs
{
    /// <summary>The sample dataset shipped beside the tool.</summary>
    public static string SampleDataset => Path.Combine(AppContext.BaseDirectory, "data", "programmes.json");

    /// <summary>The sample ADX mapping shipped beside the tool: the sample dataset's codes in an illustrative DHIS2 instance.</summary>
    public static string SampleAdxMapping => Path.Combine(AppContext.BaseDirectory, "data", "adx-mapping.json");

    public static ProgrammeDataset ReadDataset(string path)
    {
        using var stream = File.OpenRead(path);
        return ProgrammeDatasetJson.Read(stream, path);
    }

    /// <summary>Whether a participation file is JSON Lines (by extension); anything else is read as CSV.</summary>
    public static bool IsJsonLines(string path) =>
        path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The option that reads participations from a database instead of a file: a connection string, or <c>env:NAME</c>
    /// for one held in an environment variable, which keeps the password off the command line and out of the shell's
    /// history. The tool never prints it.
    /// </summary>
    public static Option<string?> DatabaseOption() => new("--database")
    {
        Description = "Read participations from a database: a PostgreSQL (Host=…;Database=…) or SQLite (Data Source=file.db) "
            + "connection string, or env:NAME to read it from that environment variable. --participations is then the query "
            + "(or @file.sql), its columns named as the participation fields.",
    };

    /// <summary>The query the --participations option gives with --database: its text, or <c>@file.sql</c>'s content.</summary>
    public static string Query(string participations) =>
        participations.StartsWith('@') ? File.ReadAllText(participations[1..]) : participations;

    /// <summary>The files a participation input reads for these options (an output must not replace them): the
    /// participation file, or with a database the query's <c>@file.sql</c>, if any.</summary>
    public static IEnumerable<string> ParticipationFiles(string participations, string? database) =>
        database is null ? [participations] : participations.StartsWith('@') ? [participations[1..]] : [];

    /// <summary>
    /// A connection (not yet open) for a connection string or <c>env:NAME</c>: PostgreSQL when it names a host, SQLite when
    /// it names a data source. Messages name the keys that are missing, never a value.
    /// </summary>
    internal static DbConnection OpenDatabase(string database)
    {
        var connectionString = database;
        if (database.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = database[4..];
            connectionString = Environment.GetEnvironmentVariable(name)
                ?? throw new ArgumentException($"--database: the environment variable {name} is not set.");
        }
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            throw new ArgumentException("--database: the connection string is not a list of key=value pairs separated by semicolons.");
        }
        return builder.ContainsKey("Host") || builder.ContainsKey("Server")
            ? new NpgsqlConnection(connectionString)
            : builder.ContainsKey("Data Source") || builder.ContainsKey("DataSource") || builder.ContainsKey("Filename")
                ? new SqliteConnection(connectionString)
                : throw new ArgumentException("--database: say which database: a PostgreSQL connection string has Host=…, a SQLite one Data Source=file.db.");
    }

    /// <summary>Whether a participation file is Parquet (by extension).</summary>
    public static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Streams a participation file; the stream is closed when enumeration ends.</summary>
    public static IEnumerable<ParticipationReadResult> ReadParticipations(string path, CancellationToken cancellationToken = default)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var lines = IsJsonLines(path) ? ParticipationJsonLines.Read(stream, path) : ParticipationCsv.Read(stream, path);
        foreach (var line in lines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return line;
        }
    }

    /// <summary>
    /// Writes a participation file through <see cref="Console.OutputFile"/>: never onto an input, a directory or a device,
    /// and through a temporary file that replaces <paramref name="path"/> only when complete, so that Ctrl-C or an error
    /// never leaves a shortened file that looks whole.
    /// </summary>
    /// <returns>How many records were written.</returns>
    public static long WriteParticipations(string path, IEnumerable<string> inputs, IEnumerable<ParticipationRecord> records)
    {
        long written = 0;
        IEnumerable<ParticipationRecord> Counted()
        {
            foreach (var record in records)
            {
                written++;
                yield return record;
            }
        }
        Console.OutputFile.Write(path, inputs, stream =>
        {
            if (IsJsonLines(path))
            {
                ParticipationJsonLines.Write(stream, Counted());
            }
            else if (IsParquet(path))
            {
                ParticipationParquet.Write(stream, Counted());
            }
            else
            {
                ParticipationCsv.Write(stream, Counted());
            }
        });
        return written;
    }
}
