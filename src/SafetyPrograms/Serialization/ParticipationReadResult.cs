using SafetyPrograms.Domain;

namespace SafetyPrograms.Serialization;

/// <summary>
/// One line of a participation stream (CSV or JSON Lines) as read: either a record or the reason it was refused,
/// always with its line number, so that a reader accounts for every line (read = accepted + rejected).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public readonly struct ParticipationReadResult
{
    private ParticipationReadResult(long lineNumber, ParticipationRecord? record, DataFormatException? error)
    {
        LineNumber = lineNumber;
        Record = record;
        Error = error;
    }

    /// <summary>The 1-based line number in the file (a CSV header is line 1).</summary>
    public long LineNumber { get; }

    /// <summary>The record, when the line was read; <c>null</c> when it was refused.</summary>
    public ParticipationRecord? Record { get; }

    /// <summary>Why the line was refused, naming the line and column or member; <c>null</c> when it was read.</summary>
    public DataFormatException? Error { get; }

    /// <summary>Whether the line was read into a record.</summary>
    public bool IsSuccess => Record is not null;

    /// <summary>A line read into a record.</summary>
    /// <param name="lineNumber">The 1-based line number.</param>
    /// <param name="record">The record.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static ParticipationReadResult Success(long lineNumber, ParticipationRecord record) =>
        new(lineNumber, record ?? throw new ArgumentNullException(nameof(record)), null);

    /// <summary>A line refused.</summary>
    /// <param name="lineNumber">The 1-based line number.</param>
    /// <param name="error">Why it was refused.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public static ParticipationReadResult Failure(long lineNumber, DataFormatException error) =>
        new(lineNumber, null, error ?? throw new ArgumentNullException(nameof(error)));
}
