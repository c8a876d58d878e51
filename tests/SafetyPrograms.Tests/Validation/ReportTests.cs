using FluentValidation;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;
using static SafetyPrograms.Tests.Validation.TestData;

namespace SafetyPrograms.Tests.Validation;

public sealed class ReportTests
{
    private static ProgrammeDataset WithWarningAndError() => Dataset(
        schools: [.. Schools(), School("school-4", "PK-PB", "Lahore", "PB-001")],
        activities: [Activity(date: "2024-08-01")]);

    [Fact]
    public void Validate_ReportsEveryFindingNotOnlyTheFirst()
    {
        var report = ProgrammeValidator.Validate(WithWarningAndError());

        Assert.Equal(["SP1002", "SP2003"], report.Findings.Select(f => f.Code).Order());
        Assert.Equal((1, 1, 0), (report.ErrorCount, report.WarningCount, report.InfoCount));
        Assert.False(report.IsValid);
    }

    [Fact]
    public void IsValid_WarningOnly_IsValidUnlessWarningsAreErrors()
    {
        var dataset = Dataset(schools: [.. Schools(), School("school-4", "PK-PB", "Lahore", "PB-001")]);

        Assert.True(ProgrammeValidator.Validate(dataset).IsValid);
        Assert.False(ProgrammeValidator.Validate(dataset, new ValidationOptions { TreatWarningsAsErrors = true }).IsValid);
    }

    [Fact]
    public void StructuralOnly_SkipsBusinessRulesButKeepsReferences()
    {
        var dataset = Dataset(activities: [Activity(date: "2024-08-01", facilitatedBy: "telecom")]);

        var report = ProgrammeValidator.Validate(dataset, new ValidationOptions { StructuralOnly = true });

        Assert.Equal(["SP1101"], report.Findings.Select(f => f.Code));
    }

    [Fact]
    public void AllowOverlappingPhases_DropsOnlyTheOverlapRule()
    {
        var dataset = Dataset(partnerships: [Partnership(phases: [Phase1(), Phase2(period: Period("2024-06-01", "2026-01-31"))])]);

        var report = ProgrammeValidator.Validate(dataset, new ValidationOptions { AllowOverlappingPhases = true });

        Assert.Equal(["SP2001"], report.Findings.Select(f => f.Code));
    }

    [Fact]
    public void Finding_AttemptedValue_IsAsWrittenInJson()
    {
        var report = ProgrammeValidator.Validate(Dataset(activities: [Activity(date: "2024-08-01")]));

        Assert.Equal("2024-08-01", Assert.Single(report.Findings).AttemptedValue);
    }

    [Fact]
    public void ToText_OneLinePerFindingWithSeverityCodePathAndFix()
    {
        var report = ProgrammeValidator.Validate(Dataset(activities: [Activity(date: "2024-08-01")]));

        var lines = report.ToText().Split('\n');

        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error SP2003 activities[0].date: Activity 'a1' is dated 2024-08-01", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(" Fix: " + ValidationRules.ActivityOutsidePhase.Fix, lines[0], StringComparison.Ordinal);
        Assert.Equal("invalid: 1 error(s), 0 warning(s), 0 info", lines[1]);
    }

    [Fact]
    public void ToJson_RoundTripsAndUsesCamelCase()
    {
        var report = ProgrammeValidator.ValidateParticipation(
            Dataset(), [ParticipationReadResult.Failure(4, new DataFormatException("Bad date.", null, "date", 4, 10))]);

        var json = report.ToJson();
        var back = ValidationReport.FromJson(json);

        Assert.Contains("\"severity\":\"error\"", json, StringComparison.Ordinal);
        Assert.Contains("\"participation\":{\"read\":1,\"accepted\":0,\"rejected\":1,\"stoppedEarly\":false}", json, StringComparison.Ordinal);
        Assert.Equal(report.Findings, back.Findings);
        Assert.Equal(report.Participation, back.Participation);
        Assert.False(back.IsValid);
    }

