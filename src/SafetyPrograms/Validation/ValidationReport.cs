using System.Text;
using System.Text.Json.Serialization;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Validation;

/// <summary>How many lines of a participation stream were read, accepted and rejected.</summary>
/// <remarks>
/// <see cref="Read"/> always equals <see cref="Accepted"/> plus <see cref="Rejected"/>: every line read is
/// accounted for. <see cref="StoppedEarly"/> says the stream was not read to its end: the policy was
/// <see cref="IngestPolicy.StopAtFirstError"/>, or the reader could not go on (finding SP0001). Equality is by value. Immutable and thread-safe.
/// </remarks>
public sealed record ParticipationCounts
{
    /// <summary>Creates the counts.</summary>
    /// <param name="accepted">Lines accepted.</param>
    /// <param name="rejected">Lines rejected.</param>
    /// <param name="stoppedEarly">Whether reading stopped before the end of the stream.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or the two add up beyond <see cref="long.MaxValue"/>.</exception>
    [JsonConstructor]
    public ParticipationCounts(long accepted, long rejected, bool stoppedEarly = false)
    {
        Preconditions.CheckNonNegative(accepted);
        // Read is their sum: refuse counts it could not hold rather than report a negative number of lines.
        Preconditions.CheckInRange(rejected, 0, long.MaxValue - accepted);
        Accepted = accepted;
        Rejected = rejected;
        StoppedEarly = stoppedEarly;
    }

    /// <summary>Lines read: accepted plus rejected.</summary>
    public long Read => Accepted + Rejected;

    /// <summary>Lines accepted.</summary>
    public long Accepted { get; }

    /// <summary>Lines rejected.</summary>
    public long Rejected { get; }

    /// <summary>Whether reading stopped before the end of the stream.</summary>
    public bool StoppedEarly { get; }
}

/// <summary>
/// The result of validating a dataset or a participation stream: every finding (not only the first), counts by
/// severity and, for streams, how many lines were read, accepted and rejected. Readable as text, serializable
/// to JSON (see <see cref="ToJson"/> and <see cref="JsonSchema"/>).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class ValidationReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="findings">The findings, in the order found.</param>
    /// <param name="treatWarningsAsErrors">Whether a warning makes the report invalid.</param>
    /// <param name="participation">The line counts, for a participation stream.</param>
    /// <param name="findingsOmitted">Findings found but not kept because of a limit.</param>
    /// <exception cref="ArgumentException"><paramref name="findings"/> holds a null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="findingsOmitted"/> is negative.</exception>
    [JsonConstructor]
    public ValidationReport(
        IReadOnlyList<ValidationFinding> findings,
        bool treatWarningsAsErrors = false,
        ParticipationCounts? participation = null,
        long findingsOmitted = 0)
    {
        Preconditions.CheckNonNegative(findingsOmitted);
        Findings = ValueList<ValidationFinding>.From(Preconditions.CheckNotNull(findings), nameof(findings));
        TreatWarningsAsErrors = treatWarningsAsErrors;
        Participation = participation;
        FindingsOmitted = findingsOmitted;
        foreach (var finding in Findings)
        {
            switch (finding.Severity)
            {
                case FindingSeverity.Error:
                    ErrorCount++;
                    break;
                case FindingSeverity.Warning:
                    WarningCount++;
                    break;
                default:
                    InfoCount++;
                    break;
            }
        }
    }

    /// <summary>
    /// Whether the data passes: no errors, and no warnings when <see cref="TreatWarningsAsErrors"/> is set.
    /// For a stream, also no rejected line (a rejection is always an error finding unless findings were omitted).
    /// </summary>
    public bool IsValid =>
        ErrorCount == 0 && (!TreatWarningsAsErrors || WarningCount == 0) && (Participation is null || Participation.Rejected == 0);

    /// <summary>Whether warnings count as errors for <see cref="IsValid"/>.</summary>
    public bool TreatWarningsAsErrors { get; }

    /// <summary>How many kept findings are errors.</summary>
    public int ErrorCount { get; }

    /// <summary>How many kept findings are warnings.</summary>
    public int WarningCount { get; }

    /// <summary>How many kept findings are informational.</summary>
    public int InfoCount { get; }

    /// <summary>Findings found but not kept because of <see cref="ParticipationValidationOptions.MaxFindings"/>.</summary>
    public long FindingsOmitted { get; }

    /// <summary>The line counts, for a participation stream; <c>null</c> for a dataset.</summary>
    public ParticipationCounts? Participation { get; }

    /// <summary>Every finding kept, in the order found.</summary>
    public IReadOnlyList<ValidationFinding> Findings { get; }

    /// <summary>The JSON Schema (draft 2020-12) of <see cref="ToJson"/>'s output, for partner pipelines.</summary>
    public static string JsonSchema => ValidationReportJson.Schema;

    /// <summary>The report as text: one line per finding, then a summary line.</summary>
    /// <returns>The text, lines separated by <c>\n</c>.</returns>
    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var finding in Findings)
        {
            text.Append(finding.ToString()).Append('\n');
        }
        text.Append(Summary());
        return text.ToString();
    }

    /// <summary>The report as JSON, in the shape <see cref="JsonSchema"/> describes.</summary>
    /// <param name="indented">Whether to indent for people to read.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = false) =>
        SafetyProgramsJsonContext.ToJson(this, SafetyProgramsJsonContext.WriterOptions(indented));

    /// <summary>
    /// Reads a report written by <see cref="ToJson"/>, strictly: unknown, repeated or missing members are refused, and
    /// so are counts or a validity that disagree with the findings.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="DataFormatException">The text is not a report, naming the JSON path and line at fault.</exception>
    public static ValidationReport FromJson(string json) =>
        SafetyProgramsJsonContext.Read<ValidationReport>(Encoding.UTF8.GetBytes(Preconditions.CheckNotNull(json)));

    /// <summary>The summary line of <see cref="ToText"/>.</summary>
    /// <returns>Such as <c>invalid: 2 errors, 1 warning, 0 info</c>.</returns>
    public override string ToString() => Summary();

    private string Summary()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var text = new StringBuilder(IsValid ? "valid" : "invalid");
        text.Append(inv, $": {ErrorCount} error(s), {WarningCount} warning(s), {InfoCount} info");
        if (TreatWarningsAsErrors)
        {
            text.Append(" (warnings treated as errors)");
        }
        if (FindingsOmitted > 0)
        {
            text.Append(inv, $"; {FindingsOmitted} more finding(s) not kept");
        }
        if (Participation is { } p)
        {
            text.Append(inv, $"; lines read {p.Read} = accepted {p.Accepted} + rejected {p.Rejected}");
            if (p.StoppedEarly)
            {
                text.Append(", stopped before the end of the stream");
            }
        }
        return text.ToString();
    }
}
