using SafetyPrograms.Ingest;
using SafetyPrograms.Validation;
using static SafetyPrograms.Tests.Corpus.Hostile;

namespace SafetyPrograms.Tests.Corpus;

/// <summary>
/// Reports cap how many findings or rejection details they keep; the cap must never shorten the counts, and the
/// report must say that details were left out.
/// </summary>
public sealed class NothingDroppedTests
{
    private const int BadRows = 2 * ParticipationValidationOptions.DefaultMaxFindings;

    /// <summary>A header, <see cref="BadRows"/> rows dated 2024-02-30, then one good row.</summary>
    private static MemoryStream ManyBadRows()
    {
        var text = new System.Text.StringBuilder(CsvHeader);
        for (var i = 0; i < BadRows; i++)
        {
            text.Append("k-").Append(i).Append(",a1,2024-02-30").Append(CsvRowTail.AsSpan(14));
        }
        text.Append(CsvRow());
        return new MemoryStream(Utf8(text.ToString()));
    }

    [Fact]
    public async Task ValidateParticipation_MoreBadRowsThanFindingsKept_CountsEveryRowAndSaysFindingsWereLeftOut()
    {
        var report = await Corpus.Bounded(() => Corpus.ValidateParticipation(Corpus.BaseDataset(), ManyBadRows(), "many.csv"));

        Assert.Equal((BadRows + 1L, 1L, (long)BadRows), (report.Participation!.Read, report.Participation.Accepted, report.Participation.Rejected));
        Assert.Equal(ParticipationValidationOptions.DefaultMaxFindings, report.Findings.Count);
        Assert.Equal(BadRows - ParticipationValidationOptions.DefaultMaxFindings, report.FindingsOmitted);
        Assert.Contains($"; {report.FindingsOmitted} more finding(s) not kept", report.ToString(), StringComparison.Ordinal);
        Assert.False(report.IsValid);
    }

    [Fact]
    public async Task AppendCsv_MoreBadRowsThanDetailsKept_NamesEveryRejectedLine()
    {
        var report = await Corpus.Bounded(() => Corpus.IngestFile(Corpus.BaseDataset(), ManyBadRows(), "many.csv"));

        Assert.Equal((BadRows + 1L, 1L, (long)BadRows), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal(Enumerable.Range(2, BadRows).Select(n => (long)n), report.RejectedLines);
        Assert.Equal(IngestReport.MaxDetailedRejects, report.Rejects.Count);
    }
}
