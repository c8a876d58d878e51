using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Corpus;

/// <summary>
/// Each checked-in dataset file is the valid base.json with exactly one defect. Validation lists exactly the findings
/// given, in the order of the file: the defect at its line (SP0001 only when the file is not JSON at all, SP0002-SP0009
/// for the contract's problems) and, where an element could not be built, every reference to it naming that cause. The
/// strict reader throws one <see cref="DataFormatException"/> (nothing else) naming the place of the first contract
/// problem and carrying every one of them. (Files with several planted problems: <see cref="SeveralProblemsFileTests"/>.)
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

        // Wrong types: the element is not built, and what refers to it names the cause and its line
        {
            "wrong-type-sequence.json",
            [
                "SP0006 line 29 partnerships[0].phases[0].sequence",
                "SP1103 line 82 cohorts[0].phase",
                "SP1103 line 93 activities[0].phase",
                "SP1106 line 112 actuals[0].partnership",
                "SP1103 line 118 actuals[0].phase",
            ]
        },
        {
            "wrong-type-object-for-string.json",
            [
                "SP1102 line 37 partnerships[0].phases[0].schools[0]",
                "SP0006 line 70 schools[0].name",
                "SP1102 line 87 cohorts[0].school",
                "SP1102 line 97 activities[0].school",
            ]
        },
        {
            "unknown-enum-value.json",
            [
                "SP0009 line 7 organisations[0].kind",
                "SP1101 line 22 partnerships[0].members[0].organisation",
                "SP1101 line 98 activities[0].facilitatedBy",
                "SP1101 line 121 actuals[0].reportedBy",
            ]
        },
        {
            "null-for-list.json",
            [
                "SP0006 line 3 organisations",
                "SP1101 line 15 partnerships[0].members[0].organisation",
                "SP1101 line 91 activities[0].facilitatedBy",
                "SP1101 line 114 actuals[0].reportedBy",
            ]
        },
        {
            "null-in-list.json",
            [
                "SP0006 line 37 partnerships[0].phases[0].schools[0]",
                "SP1103 line 82 cohorts[0].phase",
                "SP1103 line 93 activities[0].phase",
                "SP1106 line 112 actuals[0].partnership",
                "SP1103 line 118 actuals[0].phase",
            ]
        },
        { "null-document.json", ["SP0006 line 1 $"] },
        { "array-document.json", ["SP0006 line 1 $"] },

        // Missing, unknown and repeated members (an unknown or repeated member leaves the object built)
        {
            "missing-required-organisation-name.json",
            [
                "SP0004 line 4 organisations[0].name",
                "SP1101 line 21 partnerships[0].members[0].organisation",
                "SP1101 line 97 activities[0].facilitatedBy",
                "SP1101 line 120 actuals[0].reportedBy",
            ]
        },
        {
            "missing-required-partnership-period.json",
            [
                "SP0004 line 12 partnerships[0].period",
                "SP1103 line 78 cohorts[0].phase",
                "SP1103 line 89 activities[0].phase",
                "SP1106 line 108 actuals[0].partnership",
                "SP1103 line 114 actuals[0].phase",
            ]
        },
        { "unknown-member.json", ["SP0003 line 72 schools[0].colour"] },
        { "duplicate-property-name.json", ["SP0005 line 7 organisations[0].name"] },

        // Impossible values: reversed periods, negative and overflowing numbers, impossible dates
        {
            "reversed-partnership-period.json",
            [
                "SP0008 line 17 partnerships[0].period.end",
                "SP1103 line 82 cohorts[0].phase",
                "SP1103 line 93 activities[0].phase",
                "SP1106 line 112 actuals[0].partnership",
                "SP1103 line 118 actuals[0].phase",
            ]
        },
        {
            "reversed-target-period.json",
            [
                "SP0008 line 44 partnerships[0].phases[0].targets[0].period.end",
                "SP1103 line 82 cohorts[0].phase",
                "SP1103 line 93 activities[0].phase",
                "SP1106 line 112 actuals[0].partnership",
                "SP1103 line 118 actuals[0].phase",
            ]
        },
        {
            "negative-cohort-size.json",
            [
                "SP0008 line 86 cohorts[0].size",
                "SP1105 line 103 activities[0].attendance[0].cohort",
            ]
        },
        { "negative-attendance-count.json", ["SP0008 line 104 activities[0].attendance[0].count"] },
        {
            "overflowing-int-cohort-size.json",
            [
                "SP0006 line 86 cohorts[0].size",
                "SP1105 line 103 activities[0].attendance[0].cohort",
            ]
        },
        {
            "overflowing-decimal-target-value.json",
            [
                "SP0006 line 46 partnerships[0].phases[0].targets[0].value",
                "SP1103 line 82 cohorts[0].phase",
                "SP1103 line 93 activities[0].phase",
                "SP1106 line 112 actuals[0].partnership",
                "SP1103 line 118 actuals[0].phase",
            ]
        },
        { "overflowing-decimal-actual-value.json", ["SP0006 line 117 actuals[0].value"] },
        { "february-30.json", ["SP0007 line 96 activities[0].date"] },
        { "february-29-not-leap-year.json", ["SP0007 line 96 activities[0].date"] },
        { "date-not-iso.json", ["SP0007 line 96 activities[0].date"] },

        // Not JSON at all (SP0001, exit code 2), or a version this library does not read
        { "empty.json", ["SP0001 line 1 $"] },
        { "whitespace-only.json", ["SP0001 line 4 $"] },
        { "truncated.json", ["SP0001 line 92 activities[0]"] },
        { "trailing-comma.json", ["SP0001 line 9 organisations[0]"] },
        { "comment.json", ["SP0001 line 2 $"] },
        { "unsupported-schema-version.json", ["SP0002 line 2 schemaVersion"] },

        // Readable but wrong: the reader lets these through and the validator names them
        { "unknown-reference-activity-phase.json", ["SP1103 line 93 activities[0].phase"] },
        { "unknown-reference-member-organisation.json", ["SP1101 line 22 partnerships[0].members[0].organisation"] },
        {
            "unknown-reference-phase-school.json",
            [
                "SP1102 line 37 partnerships[0].phases[0].schools[0]",
                "SP1109 line 87 cohorts[0].school",
                "SP1109 line 97 activities[0].school",
            ]
        },
        { "duplicate-organisation-id.json", ["SP1001 line 11 organisations[1].id"] },
        { "duplicate-activity-id.json", ["SP1001 line 109 activities[1].id"] },
        { "activity-outside-phase.json", ["SP2003 line 96 activities[0].date"] },
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
        var contract = expected.Where(IsContractFinding).ToArray();
        if (contract.Length == 0)
        {
            return; // readable: covered by the validation test above
        }
        var parts = contract[0].Split(' ', 4);

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
        Assert.Equal(contract.Length, format.ProblemCount);
        Assert.Equal(
            contract.Select(c => c.Split(' ', 4)[3]),
            format.Problems.Select(p => SafetyPrograms.Validation.ProgrammeValidator.JsonPathOf(p.Path)));
    }

    /// <summary>A finding of the reading (SP0001-SP0009), which the strict reader throws for, rather than of a business rule.</summary>
    internal static bool IsContractFinding(string described) =>
        described.StartsWith("SP000", StringComparison.Ordinal);

    /// <summary>A rule of reading a file against the contract (SP0001-SP0009), which only a file can show, except SP0002 (also a business rule).</summary>
    internal static bool IsReadingRule(SafetyPrograms.Validation.ValidationRule rule) =>
        rule.Code.StartsWith("SP000", StringComparison.Ordinal) && rule != SafetyPrograms.Validation.ValidationRules.UnsupportedSchemaVersion;

    [Fact]
    public void Corpus_CoversEveryReadingRule()
    {
        var listed = Files.Concat(SeveralProblemsFileTests.Files)
            .SelectMany(row => (string[])row[1])
            .Select(f => f.Split(' ')[0])
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(SafetyPrograms.Validation.ValidationRules.All.Where(IsReadingRule), rule => Assert.Contains(rule.Code, listed));
    }

    [Fact]
    public void Corpus_EveryDatasetFileHasAnExpectation()
    {
        var listed = Files.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        var present = Directory.EnumerateFiles(Corpus.Folder, "*.json").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(present.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }
}
