using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>
/// Writes CSV that a spreadsheet opens as data, never as formulas: the one cell rule of every CSV the library and its
/// tool write for people to open (published tables, pseudonymised files, aggregation results).
/// </summary>
/// <remarks>
/// <para>Following OWASP's CSV-injection guidance, a text cell that begins with <c>=</c>, <c>+</c>, <c>-</c>,
/// <c>@</c>, a tab or a carriage return is written with a single quote before it (<c>'=HYPERLINK(…)</c>,
/// <c>'-a1</c>), so that Excel, LibreOffice and Google Sheets show it as text instead of evaluating it. A cell that is
/// exactly a decimal number, such as <c>-3</c> or <c>-0.25</c>, is left as it is: a spreadsheet reads it as a number and
/// it can call nothing. Fields are then quoted as RFC 4180 requires (<see cref="WriteRecord"/>).</para>
/// <para>The quote is a change to the text: a reader that wants the original value back removes one leading
/// <c>'</c> where the next character is one of those above. Participation files written for the library's own readers
/// (<see cref="ParticipationCsv"/>) are an interchange format and are not changed this way. Stateless and thread-safe.</para>
/// </remarks>
public static class CsvText
{
    /// <summary>
    /// The cell as a spreadsheet must see it: prefixed with <c>'</c> when it would start a formula, unchanged otherwise.
    /// </summary>
    /// <param name="cell">The cell text; null is empty.</param>
    /// <returns>The neutralised text, not yet quoted.</returns>
    public static string Neutralise(string? cell)
    {
        if (string.IsNullOrEmpty(cell) || cell[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r') || IsPlainNumber(cell))
        {
            return cell ?? string.Empty;
        }
        return "'" + cell;
    }

    /// <summary>Writes one record: each field neutralised (<see cref="Neutralise"/>) and quoted where needed, separated by commas, ended by a line feed.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="fields">The fields.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteRecord(TextWriter output, IReadOnlyList<string?> fields)
    {
        Preconditions.CheckNotNull(output);
        Preconditions.CheckNotNull(fields);
        for (var i = 0; i < fields.Count; i++)
        {
            ParticipationCsv.WriteField(output, Neutralise(fields[i]), i == fields.Count - 1 ? '\n' : ',');
        }
        if (fields.Count == 0)
        {
            output.Write('\n');
        }
    }

    // A leading minus before a decimal number (digits, an optional decimal part and exponent, as our writers format
    // numbers) is a negative number, not a formula.
    private static bool IsPlainNumber(string cell) =>
        cell.Length > 1 && cell[0] == '-' && decimal.TryParse(
            cell.AsSpan(1), System.Globalization.NumberStyles.AllowDecimalPoint | System.Globalization.NumberStyles.AllowExponent,
            System.Globalization.CultureInfo.InvariantCulture, out _) && char.IsAsciiDigit(cell[1]);
}
