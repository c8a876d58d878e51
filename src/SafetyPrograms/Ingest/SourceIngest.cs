using System.Data.Common;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Ingest;

/// <summary>
/// The row pipeline for a <see cref="ParticipationSource"/>: the rows its <see cref="ParticipationRowWriter"/> holds are
/// decoded by the one field decoder, checked by the row rules and committed to the sink in batches, in row order; or,
/// read as records (<see cref="ReadRecords"/>), decoded by the same decoder into the typed readers' results.
/// </summary>
internal sealed class SourceIngest
{
    private readonly IRowSink? _sink;
    private readonly Action<ParticipationReadResult[]>? _records;
    private readonly ParticipationSource _source;
    private readonly IngestReportBuilder _report;
    private readonly RowLocator _locator; // the source's places, with the writer's columns: for the report and for records
    private readonly ParsedBatch? _batch;
    private readonly ParticipationRecordBuilder? _builder;
    private readonly CancellationToken _cancellationToken;
    private long _lastRow = long.MinValue;
    private long? _lastEnded;
    private long _recordsRead;
    private ParticipationRowWriter? _writer;

    private SourceIngest(IRowSink sink, ParticipationSource source, CancellationToken cancellationToken)
    {
        _sink = sink;
        _source = source;
        _report = new IngestReportBuilder(source.Name, _locator = RowLocator.Of(Locate));
        _batch = new ParsedBatch(new RowParser(sink));
        _cancellationToken = cancellationToken;
    }

    private SourceIngest(Action<ParticipationReadResult[]> records, ParticipationSource source, CancellationToken cancellationToken)
    {
        _records = records;
        _source = source;
        _report = new IngestReportBuilder(source.Name, _locator = RowLocator.Of(Locate));
        _builder = new ParticipationRecordBuilder();
        _cancellationToken = cancellationToken;
    }

    /// <summary>Whether the rows become records rather than rows of a store: the source must then give cells, never decoded batches.</summary>
    internal bool ReadsRecords => _records is not null;

    internal string? Name => _source.Name;

    /// <summary>Whether a row has begun.</summary>
    internal bool Started => _lastRow != long.MinValue;

    internal bool Stopped => _report.StoppedEarly;

    /// <summary>Notes that the source ended row <paramref name="rowNumber"/>: where it had got to, should it fail.</summary>
    internal void Ended(long rowNumber) => _lastEnded = rowNumber;

    /// <summary>Reads the whole source into the sink.</summary>
    /// <exception cref="ParticipationSourceException">The source failed part way; the report so far is in the exception.</exception>
    internal static IngestReport Run(IRowSink sink, ParticipationSource source, ParticipationSourceOptions options, CancellationToken cancellationToken)
    {
        var ingest = new SourceIngest(sink, source, cancellationToken);
        ingest.Read(options);
        return ingest._report.Build();
    }

    /// <summary>
    /// Reads the whole source as records, handing them to <paramref name="records"/> a batch at a time, in row order:
    /// each row decoded by the one field decoder (a raw identifier keyed first), no row rule applied.
    /// </summary>
    /// <exception cref="DataFormatException">The source is not what it claims, or it stopped at a record too long to read
    /// on past (after that record's failure was handed on).</exception>
    /// <exception cref="ParticipationSourceException">The source failed part way.</exception>
    internal static void ReadRecords(
        ParticipationSource source, ParticipationSourceOptions options, Action<ParticipationReadResult[]> records, CancellationToken cancellationToken)
    {
        var ingest = new SourceIngest(records, source, cancellationToken);
        ingest.Read(options);
        if (ingest.Stopped)
        {
            // As the typed readers do: the record too long is refused, then reading cannot go on.
            throw new DataFormatException(RecordChunker.StoppedMessage, source.Name, null, ingest._lastRow, null);
        }
    }

    /// <summary>Has the source read its rows through a writer with <paramref name="options"/>.</summary>
    /// <exception cref="ParticipationSourceException">The source failed part way, after the rows read whole before.</exception>
    private void Read(ParticipationSourceOptions options)
    {
        var writer = new ParticipationRowWriter(this, options);
        _writer = writer;
        try
        {
            _cancellationToken.ThrowIfCancellationRequested();
            _source.ReadRows(writer, _cancellationToken);
            writer.Finish();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not DataFormatException)
        {
            // The rows read whole before the failure are counted, so the report says how far the source got.
            writer.Abandon();
            Flush(writer.Cells, cancellable: false);
            throw Failed(ex);
        }
    }

    /// <summary>Where a refused row is: the cell of the source column at fault, or the row when the row as a whole is.</summary>
    private string Locate(long rowNumber, string? path) =>
        path is not null && _writer?.SourceColumn(path) is >= 0 and var column ? _source.Locate(rowNumber, column) : _source.Locate(rowNumber);

    /// <summary>Whether a row may take number <paramref name="rowNumber"/> (it must increase); makes room for it in the batch.</summary>
    internal bool Accepts(long rowNumber, CellBatch cells)
    {
        if (rowNumber <= _lastRow)
        {
            return false;
        }
        if (cells.Count > 0 && rowNumber - cells.FirstRow >= int.MaxValue)
        {
            Flush(cells); // a batch counts its rows from its first in an int
        }
        _lastRow = rowNumber;
        return true;
    }

