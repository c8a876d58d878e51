using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Tests.Corpus;

/// <summary>
/// Each checked-in participation file (CSV or JSON Lines, against base.json) goes through both public paths: the
/// readers plus <see cref="ProgrammeValidator.ValidateParticipation"/>, and the aggregation store's ingest. Both must
/// account for every line (read = accepted + rejected) and name the rejected lines; a file that cannot be read at
/// all (no header, a bad header) is SP0001 for the validator and a <see cref="DataFormatException"/> for the store.
/// </summary>
public sealed class BrokenParticipationFileTests
{
    /// <summary>
    /// File; the validator's findings (<c>code line n path</c>); its read and accepted counts; and the store's outcome:
    /// <c>read N rejects a,b</c> or <c>throws line L path</c>.
    /// </summary>
    public static TheoryData<string, string[], long, long, string> Files => new()
    {
        { "participation-bom.csv", [], 1, 1, "read 1 rejects" },
        { "participation-bom.jsonl", [], 1, 1, "read 1 rejects" },
        { "participation-crlf.csv", [], 2, 2, "read 2 rejects" },
        { "participation-quoted-fields.csv", [], 1, 1, "read 1 rejects" },
        { "participation-header-only.csv", [], 0, 0, "read 0 rejects" },

        // The file cannot be read at all.
        { "participation-empty.csv", ["SP0001 line 1 $"], 0, 0, "throws line 1" },
        { "participation-missing-column.csv", ["SP0001 line 1 mode"], 0, 0, "throws line 1 mode" },
        { "participation-duplicated-column.csv", ["SP0001 line 1 date"], 0, 0, "throws line 1 date" },
        { "participation-unknown-column.csv", ["SP0001 line 1 notes"], 0, 0, "throws line 1 notes" },

        // Bad rows are rejected one by one, the rest accepted.
        { "participation-extra-columns.csv", ["SP8001 line 3 $"], 3, 2, "read 3 rejects 3" },
        { "participation-too-few-columns.csv", ["SP8001 line 3 $"], 3, 2, "read 3 rejects 3" },
        {
            "participation-bad-values.csv",
            [
                "SP8001 line 3 date", "SP8001 line 4 date", "SP8002 line 5 activity", "SP8001 line 6 completed",
                "SP8001 line 7 preScore", "SP8004 line 8 school", "SP8001 line 9 role",
            ],
            9, 2, "read 9 rejects 3,4,5,6,7,8,9"
        },
        {
            // Line 8's post score (1e23) is a valid decimal, but scores are held up to 1e9 only: both paths refuse it (SP8012).
            "participation-bad-lines.jsonl",
            [
                "SP8001 line 2 completed", "SP8001 line 3 colour", "SP8001 line 4 mode", "SP8001 line 5 beneficiary",
                "SP8001 line 6 date", "SP8001 line 7 preScore", "SP8012 line 8 postScore", "SP8001 line 9 $", "SP8001 line 10 $",
                "SP8001 line 11 $", "SP8002 line 12 activity",
            ],
            15, 4, "read 15 rejects 2,3,4,5,6,7,8,9,10,11,12"
        },

        // Both paths skip blank lines, read a quoted line break as part of its field, and let an unclosed quote
        // swallow the rest of the file (saying so). The bad row after each proves that both number lines physically.
        { "participation-blank-lines.csv", ["SP8001 line 5 date"], 2, 1, "read 2 rejects 5" },
        { "participation-blank-lines.jsonl", ["SP8001 line 4 completed"], 2, 1, "read 2 rejects 4" },
        { "participation-quoted-newline.csv", ["SP8001 line 3 beneficiary", "SP8001 line 5 date"], 3, 1, "read 3 rejects 3,5" },
        { "participation-unclosed-quote.csv", ["SP8015 line 3 $"], 3, 2, "read 3 rejects 3" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public Task ValidateParticipation_CorpusFile_AccountsForEveryLineAndNamesTheRejectedOnes(
        string file, string[] findings, long read, long accepted, string ingest)
    {
        _ = ingest;
        return ParticipationOutcome.AssertValidated(File.ReadAllBytes(Corpus.PathOf(file)), file, findings, read, accepted);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public Task AppendToStore_CorpusFile_AccountsForEveryLineOrThrowsDataFormatException(
        string file, string[] findings, long read, long accepted, string ingest)
    {
        _ = (findings, read, accepted);
        return ParticipationOutcome.AssertIngested(File.ReadAllBytes(Corpus.PathOf(file)), file, ingest);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public Task AppendToStoreAndValidate_CorpusFile_RefuseTheSameLinesForTheSameReasons(
        string file, string[] findings, long read, long accepted, string ingest)
    {
        _ = (read, accepted);
        return ingest.StartsWith("throws", StringComparison.Ordinal)
            ? Task.CompletedTask
            : ParticipationOutcome.AssertStoreRefusesAsValidator(File.ReadAllBytes(Corpus.PathOf(file)), file, findings);
    }

    [Fact]
    public void Corpus_EveryParticipationFileHasAnExpectation()
    {
        var listed = Files.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        var present = Directory.EnumerateFiles(Corpus.Folder, "participation-*").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(present.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }
}
