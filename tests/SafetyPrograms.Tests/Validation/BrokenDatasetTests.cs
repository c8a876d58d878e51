using SafetyPrograms.Validation;

namespace SafetyPrograms.Tests.Validation;

public sealed class BrokenDatasetTests
{
    public static TheoryData<string> Cases => BrokenDatasets.Names();

    [Fact]
    public void Validate_SampleDataset_HasNoFindings()
    {
        var report = ProgrammeValidator.Validate(TestData.Dataset());

        Assert.Empty(report.Findings);
        Assert.True(report.IsValid);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_BrokenDataset_ReportsItsCodeAtItsPath(string name)
    {
        var broken = BrokenDatasets.Named(name);

        var report = ProgrammeValidator.Validate(broken.Build());

        var finding = Assert.Single(report.Findings, f => f.Code == broken.Code && f.Path == broken.Path);
        Assert.Equal(ValidationRules.Find(broken.Code)!.Severity, finding.Severity);
        Assert.Equal(ValidationRules.Find(broken.Code)!.Fix, finding.Fix);
        Assert.False(string.IsNullOrWhiteSpace(finding.Message));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_BrokenDataset_ReportsNothingTheValidDatasetDoesNotExplain(string name)
    {
        // A defect must not set off unrelated rules: every finding is either the expected one or a direct
        // consequence listed here, so a rule that fires on valid parts of the dataset fails this test.
        var broken = BrokenDatasets.Named(name);
        string[] consequences = ["SP1103", "SP1109", "SP1102", "SP2004", "SP2005", "SP1110", "SP3004", "SP6001", "SP7003", "SP7004", "SP2003", "SP1001", "SP4001"];

        var report = ProgrammeValidator.Validate(broken.Build());

        Assert.All(report.Findings, f => Assert.True(f.Code == broken.Code || consequences.Contains(f.Code), $"{name}: unexpected {f}"));
    }

    [Fact]
    public void Corpus_CoversEveryDatasetRule()
    {
        var covered = BrokenDatasets.All.Select(c => c.Code).ToHashSet();
        var datasetRules = ValidationRules.All
            // Participation-stream rules (SP8xxx, and SP5001 on beneficiary keys) are covered by ParticipationStreamTests; the
            // rules of reading a file (SP0001-SP0009) by the corpus files (BrokenDatasetFileTests.Corpus_CoversEveryReadingRule).
            // SP6008 compares reported figures with participation records: ReportedRecountTests cover it.
            .Where(r => !r.IsReserved && r.Category is not (RuleCategory.Participation or RuleCategory.Privacy)
                && !Tests.Corpus.BrokenDatasetFileTests.IsReadingRule(r) && r != ValidationRules.ReportedDiffersFromRecount)
            .Select(r => r.Code);

        Assert.Empty(datasetRules.Except(covered));
    }
}
