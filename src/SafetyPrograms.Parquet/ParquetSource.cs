using Parquet;
using Parquet.Meta;
using Parquet.Schema;
using SafetyPrograms.Indexing;
using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Parquet;

/// <summary>
/// Participation rows from a Parquet file: its columns are mapped by name onto the participation fields, and each value
/// handed over by its type (strings, dates, booleans, decimals, integers, floating-point numbers), so that the file goes
/// through the one row pipeline and row rules as every source does. Files written by <see cref="ParticipationParquet"/>
/// have exactly the participation columns; other files may have more (<see cref="ParticipationSourceOptions.IgnoreOtherColumns"/>).
/// </summary>
/// <remarks>
/// Rows are numbered from 1 in file order, and read <c>record 12</c> in a report. A file that is not Parquet, or whose
/// footer is damaged, is refused before any row with a <see cref="DataFormatException"/> saying so; a column of a nested or
/// binary type is refused likewise, naming it. Read once; the stream is not closed.
/// </remarks>
/// <param name="stream">The file: readable and seekable.</param>
/// <param name="fileName">The file name, for the report and messages.</param>
public sealed class ParquetSource(Stream stream, string? fileName = null) : ParticipationSource(fileName)
{
    private readonly Stream _stream = Preconditions.CheckNotNull(stream);

    /// <inheritdoc/>
    public override string Locate(long rowNumber) => $"record {rowNumber}";

    /// <inheritdoc/>
    protected internal override void ReadRows(ParticipationRowWriter rows, CancellationToken cancellationToken) =>
        ReadAsync(Preconditions.CheckNotNull(rows), cancellationToken).GetAwaiter().GetResult();

    private async Task ReadAsync(ParticipationRowWriter rows, CancellationToken cancellationToken)
    {
        await using var reader = await Open(cancellationToken).ConfigureAwait(false);
        var fields = reader.Schema.Fields.Select(f => f as DataField ?? throw Refused($"The column '{f.Name}' is nested; participation columns are plain values.", f.Name)).ToArray();
        var columns = fields.Select(f => Column.For(f, Name)).ToArray();
        rows.SetColumns([.. fields.Select(f => f.Name)]);
        if (!rows.TakesCellsOnly && reader.Metadata is { } metadata && ColumnChunks.CanRead(metadata, fields))
        {
            ReadDirect(metadata, fields, rows);
            return;
        }
        var number = 0L;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            for (var c = 0; c < columns.Length; c++)
            {
                try
                {
                    await columns[c].ReadAsync(group, count, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException and not DataFormatException)
                {
                    throw Damaged(g, fields[c].Name, ex);
                }
            }
            for (var row = 0; row < count; row++)
            {
                rows.BeginRow(++number);
                for (var c = 0; c < columns.Length; c++)
                {
                    columns[c].Set(rows, c, row);
                }
                if (!rows.EndRow())
                {
                    return;
                }
            }
        }
    }

    /// <summary>Rows a worker decodes at once.</summary>
    private const int BatchRows = 16_384;

