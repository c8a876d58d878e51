using SafetyPrograms.Domain;
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
            else
            {
                ParticipationCsv.Write(stream, Counted());
            }
        });
        return written;
    }
}
