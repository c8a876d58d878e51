using SafetyPrograms.Serialization;

namespace SafetyPrograms.Aggregation;

/// <summary>What one append to a <see cref="ParticipationStore"/> did: every line (or record) is either accepted or rejected.</summary>
/// <remarks>
/// <see cref="Read"/> = <see cref="Accepted"/> + <see cref="Rejected"/>. The line number of every rejected line is
/// kept; the reason (a <see cref="DataFormatException"/> naming file, line and column or member) is kept for the first
/// <see cref="MaxDetailedRejects"/>. For in-memory records the "line" is the 1-based position in the sequence.
/// Immutable and thread-safe.
/// </remarks>
public sealed class IngestReport
{
    /// <summary>How many rejects keep their full reason.</summary>
    public const int MaxDetailedRejects = 1000;

    internal IngestReport(long read, long accepted, IReadOnlyList<long> rejectedLines, IReadOnlyList<DataFormatException> rejects)
    {
        Read = read;
        Accepted = accepted;
        RejectedLines = rejectedLines;
        Rejects = rejects;
    }

    /// <summary>Record lines read (the CSV header is not a record line).</summary>
    public long Read { get; }

    /// <summary>Records added to the store.</summary>
    public long Accepted { get; }

    /// <summary>Lines refused.</summary>
    public long Rejected => RejectedLines.Count;

    /// <summary>The 1-based line number of every refused line, in order.</summary>
    public IReadOnlyList<long> RejectedLines { get; }

    /// <summary>Why lines were refused, for the first <see cref="MaxDetailedRejects"/> of them.</summary>
    public IReadOnlyList<DataFormatException> Rejects { get; }
}

/// <summary>Collects an <see cref="IngestReport"/>.</summary>
internal sealed class IngestReportBuilder(string? fileName)
{
    private readonly List<long> _lines = [];
    private readonly List<DataFormatException> _rejects = [];

    internal long Read { get; set; }

    internal long Accepted { get; set; }

    internal void Reject(long line, string reason, string? column = null)
    {
        Read++;
        _lines.Add(line);
        if (_rejects.Count < IngestReport.MaxDetailedRejects)
        {
            _rejects.Add(new DataFormatException(reason, fileName, column, line, null));
        }
    }

    internal IngestReport Build() => new(Read, Accepted, _lines.AsReadOnly(), _rejects.AsReadOnly());
}
