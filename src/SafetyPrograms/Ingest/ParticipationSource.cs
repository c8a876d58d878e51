using System.Diagnostics.CodeAnalysis;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Ingest;

/// <summary>
/// A source of tabular participation rows with named columns: a spreadsheet, a database query, a Parquet file, an export
/// of a data-collection tool. The source only reads: it names its columns, then hands each row's cells to a
/// <see cref="ParticipationRowWriter"/>, which maps them by name onto the participation fields (the columns of
/// <see cref="ParticipationCsv.Columns"/>) and sends them through the one row pipeline, so every source is decoded by the
/// same field rules, refused by the same row rules and reported in the same <see cref="IngestReport"/>.
/// </summary>
/// <remarks>
/// <para>Appending a source (<c>ParticipationStore.Append(ParticipationSource, …)</c>) calls <see cref="ReadRows"/> once.
/// A source that can be read only once says so in its documentation.</para>
/// <para>Each row has a number the source chooses (a line, a sheet row, a record's position), increasing from row to
/// row; <see cref="Locate(long)"/> says how that number reads in a report (<c>line 12</c>, <c>Attendance!A12</c>, <c>row 12</c>),
/// and <see cref="Locate(long, int)"/> how one of its cells does, for a row refused for one column's value.</para>
/// </remarks>
public abstract class ParticipationSource
{
    /// <summary>Creates a source.</summary>
    /// <param name="name">What the report calls the source (<see cref="IngestReport.FileName"/>): a file name, or a
    /// description that holds no secret (a database's host and name, never a password); <c>null</c> for none.</param>
    protected ParticipationSource(string? name) => Name = name;

    /// <summary>What the report and messages call the source, or <c>null</c>.</summary>
    public string? Name { get; }

    /// <summary>How a row number reads in a report; by default <c>row</c> and the number.</summary>
    /// <param name="rowNumber">A number the source gave a row (<see cref="ParticipationRowWriter.BeginRow"/>).</param>
    /// <returns>Such as <c>row 12</c>.</returns>
    public virtual string Locate(long rowNumber) => $"row {rowNumber}";

    /// <summary>
    /// How a cell reads in a report, for a row refused for one column's value; by default as the row
    /// (<see cref="Locate(long)"/>). A source whose cells have addresses (a spreadsheet: <c>Attendance!C12</c>) names the cell.
    /// </summary>
    /// <param name="rowNumber">A number the source gave a row (<see cref="ParticipationRowWriter.BeginRow"/>).</param>
    /// <param name="column">The source column at fault: its position in the list given to <see cref="ParticipationRowWriter.SetColumns"/>.</param>
    /// <returns>Such as <c>row 12</c>, or <c>Attendance!C12</c>.</returns>
    public virtual string Locate(long rowNumber, int column) => Locate(rowNumber);

    /// <summary>
    /// Reads the source: first <see cref="ParticipationRowWriter.SetColumns"/> with its column names, then for each row
    /// <see cref="ParticipationRowWriter.BeginRow"/>, its cells, and <see cref="ParticipationRowWriter.EndRow"/>, stopping
    /// when <see cref="ParticipationRowWriter.EndRow"/> returns <c>false</c>.
    /// </summary>
    /// <param name="rows">Where the rows go.</param>
    /// <param name="cancellationToken">Checked by <paramref name="rows"/> between batches; a source that waits (on a
    /// network, say) should pass it on.</param>
    /// <exception cref="DataFormatException">The source is not what it claims (not a workbook, a file of another shape);
    /// thrown as is.</exception>
    protected internal abstract void ReadRows(ParticipationRowWriter rows, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the source as participation records, as the typed readers (<see cref="ParticipationCsv.Read"/>) give them:
    /// one result a row, in row order, each row decoded by the one field decoder after the options map its columns (a raw
    /// identifier keyed first, so it never reaches a record or a message). No row rule is applied: the results are for a
    /// validator (<c>SafetyPrograms.Validation.ProgrammeValidator.ValidateParticipation</c>), which applies them all.
    /// </summary>
    /// <param name="options">How the columns become fields; <see cref="ParticipationSourceOptions.Default"/> when <c>null</c>.</param>
    /// <param name="cancellationToken">Stops the reading between batches of rows.</param>
    /// <returns>
    /// Lazily, one result per row: a record, or why the row is not one (the source's own refusal, a raw identifier that
    /// cannot be keyed, a value the decoder refuses), with the row's number as its <see cref="ParticipationReadResult.LineNumber"/>
    /// and the participation field at fault as the error's path.
    /// </returns>
    /// <exception cref="DataFormatException">Thrown on enumeration: the source is not what it claims (a header that names no
    /// participation columns, a file of another shape), or it stopped at a record too long to read on past, after that
    /// record's failure.</exception>
    /// <exception cref="ParticipationSourceException">Thrown on enumeration: the source failed part way, after the rows read before.</exception>
    /// <remarks>The source is read on a worker thread, a few thousand rows ahead of the enumeration; ending the
    /// enumeration early stops it. Enumerate once: the source is read as appending it would read it.</remarks>
    public IEnumerable<ParticipationReadResult> ReadRecords(ParticipationSourceOptions? options = null, CancellationToken cancellationToken = default) =>
        SourceRecords.Read(this, options ?? ParticipationSourceOptions.Default, cancellationToken);
}

/// <summary>How a <see cref="ParticipationSource"/>'s columns become participation fields.</summary>
/// <remarks>
/// A source column fills the participation field of the same name (<see cref="ParticipationCsv.Columns"/>, compared
/// ignoring case, since databases fold unquoted names), unless <see cref="Columns"/> names another column for it. A
/// source column that fills no field is refused, with every other problem of the columns, unless
/// <see cref="IgnoreOtherColumns"/> is set. Immutable once built.
/// </remarks>
public sealed class ParticipationSourceOptions
{
    /// <summary>The default options: columns named as the participation fields, no other column, no pseudonymisation.</summary>
    public static ParticipationSourceOptions Default { get; } = new();

