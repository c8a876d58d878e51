using SafetyPrograms.Utility;

namespace SafetyPrograms.Exchange;

/// <summary>What an export wrote, and what it left out and why.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class ExportSummary
{
    internal ExportSummary(int written, int suppressed, IReadOnlyList<string> notes)
    {
        Written = written;
        Suppressed = suppressed;
        Notes = ValueList<string>.From(notes, nameof(notes));
    }

    /// <summary>How many figures (values) were written.</summary>
    public int Written { get; }

    /// <summary>How many figures were suppressed by the publication policy: omitted, or written as missing with their confidentiality status (SDMX).</summary>
    public int Suppressed { get; }

    /// <summary>What was left out and why, such as a programme whose organisations have no IATI identifier; empty when nothing was.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The summary in words.</summary>
    /// <returns>Such as <c>120 figures written, 4 suppressed</c>.</returns>
    public override string ToString() =>
        $"{Written:N0} figures written, {Suppressed:N0} suppressed" + (Notes.Count == 0 ? string.Empty : $"; {Notes.Count:N0} note(s)");
}

/// <summary>Counts what an export writes, as it writes it.</summary>
internal sealed class ExportTally(ExchangeData data)
{
    private readonly List<string> _notes = [.. data.Notes];

    public int Written { get; set; }

    public int Suppressed { get; set; }

    public void Note(string note)
    {
        if (!_notes.Contains(note))
        {
            _notes.Add(note);
        }
    }

    public ExportSummary ToSummary() => new(Written, Suppressed, _notes);
}
