using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Validation;
using static SafetyPrograms.Tests.Validation.TestData;

namespace SafetyPrograms.Tests.Validation;

/// <summary>
/// SP3006: a figure beyond ±10^15 is refused wherever a figure is written (target, reported value, breakdown cell,
/// baseline, an indicator's range), without repeating it; extreme dates and decimal's extremes never make validation throw.
/// </summary>
public class FigureRangeTests
{
    private const decimal Limit = 1_000_000_000_000_000m;

    /// <summary>Beyond the limit: just past it, the 8e26, and decimal's extremes.</summary>
    public static TheoryData<decimal> Beyond => [Limit + 1, 8e26m, decimal.MaxValue];

    private static IEnumerable<ValidationFinding> Sp3006(ProgrammeDataset dataset) =>
        ProgrammeValidator.Validate(dataset).Findings.Where(f => f.Code == "SP3006");

    private static Indicator Reach(Baseline? baseline = null, decimal? minimum = null, decimal? maximum = null) =>
        new(new("reach"), "Children and adults trained", IndicatorUnit.Count, ResultLevel.Output, CountingBasis.UniquePeople,
            Accumulation.Cumulative, Direction.HigherIsBetter, baseline, minimum, maximum);

    [Theory]
    [MemberData(nameof(Beyond))]
    public void Target_BeyondTheLimit_IsSP3006_AtItsValue_WithoutRepeatingIt(decimal value)
    {
        var dataset = Dataset(partnerships: [Partnership(targets: [Target("reach", "2024-01-01", "2025-12-31", value)])]);

        var finding = Assert.Single(Sp3006(dataset));

        Assert.Equal("partnerships[0].targets[0].value", finding.Path);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.DoesNotContain(value.ToString(System.Globalization.CultureInfo.InvariantCulture), finding.Message, StringComparison.Ordinal);
        // Out of range says it all: the unit rules (whole count, percentage) are not piled on top.
        Assert.DoesNotContain(ProgrammeValidator.Validate(dataset).Findings, f => f.Path == finding.Path && f.Code != "SP3006");
    }

    [Theory]
    [MemberData(nameof(Beyond))]
    public void ReportedValueAndItsCells_BeyondTheLimit_AreSP3006_AndTheSumCheckDoesNotOverflow(decimal value)
    {
        // Two cells of decimal.MaxValue cannot even be added: the breakdown check must not try.
        var actual = Actual(value: value, disaggregations: [BySex(value, value, 0)]);

        var findings = ProgrammeValidator.Validate(Dataset(actuals: [actual])).Findings;

        Assert.Equal(
            ["actuals[0].disaggregations[0].cells[0].value", "actuals[0].disaggregations[0].cells[1].value", "actuals[0].value"],
            findings.Where(f => f.Code == "SP3006").Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(findings, f => f.Code == "SP4001");
    }

    [Fact]
    public void CellsWithinTheLimit_StillHaveToAddUp()
    {
        var actual = Actual(value: Limit, disaggregations: [BySex(Limit, Limit, 0)]);

        var findings = ProgrammeValidator.Validate(Dataset(actuals: [actual])).Findings;

        Assert.DoesNotContain(findings, f => f.Code == "SP3006");
        Assert.Contains(findings, f => f.Code == "SP4001" && f.Path == "actuals[0].disaggregations[0]");
    }

    [Fact]
    public void BaselineAndRange_BeyondTheLimit_AreSP3006()
    {
        var indicators = Indicators().Skip(1).Prepend(Reach(new Baseline(D("2023-12-31"), decimal.MinValue), decimal.MinValue, decimal.MaxValue)).ToList();

        var paths = Sp3006(Dataset(indicators: indicators)).Select(f => f.Path).Order(StringComparer.Ordinal);

        Assert.Equal(["indicators[0].baseline.value", "indicators[0].maximum", "indicators[0].minimum"], paths);
    }

    [Fact]
    public void FiguresAtTheLimit_AndDecimalsSmallestStep_AreNotSP3006()
    {
        var dataset = Dataset(
            partnerships: [Partnership(targets: [Target("reach", "2024-01-01", "2025-12-31", Limit)])],
            indicators: [.. Indicators().Skip(1).Prepend(Reach(new Baseline(D("2023-12-31"), -Limit)))],
            actuals: [Actual(value: Limit), Actual("knowledge", value: 0.0000000000000000000000000001m)]);

        Assert.Empty(Sp3006(dataset));
    }

    [Fact]
    public void PeriodsAndDatesAtTheCalendarsEdges_ValidateWithoutThrowing()
    {
        var first = "0001-01-01";
        var last = "9999-12-31";
        var dataset = Dataset(
            partnerships:
            [
                Partnership(
                    Period(first, last),
                    phases: [Phase1(Period(first, "5000-12-31")), Phase2(Period("5001-01-01", last))],
                    targets: [Target("reach", first, last, 50_000)],
                    milestones: [new Milestone(new("m"), "Closed", LocalDate.MaxIsoValue, MilestoneStatus.Achieved, LocalDate.MinIsoValue)]),
            ],
            activities: [Activity(date: first), Activity("a2", "phase-2", last, "school-3", attendance: [new(new("students-3"), int.MaxValue)])],
            actuals: [Actual(start: first, end: last, value: Limit, phase: null), Actual(start: last, end: last, value: Limit, phase: null)]);

        var report = ProgrammeValidator.Validate(dataset);

        Assert.DoesNotContain(report.Findings, f => f.Code is "SP3006" or "SP2001" or "SP2003" or "SP2004" or "SP2005");
        Assert.Contains(report.Findings, f => f.Code == "SP3004" && f.Path == "activities[1].attendance[0].count"); // int.MaxValue attended
    }

    [Fact]
    public void ParticipationCounts_ThatCannotBeAdded_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParticipationCounts(long.MaxValue, 1));

        var counts = new ParticipationCounts(long.MaxValue - 1, 1);

        Assert.Equal(long.MaxValue, counts.Read);
    }
}
