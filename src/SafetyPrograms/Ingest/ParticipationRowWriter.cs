using System.Globalization;
using System.Text;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Ingest;

/// <summary>
/// Where a <see cref="ParticipationSource"/> puts its rows: the source names its columns once, then gives each row's
/// cells by column position; the writer maps them onto the participation fields and sends them, in batches, through the
/// one row pipeline into the store (or only into the report, for a dry run).
/// </summary>
/// <remarks>
/// <para>Cells are the text the JSON contract writes (an ISO date, an enum name, a number, <c>true</c>/<c>false</c>), or
/// typed values, which the writer writes in that form; an empty or unset cell is null. Each row is then read by the one
/// field decoder, so a wrong value is refused with the code and message a CSV cell would get, and a value of the wrong
/// type (a number for a date) is refused as unreadable (SP8001).</para>
/// <para>Made by the store for one append and used from one thread; not thread-safe.</para>
/// </remarks>
public sealed class ParticipationRowWriter
{
    private const int BatchRows = 4096;

    private readonly SourceIngest _ingest;
    private readonly ParticipationSourceOptions _options;
    private readonly CellBatch _cells = new(ParticipationCsv.Columns.Count);
    private int[] _fieldOf = [];
    private string[] _columns = [];
    private int _rawColumn = -1;
    private bool _inRow;

    internal ParticipationRowWriter(SourceIngest ingest, ParticipationSourceOptions options)
    {
        _ingest = ingest;
        _options = options;
    }

    /// <summary>Whether reading should stop: a limit was reached (the report says which). A source checks <see cref="EndRow"/>'s result instead.</summary>
    public bool Stopped => _ingest.Stopped;

    /// <summary>Names the source's columns, in the order its cells are given, and maps them onto the participation fields.</summary>
    /// <param name="columns">The source's column names (a header row, a query's result columns).</param>
    /// <param name="headerRow">Where the names are, for the message of a problem (0 when they are not on a row).</param>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The columns were named already.</exception>
    /// <exception cref="DataFormatException">A column fills no field (unless <see cref="ParticipationSourceOptions.IgnoreOtherColumns"/>),
    /// two fill the same field, or a required field has no column; the message names them all and the columns expected.</exception>
    public void SetColumns(IReadOnlyList<string> columns, long headerRow = 0)
    {
        Preconditions.CheckNotNull(columns);
        if (_fieldOf.Length > 0 || _ingest.Started)
        {
            throw new InvalidOperationException("The columns are named once, before the first row.");
        }
        _fieldOf = SourceColumns.Map(columns, _options, _ingest.Name, headerRow, out _rawColumn);
        _columns = [.. columns];
    }