    /// <summary>
    /// Reads every row group with <see cref="ColumnChunks"/>: its columns decoded at once (one a worker) while the row
    /// group before it is still being checked and committed, then its rows decoded and checked in batches on workers and
    /// committed in row order, so the store and report are those of a row-by-row read.
    /// </summary>
    private void ReadDirect(FileMetaData metadata, DataField[] fields, ParticipationRowWriter rows)
    {
        var columnOfField = rows.ColumnOfField();
        var present = Enumerable.Range(0, columnOfField.Length).Where(f => columnOfField[f] >= 0).ToArray();
        var spare = new Stack<ParsedBatch>();
        spare.Push(rows.NewBatch());
        var parser = spare.Peek().Parser;
        // Two sets of columns: one row group is decoded into one while the rows of the one before are read from the other.
        DecodedGroup[] sets = [new(fields, columnOfField, parser.Keys, parser.Rules), new(fields, columnOfField, parser.Keys, parser.Rules)];
        var degree = ChunkedIngest.DefaultDegree;
        var pending = new Queue<(Task<ParsedBatch> Batch, long First, long Last)>();
        var groups = metadata.RowGroups;
        rows.Reserve(metadata.NumRows);
        var number = 0L;
        Task? decoding = groups.Count > 0 ? Task.Run(() => DecodeGroup(groups[0], 0, sets[0], degree)) : null;
        try
        {
            for (var g = 0; g < groups.Count; g++)
            {
                decoding!.GetAwaiter().GetResult();
                var set = sets[g % 2];
                var next = g + 1;
                // The other set's batches were all committed at the end of the last row group: it is free.
                decoding = next < groups.Count ? Task.Run(() => DecodeGroup(groups[next], next, sets[next % 2], degree)) : null;
                var count = checked((int)groups[g].NumRows);
                for (var start = 0; start < count; start += BatchRows)
                {
                    var (first, end) = (start, Math.Min(count, start + BatchRows));
                    var batch = spare.Count > 0 ? spare.Pop() : rows.NewBatch();
                    batch.Clear();
                    pending.Enqueue((Task.Run(() => Fill(batch, set.ByField, present, set.Entries, first, end)), number + first + 1, number + end));
                    while (pending.Count > degree)
                    {
                        if (!Commit(rows, pending, spare))
                        {
                            return;
                        }
                    }
                }
                while (pending.Count > 0)
                {
                    if (!Commit(rows, pending, spare))
                    {
                        return;
                    }
                }
                number += count;
            }
        }
        finally
        {
            foreach (var (task, _, _) in pending)
            {
                ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
            }
            // A row group decoded ahead of a stop or a failure is not read; it must not outlive the append, which owns the stream.
            if (decoding is not null)
            {
                ((IAsyncResult)decoding).AsyncWaitHandle.WaitOne();
            }
        }
    }

    /// <summary>One set of decoded columns, each participation field's column in it, and its dictionary entries decoded.</summary>
    private sealed class DecodedGroup
    {
        internal DecodedGroup(DataField[] fields, int[] columnOfField, DatasetKeys keys, RowChecker rules)
        {
            Columns = [.. fields.Select(f => new ColumnChunks.Column(f))];
            ByField = [.. columnOfField.Select(c => c >= 0 ? Columns[c] : null)];
            FieldOf = [.. Enumerable.Range(0, Columns.Length).Select(c => Array.IndexOf(columnOfField, c))];
            Chunks = new byte[Columns.Length][];
            Entries = DecodedEntries.For(ByField, keys, rules);
        }

        internal ColumnChunks.Column[] Columns { get; }

        internal ColumnChunks.Column?[] ByField { get; }

        /// <summary>Each column's participation field, or -1.</summary>
        internal int[] FieldOf { get; }

        /// <summary>Each column's chunk buffer, reused.</summary>
        internal byte[][] Chunks { get; }

        internal DecodedEntries? Entries { get; }
    }

