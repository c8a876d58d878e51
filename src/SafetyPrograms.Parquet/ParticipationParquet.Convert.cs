using SafetyPrograms.Domain;
using SafetyPrograms.Indexing;
using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Parquet;

public static partial class ParticipationParquet
{
    /// <summary>
    /// Converts the rows of a source to a Parquet file of the documented schema, streaming: rows go through the one field
    /// decoder and row rules against <paramref name="dataset"/>, as an append to a store would take them, and the accepted
    /// ones are written a row group at a time, so memory holds one row group whatever the size of the source.
    /// </summary>
    /// <remarks>
    /// Rows refused by the row rules are reported (by code and location, as an append reports them) and not written.
    /// The limits of a store's own capacity (SP8013, distinct scores; SP8016, records and memory) are not a
    /// conversion's: the store that reads the file applies them. Records are written in the source's order.
    /// </remarks>
    /// <param name="source">The rows.</param>
    /// <param name="dataset">The dataset the rows refer to: their activities and schools.</param>
    /// <param name="output">Where to write: writable; not closed. Use <see cref="ConvertCsvFile"/> for a file that is never left half-written.</param>
    /// <param name="options">Column names and pseudonymisation, as for any source; <c>null</c> for the default.</param>
    /// <param name="cancellationToken">Checked between batches of rows.</param>
    /// <returns>What was read, written (accepted) and refused.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="DataFormatException">The source's columns do not fit the participation fields.</exception>
    /// <exception cref="ParticipationSourceException">The source failed part way; what <paramref name="output"/> holds is incomplete.</exception>
    public static IngestReport Convert(
        ParticipationSource source, ProgrammeDataset dataset, Stream output, ParticipationSourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(source);
        return Convert(dataset, output, sink => SourceIngest.Run(sink, source, options ?? ParticipationSourceOptions.Default, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Converts a participation CSV file (the CSV contract) to a Parquet file of the documented schema, streaming, as
    /// <see cref="Convert(ParticipationSource, ProgrammeDataset, Stream, ParticipationSourceOptions?, CancellationToken)"/> does.
    /// </summary>
    /// <param name="csv">The CSV, UTF-8 with its header row: readable; not closed.</param>
    /// <param name="fileName">The CSV's name, for the report and messages.</param>
    /// <param name="dataset">The dataset the rows refer to.</param>
    /// <param name="output">Where to write: writable; not closed.</param>
    /// <param name="cancellationToken">Checked between chunks.</param>
    /// <returns>What was read, written (accepted) and refused; "lines" are CSV lines.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="fileName"/> is null.</exception>
    /// <exception cref="DataFormatException">The CSV's header does not name the participation columns.</exception>
    public static IngestReport ConvertCsv(Stream csv, string? fileName, ProgrammeDataset dataset, Stream output, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(csv);
        return Convert(dataset, output, sink => CsvIngest.Append(sink, csv, fileName, cancellationToken: cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Converts a participation JSON Lines file (one record a line, the JSON contract) to a Parquet file of the documented
    /// schema, streaming, as <see cref="ConvertCsv(Stream, string?, ProgrammeDataset, Stream, CancellationToken)"/> converts a CSV.
    /// </summary>
    /// <param name="jsonLines">The JSON Lines, UTF-8: readable; not closed.</param>
    /// <param name="fileName">The file's name, for the report and messages.</param>
    /// <param name="dataset">The dataset the rows refer to.</param>
    /// <param name="output">Where to write: writable; not closed.</param>
    /// <param name="cancellationToken">Checked between chunks.</param>
    /// <returns>What was read, written (accepted) and refused; "lines" are the file's lines.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="fileName"/> is null.</exception>
    /// <exception cref="DataFormatException">The input is not text; nothing was written.</exception>
    public static IngestReport ConvertJsonLines(Stream jsonLines, string? fileName, ProgrammeDataset dataset, Stream output, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(jsonLines);
        return Convert(dataset, output, sink => JsonLinesIngest.Append(sink, jsonLines, fileName, cancellationToken: cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Converts a participation CSV file to a Parquet file, streaming (<see cref="ConvertCsv(Stream, string?, ProgrammeDataset, Stream, CancellationToken)"/>):
    /// the file is written under a temporary name beside <paramref name="parquetPath"/> and renamed into place when whole,
    /// so <paramref name="parquetPath"/> is never half-written; on any failure the temporary file is removed and an
    /// existing file at <paramref name="parquetPath"/> is left as it was.
    /// </summary>
    /// <param name="csvPath">The CSV file.</param>
    /// <param name="parquetPath">The Parquet file to write (replaced if it exists); not the CSV itself.</param>
    /// <param name="dataset">The dataset the rows refer to.</param>
    /// <param name="cancellationToken">Checked between chunks.</param>
    /// <returns>What was read, written (accepted) and refused.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Both paths name the same file.</exception>
    /// <exception cref="DataFormatException">The CSV's header does not name the participation columns; nothing was written.</exception>
    public static IngestReport ConvertCsvFile(string csvPath, string parquetPath, ProgrammeDataset dataset, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(csvPath);
        Preconditions.CheckNotNull(parquetPath);
        Preconditions.CheckNotNull(dataset);
        var target = Path.GetFullPath(parquetPath);
        if (string.Equals(Path.GetFullPath(csvPath), target, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            throw new ArgumentException("The Parquet file would overwrite the CSV it is converted from: give another path.", nameof(parquetPath));
        }
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            IngestReport report;
            using (var csv = File.OpenRead(csvPath))
            using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                report = ConvertCsv(csv, Path.GetFileName(csvPath), dataset, output, cancellationToken);
                output.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
            return report;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static IngestReport Convert(ProgrammeDataset dataset, Stream output, Func<IRowSink, IngestReport> read, CancellationToken cancellationToken)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(output);
        var file = FileWriter.CreateAsync(output, null, cancellationToken).GetAwaiter().GetResult();
        try
        {
            var report = read(new FileSink(ProgrammeIndex.For(dataset), file));
            file.FinishAsync().GetAwaiter().GetResult();
            return report;
        }
        finally
        {
            file.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Where a conversion's checked rows go: the accepted ones into the file as records, the refused ones into the report.</summary>
    private sealed class FileSink(ProgrammeIndex index, FileWriter file) : IRowSink
    {
        private readonly Id<Activity>[] _activities = [.. index.ActivityIds.Select(id => new Id<Activity>(id))];
        private readonly Id<School>[] _schools = [.. index.SchoolIds.Select(id => new Id<School>(id))];
        private BeneficiaryKey _lastKey;

        public ProgrammeIndex Index => index;

        public RowChecker Rules { get; } = RowChecker.For(index.Dataset);

        public DatasetKeys Keys { get; } = DatasetKeys.For(index);

        public int Count => (int)Math.Min(file.Written, int.MaxValue);

        public void Reserve(long records)
        {
            // A file needs no room made: it holds one row group at a time.
        }

        public void Commit(ParsedBatch batch, long firstLine, IngestReportBuilder report)
        {
            var rejects = batch.Rejects;
            var next = 0;
            for (var row = 0; row < batch.Count; row++)
            {
                var lineEnds = batch.LineEnds[row];
                for (; next < rejects.Count && rejects[next].LineEnds < lineEnds; next++)
                {
                    report.Reject(firstLine + rejects[next].LineEnds, rejects[next].Error);
                }
                var activity = batch.Activity[row];
                if (activity < 0)
                {
                    continue; // refused when resolved: its reject is in the list
                }
                var school = batch.School[row];
                file.AddAsync(Record(
                    Key(batch.Beneficiary[row]), _activities[activity], batch.Day[row], batch.Flags[row], batch.Age[row],
                    school >= 0 && school != index.ActivitySchool[activity] ? _schools[school] : null,
                    Scaled(batch.Pre[row]), Scaled(batch.Post[row]), batch.Functioning[row])).AsTask().GetAwaiter().GetResult();
                report.Read++;
                report.Accepted++;
            }
            for (; next < rejects.Count; next++)
            {
                report.Reject(firstLine + rejects[next].LineEnds, rejects[next].Error);
            }
        }

        /// <summary>The key of a row; one object for a run of rows of one beneficiary.</summary>
        private BeneficiaryKey Key(ReadOnlySpan<byte> key)
        {
            if (_lastKey.Value.Length == key.Length && key.Length > 0 && System.Text.Ascii.Equals(key, _lastKey.Value))
            {
                return _lastKey;
            }
            return _lastKey = new BeneficiaryKey(System.Text.Encoding.ASCII.GetString(key));
        }

        private static decimal? Scaled(long scaled) => scaled == RowChecker.NoScore ? null : scaled / (decimal)RowChecker.ScoreScale;
    }
}