    /// <summary>
    /// The source column a refusal's column names (<see cref="RowError.Column"/>): the one filling that participation field,
    /// or the source column of that name (<see cref="RefuseRow(string, string?)"/>); -1 for the row as a whole.
    /// </summary>
    internal int SourceColumn(string path)
    {
        var field = Array.IndexOf(ParticipationColumns.Names, path);
        for (var c = 0; c < _fieldOf.Length; c++)
        {
            if (field >= 0 ? _fieldOf[c] == field : string.Equals(_columns[c], path, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }
        return -1;
    }

    /// <summary>The name of the source column a refusal's column names (<see cref="SourceColumn"/>), or <c>null</c> for the row as a whole.</summary>
    internal string? SourceColumnName(string path) => SourceColumn(path) is >= 0 and var column ? _columns[column] : null;

    /// <summary>Starts a row.</summary>
    /// <param name="rowNumber">The row's number, greater than the last row's: where the report says the row is (<see cref="ParticipationSource.Locate(long)"/>).</param>
    /// <exception cref="InvalidOperationException">No columns were named, or the last row was not ended.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowNumber"/> is not greater than the last row's.</exception>
    public void BeginRow(long rowNumber)
    {
        if (_fieldOf.Length == 0 || _inRow)
        {
            throw new InvalidOperationException(_inRow ? "End the row before beginning another." : "Name the columns (SetColumns) before the first row.");
        }
        if (!_ingest.Accepts(rowNumber, _cells))
        {
            throw new ArgumentOutOfRangeException(nameof(rowNumber), rowNumber, "Row numbers must increase from row to row.");
        }
        _cells.Begin(rowNumber);
        _inRow = true;
    }

    /// <summary>Sets a cell from its UTF-8 text (empty: null).</summary>
    /// <param name="column">The cell's column, its position in <see cref="SetColumns"/>'s list.</param>
    /// <param name="utf8">The text.</param>
    public void Set(int column, ReadOnlySpan<byte> utf8)
    {
        if (Field(column) is var field and >= 0)
        {
            _cells.Set(field, utf8);
            Keyed(column, field);
        }
    }

    /// <summary>Sets a cell from its text (<c>null</c> or empty: null).</summary>
    /// <param name="column">The cell's column.</param>
    /// <param name="text">The text.</param>
    public void Set(int column, ReadOnlySpan<char> text)
    {
        if (Field(column) is var field and >= 0)
        {
            _cells.Set(field, text);
            Keyed(column, field);
        }
    }

    /// <summary>Sets a cell from its text (<c>null</c> or empty: null).</summary>
    /// <param name="column">The cell's column.</param>
    /// <param name="text">The text.</param>
    public void Set(int column, string? text) => Set(column, text.AsSpan());

    /// <summary>Sets a date cell, written as an ISO date.</summary>
    /// <param name="column">The cell's column.</param>
    /// <param name="date">The date.</param>
    public void Set(int column, DateOnly date) => Format(column, date, "yyyy-MM-dd");

    /// <summary>Sets a cell from a date and time: its date when the time is midnight; otherwise the full value, which a date field refuses.</summary>
    /// <param name="column">The cell's column.</param>
    /// <param name="dateTime">The value.</param>
    public void Set(int column, DateTime dateTime) =>
        Format(column, dateTime, dateTime.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF");

    /// <summary>Sets a number cell, written exactly (its scale kept).</summary>
    /// <param name="column">The cell's column.</param>
    /// <param name="number">The number.</param>
    public void Set(int column, decimal number) => Format(column, number, null);

    /// <summary>Sets a number cell.</summary>
    /// <param name="column">The cell's column.</param>
    /// <param name="number">The number.</param>
    public void Set(int column, long number) => Format(column, number, null);

    /// <summary>Sets a number cell, written as the shortest text that reads back as the same double (not a number or an infinity is refused by a score field).</summary>
    /// <param name="column">The cell's column.</param>
    /// <param name="number">The number.</param>
    public void Set(int column, double number) => Format(column, number, "R");

    /// <summary>Sets a yes/no cell, written <c>true</c> or <c>false</c>.</summary>
    /// <param name="column">The cell's column.</param>
    /// <param name="value">The value.</param>
    public void Set(int column, bool value) => Set(column, value ? "true"u8 : "false"u8);

    /// <summary>
    /// Refuses the current row as unreadable (SP8001) whatever its cells, for a reason the source knows: a merged cell,
    /// a value of a type the source cannot give. The message must not quote a value.
    /// </summary>
    /// <param name="message">Why, in one sentence.</param>
    /// <param name="column">The source column at fault, or <c>null</c> for the row as a whole.</param>
    public void RefuseRow(string message, string? column = null)
    {
        Preconditions.CheckNotNull(message);
        CheckInRow();
        _cells.Refuse(RowError.Unreadable(message, column ?? "$"));
    }

    /// <summary>Refuses the current row under a catalogue rule of its own (a submission sent again, SP8018): the message must not quote a value.</summary>
    internal void RefuseRow(Validation.ValidationRule rule, string message)
    {
        CheckInRow();
        _cells.Refuse(new RowError(rule.Code, message, "$"));
    }

    /// <summary>Ends the row; rows are checked and committed in batches.</summary>
    /// <returns><c>false</c> when reading should stop: a limit was reached, and the report says where and why.</returns>
    /// <exception cref="OperationCanceledException">The append's cancellation token was cancelled (checked between batches).</exception>
    public bool EndRow()
    {
        CheckInRow();
        _inRow = false;
        _ingest.Ended(_cells.RowNumber(_cells.Count - 1));
        if (_cells.Count >= BatchRows)
        {
            _ingest.Flush(_cells);
        }
        return !_ingest.Stopped;
    }

    /// <summary>The rows held and not yet sent.</summary>
    internal CellBatch Cells => _cells;

    /// <summary>The options the source is appended with: for a source without a header of its own (JSON Lines), whose cells are named by them.</summary>
    internal ParticipationSourceOptions Options => _options;

    /// <summary>Sends the rows held and stops reading, the report saying it stopped early (a record too long to read on past).</summary>
    internal void StopEarly() => _ingest.StopEarly(_cells);

    /// <summary>
    /// Each participation field's source column (-1 when none fills it), once the columns are named: for a source that
    /// decodes whole batches of rows itself (<see cref="NewBatch"/>), and is used only when <see cref="TakesCellsOnly"/> is false.
    /// </summary>
    internal int[] ColumnOfField()
    {
        var column = new int[_cells.Fields];
        Array.Fill(column, -1);
        for (var c = 0; c < _fieldOf.Length; c++)
        {
            if (_fieldOf[c] >= 0)
            {
                column[_fieldOf[c]] = c;
            }
        }
        return column;
    }

    /// <summary>
    /// Whether rows must go cell by cell, never in decoded batches: a raw identifier column is keyed as it is read, or the
    /// rows are read as records (<see cref="ParticipationSource.ReadRecords"/>), which a decoded batch cannot give back.
    /// </summary>
    internal bool TakesCellsOnly => _rawColumn >= 0 || _ingest.ReadsRecords;

    /// <summary>
    /// A batch for a source that reads many rows at once (a columnar file): it adds rows on any thread with
    /// <see cref="RowParser.Add(ParsedBatch, int, in ParticipationRow)"/> and <see cref="RowParser.Resolve"/>, numbering
    /// their line ends from the batch's first row, then hands the batches back in row order to <see cref="Commit"/>.
    /// The rows are decoded and checked by the one decoder and row rules, as cells are.
    /// </summary>
    internal ParsedBatch NewBatch() => _ingest.NewBatch();

    /// <summary>Makes room in the store for <paramref name="rows"/> more rows, when a source knows how many it holds.</summary>
    internal void Reserve(long rows) => _ingest.Reserve(rows);

    /// <summary>Commits a batch of rows <paramref name="firstRow"/> to <paramref name="lastRow"/>, after any rows held as cells.</summary>
    /// <returns><c>false</c> when reading should stop (a limit was reached).</returns>
    /// <exception cref="OperationCanceledException">The append was cancelled.</exception>
    internal bool Commit(ParsedBatch batch, long firstRow, long lastRow)
    {
        if (_fieldOf.Length == 0 || _inRow)
        {
            throw new InvalidOperationException("Name the columns and end any row before committing a batch.");
        }
        return _ingest.Commit(_cells, batch, firstRow, lastRow);
    }

    /// <summary>Drops a row the source began and could not end (it failed reading it).</summary>
    internal void Abandon()
    {
        if (_inRow)
        {
            _cells.DropLast();
            _inRow = false;
        }
    }

    /// <summary>Sends the rows still held; called by the store when the source has read its last row.</summary>
    internal void Finish()
    {
        if (_inRow)
        {
            throw new InvalidOperationException("The source began a row and did not end it.");
        }
        if (_fieldOf.Length == 0)
        {
            throw new InvalidOperationException("The source named no columns (SetColumns).");
        }
        _ingest.Flush(_cells);
    }

    private int Field(int column)
    {
        CheckInRow();
        return (uint)column < (uint)_fieldOf.Length
            ? _fieldOf[column]
            : throw new ArgumentOutOfRangeException(nameof(column), column, $"The source named {_fieldOf.Length} columns.");
    }

    private void Format<T>(int column, T value, string? format)
        where T : IUtf8SpanFormattable
    {
        if (Field(column) is var field and >= 0)
        {
            _cells.Set(field, value, format);
            Keyed(column, field);
        }
    }

    /// <summary>Replaces a raw identifier just set by its key, or refuses the row; the raw text is wiped from the buffer.</summary>
    private void Keyed(int column, int field)
    {
        if (column == _rawColumn)
        {
            _cells.Pseudonymise(field, _options.RawIdentifiers!);
        }
    }

    private void CheckInRow()
    {
        if (!_inRow)
        {
            throw new InvalidOperationException("Begin a row (BeginRow) first.");
        }
    }
}

/// <summary>How a source's column names map onto the participation fields: the one rule every source applies.</summary>
internal static class SourceColumns
{
    /// <summary>Each source column's field (its position in <see cref="ParticipationCsv.Columns"/>), or -1 for one skipped.</summary>
    /// <param name="columns">The source's column names.</param>
    /// <param name="options">Renames, skipping, and the raw identifier column.</param>
    /// <param name="sourceName">The source's name, for the message.</param>
    /// <param name="headerRow">Where the names are.</param>
    /// <param name="rawColumn">The source column whose raw identifiers are keyed, or -1.</param>
    internal static int[] Map(IReadOnlyList<string> columns, ParticipationSourceOptions options, string? sourceName, long headerRow, out int rawColumn)
    {
        var fields = ParticipationCsv.Columns;
        rawColumn = -1;
        if (options.RawIdentifierColumn is not null && options.RawIdentifiers is null)
        {
            throw new ArgumentException("A raw identifier column needs RawIdentifiers to key it.", nameof(options));
        }
        // Each source column's participation field name, or null when it fills none.
        var named = new string?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var column = Preconditions.CheckNotNull(columns[i], nameof(columns));
            if (options.RawIdentifierColumn is { } raw && string.Equals(column, raw, StringComparison.OrdinalIgnoreCase))
            {
                named[i] = fields[0];
                rawColumn = i;
                continue;
            }
            var renamed = options.Columns?.FirstOrDefault(m => string.Equals(m.Value, column, StringComparison.OrdinalIgnoreCase)).Key;
            named[i] = renamed ?? fields.FirstOrDefault(f => string.Equals(f, column, StringComparison.OrdinalIgnoreCase)
                && (options.Columns is null || !options.Columns.ContainsKey(f))) ?? (options.IgnoreOtherColumns ? null : column);
        }
        if (options.RawIdentifierColumn is { } missing && rawColumn < 0)
        {
            throw new DataFormatException(
                $"The source has no column '{missing}', the raw identifier column.", sourceName, missing, headerRow, null);
        }
        // The header rule CSV applies (unknown, repeated and missing columns, every one named), over the mapped names.
        var kept = Enumerable.Range(0, columns.Count).Where(i => named[i] is not null).ToArray();
        var header = ParticipationCsv.ReadHeader([.. kept.Select(i => named[i]!)], null, sourceName, headerRow);
        var map = new int[columns.Count];
        Array.Fill(map, -1);
        foreach (var c in header.Columns)
        {
            map[kept[header.FieldOf[c]]] = c;
        }
        return map;
    }
}

/// <summary>
/// A batch of source rows as UTF-8 cells by participation field, before decoding: what the source fills, one row at a
/// time, and the pipeline decodes. Reused from batch to batch.
/// </summary>
internal sealed class CellBatch(int fields)
{
    private byte[] _data = new byte[1 << 16];
    private int _length;
    private int[] _start = new int[fields * 64];
    private int[] _end = new int[fields * 64];
    private long[] _rows = new long[64];
    private RowError?[] _refused = new RowError?[64];

    internal int Count { get; private set; }

    internal int Fields => fields;

    /// <summary>The number of the first row held.</summary>
    internal long FirstRow => _rows[0];

    /// <summary>The number of row <paramref name="row"/>.</summary>
    internal long RowNumber(int row) => _rows[row];

    /// <summary>Why row <paramref name="row"/> is refused before decoding, or <c>null</c>.</summary>
    internal RowError? Refused(int row) => _refused[row];

    /// <summary>The cell of row <paramref name="row"/>, field <paramref name="field"/>.</summary>
    internal ReadOnlySpan<byte> Cell(int row, int field)
    {
        var i = (row * fields) + field;
        return _data.AsSpan(_start[i], _end[i] - _start[i]);
    }

    internal void Clear()
    {
        Count = 0;
        _length = 0;
    }

    internal void Begin(long rowNumber)
    {
        var row = Count;
        if (row == _rows.Length)
        {
            Array.Resize(ref _rows, row * 2);
            Array.Resize(ref _refused, row * 2);
            Array.Resize(ref _start, row * 2 * fields);
            Array.Resize(ref _end, row * 2 * fields);
        }
        _rows[row] = rowNumber;
        _refused[row] = null;
        _start.AsSpan(row * fields, fields).Clear();
        _end.AsSpan(row * fields, fields).Clear();
        Count = row + 1;
    }

    internal void DropLast() => Count--;

    internal void Refuse(RowError error) => _refused[Count - 1] ??= error;

    internal void Set(int field, ReadOnlySpan<byte> utf8)
    {
        Room(utf8.Length);
        utf8.CopyTo(_data.AsSpan(_length));
        Place(field, utf8.Length);
    }

    internal void Set(int field, ReadOnlySpan<char> text)
    {
        Room(Encoding.UTF8.GetMaxByteCount(text.Length));
        Place(field, Encoding.UTF8.GetBytes(text, _data.AsSpan(_length)));
    }

    internal void Set<T>(int field, T value, string? format)
        where T : IUtf8SpanFormattable
    {
        int written;
        Room(64);
        while (!value.TryFormat(_data.AsSpan(_length), out written, format, CultureInfo.InvariantCulture))
        {
            Room((_data.Length - _length) * 2);
        }
        Place(field, written);
    }

    /// <summary>Replaces the field just set, a raw identifier, by its key; the raw bytes are wiped either way.</summary>
    internal void Pseudonymise(int field, IRawIdentifierKeys keys)
    {
        var i = ((Count - 1) * fields) + field;
        var raw = _data.AsSpan(_start[i], _end[i] - _start[i]);
        if (raw.IsEmpty)
        {
            return; // no identifier: the row is refused as one without a beneficiary
        }
        var text = Encoding.UTF8.GetString(raw);
        raw.Clear();
        _length = _start[i];
        if (keys.TryKey(text, out var key, out var problem))
        {
            Set(field, key.Value.AsSpan());
            return;
        }
        _end[i] = _start[i];
        Refuse(RowError.Unreadable($"The raw identifier cannot be pseudonymised: {problem}.", ParticipationCsv.Columns[0]));
    }

    private void Room(int bytes)
    {
        if (_length + bytes > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, _length + bytes));
        }
    }

    private void Place(int field, int length)
    {
        var i = ((Count - 1) * fields) + field;
        _start[i] = _length;
        _end[i] = _length + length;
        _length += length;
    }
}
