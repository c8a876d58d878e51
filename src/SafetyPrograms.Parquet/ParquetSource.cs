using Parquet;
using Parquet.Schema;
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
        var number = 0L;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            foreach (var column in columns)
            {
                await column.ReadAsync(group, count, cancellationToken).ConfigureAwait(false);
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

    private async Task<ParquetReader> Open(CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetReader.CreateAsync(_stream, new ParquetOptions { UseDateOnlyTypeForDates = true }, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
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
