using SafetyPrograms.Domain;

namespace SafetyPrograms.Serialization;

/// <summary>
/// One line of a participation stream (CSV or JSON Lines) as read: either a record or the reason it was refused,
/// always with its line number, so that a reader accounts for every line (read = accepted + rejected).
/// </summary>
/// <remarks>
/// A row read from a source (<c>ParticipationSource.ReadRecords</c>: a workbook, a database, a Parquet file) also knows how
/// its source names it and its cells (<see cref="Locate"/>), so that a finding about it names the place the user finds.
/// Immutable and thread-safe.
/// </remarks>
public readonly struct ParticipationReadResult
{
    private readonly RowLocator? _locator;

    private ParticipationReadResult(long lineNumber, ParticipationRecord? record, DataFormatException? error, RowLocator? locator = null)
    {
        LineNumber = lineNumber;
        Record = record;
        Error = error;
        _locator = locator;
    }

    /// <summary>The 1-based line number in the file (a CSV header is line 1); for a row of a source, the number the source gave
    /// it (a sheet's row, a result row's position), which <see cref="Locate"/> names as the user finds it.</summary>
    public long LineNumber { get; }

    /// <summary>The record, when the line was read; <c>null</c> when it was refused.</summary>
    public ParticipationRecord? Record { get; }

    /// <summary>Why the line was refused, naming the line and column or member; <c>null</c> when it was read.</summary>
    public DataFormatException? Error { get; }

    /// <summary>Whether the line was read into a record.</summary>
    public bool IsSuccess => Record is not null;

    /// <summary>Where the line is, as the user finds it in its input, or the cell of one of its columns.</summary>
    /// <param name="column">A participation field (<c>date</c>) or the source's name for a column (<c>attended_on</c>); <c>null</c>
    /// or <c>$</c> for the row as a whole. Only a source whose cells have addresses (a workbook) names a cell.</param>
    /// <returns>
    /// <c>line 12</c> for a line of a CSV or JSON Lines file (or a result made with <see cref="Success"/> or <see cref="Failure"/>);
    /// for a row of a source, the source's form: <c>Attendance!A12</c> (<c>Attendance!D12</c> for the date's cell),
    /// <c>row 12 of the query result</c>, <c>record 12</c>.
    /// </returns>
    public string Locate(string? column = null) => (_locator ?? RowLocator.Lines).Locate(LineNumber, column);

    /// <summary>The result, named by <paramref name="locator"/>.</summary>
    internal ParticipationReadResult At(RowLocator locator) => new(LineNumber, Record, Error, locator);

    /// <summary>How this line and its cells are named (lines of a file when the reader gave none).</summary>
    internal RowLocator Locator => _locator ?? RowLocator.Lines;

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