    /// <summary>
    /// Reads and decodes one row group's column chunks. Whatever a damaged page makes the decoding fail with (a page header
    /// or Snappy block that does not add up, a value past its page, a dictionary entry it lacks) is one refusal naming the
    /// row group and column: the rows before it were read whole, and the append that fails keeps none of them.
    /// </summary>
    /// <param name="group">The row group's metadata.</param>
    /// <param name="number">Its number in the file, from 0.</param>
    /// <param name="set">The columns to decode into; each column's dictionary entries are decoded on the worker that decoded it.</param>
    /// <param name="degree">The workers.</param>
    private void DecodeGroup(RowGroup group, int number, DecodedGroup set, int degree)
    {
        var columns = set.Columns;
        var chunks = set.Chunks;
        var count = checked((int)group.NumRows);
        var at = 0;
        try
        {
            for (; at < columns.Length; at++)
            {
                chunks[at] = ReadChunk(group.Columns[at].MetaData!, chunks[at]);
            }
            Parallel.For(0, columns.Length, new ParallelOptions { MaxDegreeOfParallelism = degree }, c =>
            {
                try
                {
                    columns[c].Decode(chunks[c].AsSpan(0, checked((int)group.Columns[c].MetaData!.TotalCompressedSize)), group.Columns[c].MetaData!.Codec, count);
                    set.Entries?.Prepare(set.FieldOf[c]);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException and not DataFormatException)
                {
                    throw Damaged(number, columns[c].Name, ex);
                }
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.OfType<DataFormatException>().FirstOrDefault() is { } damaged)
        {
            throw damaged;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException and not DataFormatException and not AggregateException)
        {
            throw Damaged(number, columns[at].Name, ex);
        }
    }

    /// <summary>
    /// A column chunk that cannot be decoded. The message names the place and a fixed kind of fault, never the decoder's
    /// own words, which may quote bytes of the damaged file; those stay in <see cref="Exception.InnerException"/>.
    /// </summary>
    private DataFormatException Damaged(int group, string column, Exception ex) => new(
        $"The file is damaged: row group {group + 1}, column '{column}' cannot be decoded ("
        + ex switch
        {
            EndOfStreamException => "its data ends early",
            IOException or InvalidDataException => "its pages are not valid",
            _ => "its values cannot be read",
        }
        + "). Write it again from its source.",
        Name, column, null, null, ex);

    private static bool Commit(ParticipationRowWriter rows, Queue<(Task<ParsedBatch> Batch, long First, long Last)> pending, Stack<ParsedBatch> spare)
    {
        var (task, first, last) = pending.Dequeue();
        var batch = task.GetAwaiter().GetResult();
        var go = rows.Commit(batch, first, last);
        spare.Push(batch);
        return go;
    }

    /// <summary>
    /// Decodes and checks rows <paramref name="start"/> to <paramref name="end"/> of a row group into a batch (any thread):
    /// all at once by their decoded and resolved dictionary entries when none is refused, otherwise row by row, by their
    /// decoded entries where every field decodes, else as text through the one field decoder.
    /// </summary>
    private static ParsedBatch Fill(ParsedBatch batch, ColumnChunks.Column?[] byField, int[] present, DecodedEntries? entries, int start, int end)
    {
        if (entries is not null && entries.TryAddAll(batch, start, end))
        {
            return batch;
        }
        batch.Clear();
        var scratch = new byte[byField.Length * ColumnChunks.Column.MaxNumberText];
        for (var row = start; row < end; row++)
        {
            var lineEnds = row - start;
            RowError? error;
            if (entries is null || !entries.TryAdd(batch, lineEnds, row, out error))
            {
                ParticipationCsv.Row(new Cells(byField, present, row, scratch), out var fields);
                error = RowParser.Add(batch, lineEnds, fields);
            }
            if (error is not null)
            {
                batch.Rejects.Add((lineEnds, error));
            }
        }
        batch.Parser.Resolve(batch);
        return batch;
    }

    /// <summary>A column chunk's bytes, dictionary page first.</summary>
    private byte[] ReadChunk(ColumnMetaData meta, byte[]? buffer)
    {
        var offset = meta.DictionaryPageOffset is { } dictionary && dictionary > 0 && dictionary < meta.DataPageOffset ? dictionary : meta.DataPageOffset;
        var length = checked((int)meta.TotalCompressedSize);
        if (offset < 0 || length < 0 || offset + length > _stream.Length)
        {
            // Checked before any buffer is sized by it: a damaged footer must not make the reader allocate what it names.
            throw new InvalidDataException("The column chunk lies beyond the end of the file.");
        }
        if (buffer is null || buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, (buffer?.Length ?? 0) * 2)];
        }
        _stream.Position = offset;
        _stream.ReadExactly(buffer, 0, length);
        return buffer;
    }

    /// <summary>One row of a decoded row group as participation cells; numbers are written as text into <paramref name="scratch"/>, a slot a field.</summary>
    private readonly ref struct Cells(ColumnChunks.Column?[] byField, int[] present, int row, byte[] scratch) : IParticipationCells
    {
        public ReadOnlySpan<int> Columns => present;

        public ReadOnlySpan<byte> Cell(int column) =>
            byField[column] is { } c ? c.Text(row, scratch.AsSpan(column * ColumnChunks.Column.MaxNumberText, ColumnChunks.Column.MaxNumberText)) : default;
    }