    /// <summary>Decodes, checks and commits the rows held, then empties the batch.</summary>
    internal void Flush(CellBatch cells, bool cancellable = true)
    {
        if (cells.Count == 0 || Stopped)
        {
            cells.Clear();
            return;
        }
        if (cancellable)
        {
            _cancellationToken.ThrowIfCancellationRequested();
        }
        if (_records is not null)
        {
            _records(Records(cells));
            cells.Clear();
            return;
        }
        var batch = _batch!;
        batch.Clear();
        var first = cells.FirstRow;
        for (var row = 0; row < cells.Count; row++)
        {
            var lineEnds = (int)(cells.RowNumber(row) - first);
            var error = cells.Refused(row);
            if (error is null)
            {
                ParticipationCsv.Row(new Cells(cells, row), out var fields);
                error = RowParser.Add(batch, lineEnds, in fields);
            }
            if (error is not null)
            {
                batch.Rejects.Add((lineEnds, error));
            }
        }
        batch.Parser.Resolve(batch);
        _sink!.Commit(batch, first, _report);
        cells.Clear();
    }

    /// <summary>
    /// The rows held as the typed readers' results: a record, or why the row is not one, its path the source's column at
    /// fault (<c>phone</c> for a raw identifier that cannot be keyed, <c>attended_on</c> for a renamed date).
    /// </summary>
    private ParticipationReadResult[] Records(CellBatch cells)
    {
        var results = new ParticipationReadResult[cells.Count];
        for (var row = 0; row < cells.Count; row++)
        {
            var line = cells.RowNumber(row);
            FieldProblem? problem;
            ParticipationRecord? record = null;
            if (cells.Refused(row) is { } error)
            {
                var fault = error.Code == ValidationRules.RecordBrokenQuote.Code ? ReadFault.BrokenQuote
                    : error.Code == ValidationRules.SubmissionSentAgain.Code ? ReadFault.SentAgain
                    : ReadFault.Unreadable;
                problem = new FieldProblem(error.Message, error.Column, fault);
            }
            else
            {
                ParticipationCsv.Row(new Cells(cells, row), out var fields);
                problem = _builder!.TryBuild(in fields, out record);
            }
            results[row] = problem is null
                ? ParticipationReadResult.Success(line, record!).At(_locator)
                : ParticipationRecordBuilder.Failure(problem with { Column = _writer?.SourceColumnName(problem.Column) ?? problem.Column }, line, Name).At(_locator);
        }
        _recordsRead += results.Length;
        return results;
    }

    /// <summary>Commits the rows held, then stops: the report says the source was not read to its end.</summary>
    internal void StopEarly(CellBatch cells)
    {
        Flush(cells);
        _report.StoppedEarly = true;
    }

    /// <summary>A batch for rows a source decodes itself (<see cref="ParticipationRowWriter.NewBatch"/>).</summary>
    internal ParsedBatch NewBatch() =>
        new(new RowParser(_sink ?? throw new InvalidOperationException("Rows read as records are given as cells, never in decoded batches.")));

    /// <summary>Makes room for <paramref name="rows"/> more rows in the sink (none when read as records).</summary>
    internal void Reserve(long rows) => _sink?.Reserve(_sink.Count + rows);

    /// <summary>Commits a batch of decoded rows, numbered <paramref name="firstRow"/> to <paramref name="lastRow"/>, after the cells held.</summary>
    internal bool Commit(CellBatch cells, ParsedBatch batch, long firstRow, long lastRow)
    {
        if (firstRow <= _lastRow || lastRow < firstRow)
        {
            throw new ArgumentOutOfRangeException(nameof(firstRow), firstRow, "Row numbers must increase from row to row.");
        }
        Flush(cells);
        if (Stopped)
        {
            return false;
        }
        _cancellationToken.ThrowIfCancellationRequested();
        _lastRow = lastRow;
        (_sink ?? throw new InvalidOperationException("Rows read as records are given as cells, never in decoded batches.")).Commit(batch, firstRow, _report);
        _lastEnded = lastRow;
        return !Stopped;
    }

    /// <summary>The exception for a source that failed part way: where, and what had been read, without a value from it.</summary>
    private ParticipationSourceException Failed(Exception ex)
    {
        var report = _report.Build();
        if (ex is ParticipationSourceException own)
        {
            return new ParticipationSourceException(own.Message, report, own.InnerException ?? own); // the source said what failed
        }
        var where = _lastEnded is { } last ? $"after {_source.Locate(last)}" : "before its first row was read";
        var state = ex is DbException { SqlState: { } sqlState } ? $", SQLSTATE {sqlState}" : "";
        return new ParticipationSourceException(
            $"Reading {Name ?? "the source"} failed {where} ({ex.GetType().Name}{state}); " +
            (_records is null ? $"{report.Read:N0} rows had been read before; the store was left as it was." : $"{_recordsRead:N0} rows had been read before."),
            report, ex);
    }

    /// <summary>One row of a batch as participation cells.</summary>
    private static readonly int[] AllColumns = [.. Enumerable.Range(0, ParticipationColumns.Count)];

    private readonly ref struct Cells(CellBatch batch, int row) : IParticipationCells
    {
        public ReadOnlySpan<int> Columns => AllColumns;

        public ReadOnlySpan<byte> Cell(int column) => batch.Cell(row, column);
    }
}