    /// <summary>Source column names by participation field name, for the fields whose column has another name; <c>null</c> for none.</summary>
    /// <remarks>Such as <c>{"date": "attended_on", "beneficiary": "learner_code"}</c>.</remarks>
    public IReadOnlyDictionary<string, string>? Columns { get; init; }

    /// <summary>Whether source columns that fill no field are skipped (never read) instead of refused.</summary>
    public bool IgnoreOtherColumns { get; init; }

    /// <summary>
    /// The source column holding a raw identifier (a phone number, a learner id) to be pseudonymised as each row is read,
    /// with <see cref="RawIdentifiers"/>, into the row's beneficiary key; <c>null</c> when the source holds keys already.
    /// </summary>
    /// <remarks>The raw value is turned into a key before the row goes any further: it never reaches the store, a report or a
    /// message. The source must then have no <c>beneficiary</c> column of its own.</remarks>
    public string? RawIdentifierColumn { get; init; }

    /// <summary>How raw identifiers become keys, such as <c>SafetyPrograms.Privacy.RawIdentifierKeys</c> over the programme's secret.</summary>
    public IRawIdentifierKeys? RawIdentifiers { get; init; }
}

/// <summary>Turns a raw identifier into a pseudonymous beneficiary key as rows are read, so that raw identifiers never land.</summary>
/// <remarks>Implementations must be thread-safe and must never repeat the identifier in <c>problem</c>.</remarks>
public interface IRawIdentifierKeys
{
    /// <summary>The key of one raw identifier, or why there is none.</summary>
    /// <param name="rawIdentifier">The identifier as the source holds it.</param>
    /// <param name="key">The key, when one was made.</param>
    /// <param name="problem">Why the identifier cannot be keyed, without repeating it; <c>null</c> on success.</param>
    /// <returns><c>true</c> when a key was made.</returns>
    bool TryKey(string rawIdentifier, out BeneficiaryKey key, [NotNullWhen(false)] out string? problem);
}

/// <summary>
/// A participation source failed part way (a lost connection, a query error, a damaged file): the store was left as it
/// was before the append, and <see cref="ReadSoFar"/> says what had been read.
/// </summary>
/// <remarks>The message names the source and where it stopped, never a value read from it; the source's own exception,
/// which may quote data, is the <see cref="Exception.InnerException"/>, for the operator's eyes only.</remarks>
public sealed class ParticipationSourceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParticipationSourceException()
        : this("The participation source failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public ParticipationSourceException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception with a message and the source's exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The source's exception.</param>
    public ParticipationSourceException(string message, Exception? innerException)
        : base(message, innerException) => ReadSoFar = new IngestReportBuilder(null).Build();

    internal ParticipationSourceException(string message, IngestReport readSoFar, Exception innerException)
        : base(message, innerException) => ReadSoFar = readSoFar;

    /// <summary>What had been read when the source failed: rows accepted and refused up to there. None of them was kept.</summary>
    public IngestReport ReadSoFar { get; }
}
