namespace SafetyPrograms.Serialization;

/// <summary>
/// Splits a UTF-8 stream into physical lines for the JSON Lines reader, with the same chunker and line rules as the
/// store's ingest (<see cref="RecordChunker"/>, <see cref="NextLine"/>), holding one chunk at a time. A line ends at
/// <c>\n</c>; a <c>\r</c> before it is dropped, as is a UTF-8 byte order mark; UTF-16 and UTF-32 are refused. A line
/// longer than <see cref="RecordChunker.MaxRecordBytes"/> is skipped to its end and reported as too long.
/// </summary>
internal sealed class Utf8LineReader(Stream stream, string? fileName)
{
    private readonly RecordChunker _chunker = new(stream, RecordSyntax.JsonLines, fileName, 1 << 16);
    private RecordChunk _chunk;
    private bool _inChunk;
    private int _position;

    /// <summary>Whether the line last returned is longer than 1 MiB, where reading stopped: no line follows.</summary>
    internal bool Stopped { get; private set; }

    /// <summary>The 1-based number of the line last returned.</summary>
    internal long LineNumber { get; private set; }

    /// <summary>Reads the next line; the memory is valid until the next call.</summary>
    /// <returns><c>false</c> at the end of the stream.</returns>
    /// <exception cref="DataFormatException">The stream starts with a UTF-16 or UTF-32 byte order mark.</exception>
    internal bool TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        while (true)
        {
            if (_inChunk)
            {
                if (NextLine(_chunk.Bytes, ref _position, out var range, out tooLong))
                {
                    LineNumber++;
                    line = tooLong ? default : _chunk.Memory[range];
                    return true;
                }
                _chunk.Return();
                _inChunk = false;
            }
            if (!_chunker.TryRead(out _chunk))
            {
                line = default;
                tooLong = false;
                return false;
            }
            if (_chunk.TooLong)
            {
                // Reading stops here: the chunker reads nothing after a line longer than 1 MiB.
                Stopped = true;
                LineNumber++;
                line = default;
                tooLong = true;
                return true;
            }
            _position = 0;
            _inChunk = true;
        }
    }

    /// <summary>
    /// The next line of a chunk of whole lines, the one line rule both JSON Lines paths follow: it ends at <c>\n</c> or
    /// the chunk's end, a <c>\r</c> before the <c>\n</c> is dropped, and one longer than
    /// <see cref="RecordChunker.MaxRecordBytes"/> is flagged <paramref name="tooLong"/>.
    /// </summary>
    /// <returns><c>false</c> when the chunk has no more lines.</returns>
    internal static bool NextLine(ReadOnlySpan<byte> data, ref int position, out Range line, out bool tooLong)
    {
        if (position >= data.Length)
        {
            line = default;
            tooLong = false;
            return false;
        }
        var newline = data[position..].IndexOf((byte)'\n');
        var end = newline < 0 ? data.Length : position + newline;
        var start = position;
        position = newline < 0 ? data.Length : end + 1;
        if (end > start && data[end - 1] == '\r')
        {
            end--;
        }
        line = new Range(start, end);
        tooLong = position - start > RecordChunker.MaxRecordBytes; // line end included, as for CSV records
        return true;
    }
}
