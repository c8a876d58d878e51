using SafetyPrograms.Domain;
using static SafetyPrograms.Tests.Validation.TestData;

namespace SafetyPrograms.Tests.Validation;

/// <summary>One defect in an otherwise valid dataset, and the finding it must produce.</summary>
internal sealed record BrokenDataset(string Name, Func<ProgrammeDataset> Build, string Code, string Path);

/// <summary>
/// The corpus of broken datasets: for every dataset rule, at least one dataset that breaks it, with the exact code
/// and JSON path the finding must carry. The file-level corpus (malformed JSON, CSV quirks) joins it through SP0001.
/// </summary>
internal static class BrokenDatasets
{
    private static Indicator Extra(IndicatorUnit unit, Accumulation accumulation, decimal? min = null, decimal? max = null, CountingBasis basis = CountingBasis.Attendances) =>
        new(new("extra"), "Extra indicator", unit, ResultLevel.Output, basis, accumulation, minimum: min, maximum: max);

    private static ProgrammeDataset WithIndicator(Indicator extra, IReadOnlyList<ReportedActual>? actuals = null) =>
        Dataset(indicators: [.. Indicators(), extra], actuals: actuals);

    private static Target LifeOfProgramme(string start, string end, decimal value) =>
        new(new("reach"), Interval(start, end), value, kind: TargetKind.LifeOfProgramme);

    private static ProgrammeDataset WithSchool(School extra) => Dataset(schools: [.. Schools(), extra]);

    private static ProgrammeDataset WithPhases(params Phase[] phases) => Dataset(partnerships: [Partnership(phases: phases)]);

    private static ProgrammeDataset WithActual(ReportedActual actual) => Dataset(actuals: [actual]);

    private static ProgrammeDataset WithActivity(Activity activity) => Dataset(activities: [activity]);

    private static ProgrammeDataset WithCohort(Cohort cohort) => Dataset(cohorts: [cohort, .. Cohorts().Skip(1)]);

