namespace SafetyPrograms.Serialization;

/// <summary>
/// Splits a UTF-8 stream into physical lines without holding more than one line (and a read buffer) in memory.
/// A line ends at <c>\n</c>; a <c>\r</c> before it is dropped, as is a byte order mark at the start of the stream.
/// A line longer than <see cref="MaxLineBytes"/> is skipped to its end and reported as too long.
/// </summary>
internal sealed class Utf8LineReader(Stream stream)
{
    internal const int MaxLineBytes = 1 << 20;

    /// <summary>What a reader says of a line skipped as longer than <see cref="MaxLineBytes"/>.</summary>
    internal const string TooLongMessage = "The line is longer than 1 MiB (1048576 bytes) and was skipped; a participation record is a few hundred bytes.";

    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _bomChecked;

    /// <summary>The 1-based number of the line last returned.</summary>
    internal long LineNumber { get; private set; }

    /// <summary>Reads the next line; the memory is valid until the next call.</summary>
    /// <returns><c>false</c> at the end of the stream.</returns>
    internal bool TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        tooLong = false;
        var skipping = false;
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0 || (_eof && _end > _start))
            {
                var length = newline >= 0 ? newline : _end - _start;
                line = _buffer.AsMemory(_start, length);
                _start += newline >= 0 ? length + 1 : length;
                return Complete(ref line, ref tooLong, skipping);
            }
            if (_eof)
            {
                line = default;
                if (skipping)
                {
                    tooLong = true;
                    LineNumber++;
                    return true;
                }
                return false;
            }
            if (_end - _start >= MaxLineBytes)
            {
                // Keep reading to the line's end, but not its bytes.
                skipping = true;
                _start = _end = 0;
            }
            Fill();
        }
    }

    private bool Complete(ref ReadOnlyMemory<byte> line, ref bool tooLong, bool skipping)
    {
        LineNumber++;
        if (skipping)
        {
            tooLong = true;
            line = default;
            return true;
        }
        if (line.Span is [.., (byte)'\r'])
        {
            line = line[..^1];
        }
        return true;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }
        _end += read;
        // The byte order mark goes before any line is split, so a file holding only a BOM is an empty file.
        if (!_bomChecked && (_end >= 3 || _eof))
        {
            _bomChecked = true;
            if (_buffer.AsSpan(0, _end) is [0xEF, 0xBB, 0xBF, ..])
            {
                _start = 3;
            }
        }
    }
}
