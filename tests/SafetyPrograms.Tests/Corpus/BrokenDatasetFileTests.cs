using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Corpus;

/// <summary>
/// Each checked-in dataset file is the valid base.json with exactly one defect. An unreadable file must throw
/// <see cref="DataFormatException"/> (nothing else) naming the path and line, and validate to the single finding
/// SP0001 at that place; a readable but wrong file must validate to exactly the business-rule findings listed.
/// </summary>
public sealed class BrokenDatasetFileTests
{
    /// <summary>File, then every finding the validator must report, as <c>code [line n] path</c>; none means valid.</summary>
    public static TheoryData<string, string[]> Files => new()
    {
        { "base.json", [] },
        { "bom.json", [] },
        // An optional list (attendance) may be null; it reads as empty.
        { "null-for-nested-list.json", [] },

        // Wrong types
        { "wrong-type-sequence.json", ["SP0001 line 29 partnerships[0].phases[0].sequence"] },
        { "wrong-type-object-for-string.json", ["SP0001 line 70 schools[0].name"] },
        { "unknown-enum-value.json", ["SP0001 line 7 organisations[0].kind"] },
        { "null-for-list.json", ["SP0001 line 3 organisations"] },
        { "null-in-list.json", ["SP0001 line 37 partnerships[0].phases[0].schools[0]"] },
        { "null-document.json", ["SP0001 line 1 $"] },
        { "array-document.json", ["SP0001 line 1 $"] },

        // Missing, unknown and repeated members
        { "missing-required-organisation-name.json", ["SP0001 line 8 organisations[0]"] },
        { "missing-required-partnership-period.json", ["SP0001 line 50 partnerships[0]"] },
        { "unknown-member.json", ["SP0001 line 72 schools[0].colour"] },
        { "duplicate-property-name.json", ["SP0001 line 7 organisations[0].name"] },

        // Impossible values: reversed periods, negative and overflowing numbers, impossible dates
        { "reversed-partnership-period.json", ["SP0001 line 17 partnerships[0].period.end"] },
        { "reversed-target-period.json", ["SP0001 line 44 partnerships[0].phases[0].targets[0].period.end"] },
        { "negative-cohort-size.json", ["SP0001 line 86 cohorts[0].size"] },
        { "negative-attendance-count.json", ["SP0001 line 104 activities[0].attendance[0].count"] },
        { "overflowing-int-cohort-size.json", ["SP0001 line 86 cohorts[0].size"] },
        { "overflowing-decimal-target-value.json", ["SP0001 line 46 partnerships[0].phases[0].targets[0].value"] },
        { "overflowing-decimal-actual-value.json", ["SP0001 line 117 actuals[0].value"] },
        { "february-30.json", ["SP0001 line 96 activities[0].date"] },
        { "february-29-not-leap-year.json", ["SP0001 line 96 activities[0].date"] },
        { "date-not-iso.json", ["SP0001 line 96 activities[0].date"] },

        // Not JSON, or not this JSON
        { "empty.json", ["SP0001 line 1 $"] },
        { "whitespace-only.json", ["SP0001 line 4 $"] },
        { "truncated.json", ["SP0001 line 92 activities[0]"] },
        { "trailing-comma.json", ["SP0001 line 9 organisations[0]"] },
        { "comment.json", ["SP0001 line 2 $"] },
        { "unsupported-schema-version.json", ["SP0001 line 2 schemaVersion"] },

        // Readable but wrong: the reader lets these through and the validator names them
        { "unknown-reference-activity-phase.json", ["SP1103 activities[0].phase"] },
        { "unknown-reference-member-organisation.json", ["SP1101 partnerships[0].members[0].organisation"] },
        {
            "unknown-reference-phase-school.json",
            ["SP1102 partnerships[0].phases[0].schools[0]", "SP1109 cohorts[0].school", "SP1109 activities[0].school"]
        },
        { "duplicate-organisation-id.json", ["SP1001 organisations[1].id"] },
        { "duplicate-activity-id.json", ["SP1001 activities[1].id"] },
        { "activity-outside-phase.json", ["SP2003 activities[0].date"] },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Validate_CorpusDataset_ReportsExactlyTheExpectedFindings(string file, string[] expected)
    {
        var report = await Corpus.Bounded(() =>
        {
            using var stream = File.OpenRead(Corpus.PathOf(file));
            return Corpus.ValidateDataset(stream, file);
        });

        Assert.Equal(expected, report.Findings.Select(Corpus.Describe));
        Assert.Equal(expected.Length == 0, report.IsValid);
        Assert.All(report.Findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Message)));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Read_UnreadableCorpusDataset_ThrowsDataFormatExceptionAtThePathAndLine(string file, string[] expected)
    {
        if (expected is not [var only] || !only.StartsWith("SP0001 ", StringComparison.Ordinal))
        {
            return; // readable: covered by the validation test above
        }
        var parts = only.Split(' ', 4);

        var error = await Record.ExceptionAsync(() => Corpus.Bounded(() =>
        {
            using var stream = File.OpenRead(Corpus.PathOf(file));
            return ProgrammeDatasetJson.Read(stream, file);
        }));

        var format = Assert.IsType<DataFormatException>(error);
        Assert.Equal(file, format.FileName);
        Assert.Equal(long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), format.LineNumber);
        Assert.Equal(parts[3], format.Path);
        Assert.StartsWith($"{file}, line {parts[2]}", format.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corpus_EveryDatasetFileHasAnExpectation()
    {
        var listed = Files.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        var present = Directory.EnumerateFiles(Corpus.Folder, "*.json").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(present.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }
}