    internal static IReadOnlyList<BrokenDataset> All { get; } =
    [
        new("schema version 2.0", () => Dataset(schemaVersion: "2.0"), "SP0002", "schemaVersion"),

        new("organisation id twice", () => Dataset(organisations: [.. Organisations(), new(new("ngo"), "Copy", OrganisationKind.Ngo)]), "SP1001", "organisations[3].id"),
        new("phase id twice across phases", () => WithPhases(Phase1(), Phase2(id: "phase-1")), "SP1001", "partnerships[0].phases[1].id"),
        new("school id twice", () => WithSchool(School("school-1", "PK-PB", "Lahore")), "SP1001", "schools[3].id"),
        new("activity id twice", () => Dataset(activities: [.. Activities(), Activity()]), "SP1001", "activities[2].id"),
        new("milestone id twice", () => Dataset(partnerships: [Partnership(milestones: [Milestone(), Milestone()])]), "SP1001", "partnerships[0].milestones[1].id"),
        new("emis code twice", () => WithSchool(School("school-4", "PK-PB", "Lahore", "PB-001")), "SP1002", "schools[3].emisCode"),
        new("phase number twice", () => WithPhases(Phase1(), Phase2(sequence: 1)), "SP1003", "partnerships[0].phases[1].sequence"),

        new("member organisation unknown", () => Dataset(partnerships: [Partnership(members: [new(new("telecom"), PartnershipRole.Funding), .. Members()])]), "SP1101", "partnerships[0].members[0].organisation"),
        new("facilitator unknown", () => WithActivity(Activity(facilitatedBy: "telecom")), "SP1101", "activities[0].facilitatedBy"),
        new("reporter unknown", () => WithActual(Actual(reportedBy: "telecom")), "SP1101", "actuals[0].reportedBy"),
        new("phase enrols unknown school", () => WithPhases(Phase1(schools: [new("school-9")]), Phase2()), "SP1102", "partnerships[0].phases[0].schools[0]"),
        new("cohort at unknown school", () => WithCohort(Cohort("students-1", BeneficiaryRole.Student, 120, school: "school-9")), "SP1102", "cohorts[0].school"),
        new("activity at unknown school", () => WithActivity(Activity(school: "school-9")), "SP1102", "activities[0].school"),
        new("activity in unknown phase", () => WithActivity(Activity(phase: "phase-9")), "SP1103", "activities[0].phase"),
        new("cohort in unknown phase", () => WithCohort(Cohort("students-1", BeneficiaryRole.Student, 120, phase: "phase-9")), "SP1103", "cohorts[0].phase"),
        new("figure for unknown phase", () => WithActual(Actual(phase: "phase-9")), "SP1103", "actuals[0].phase"),
        new("target for unknown indicator", () => Dataset(partnerships: [Partnership(targets: [Target("ghost", "2024-01-01", "2025-12-31", 10)])]), "SP1104", "partnerships[0].targets[0].indicator"),
        new("phase target for unknown indicator", () => WithPhases(Phase1(targets: [Target("ghost", "2024-01-01", "2024-06-30", 10)]), Phase2()), "SP1104", "partnerships[0].phases[0].targets[0].indicator"),
        new("figure for unknown indicator", () => WithActual(Actual("ghost")), "SP1104", "actuals[0].indicator"),
        new("attendance of unknown cohort", () => WithActivity(Activity(attendance: [new(new("ghosts"), 3)])), "SP1105", "activities[0].attendance[0].cohort"),
        new("figure for unknown partnership", () => WithActual(Actual(partnership: "p9", phase: null)), "SP1106", "actuals[0].partnership"),
        new("figure for another partnership's phase",
            () => Dataset(partnerships: [Partnership(), Partnership(id: "p2", phases: [], milestones: [], targets: [])], actuals: [Actual(partnership: "p2")]),
            "SP1107", "actuals[0].phase"),
        new("no lead or implementer", () => Dataset(partnerships: [Partnership(members: [new(new("ministry"), PartnershipRole.Endorsing)])]), "SP1108", "partnerships[0].members"),
        new("cohort at school outside its phase", () => WithCohort(Cohort("students-1", BeneficiaryRole.Student, 120, school: "school-3")), "SP1109", "cohorts[0].school"),
        new("activity at school outside its phase", () => WithActivity(Activity(school: "school-3")), "SP1109", "activities[0].school"),
        new("attendance of another phase's cohort", () => WithActivity(Activity(attendance: [new(new("students-3"), 10)])), "SP1110", "activities[0].attendance[0].cohort"),
        new("member twice in one role", () => Dataset(partnerships: [Partnership(members: [.. Members(), new(new("ngo"), PartnershipRole.Implementing)])]), "SP1111", "partnerships[0].members[3]"),

        new("phase starts before partnership", () => WithPhases(Phase1(period: Period("2023-12-01", "2024-06-30")), Phase2()), "SP2001", "partnerships[0].phases[0].period.start"),
        new("phase ends after partnership", () => WithPhases(Phase1(), Phase2(period: Period("2024-07-01", "2026-03-31"))), "SP2001", "partnerships[0].phases[1].period.end"),
        new("open phase in closed partnership", () => WithPhases(Phase1(), Phase2(period: Period("2024-07-01", null))), "SP2001", "partnerships[0].phases[1].period.end"),
        new("phases overlap", () => WithPhases(Phase1(), Phase2(period: Period("2024-06-01", "2025-12-31"))), "SP2002", "partnerships[0].phases[1].period"),
        new("activity after its phase", () => WithActivity(Activity(date: "2024-08-01")), "SP2003", "activities[0].date"),
        new("target starts before partnership", () => Dataset(partnerships: [Partnership(targets: [Target("reach", "2023-01-01", "2025-12-31", 10)])]), "SP2004", "partnerships[0].targets[0].period.start"),
        new("phase target ends after phase", () => WithPhases(Phase1(targets: [Target("reach", "2024-01-01", "2024-12-31", 10)]), Phase2()), "SP2004", "partnerships[0].phases[0].targets[0].period.end"),
        new("figure ends after its phase", () => WithActual(Actual(end: "2024-07-31")), "SP2005", "actuals[0].period.end"),
        new("figure starts before partnership", () => WithActual(Actual(start: "2023-06-01", phase: null)), "SP2005", "actuals[0].period.start"),
        new("evidence before programme", () => Dataset(partnerships: [Partnership(milestones: [Milestone(evidenceDate: "2023-05-01")])]), "SP2006", "partnerships[0].milestones[0].evidenceDate"),
        new("achieved without evidence date", () => Dataset(partnerships: [Partnership(milestones: [Milestone(evidenceDate: null)])]), "SP2007", "partnerships[0].milestones[0].evidenceDate"),

        new("fractional count", () => WithActual(Actual(value: 100.5m)), "SP3001", "actuals[0].value"),
        new("negative count baseline",
            () => Dataset(indicators: [new(new("reach"), "Reach", IndicatorUnit.Count, ResultLevel.Output, CountingBasis.UniquePeople, Accumulation.Cumulative, baseline: new(D("2023-12-31"), -5)), .. Indicators().Skip(1)]),
            "SP3001", "indicators[0].baseline.value"),
        new("percent above 100", () => WithActual(Actual("completion", value: 120)), "SP3002", "actuals[0].value"),
        new("score above range", () => WithActual(Actual("knowledge", value: 11)), "SP3003", "actuals[0].value"),
        new("score target above range", () => Dataset(partnerships: [Partnership(targets: [Target("knowledge", "2024-01-01", "2025-12-31", 12)])]), "SP3003", "partnerships[0].targets[0].value"),
        new("attendance above cohort", () => WithActivity(Activity(attendance: [new(new("students-1"), 130)])), "SP3004", "activities[0].attendance[0].count"),
        new("zero target", () => Dataset(partnerships: [Partnership(targets: [Target("reach", "2024-01-01", "2025-12-31", 0)])]), "SP3005", "partnerships[0].targets[0].value"),
        new("actual of 8e26", () => WithActual(Actual(value: 8e26m)), "SP3006", "actuals[0].value"),
        new("target of decimal.MaxValue", () => Dataset(partnerships: [Partnership(targets: [Target("reach", "2024-01-01", "2025-12-31", decimal.MaxValue)])]), "SP3006", "partnerships[0].targets[0].value"),

        new("sex breakdown short", () => WithActual(Actual(disaggregations: [BySex(50, 40, 5)])), "SP4001", "actuals[0].disaggregations[0]"),
        new("sex category girls", () => WithActual(Actual(disaggregations: [new(DisaggregationDimension.Sex, [new("girls", 50), new("male", 50)])])), "SP4002", "actuals[0].disaggregations[0].cells[0].category"),
        new("role category kids", () => WithActual(Actual(disaggregations: [new(DisaggregationDimension.Role, [new("student", 50), new("kids", 50)])])), "SP4002", "actuals[0].disaggregations[0].cells[1].category"),
        new("age band 10 to 14 spelled out", () => WithActual(Actual(disaggregations: [new(DisaggregationDimension.AgeBand, [new("10 to 14", 100)])])), "SP4002", "actuals[0].disaggregations[0].cells[0].category"),
        new("province not of Pakistan", () => WithActual(Actual(disaggregations: [new(DisaggregationDimension.Province, [new("PK-PB", 60), new("PK-XX", 40)])])), "SP4002", "actuals[0].disaggregations[0].cells[1].category"),
        new("province of another country", () => WithActual(Actual(disaggregations: [new(DisaggregationDimension.Province, [new("PK-PB", 60), new("IN-MH", 40)])])), "SP4002", "actuals[0].disaggregations[0].cells[1].category"),
        new("category twice", () => WithActual(Actual(disaggregations: [new(DisaggregationDimension.Sex, [new("female", 50), new("female", 50)])])), "SP4003", "actuals[0].disaggregations[0].cells[1].category"),
        new("dimension twice", () => WithActual(Actual(disaggregations: [BySex(50, 45, 5), BySex(50, 45, 5)])), "SP4004", "actuals[0].disaggregations[1].dimension"),

        new("cumulative falls", () => Dataset(actuals: [Actual(value: 100), Actual(end: "2024-06-30", value: 90)]), "SP6001", "actuals[1].value"),
        new("unique figure summed over schools", () => WithActual(Actual(derivation: FigureDerivation.SummedAcrossGroups)), "SP6002", "actuals[0].derivation"),
        new("unique figure summed over months", () => WithActual(Actual(derivation: FigureDerivation.SummedAcrossPeriods)), "SP6002", "actuals[0].derivation"),
        new("cumulative figure summed over months",
            () => WithIndicator(Extra(IndicatorUnit.Count, Accumulation.Cumulative), [Actual("extra", derivation: FigureDerivation.SummedAcrossPeriods)]),
            "SP6003", "actuals[0].derivation"),
        new("figure reported twice", () => Dataset(actuals: [Actual(), Actual(value: 100)]), "SP6007", "actuals[1].period"),
        new("cumulative percent", () => WithIndicator(Extra(IndicatorUnit.Percent, Accumulation.Cumulative)), "SP6004", "indicators[4].accumulation"),
        new("score without maximum", () => WithIndicator(Extra(IndicatorUnit.Score, Accumulation.LastValue, min: 0)), "SP6005", "indicators[4].maximum"),
        new("percent over a score",
            () => WithIndicator(new(new("extra"), "Share passing", IndicatorUnit.Percent, ResultLevel.Outcome, CountingBasis.UniquePeople, Accumulation.LastValue,
                numerator: new("reach"), denominator: new("knowledge"))),
            "SP6009", "indicators[4].denominator"),
        new("percent over an unknown count",
            () => WithIndicator(new(new("extra"), "Share passing", IndicatorUnit.Percent, ResultLevel.Outcome, CountingBasis.UniquePeople, Accumulation.LastValue,
                numerator: new("ghost"), denominator: new("reach"))),
            "SP1104", "indicators[4].numerator"),
        new("two life-of-programme targets",
            () => Dataset(partnerships: [Partnership(targets: [LifeOfProgramme("2024-01-01", "2025-12-31", 50_000), LifeOfProgramme("2024-01-01", "2025-12-31", 60_000)])]),
            "SP6010", "partnerships[0].targets[1].kind"),
        new("life-of-programme target for one year",
            () => Dataset(partnerships: [Partnership(targets: [LifeOfProgramme("2024-01-01", "2024-12-31", 50_000)])]),
            "SP6011", "partnerships[0].targets[0].period"),
        new("fiscal-year figure from January",
            () => WithIndicator(
                new(new("extra"), "Seats filled this fiscal year", IndicatorUnit.Count, ResultLevel.Output, CountingBasis.Attendances, Accumulation.YearlyCumulative, yearStartMonth: 7),
                [Actual("extra", start: "2024-01-01", end: "2024-09-30", phase: null)]),
            "SP6012", "actuals[0].period.start"),
        new("percent up to 150", () => WithIndicator(Extra(IndicatorUnit.Percent, Accumulation.LastValue, max: 150)), "SP6006", "indicators[4].maximum"),

        new("province PK-XX", () => WithSchool(School("school-4", "PK-XX", "Nowhere")), "SP7001", "schools[3].location.province"),
        new("country without codelist",
            () => WithSchool(new(new("school-4"), "Mumbai school", SchoolSector.Private, new(new CountryCode("IN"), new("IN-MH"), "Mumbai"))),
            "SP7002", "schools[3].location.country"),
        new("Lahore in Sindh", () => WithSchool(School("school-4", "PK-SD", "Lahore")), "SP7003", "schools[3].location.district"),
        new("lahore in lower case", () => WithSchool(School("school-4", "PK-PB", " lahore")), "SP7004", "schools[3].location.district"),
        new("school outside partnership's country", () => Dataset(partnerships: [Partnership(country: new CountryCode("BD"))]), "SP7005", "partnerships[0].phases[0].schools[0]"),
    ];

    internal static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var item in All)
        {
            names.Add(item.Name);
        }
        return names;
    }

    internal static BrokenDataset Named(string name) => All.Single(c => c.Name == name);
}