    private async Task<ParquetReader> Open(CancellationToken cancellationToken)
    {
        try
        {
            var reader = await ParquetReader.CreateAsync(_stream, new ParquetOptions { UseDateOnlyTypeForDates = true }, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
            try
            {
                // Parquet.Net decodes the schema only when first asked: a damaged one is part of a damaged footer.
                _ = reader.Schema;
                return reader;
            }
            catch
            {
                await reader.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Parquet.Net reports a damaged footer in several ways (its own exceptions, its Thrift decoder's, I/O ones): all mean the same here.
            throw new DataFormatException(
                "The file is not a Parquet file, or its footer (where Parquet keeps the schema) is damaged: write it again from its source.",
                Name, null, null, null, ex);
        }
    }

    private static DataFormatException Refused(string message, string column) => new(message, null, column, null, null);

    /// <summary>One column of a row group, read by its type, and its values handed over row by row.</summary>
    private abstract class Column
    {
        internal static Column For(DataField field, string? fileName) => field.ClrType switch
        {
            _ when field.IsArray => throw new DataFormatException($"The column '{field.Name}' holds lists; participation columns are plain values.", fileName, field.Name, null, null),
            var t when t == typeof(string) || t == typeof(ReadOnlyMemory<char>) => new TextColumn(field),
            var t when t == typeof(DateOnly) => new Typed<DateOnly>(field, static (w, c, v) => w.Set(c, v)),
            var t when t == typeof(DateTime) => new Typed<DateTime>(field, static (w, c, v) => w.Set(c, v)),
            var t when t == typeof(bool) => new Typed<bool>(field, static (w, c, v) => w.Set(c, v)),
            var t when t == typeof(decimal) => new Typed<decimal>(field, static (w, c, v) => w.Set(c, v)),
            var t when t == typeof(double) => new Typed<double>(field, static (w, c, v) => w.Set(c, v)),
            var t when t == typeof(float) => new Typed<float>(field, static (w, c, v) => w.Set(c, (decimal)v)),
            var t when t == typeof(long) => new Typed<long>(field, static (w, c, v) => w.Set(c, v)),
            var t when t == typeof(int) => new Typed<int>(field, static (w, c, v) => w.Set(c, v)),
            var t when t == typeof(short) => new Typed<short>(field, static (w, c, v) => w.Set(c, v)),
            _ => throw new DataFormatException(
                $"The column '{field.Name}' is of a type ({field.ClrType.Name}) no participation field takes: text, dates, yes/no and numbers are read.",
                fileName, field.Name, null, null),
        };

        internal abstract Task ReadAsync(ParquetRowGroupReader group, int count, CancellationToken cancellationToken);

        internal abstract void Set(ParticipationRowWriter rows, int column, int row);
    }

    /// <summary>A text column: a value repeated from the row before (as dictionary-encoded text mostly is) is encoded once.</summary>
    private sealed class TextColumn(DataField field) : Column
    {
        private string?[] _values = [];
        private string? _last;
        private byte[] _lastBytes = [];

        internal override async Task ReadAsync(ParquetRowGroupReader group, int count, CancellationToken cancellationToken)
        {
            if (_values.Length < count)
            {
                _values = new string?[count];
            }
            await group.ReadAsync(field, _values.AsMemory(0, count), null, cancellationToken).ConfigureAwait(false);
        }

        internal override void Set(ParticipationRowWriter rows, int column, int row)
        {
            var value = _values[row];
            if (value is null)
            {
                return;
            }
            if (!ReferenceEquals(value, _last) && !string.Equals(value, _last, StringComparison.Ordinal))
            {
                _last = value;
                _lastBytes = System.Text.Encoding.UTF8.GetBytes(value);
            }
            rows.Set(column, _lastBytes);
        }
    }

    /// <summary>A column of values of one type, nullable or not.</summary>
    private sealed class Typed<T>(DataField field, Action<ParticipationRowWriter, int, T> set) : Column
        where T : struct
    {
        private T?[] _values = [];
        private T[] _required = [];

        internal override async Task ReadAsync(ParquetRowGroupReader group, int count, CancellationToken cancellationToken)
        {
            // A required column is read as plain values: Parquet.Net 6.1.0 has been seen to give wrong values when a
            // required column is read into nullable ones.
            if (!field.IsNullable)
            {
                if (_required.Length < count)
                {
                    _required = new T[count];
                }
                await group.ReadAsync(field, _required.AsMemory(0, count), null, cancellationToken).ConfigureAwait(false);
                return;
            }
            if (_values.Length < count)
            {
                _values = new T?[count];
            }
            await group.ReadAsync(field, _values.AsMemory(0, count), null, cancellationToken).ConfigureAwait(false);
        }

        internal override void Set(ParticipationRowWriter rows, int column, int row)
        {
            if (!field.IsNullable)
            {
                set(rows, column, _required[row]);
            }
            else if (_values[row] is { } value)
            {
                set(rows, column, value);
            }
        }
    }
}
