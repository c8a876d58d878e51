namespace SafetyPrograms.Serialization;

/// <summary>
/// The contract is UTF-8. A file saved as UTF-16 or UTF-32 (as spreadsheet programs offer, "Unicode text") starts with
/// that encoding's byte order mark; it is refused as a whole, at line 1, rather than decoded behind the contract's back
/// or turned into one confusing error per line.
/// </summary>
internal static class ByteOrderMarks
{
    /// <summary>The most bytes a byte order mark takes (UTF-32).</summary>
    internal const int MaxLength = 4;

    /// <summary>The encoding a non-UTF-8 byte order mark at the start of <paramref name="start"/> announces, or <c>null</c>.</summary>
    internal static string? ForeignEncoding(ReadOnlySpan<byte> start) => start switch
    {
        // UTF-32 LE first: its mark begins with UTF-16 LE's.
        [0xFF, 0xFE, 0x00, 0x00, ..] => "UTF-32 (little-endian)",
        [0x00, 0x00, 0xFE, 0xFF, ..] => "UTF-32 (big-endian)",
        [0xFF, 0xFE, ..] => "UTF-16 (little-endian)",
        [0xFE, 0xFF, ..] => "UTF-16 (big-endian)",
        _ => null,
    };

    /// <summary>Throws when <paramref name="start"/> opens with a UTF-16 or UTF-32 byte order mark.</summary>
    /// <param name="start">The first bytes of the file (at least <see cref="MaxLength"/> when it has that many).</param>
    /// <param name="fileName">The file name, for the message.</param>
    /// <param name="path">The JSON path the error names: <c>$</c> for a JSON document, <c>null</c> for a line-based file.</param>
    internal static void RefuseForeign(ReadOnlySpan<byte> start, string? fileName, string? path = null)
    {
        if (ForeignEncoding(start) is { } encoding)
        {
            throw new DataFormatException(
                $"The file is {encoding}, not UTF-8: save it as UTF-8 (\"CSV UTF-8\" or \"UTF-8\" in the save dialogue) and read it again.",
                fileName, path, 1, 0);
        }
    }
}

/// <summary>
/// A stream that can only be read forwards and does not know its length, as a pipe or a network stream: derived
/// types implement <see cref="Read(Span{byte})"/> only.
/// </summary>
internal abstract class ForwardOnlyReadStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override int Read(Span<byte> buffer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
