using System.Text;
using System.Text.Json.Serialization;

namespace SafetyPrograms.Validation;

/// <summary>
/// One thing validation found: which rule, how serious, where (the JSON path exactly as in the file, and for
/// streams the line, or the place as the user finds it in a workbook or a database), the value it found and what to fix.
/// </summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record ValidationFinding
{
    /// <summary>Creates a finding.</summary>
    /// <param name="code">The rule's code, such as <c>SP2001</c>.</param>
    /// <param name="severity">How serious it is.</param>
    /// <param name="path">The JSON path as in the file (<c>partnerships[0].phases[1].period.end</c>), <c>$</c> for the root, or a column name for streams.</param>
    /// <param name="message">What is wrong, naming the values involved.</param>
    /// <param name="fix">What to change.</param>
    /// <param name="attemptedValue">
    /// The offending value as written in JSON, when there is one. It is kept only when <see cref="Domain.ValueText.MayShow"/>
    /// allows it and the finding is not about the beneficiary key; the message is screened the same way.
    /// </param>
    /// <param name="line">The 1-based line number of the value the finding names, when known.</param>
    /// <param name="column">The 1-based column (UTF-16 code units, as editors count) of that value, when known.</param>
    /// <param name="location">Where the row is as the user finds it in its input, when it is read from a participation stream:
    /// <c>line 12</c>, <c>Attendance!D12</c> (the cell of the value at fault), <c>row 12 of the query result</c>.</param>
    /// <exception cref="ArgumentException">The code, path or message is blank.</exception>
    [JsonConstructor]
    public ValidationFinding(
        string code, FindingSeverity severity, string path, string message, string fix, string? attemptedValue = null, long? line = null,
        long? column = null, string? location = null)
    {
        Code = Utility.Preconditions.CheckNotBlank(code);
        Severity = severity;
        // The last guard for every rule and reader: a finding never carries a raw identifier, a beneficiary key that
        // failed validation, an over-long value or control characters, whichever builder made it.
        // A finding on the beneficiary column shows no value at all: a key that is not a valid pseudonym may be a name.
        Path = Domain.ValueText.ScreenPath(Utility.Preconditions.CheckNotBlank(path));
        var aboutKey = Path == BeneficiaryColumn;
        Message = Domain.ValueText.ScreenMessage(Utility.Preconditions.CheckNotBlank(message), withholdQuoted: aboutKey);
        Fix = Domain.ValueText.ScreenMessage(fix ?? string.Empty);
        AttemptedValue = aboutKey ? null : Domain.ValueText.Screen(attemptedValue);
        Line = line;
        Column = column;
        Location = string.IsNullOrWhiteSpace(location) ? null : Domain.ValueText.ScreenMessage(location);
    }

    /// <summary>The participation column that holds the beneficiary key: no finding or reject on it shows a value.</summary>
    internal const string BeneficiaryColumn = "beneficiary";

    /// <summary>The rule's code.</summary>
    public string Code { get; }

    /// <summary>How serious it is.</summary>
    public FindingSeverity Severity { get; }

    /// <summary>The JSON path as in the file, <c>$</c> for the root, or the column name for streams.</summary>
    public string Path { get; }

    /// <summary>What is wrong.</summary>
    public string Message { get; }

    /// <summary>What to change.</summary>
    public string Fix { get; }

    /// <summary>The offending value as written in JSON, when there is one and it may be shown (<see cref="Domain.ValueText.MayShow"/>).</summary>
    public string? AttemptedValue { get; }

    /// <summary>The 1-based line number of the value the finding names, when known; for a row of a participation source
    /// that is not a text file, the source's own row number (a sheet's row, a result row's position), which
    /// <see cref="Location"/> names as the user finds it.</summary>
    public long? Line { get; }

    /// <summary>The 1-based column of that value in its line (UTF-16 code units, as editors count), when known.</summary>
    public long? Column { get; }

    /// <summary>
    /// Where the row the finding is about is, as the user finds it in a participation stream, when the validator read one:
    /// <c>line 12</c> in a CSV or JSON Lines file; in a workbook the sheet and the cell of the value at fault
    /// (<c>Attendance!D12</c> for a bad date) or the row's first cell (<c>Attendance!A12</c>); <c>row 12 of the query result</c>
    /// for a database; <c>record 12</c> in a Parquet file. <see cref="Line"/> then holds the source's row number (the
    /// sheet's row, the result row's position); <c>null</c> for a dataset's findings, which <see cref="Line"/> and
    /// <see cref="Column"/> place.
    /// </summary>
    public string? Location { get; }

    /// <summary>The finding as one line of text: <c>error SP2001 partnerships[0].phases[1].period.end: … Fix: …</c>, with its
    /// place first when it has one (<c>error SP8003 Attendance!D12 date: …</c>, <c>warning SP0004 line 3:5 …</c>).</summary>
    /// <returns>The line, without a line break.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(Message.Length + Fix.Length + 48);
        text.Append(SeverityName(Severity)).Append(' ').Append(Code).Append(' ');
        if (Location is { } location)
        {
            text.Append(location).Append(' ');
        }
        else if (Line is { } line)
        {
            text.Append("line ").Append(line.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Column is { } column)
            {
                text.Append(':').Append(column.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            text.Append(' ');
        }
        text.Append(Path).Append(": ").Append(Message);
        if (Fix.Length > 0)
        {
            text.Append(" Fix: ").Append(Fix);
        }
        return text.ToString();
    }

    internal static string SeverityName(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Error => "error",
        FindingSeverity.Warning => "warning",
        _ => "info",
    };
}
