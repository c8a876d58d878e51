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
/// dropped; a UTF-16 or UTF-32 one is refused. A record longer than <see cref="MaxRecordBytes"/> is not held: it is
/// read to its end and returned as a chunk marked <see cref="RecordChunk.TooLong"/>.
/// </summary>
internal sealed class RecordChunker
{
    /// <summary>The longest record held, its line end included; a participation record is a few hundred bytes.</summary>
    internal const int MaxRecordBytes = 1 << 20;

    /// <summary>What a reader says of a record skipped as longer than <see cref="MaxRecordBytes"/>.</summary>
    internal const string TooLongMessage =
        "The record is longer than 1 MiB (1048576 bytes) and was skipped; a participation record is a few hundred bytes.";

    private readonly Stream _stream;
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
                chunk = new RecordChunk(buffer, length, false, 0);
                return true;
            }
            var end = RecordScanner.LastRecordEnd(_syntax, buffer.AsSpan(0, length));
            if (end > 0)
            {
                Keep(buffer.AsSpan(end, length - end));
                chunk = new RecordChunk(buffer, end, false, 0);
                return true;
            }
            if (length >= MaxRecordBytes)
            {
                // No record ends within MaxRecordBytes: the first one is longer, line end included.
                chunk = SkipRecord(buffer, length);
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
        return length;
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

    /// <summary>Reads past the record at the start of <paramref name="buffer"/> without keeping it.</summary>
    private RecordChunk SkipRecord(byte[] buffer, int length)
    {
        var scanner = new RecordScanner(_syntax);
        while (true)
        {
            var end = scanner.FirstRecordEnd(buffer.AsSpan(0, length), _eof);
            if (end >= 0)
            {
                Keep(buffer.AsSpan(end, length - end));
                ArrayPool<byte>.Shared.Return(buffer);
                return new RecordChunk(null, 0, true, scanner.LineEnds);
            }
            if (_eof)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return new RecordChunk(null, 0, true, scanner.LineEnds);
            }
            // The scanner has taken in everything but a byte it cannot yet judge (a quote or a \r); keep that one.
            var kept = length - scanner.Consumed;
            buffer.AsSpan(scanner.Consumed, kept).CopyTo(buffer);
            scanner.Consumed = 0;
            length = kept + Fill(buffer, kept, buffer.Length);
        }
    }
}

/// <summary>A run of whole records from a <see cref="RecordChunker"/>, or one record skipped as too long.</summary>
internal readonly struct RecordChunk(byte[]? buffer, int length, bool tooLong, int skippedLineEnds)
{
    /// <summary>The records' bytes.</summary>
    internal ReadOnlySpan<byte> Bytes => buffer.AsSpan(0, length);

    /// <summary>The records' bytes, for readers that hand lines out across calls.</summary>
    internal ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, length);

    /// <summary>The chunk is one record longer than <see cref="RecordChunker.MaxRecordBytes"/>, skipped.</summary>
    internal bool TooLong => tooLong;

    /// <summary>For a skipped record, how many line ends it spanned (its own included, if it had one).</summary>
    internal int SkippedLineEnds => skippedLineEnds;

    /// <summary>Gives the buffer back to the pool; the chunk must not be used afterwards.</summary>
    internal void Return()
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>
/// Finds where records end, carrying its state across buffers. CSV follows the tokenizer's rules exactly: a quote opens
/// a quoted field only at the start of a field, a doubled quote inside one is data, and line breaks inside one are data.
/// </summary>
internal struct RecordScanner(RecordSyntax syntax)
{
    private bool _inQuotes;
    private bool _atFieldStart = true;

    /// <summary>Line ends passed so far, record ends and line breaks inside quoted fields alike.</summary>
    internal int LineEnds { get; private set; }

    /// <summary>How much of the data given has been judged; the next call starts here.</summary>
    internal int Consumed { get; set; }

    /// <summary>The index just after the last record end in <paramref name="data"/>, which starts at a record; 0 if none.</summary>
    internal static int LastRecordEnd(RecordSyntax syntax, ReadOnlySpan<byte> data)
    {
        if (syntax == RecordSyntax.JsonLines)
        {
            return data.LastIndexOf((byte)'\n') + 1;
        }
        if (!data.Contains((byte)'"'))
        {
            var last = data.LastIndexOfAny((byte)'\n', (byte)'\r');
            if (last >= 0 && last == data.Length - 1 && data[last] == '\r')
            {
                // A \n may follow in the next read; end the chunk before this line end instead.
                last = data[..last].LastIndexOfAny((byte)'\n', (byte)'\r');
            }
            return last + 1;
        }
        var scanner = new RecordScanner(syntax);
        var end = 0;
        int next;
        while ((next = scanner.FirstRecordEnd(data, final: false)) > 0)
        {
            end = next;
            scanner.Consumed = next;
        }
        return end;
    }

    /// <summary>
    /// The index just after the first record end at or after <see cref="Consumed"/>, or -1 when the data ends first
    /// (then <see cref="Consumed"/> says how far it got). <paramref name="final"/>: no more data follows.
    /// </summary>
    internal int FirstRecordEnd(ReadOnlySpan<byte> data, bool final)
    {
        var i = Consumed;
        if (syntax == RecordSyntax.JsonLines)
        {
            var newline = data[i..].IndexOf((byte)'\n');
            Consumed = newline < 0 ? data.Length : i + newline + 1;
            if (newline < 0)
            {
                return -1;
            }
            LineEnds++;
            return Consumed;
        }
        while (i < data.Length)
        {
            if (_inQuotes)
            {
                var quote = data[i..].IndexOf((byte)'"');
                var text = quote < 0 ? data[i..] : data.Slice(i, quote);
                if (quote < 0 || (i + quote == data.Length - 1 && !final))
                {
                    // Undecided: the quote may be the first of a doubled pair. Keep it for the next call.
                    LineEnds += Utf8CsvRecords.LineBreaks(text);
                    Consumed = i + text.Length;
                    return -1;
                }
                LineEnds += Utf8CsvRecords.LineBreaks(text);
                i += quote + 1;
                if (i < data.Length && data[i] == '"')
                {
                    i++;
                }
                else
                {
                    _inQuotes = false;
                }
                continue;
            }
            var special = data[i..].IndexOfAny(Utf8CsvRecords.Specials);
            if (special != 0)
            {
                _atFieldStart = false;
            }
            if (special < 0)
            {
                break;
            }
            i += special;
            switch (data[i])
            {
                case (byte)',':
                    _atFieldStart = true;
                    i++;
                    break;
                case (byte)'"':
                    _inQuotes = _atFieldStart;
                    _atFieldStart = false;
                    i++;
                    break;
                case (byte)'\r' when i + 1 == data.Length && !final:
                    Consumed = i;
                    return -1;
                default:
                    var end = data[i] == '\r' && i + 1 < data.Length && data[i + 1] == '\n' ? i + 2 : i + 1;
                    LineEnds++;
                    _atFieldStart = true;
                    Consumed = end;
                    return end;
            }
        }
        Consumed = data.Length;
        return -1;
    }
}
