using System.Buffers;

namespace SafetyPrograms.Serialization;

/// <summary>How records end in a participation file.</summary>
internal enum RecordSyntax
{
    /// <summary>RFC 4180: a record ends at <c>\n</c>, <c>\r\n</c> or <c>\r</c> outside a quoted field.</summary>
    Csv,

    /// <summary>One record a line: a record ends at <c>\n</c> (JSON strings cannot hold a raw line break).</summary>
    JsonLines,
}

/// <summary>
/// Cuts a UTF-8 stream into chunks of whole records, so that each chunk can be parsed on its own (in parallel by the
/// store's ingest) while the file is never held. A chunk never ends inside a record, nor between the <c>\r</c> and
/// <c>\n</c> of one line end, so line numbers stay exact when chunks are counted separately. A UTF-8 byte order mark is
/// dropped; a UTF-16 or UTF-32 one is refused. A record longer than <see cref="MaxRecordBytes"/> is not held, nor read
/// to its end (which may never come: <c>/dev/zero</c>): the chunker returns one chunk marked
/// <see cref="RecordChunk.TooLong"/> and reads no more of the input (<see cref="StoppedMessage"/>).
/// </summary>
internal sealed class RecordChunker
{
    /// <summary>The longest record held, its line end included; a participation record is a few hundred bytes.</summary>
    internal const int MaxRecordBytes = 1 << 20;

    /// <summary>What a reader says of a record skipped as longer than <see cref="MaxRecordBytes"/>.</summary>
    internal const string TooLongMessage =
        "The record is longer than 1 MiB (1048576 bytes) and was skipped; a participation record is a few hundred bytes.";

    /// <summary>What a reader says of a record longer than <see cref="MaxRecordBytes"/>: the input ends there.</summary>
    internal const string StoppedMessage =
        "The record is longer than 1 MiB (1048576 bytes): reading stopped at its first line, and the rest of the input was not read; a participation record is a few hundred bytes.";

    private readonly Stream _stream;
    private readonly Utf8CsvRecords _ends = new();
    private bool _stopped;
    private readonly RecordSyntax _syntax;
    private readonly string? _fileName;
    private readonly int _chunkBytes;
    private byte[] _carry = [];
    private int _carryLength;
    private bool _eof;
    private bool _started;

    /// <summary>Reads <paramref name="stream"/> in chunks of about <paramref name="chunkBytes"/>.</summary>
    internal RecordChunker(Stream stream, RecordSyntax syntax, string? fileName, int chunkBytes = 1 << 20)
    {
        _stream = stream;
        _syntax = syntax;
        _fileName = fileName;
        _chunkBytes = Math.Max(chunkBytes, 16);
    }

