using System.Data.Common;
using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Aggregation;

public sealed partial class ParticipationStore
{
    /// <summary>
    /// Appends the rows of a source with named columns (a spreadsheet, a database query, a Parquet file): its columns
    /// are mapped by name onto the participation fields, and its rows go through the same field decoder and row rules as
    /// CSV, so the same rows give the same store and the same report whatever their source.
    /// </summary>
    /// <param name="source">The rows.</param>
    /// <param name="options">Column names, other columns, and a raw identifier column to pseudonymise as rows are read;
    /// <c>null</c> for <see cref="ParticipationSourceOptions.Default"/>.</param>
    /// <param name="cancellationToken">Checked between batches of rows.</param>
    /// <returns>What was accepted and rejected; "lines" are the source's row numbers, and each reject's
    /// <see cref="IngestReject.Location"/> is where the source says the row is.</returns>
    /// <remarks>
    /// The append is whole or nothing: when the source fails part way, or the append is cancelled, the store is left
    /// exactly as it was. Reading stops, as for <see cref="AppendCsv"/>, past the ingest limits (SP8016).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">The options name a raw identifier column but no <see cref="ParticipationSourceOptions.RawIdentifiers"/>.</exception>
    /// <exception cref="DataFormatException">The source's columns do not fit (a column that fills no field, two for one
    /// field, a required field without one; the message names each), or the source is not what it claims; nothing was added.</exception>
    /// <exception cref="ParticipationSourceException">The source failed part way (a lost connection, a failing query, a
    /// damaged file); its <see cref="ParticipationSourceException.ReadSoFar"/> says what had been read; nothing was added.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was added.</exception>
    public IngestReport Append(ParticipationSource source, ParticipationSourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(source);
        var mark = new Mark(this);
        _answeredSinceMark = [];
        try
        {
            return SourceIngest.Run(this, source, options ?? ParticipationSourceOptions.Default, cancellationToken);
        }
        catch
        {
            mark.Restore(this);
            throw;
        }
        finally
        {
            _answeredSinceMark = null;
        }
    }

    /// <summary>
    /// Appends the rows of an open ADO.NET data reader (any provider): its columns are mapped by name onto the participation
    /// fields and its values read by their type (dates, text, numbers, yes/no), as <see cref="DataReaderSource"/> describes.
    /// </summary>
    /// <param name="reader">The open reader, before its first row; read to its end (or to a limit) and not closed.</param>
    /// <param name="options">Column names and pseudonymisation, as for a source; <c>null</c> for the default.</param>
    /// <param name="cancellationToken">Checked between batches of rows.</param>
    /// <returns>What was accepted and rejected; "lines" count the result's rows from 1 (<c>row 12</c>).</returns>
    /// <remarks>Whole or nothing, as <see cref="Append(ParticipationSource, ParticipationSourceOptions?, CancellationToken)"/>:
    /// a reader that fails part way leaves the store as it was.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
    /// <exception cref="DataFormatException">The result's columns do not fit the participation fields; nothing was added.</exception>
    /// <exception cref="ParticipationSourceException">The reader failed part way; nothing was added.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was added.</exception>
    public IngestReport Append(DbDataReader reader, ParticipationSourceOptions? options = null, CancellationToken cancellationToken = default) =>
        Append(new DataReaderSource(Preconditions.CheckNotNull(reader)), options, cancellationToken);

    /// <summary>
    /// Reads a source as <see cref="Append(ParticipationSource, ParticipationSourceOptions?, CancellationToken)"/> does and
    /// reports what appending it to an empty store over the same dataset would do, without adding anything to this one.
    /// </summary>
    /// <param name="source">The rows.</param>
    /// <param name="options">As for the append.</param>
    /// <param name="cancellationToken">Checked between batches of rows.</param>
    /// <returns>The report the append would give on an empty store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">As for the append.</exception>
    /// <exception cref="DataFormatException">As for the append.</exception>
    /// <exception cref="ParticipationSourceException">As for the append.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IngestReport DryRun(ParticipationSource source, ParticipationSourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(source);
        return new ParticipationStore(Lookup.Dataset) { MaxRecords = MaxRecords, MemoryBound = MemoryBound }
            .Append(source, options, cancellationToken);
    }

    /// <summary>What the store held before an append, so that a failed one can be undone: records are only ever added at
    /// the end, and dictionaries only grow, so forgetting what came after the mark restores the store; a person's answers
    /// are kept once, so those first kept since the mark (<see cref="_answeredSinceMark"/>) are forgotten.</summary>
    private readonly struct Mark(ParticipationStore store)
    {
        private readonly int _count = store.Count;
        private readonly int _beneficiaries = store._beneficiaries.Count;
        private readonly int _contexts = store.ContextCount;
        private readonly int _scores = store.ScoreCount;
        private readonly int _minDay = store.MinDay;
        private readonly int _maxDay = store.MaxDay;
        private readonly bool _sorted = store._sorted;

        internal void Restore(ParticipationStore s)
        {
            s.Count = _count;
            s._beneficiaries.Truncate(_beneficiaries);
            foreach (var ben in s._answeredSinceMark ?? [])
            {
                s._personAnswers[ben] = 0;
                s._personSummary[ben] = 0;
            }
            for (var c = _contexts; c < s.ContextCount; c++)
            {
                s._contextIndex.Remove(((long)s._contextActivity[c] << 32) | (uint)(s._contextSchool[c] + 1));
            }
            s.ContextCount = _contexts;
            Array.Fill(s._activityContext, -1L);
            lock (s._contextValuesLock)
            {
                s._contextValues.Clear();
            }
            for (var code = _scores; code < s.ScoreCount; code++)
            {
                s._scoreIndex.Remove(s._scoreValues[code]);
            }
            s.ScoreCount = _scores;
            s._recentScores.AsSpan().Fill((NoScore, 0));
            s.MinDay = _minDay;
            s.MaxDay = _maxDay;
            s._sorted = _sorted;
        }
    }
}
