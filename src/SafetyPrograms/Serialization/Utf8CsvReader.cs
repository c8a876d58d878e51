using System.Text;

namespace SafetyPrograms.Serialization;

/// <summary>
/// Reads CSV records one at a time from a UTF-8 stream for the typed reader, with the same chunker and tokenizer as
/// the store's ingest (<see cref="RecordChunker"/>, <see cref="Utf8CsvRecords"/>), so that both read every file alike.
/// Fields are read as bytes (<see cref="Field"/>), or as text on demand (the indexer: invalid UTF-8 becomes U+FFFD).
/// </summary>
internal sealed class Utf8CsvReader(Stream stream, string? fileName)
{
    private readonly RecordChunker _chunker = new(stream, RecordSyntax.Csv, fileName, 1 << 16);
    private readonly Utf8CsvRecords _records = new();
    private RecordChunk _chunk;
    private bool _inChunk;
    private long _chunkLine = 1;
    private char[] _chars = new char[256];
    private Range[] _fields = new Range[16];
    private bool _decoded;

    /// <summary>The 1-based line the current record starts on.</summary>
    internal long RecordLine { get; private set; }

    /// <summary>The number of fields in the current record.</summary>
    internal int FieldCount { get; private set; }

    /// <summary>Whether the current record is longer than 1 MiB, where reading stopped: no record follows.</summary>
    internal bool Stopped { get; private set; }

    /// <summary>Whether the current record ends at a broken quote.</summary>
    internal bool BrokenQuote => _inChunk && _records.BrokenQuote;

    /// <summary>What is malformed in the current record, or <c>null</c>.</summary>
    internal string? Error { get; private set; }

    /// <summary>The text of field <paramref name="index"/>, unquoted; valid until the next record is read.</summary>
    internal ReadOnlySpan<char> this[int index]
    {
        get
        {
            if (!_decoded)
            {
                Decode(Data);
                _decoded = true;
            }
            return _chars.AsSpan(_fields[index]);
        }
    }

    /// <summary>The tokenizer, positioned on the current record (with <see cref="Data"/>).</summary>
    internal Utf8CsvRecords Records => _records;

    /// <summary>The bytes the current record's fields lie in.</summary>
    internal ReadOnlySpan<byte> Data => _inChunk ? _chunk.Bytes : default;

    /// <summary>The bytes of field <paramref name="index"/>, unquoted; valid until the next record is read.</summary>
    internal ReadOnlySpan<byte> Field(int index) => _records.Field(Data, index);

    /// <summary>Reads the next record; empty lines between records are skipped.</summary>
    /// <returns><c>false</c> at the end of the input.</returns>
    /// <exception cref="DataFormatException">The stream starts with a UTF-16 or UTF-32 byte order mark.</exception>
    internal bool ReadRecord()
    {
        while (true)
        {
            if (_inChunk)
            {
                var data = _chunk.Bytes;
                if (_records.Read(data))
                {
                    RecordLine = _chunkLine + _records.RecordLineEnds;
                    Error = _records.Error;
                    FieldCount = _records.FieldCount;
                    _decoded = false;
                    return true;
                }
                _chunkLine += _records.LineEnds;
                _chunk.Return();
                _inChunk = false;
            }
            if (!_chunker.TryRead(out _chunk))
            {
                return false;
            }
            if (_chunk.TooLong)
            {
                // Reading stops here: the chunker reads nothing after a record longer than 1 MiB.
                RecordLine = _chunkLine;
                Error = RecordChunker.StoppedMessage;
                Stopped = true;
                FieldCount = 0;
                _decoded = true;
                return true;
            }
            _records.Reset();
            _inChunk = true;
        }
    }

    private void Decode(ReadOnlySpan<byte> data)
    {
        if (_fields.Length < FieldCount)
        {
            _fields = new Range[Math.Max(FieldCount, _fields.Length * 2)];
        }
        var used = 0;
        for (var i = 0; i < FieldCount; i++)
        {
            var bytes = _records.Field(data, i);
            if (_chars.Length - used < bytes.Length)
            {
                Array.Resize(ref _chars, Math.Max(_chars.Length * 2, used + bytes.Length));
            }
            var length = Encoding.UTF8.GetChars(bytes, _chars.AsSpan(used));
            _fields[i] = new Range(used, used + length);
            used += length;
        }
    }
}
