using System.Text;

namespace SafetyPrograms.Tests.Corpus;

/// <summary>
/// A read-only stream of <paramref name="length"/> bytes produced on demand, a line at a time, so a test can feed a
/// reader 100 MB without the bytes ever existing in memory. <paramref name="writeLine"/> writes line <c>n</c> (0-based)
/// into the span it is given and returns its length; the stream ends at <paramref name="length"/> bytes or when it
/// returns -1. Producing bytes allocates nothing.
/// </summary>
internal sealed class GeneratingStream(long length, GeneratingStream.LineWriter writeLine) : Stream
{
    internal delegate int LineWriter(long lineIndex, Span<byte> destination);

    private readonly byte[] _line = new byte[4096];
    private int _lineStart;
    private int _lineEnd;
    private long _nextLine;
    private long _position;
    private bool _done;

    /// <summary>Lines written so far (the last one may be cut short by <see cref="Length"/>).</summary>
    internal long LinesStarted => _nextLine;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>A stream of <paramref name="length"/> copies of one byte: a single enormous line or value.</summary>
    internal static GeneratingStream Repeat(long length, byte value, byte[]? prefix = null, byte[]? suffix = null)
    {
        prefix ??= [];
        suffix ??= [];
        var fill = length - prefix.Length - suffix.Length;
        const int Chunk = 4096;
        var chunks = (fill / Chunk) + (fill % Chunk == 0 ? 0 : 1); // no overflow for an endless (long.MaxValue) stream
        return new GeneratingStream(length, (n, span) =>
        {
            if (n == 0)
            {
                prefix.CopyTo(span);
                return prefix.Length;
            }
            if (n <= chunks)
            {
                var size = (int)Math.Min(Chunk, fill - ((n - 1) * Chunk));
                span[..size].Fill(value);
                return size;
            }
            suffix.CopyTo(span);
            return n == chunks + 1 ? suffix.Length : -1;
        });
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && _position < length && !_done)
        {
            if (_lineStart == _lineEnd)
            {
                var size = writeLine(_nextLine++, _line);
                if (size < 0)
                {
                    _done = true;
                    break;
                }
                _lineStart = 0;
                _lineEnd = size;
                continue;
            }
            var take = (int)Math.Min(Math.Min(_lineEnd - _lineStart, buffer.Length - written), length - _position);
            _line.AsSpan(_lineStart, take).CopyTo(buffer[written..]);
            _lineStart += take;
            written += take;
            _position += take;
        }
        return written;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Writes ASCII <paramref name="text"/> at <paramref name="at"/>; returns the position after it.</summary>
    internal static int Put(Span<byte> destination, int at, string text) =>
        at + Encoding.ASCII.GetBytes(text, destination[at..]);

    /// <summary>Writes <paramref name="value"/> in decimal at <paramref name="at"/> without allocating; returns the position after it.</summary>
    internal static int Put(Span<byte> destination, int at, long value)
    {
        System.Buffers.Text.Utf8Formatter.TryFormat(value, destination[at..], out var written);
        return at + written;
    }
}
