using System.Collections.ObjectModel;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Ingest;

/// <summary>What one append to a participation store did: every line (or record) is either accepted or refused, and each refusal has a rule code.</summary>
/// <remarks>
/// <see cref="Read"/> = <see cref="Accepted"/> + <see cref="Rejected"/>. The line number of every refused line is kept,
/// and every refusal is counted under its code in <see cref="RejectedByCode"/>; the full reason (<see cref="IngestReject"/>:
/// line, code, column and message) is kept for the first <see cref="MaxDetailedRejects"/>. The codes are those of
/// <see cref="ValidationRules"/>, and a row is refused exactly when <see cref="ParticipationValidator"/> with default
/// options refuses it. For in-memory records the "line" is the 1-based position in the sequence. Immutable and thread-safe.
/// </remarks>
public sealed class IngestReport
{
    /// <summary>How many rejects keep their full reason.</summary>
    public const int MaxDetailedRejects = 1000;

    internal IngestReport(
        string? fileName, long read, long accepted, IReadOnlyList<long> rejectedLines, IReadOnlyList<IngestReject> rejects,
        IReadOnlyDictionary<string, long> rejectedByCode, bool stoppedEarly, string? stoppedAt)
    {
        StoppedEarly = stoppedEarly;
        StoppedAt = stoppedAt;
        FileName = fileName;
        Read = read;
        Accepted = accepted;
        RejectedLines = rejectedLines;
        Rejects = rejects;
        RejectedByCode = rejectedByCode;
    }

    /// <summary>The file name given to the append, or <c>null</c>.</summary>
    public string? FileName { get; }

    /// <summary>Record lines read (the CSV header is not a record line).</summary>
    public long Read { get; }

    /// <summary>Records added to the store.</summary>
    public long Accepted { get; }

    /// <summary>Lines refused.</summary>
    public long Rejected => RejectedLines.Count;

    /// <summary>Whether every line read was accepted and the whole input was read.</summary>
    public bool IsClean => Rejected == 0 && !StoppedEarly;

    /// <summary>
    /// Whether reading stopped before the end of the input: at a record longer than 1 MiB, or at the record limit
    /// (SP8015). The last refusal in <see cref="Rejects"/> says where and why; nothing after it was read.
    /// </summary>
    public bool StoppedEarly { get; }

    /// <summary>
    /// Where reading stopped, when it stopped early (<see cref="StoppedEarly"/>), named as <see cref="IngestReject.Location"/>
    /// names a place (<c>line 12</c>, <c>Attendance!A12</c>, <c>row 12 of the query result</c>); <c>null</c> when it did not.
    /// </summary>
    public string? StoppedAt { get; }

    /// <summary>The 1-based line number of every refused line, in order.</summary>
    public IReadOnlyList<long> RejectedLines { get; }

    /// <summary>Why lines were refused, for the first <see cref="MaxDetailedRejects"/> of them, in line order.</summary>
    public IReadOnlyList<IngestReject> Rejects { get; }

    /// <summary>Refused lines counted by rule code (such as <c>SP8002</c>), every refusal included.</summary>
    public IReadOnlyDictionary<string, long> RejectedByCode { get; }
}

/// <summary>One refused line: where, which rule, which column and why.</summary>
/// <remarks>The message names ids, dates and scores, never the beneficiary key. Immutable and thread-safe.</remarks>
public sealed class IngestReject
{
    internal IngestReject(long lineNumber, string location, string code, string path, string message)
    {
        LineNumber = lineNumber;
        Location = location;
        Code = code;
        // Whatever the reader wrote, a reject never repeats a raw identifier or a control character.
        Path = Domain.ValueText.ScreenPath(path);
        Message = Domain.ValueText.ScreenMessage(message, withholdQuoted: Path == ValidationFinding.BeneficiaryColumn);
    }

    /// <summary>The 1-based line number (for in-memory records, the position in the sequence; for a <see cref="ParticipationSource"/>, the row's number,
    /// such as a sheet's row); <see cref="Location"/> names the place as the user finds it.</summary>
    public long LineNumber { get; }

    /// <summary>Where the line is, as the user finds it in the source: <c>line 12</c> in a CSV or JSON Lines file, or a source's
    /// own form (<see cref="ParticipationSource.Locate(long)"/>): <c>Attendance!A12</c> in a workbook, <c>row 12 of the query result</c>
    /// for a database, <c>record 12</c> in a Parquet file. For a line refused for one column's value, a source whose cells have
    /// addresses names the cell (<see cref="ParticipationSource.Locate(long, int)"/>), such as <c>Attendance!D12</c> for a bad date.</summary>
    public string Location { get; }

    /// <summary>The code of the rule that refused the line, from <see cref="ValidationRules"/>, such as <c>SP8003</c>.</summary>
    public string Code { get; }

    /// <summary>The column or member at fault (<c>$</c> for the line as a whole).</summary>
    public string Path { get; }

    /// <summary>Why, in one sentence.</summary>
    public string Message { get; }

    /// <summary>The location, code, column and message.</summary>
    /// <returns>Such as <c>line 12: SP8003 date: The record is dated …</c>.</returns>
    public override string ToString() => $"{Location}: {Code} {Path}: {Message}";
}

/// <summary>Collects an <see cref="IngestReport"/>.</summary>
/// <param name="fileName">The file or source name.</param>
/// <param name="locator">How a line number and the column at fault (<see cref="RowError.Column"/>) read (by default
/// <c>line</c> and the number).</param>
internal sealed class IngestReportBuilder(string? fileName, RowLocator? locator = null)
{
    private readonly RowLocator _locator = locator ?? RowLocator.Lines;

    private readonly List<long> _lines = [];
    private readonly List<IngestReject> _rejects = [];
    private readonly SortedDictionary<string, long> _byCode = new(StringComparer.Ordinal);

    internal long Read { get; set; }

    internal long Accepted { get; set; }

    internal bool StoppedEarly { get; set; }

    internal void Reject(long line, RowError error)
    {
        Read++;
        _lines.Add(line);
        _byCode[error.Code] = _byCode.GetValueOrDefault(error.Code) + 1;
        if (_rejects.Count < IngestReport.MaxDetailedRejects)
        {
            _rejects.Add(new IngestReject(line, _locator.Locate(line, error.Column), error.Code, error.Column, error.Message));
        }
    }

    internal IngestReport Build() =>
        new(fileName, Read, Accepted, _lines.AsReadOnly(), _rejects.AsReadOnly(), new ReadOnlyDictionary<string, long>(new Dictionary<string, long>(_byCode, StringComparer.Ordinal)), StoppedEarly,
            StoppedEarly && _lines.Count > 0 ? _locator.Locate(_lines[^1]) : null);
}