    [Theory]
    [InlineData("{\"findings\":[],\n\"extra\":1}", "extra", 2L)]
    [InlineData("{\"findings\":[],\"findings\":[]}", "findings", 1L)]
    [InlineData("{\"treatWarningsAsErrors\":false}", "findings", 1L)]
    [InlineData("{\"findings\":[{\"code\":\"SP0001\",\"severity\":\"fatal\",\"path\":\"$\",\"message\":\"m\",\"fix\":\"\"}]}", "findings[0].severity", 1L)]
    [InlineData("{\"findings\":[\n{\"code\":\" \",\"severity\":\"error\",\"path\":\"$\",\"message\":\"m\",\"fix\":\"\"}]}", "findings[0].code", 2L)]
    [InlineData("{\"findings\":[],\"participation\":{\"accepted\":-1,\"rejected\":0}}", "participation.accepted", 1L)]
    [InlineData("{\"isValid\":true,\"errorCount\":0,\"findings\":[{\"code\":\"SP0001\",\"severity\":\"error\",\"path\":\"$\",\"message\":\"m\",\"fix\":\"\"}]}", "isValid", 1L)]
    [InlineData("{\"errorCount\":\"0\",\"findings\":[]}", "errorCount", 1L)]
    [InlineData("{\"findings\":[]", "$", 1L)]
    public void FromJson_Malformed_ThrowsDataFormatExceptionAtPathAndLine(string json, string path, long line)
    {
        var ex = Assert.Throws<DataFormatException>(() => ValidationReport.FromJson(json));

        Assert.Equal((path, line), (ex.Path, ex.LineNumber));
    }

    [Fact]
    public void FromJson_IndentedReportWithEveryMember_RoundTrips()
    {
        var report = ProgrammeValidator.ValidateParticipation(
            Dataset(), [ParticipationReadResult.Failure(4, new DataFormatException("Bad date.", null, "date", 4, 10))]);

        var back = ValidationReport.FromJson(report.ToJson(indented: true));

        Assert.Equal(report.ToJson(indented: true), back.ToJson(indented: true));
        Assert.Equal((1, false), (back.ErrorCount, back.IsValid));
    }

    [Fact]
    public void JsonSchema_MatchesTheCheckedInFile()
    {
        var file = Path.Combine(CatalogueTests.RepositoryRoot(), "src", "SafetyPrograms", "Validation", "validation-report.schema.json");

        Assert.Equal(File.ReadAllText(file), ValidationReport.JsonSchema);
    }

    [Fact]
    public void Validate_ReaderThrowsDataFormatException_BecomesUnreadableInputFinding()
    {
        var report = ProgrammeValidator.Validate(
            () => throw new DataFormatException("'2025-02-30' is not a date.", "data.json", "$.partnerships[0].phases[1].period.end", 12, 30));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("SP0001", "partnerships[0].phases[1].period.end", 12L), (finding.Code, finding.Path, finding.Line));
        Assert.Equal("data.json: '2025-02-30' is not a date.", finding.Message);
    }

    [Fact]
    public void FromReadError_NoPath_PointsAtTheRoot()
    {
        var finding = Assert.Single(ProgrammeValidator.FromReadError(new DataFormatException("Empty file.")).Findings);

        Assert.Equal("$", finding.Path);
        Assert.Null(finding.Line);
    }

    [Fact]
    public void Validate_ReaderSucceeds_ValidatesTheDataset()
    {
        var report = ProgrammeValidator.Validate(() => Dataset(schemaVersion: "0.9"));

        Assert.Equal("SP0002", Assert.Single(report.Findings).Code);
    }

    [Fact]
    public void DatasetValidator_UsedDirectlyWithFluentValidation_GivesCodesPathsAndSeverities()
    {
        var result = ProgrammeDatasetValidator.Instance.Validate(Dataset(activities: [Activity(attendance: [new(new("students-1"), 130)])]));

        var failure = Assert.Single(result.Errors);
        Assert.Equal(("SP3004", "activities[0].attendance[0].count", Severity.Warning, (object)"130"),
            (failure.ErrorCode, failure.PropertyName, failure.Severity, failure.AttemptedValue));
    }

    [Fact]
    public void DatasetValidator_IsReusableAcrossDatasets()
    {
        var first = ProgrammeValidator.Validate(Dataset(activities: [Activity(date: "2024-08-01")]));
        var second = ProgrammeValidator.Validate(Dataset());

        Assert.Single(first.Findings);
        Assert.Empty(second.Findings);
    }
}
