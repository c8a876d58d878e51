namespace SafetyPrograms.Aggregation.Ingest;

/// <summary>Reads a stream as UTF-8 lines (LF or CRLF) into one reusable buffer, with 1-based line numbers; no allocation per line.</summary>
internal sealed class Utf8LineReader(Stream stream)
{
    private byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _started;

    /// <summary>The number of the line last returned.</summary>
    internal long LineNumber { get; private set; }

    internal bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = TrimCr(pending[..newline]);
                _start += newline + 1;
                LineNumber++;
                return true;
            }
            if (_eof)
            {
                if (pending.IsEmpty)
                {
                    line = default;
                    return false;
                }
                line = TrimCr(pending);
                _start = _end;
                LineNumber++;
                return true;
            }
            Fill();
        }
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
