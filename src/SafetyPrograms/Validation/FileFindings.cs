using System.Globalization;
using System.Text.RegularExpressions;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Validation;

/// <summary>
/// Places the business rules' findings in the file they came from: their paths and the places their messages name are
/// put back into the file's numbering (a root list that lost an item it could not read numbers its items from the
/// file, not from what was built), and each finding gets the line and column of the value its path names.
/// </summary>
internal static partial class FileFindings
{
    /// <summary>The findings of <paramref name="judged"/>, in the file's numbering and with their lines.</summary>
    internal static IEnumerable<ValidationFinding> Locate(ReadOnlySpan<byte> utf8, ContractReading reading, List<ValidationFinding> judged)
    {
        if (judged.Count == 0)
        {
            return judged;
        }
        var kept = reading.KeptIndices;
        if (kept.Count > 0)
        {
            judged = [.. judged.Select(f => new ValidationFinding(
                f.Code, f.Severity, Renumber(f.Path, kept), Renumber(f.Message, kept), f.Fix, f.AttemptedValue, f.Line, f.Column))];
        }
        var places = JsonPathLocator.Locate(utf8, judged.Select(f => f.Path));
        return judged.Select(f => places.TryGetValue(f.Path, out var place)
            ? new ValidationFinding(f.Code, f.Severity, f.Path, f.Message, f.Fix, f.AttemptedValue, place.Line, place.Column)
            : f);
    }

    /// <summary>Every <c>name[i]</c> of a root list (not preceded by a dot: nested lists lose nothing) in its file index.</summary>
    private static string Renumber(string text, IReadOnlyDictionary<string, int[]> kept) =>
        RootIndex().Replace(text, match =>
            kept.TryGetValue(match.Groups[1].Value, out var indices)
            && int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var built)
            && built < indices.Length
                ? string.Create(CultureInfo.InvariantCulture, $"{match.Groups[1].Value}[{indices[built]}]")
                : match.Value);

    [GeneratedRegex(@"(?<![\w.\]])([A-Za-z]\w*)\[(\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex RootIndex();
}
