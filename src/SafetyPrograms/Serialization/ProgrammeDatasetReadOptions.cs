using SafetyPrograms.Utility;

namespace SafetyPrograms.Serialization;

/// <summary>How <see cref="ProgrammeDatasetJson"/> reads a dataset document.</summary>
/// <remarks>
/// The reader holds the whole document in memory, so its size is capped: a document larger than
/// <see cref="MaxDocumentBytes"/> is refused with a <see cref="DataFormatException"/> after reading at most one byte more
/// than the cap, whatever the stream says its length is. Equality is by value. Immutable and thread-safe;
/// <see cref="Default"/> is shared.
/// </remarks>
public sealed record ProgrammeDatasetReadOptions
{
    /// <summary>The largest document read by default: 256 MiB (268,435,456 bytes), far above any real dataset.</summary>
    public const int DefaultMaxDocumentBytes = 256 * 1024 * 1024;

    /// <summary>The largest cap that can be chosen: the largest array .NET can allocate, less the one byte read past the cap.</summary>
    public static int LargestMaxDocumentBytes { get; } = Array.MaxLength - 1;

    /// <summary>Documents of up to <see cref="DefaultMaxDocumentBytes"/> bytes.</summary>
    public static ProgrammeDatasetReadOptions Default { get; } = new();

    /// <summary>
    /// The largest document, in bytes including any byte order mark, that is read; a larger one is refused with a
    /// <see cref="DataFormatException"/>. Defaults to <see cref="DefaultMaxDocumentBytes"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 1 and <see cref="LargestMaxDocumentBytes"/>.</exception>
    public int MaxDocumentBytes
    {
        get;
        init
        {
            Preconditions.CheckInRange(value, 1, LargestMaxDocumentBytes);
            field = value;
        }
    } = DefaultMaxDocumentBytes;
}