    /// <summary>Reads the next chunk; its buffer is rented and goes back with <see cref="RecordChunk.Return"/>.</summary>
    /// <returns><c>false</c> at the end of the stream.</returns>
    /// <exception cref="DataFormatException">The stream starts with a UTF-16 or UTF-32 byte order mark.</exception>
    internal bool TryRead(out RecordChunk chunk)
    {
        if (_stopped)
        {
            chunk = default;
            return false;
        }
        // The pool may hand out a larger array; only `limit` bytes of it are filled, so chunks stay the size asked for,
        // and a record is held only while it may still fit in MaxRecordBytes, its line end included.
        var limit = Math.Max(_chunkBytes, Math.Min(_carryLength + 1, MaxRecordBytes));
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(limit, _carryLength));
        _carry.AsSpan(0, _carryLength).CopyTo(buffer);
        var length = _carryLength;
        _carryLength = 0;
        while (true)
        {
            length += Fill(buffer, length, limit);
            if (!_started)
            {
                length = StartOfStream(buffer, length);
            }
            if (_eof)
            {
                if (length == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    chunk = default;
                    return false;
                }
                chunk = new RecordChunk(buffer, length, false);
                return true;
            }
            var end = LastRecordEnd(buffer.AsSpan(0, length));
            if (end > 0)
            {
                Keep(buffer.AsSpan(end, length - end));
                chunk = new RecordChunk(buffer, end, false);
                return true;
            }
            if (length >= MaxRecordBytes)
            {
                // No record ends within MaxRecordBytes: the first one is longer, line end included. Its end may never
                // come, so nothing more is read.
                ArrayPool<byte>.Shared.Return(buffer);
                _stopped = true;
                chunk = new RecordChunk(null, 0, true);
                return true;
            }
            // One record fills the chunk but may still fit: hold more and read on.
            limit = Math.Min(limit * 2, MaxRecordBytes);
            if (buffer.Length < limit)
            {
                var larger = ArrayPool<byte>.Shared.Rent(limit);
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }
        }
    }

    /// <summary>Reads until <paramref name="limit"/> bytes are held or the stream ends.</summary>
    private int Fill(byte[] buffer, int length, int limit)
    {
        var start = length;
        while (!_eof && length < limit)
        {
            var read = _stream.Read(buffer, length, limit - length);
            if (read == 0)
            {
                _eof = true;
            }
            length += read;
        }
        return length - start;
    }

    private int StartOfStream(byte[] buffer, int length)
    {
        if (length < ByteOrderMarks.MaxLength && !_eof)
        {
            return length;
        }
        _started = true;
        var head = buffer.AsSpan(0, length);
        if (head is [0xEF, 0xBB, 0xBF, ..])
        {
            head[3..].CopyTo(head);
            return length - 3;
        }
        ByteOrderMarks.RefuseForeign(head, _fileName); // the pool does without this buffer if it throws
        RefuseBinary(head, _fileName);
        return length;
    }

    /// <summary>
    /// Refuses a file that is not text: a gzip, zip or Parquet file by its first bytes, or any file with a NUL byte in
    /// its first line. The message names the kind of file, never its bytes.
    /// </summary>
    /// <exception cref="DataFormatException">The file is not text (line 1).</exception>
    internal static void RefuseBinary(ReadOnlySpan<byte> head, string? fileName)
    {
        var kind = head switch
        {
            [0x1F, 0x8B, ..] => "a gzip file",
            [(byte)'P', (byte)'K', 0x03, 0x04, ..] => "a zip file (such as a spreadsheet)",
            [(byte)'P', (byte)'A', (byte)'R', (byte)'1', ..] => "a Parquet file",
            _ => null,
        };
        var firstLine = head.IndexOfAny((byte)'\n', (byte)'\r');
        if (kind is null && head[..(firstLine < 0 ? head.Length : firstLine)].Contains((byte)0))
        {
            kind = "binary data (it has NUL bytes in its first line)";
        }
        if (kind is not null)
        {
            throw new DataFormatException(
                $"The file is not text: it looks like {kind}. Give the participation records as UTF-8 CSV or JSON Lines (decompress or export them first).",
                fileName, null, 1, null);
        }
    }

    private void Keep(ReadOnlySpan<byte> rest)
    {
        if (_carry.Length < rest.Length)
        {
            _carry = new byte[Math.Max(rest.Length, 1024)];
        }
        rest.CopyTo(_carry);
        _carryLength = rest.Length;
    }

    /// <summary>The index just after the last record end in <paramref name="data"/> (which starts at a record) that more data cannot move; 0 if none.</summary>
    internal int LastRecordEnd(ReadOnlySpan<byte> data)
    {
        if (_syntax == RecordSyntax.JsonLines)
        {
            return data.LastIndexOf((byte)'\n') + 1;
        }
        if (data.Contains((byte)'"'))
        {
            return _ends.LastRecordEnd(data); // the tokenizer's own rules, quotes and broken quotes included
        }
        var last = data.LastIndexOfAny((byte)'\n', (byte)'\r');
        if (last >= 0 && last == data.Length - 1 && data[last] == '\r')
        {
            // A \n may follow in the next read; end the chunk before this line end instead.
            last = data[..last].LastIndexOfAny((byte)'\n', (byte)'\r');
        }
        return last + 1;
    }
}

/// <summary>A run of whole records from a <see cref="RecordChunker"/>, or the too-long record where reading stopped.</summary>
internal readonly struct RecordChunk(byte[]? buffer, int length, bool tooLong)
{
    /// <summary>The records' bytes.</summary>
    internal ReadOnlySpan<byte> Bytes => buffer.AsSpan(0, length);

    /// <summary>The records' bytes, for readers that hand lines out across calls.</summary>
    internal ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, length);

    /// <summary>The chunk is a record longer than <see cref="RecordChunker.MaxRecordBytes"/>, not held: the last chunk of the input.</summary>
    internal bool TooLong => tooLong;

    /// <summary>Gives the buffer back to the pool; the chunk must not be used afterwards.</summary>
    internal void Return()
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
