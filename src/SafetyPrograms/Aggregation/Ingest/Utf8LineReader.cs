namespace SafetyPrograms.Aggregation.Ingest;

/// <summary>
/// Reads a stream as UTF-8 lines (LF or CRLF) into one reusable buffer, with 1-based line numbers; no allocation per line.
/// A line longer than <see cref="MaxLineBytes"/> is skipped, not buffered: the caller sees it as <see cref="LastLineTooLong"/>
/// and rejects it, so a hostile file cannot make ingest hold an arbitrarily long line in memory.
/// </summary>
internal sealed class Utf8LineReader(Stream stream)
{
    /// <summary>The longest line read; a participation record is a few hundred bytes.</summary>
    internal const int MaxLineBytes = 1 << 20;

    /// <summary>The message for a line skipped as too long.</summary>
    internal const string TooLongMessage = "The line is longer than 1 MiB and was skipped; a participation record is a few hundred bytes.";

    private byte[] _buffer = new byte[MaxLineBytes];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _started;

    /// <summary>The number of the line last returned.</summary>
    internal long LineNumber { get; private set; }

    /// <summary>Whether the line last returned was longer than <see cref="MaxLineBytes"/>; it is then returned empty.</summary>
    internal bool LastLineTooLong { get; private set; }

    internal bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        var skipping = false;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = skipping ? default : TrimCr(pending[..newline]);
                _start += newline + 1;
                return Line(skipping);
            }
            if (_eof)
            {
                if (pending.IsEmpty && !skipping)
                {
                    line = default;
                    return false;
                }
                line = skipping ? default : TrimCr(pending);
                _start = _end;
                return Line(skipping);
            }
            if (pending.Length >= MaxLineBytes)
            {
                // Drop what is buffered of the long line and keep reading until its end.
                skipping = true;
                _start = _end;
            }
            Fill();
        }
    }

    private bool Line(bool tooLong)
    {
        LineNumber++;
        LastLineTooLong = tooLong;
        return true;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
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
        if (!_started && _end >= 3)
        {
            _started = true;
            if (_buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                _start = 3;
            }
        }
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
