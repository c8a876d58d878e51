using System.Text;

namespace SafetyPrograms.Serialization;

/// <summary>
/// The text of a <see cref="TextReader"/> as a UTF-8 byte stream, so that APIs which take text run through the same
/// byte-level chunker and tokenizer as those which take streams. An unpaired surrogate becomes U+FFFD.
/// </summary>
internal sealed class TextReaderStream(TextReader reader) : ForwardOnlyReadStream
{
    private readonly Encoder _encoder = new UTF8Encoding(false, throwOnInvalidBytes: false).GetEncoder();
    private readonly char[] _chars = new char[4096];
    private readonly byte[] _bytes = new byte[(4096 * 3) + 8];
    private int _position;
    private int _length;
    private bool _done;

    public override int Read(Span<byte> buffer)
    {
        while (_position == _length)
        {
            if (_done)
            {
                return 0;
            }
            var read = reader.Read(_chars, 0, _chars.Length);
            _done = read == 0;
            _length = _encoder.GetBytes(_chars, 0, read, _bytes, 0, flush: _done);
            _position = 0;
        }
        var take = Math.Min(buffer.Length, _length - _position);
        _bytes.AsSpan(_position, take).CopyTo(buffer);
        _position += take;
        return take;
    }
}
