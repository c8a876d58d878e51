namespace SafetyPrograms.Serialization;

/// <summary>What kind of contract problem a <see cref="DataFormatProblem"/> is.</summary>
public enum DataFormatProblemKind
{
    /// <summary>The input cannot be read at all: not JSON, not UTF-8 text, larger than the size cap.</summary>
    Unreadable,
    /// <summary>A member the contract does not know.</summary>
    UnknownMember,
    /// <summary>A required member is absent.</summary>
    MissingMember,
    /// <summary>A member appears more than once in one object.</summary>
    RepeatedMember,
    /// <summary>A value of the wrong kind: a string for a number, null for a list, an object for a string.</summary>
    WrongType,
    /// <summary>A date that is not in <c>yyyy-MM-dd</c> form or does not exist (2025-02-30).</summary>
    InvalidDate,
    /// <summary>A value of the right kind that the model refuses: a negative count, a reversed period, an empty id.</summary>
    RefusedValue,
    /// <summary>A code that is not in its codelist (an enum name).</summary>
    UnknownCode,
    /// <summary>A schema version this library does not read.</summary>
    UnsupportedVersion,
}

/// <summary>
/// One problem found while reading a document against the JSON contract: what kind, what is wrong, what to change
/// in this case, and where (the JSON path, line and column).
/// </summary>
/// <remarks>
/// Messages and fixes never repeat a raw identifier: values are shown only as <see cref="Domain.ValueText"/> allows.
/// Equality is by value. Immutable and thread-safe.
/// </remarks>
public sealed record DataFormatProblem
{
    /// <summary>Creates a problem.</summary>
    /// <param name="kind">What kind of problem it is.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="fix">What to change in this case.</param>
    /// <param name="path">The JSON path (<c>schools[3].location.province</c>, <c>$</c> for the root), or <c>null</c>.</param>
    /// <param name="lineNumber">The 1-based line, when known.</param>
    /// <param name="column">The 1-based column in characters (UTF-16 code units), when known.</param>
    /// <param name="bytePositionInLine">The 0-based byte position in the line, when known.</param>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is blank.</exception>
    public DataFormatProblem(
        DataFormatProblemKind kind, string reason, string fix, string? path, long? lineNumber, long? column = null, long? bytePositionInLine = null)
    {
        Kind = kind;
        Reason = Domain.ValueText.ScreenMessage(Utility.Preconditions.CheckNotBlank(reason));
        Fix = Domain.ValueText.ScreenMessage(fix ?? string.Empty);
        Path = path is null ? null : Domain.ValueText.ScreenPath(path);
        LineNumber = lineNumber;
        Column = column;
        BytePositionInLine = bytePositionInLine;
    }

    /// <summary>What kind of problem it is.</summary>
    public DataFormatProblemKind Kind { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }

    /// <summary>What to change in this case.</summary>
    public string Fix { get; }

    /// <summary>The JSON path, <c>$</c> for the root, or <c>null</c> when unknown.</summary>
    public string? Path { get; }

    /// <summary>The 1-based line, when known.</summary>
    public long? LineNumber { get; }

    /// <summary>The 1-based column in characters (UTF-16 code units, as editors count), when known.</summary>
    public long? Column { get; }

    /// <summary>The 0-based byte position in the line, when known.</summary>
    public long? BytePositionInLine { get; }
}
