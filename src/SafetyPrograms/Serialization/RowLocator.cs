using System.Globalization;

namespace SafetyPrograms.Serialization;

/// <summary>
/// Where a row of an input is, and one of its cells, as the person holding the input finds it: <c>line 12</c> in a CSV or
/// JSON Lines file, <c>Attendance!A12</c> (or the cell at fault, <c>Attendance!D12</c>) in a workbook,
/// <c>row 12 of the query result</c> for a database. The one way every report names a place: the ingest report's
/// refusals, the validator's findings and the messages that point at another row all ask a locator.
/// </summary>
/// <remarks>
/// A source says how its rows and cells read (<c>ParticipationSource.Locate</c>); its locator adds which of its columns
/// holds a participation field, so a finding about the date names the date's cell. Thread-safe once made.
/// </remarks>
internal abstract class RowLocator
{
    /// <summary>Lines of a text file (and the positions of in-memory records): <c>line 12</c>, whatever the column.</summary>
    internal static RowLocator Lines { get; } = new LineLocator();

    /// <summary>Where a row is, or the cell of the column at fault.</summary>
    /// <param name="rowNumber">The row's number, as its source gave it (a line, a sheet row, a result row).</param>
    /// <param name="path">The participation field or source column at fault; <c>null</c> or <c>$</c> for the row as a whole.</param>
    /// <returns>Such as <c>line 12</c>, <c>Attendance!D12</c> or <c>row 12 of the query result</c>.</returns>
    internal abstract string Locate(long rowNumber, string? path = null);

    /// <summary>A locator that asks <paramref name="locate"/>.</summary>
    internal static RowLocator Of(Func<long, string?, string> locate) => new FuncLocator(locate);

    /// <summary><c>line</c> and the number.</summary>
    internal static string Line(long line) => "line " + line.ToString(CultureInfo.InvariantCulture);

    private sealed class LineLocator : RowLocator
    {
        internal override string Locate(long rowNumber, string? path = null) => Line(rowNumber);
    }

    private sealed class FuncLocator(Func<long, string?, string> locate) : RowLocator
    {
        internal override string Locate(long rowNumber, string? path = null) => locate(rowNumber, path);
    }
}
