using NodaTime;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Validation;

/// <summary>
/// A small, valid dataset shaped like the seed programmes (a platform and an NGO in Pakistan, two phases), with
/// one factory per part so that each test can break exactly one thing. Figures are illustrative.
/// </summary>
internal static class TestData
{
    internal static LocalDate D(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).Value;

    internal static DatePeriod Period(string start, string? end) => new(D(start), end is null ? null : D(end));

    internal static DateInterval Interval(string start, string end) => new(D(start), D(end));

    internal static IReadOnlyList<Organisation> Organisations() =>
    [
        new(new("platform"), "Video Platform", OrganisationKind.Platform),
        new(new("ngo"), "Education NGO", OrganisationKind.Ngo, CountryCode.Pakistan),
        new(new("ministry"), "IT Ministry", OrganisationKind.Ministry, CountryCode.Pakistan),
    ];

    internal static School School(string id, string province, string district, string? emis = null) =>
        new(new(id), $"School {id}", SchoolSector.Public, new AdministrativeLocation(CountryCode.Pakistan, new(province), district), emis);

    internal static IReadOnlyList<School> Schools() =>
    [
        School("school-1", "PK-PB", "Lahore", "PB-001"),
        School("school-2", "PK-SD", "Karachi South", "SD-001"),
        School("school-3", "PK-PB", "Lahore", "PB-002"),
    ];

    internal static IReadOnlyList<PartnershipMember> Members() =>
    [
        new(new("platform"), PartnershipRole.Lead),
        new(new("ngo"), PartnershipRole.Implementing),
        new(new("ministry"), PartnershipRole.Endorsing),
    ];

    internal static Target Target(string indicator, string start, string end, decimal value) => new(new(indicator), Interval(start, end), value);

    internal static Phase Phase1(DatePeriod? period = null, IReadOnlyList<Id<School>>? schools = null, IReadOnlyList<Target>? targets = null, int sequence = 1) =>
        new(new("phase-1"), sequence, "Phase 1", period ?? Period("2024-01-01", "2024-06-30"), ProgrammeStatus.Completed,
            schools ?? [new("school-1"), new("school-2")],
            targets ?? [Target("reach", "2024-01-01", "2024-06-30", 1800)]);

    internal static Phase Phase2(DatePeriod? period = null, IReadOnlyList<Id<School>>? schools = null, int sequence = 2, string id = "phase-2") =>
        new(new(id), sequence, "Phase 2 (extension)", period ?? Period("2024-07-01", "2025-12-31"), ProgrammeStatus.Active,
            schools ?? [new("school-3")]);

    internal static Milestone Milestone(MilestoneStatus status = MilestoneStatus.Achieved, string? evidenceDate = "2025-05-01", string id = "committee") =>
        new(new(id), "Child Online Protection Committee established", D("2025-06-30"), status, evidenceDate is null ? null : D(evidenceDate));

    internal static Partnership Partnership(
        DatePeriod? period = null,
        IReadOnlyList<PartnershipMember>? members = null,
        IReadOnlyList<Phase>? phases = null,
        IReadOnlyList<Target>? targets = null,
        IReadOnlyList<Milestone>? milestones = null,
        CountryCode? country = null,
        string id = "p1") =>
        new(new(id), "Safer Internet in Schools", period ?? Period("2024-01-01", "2025-12-31"), ProgrammeStatus.Active,
            members ?? Members(),
            phases ?? [Phase1(), Phase2()],
            targets ?? [Target("reach", "2024-01-01", "2025-12-31", 50_000)],
            milestones ?? [Milestone()],
            country ?? CountryCode.Pakistan);

    internal static IReadOnlyList<Indicator> Indicators() =>
    [
        new(new("reach"), "Children and adults trained", IndicatorUnit.Count, ResultLevel.Output, CountingBasis.UniquePeople, Accumulation.Cumulative),
        new(new("attendances"), "Workshop attendances", IndicatorUnit.Count, ResultLevel.Output, CountingBasis.Attendances, Accumulation.Incremental),
        new(new("knowledge"), "Online-safety knowledge score", IndicatorUnit.Score, ResultLevel.Outcome, CountingBasis.UniquePeople, Accumulation.LastValue,
            minimum: 0, maximum: 10),
        new(new("completion"), "Share completing the module", IndicatorUnit.Percent, ResultLevel.Output, CountingBasis.UniquePeople, Accumulation.LastValue),
    ];

    internal static Cohort Cohort(string id, BeneficiaryRole role, int size, string phase = "phase-1", string? school = "school-1") =>
        new(new(id), new(phase), role, Sex.NotRecorded, role == BeneficiaryRole.Teacher ? AgeBand.Age25To49 : AgeBand.Age10To14, size,
            school is null ? null : new Id<School>(school));

    internal static IReadOnlyList<Cohort> Cohorts() =>
    [
        Cohort("students-1", BeneficiaryRole.Student, 120),
        Cohort("teachers-1", BeneficiaryRole.Teacher, 30),
        Cohort("students-3", BeneficiaryRole.Student, 400, "phase-2", "school-3"),
    ];

    internal static Activity Activity(
        string id = "a1", string phase = "phase-1", string date = "2024-02-10", string? school = "school-1",
        DeliveryMode mode = DeliveryMode.InPerson, string? facilitatedBy = "ngo", IReadOnlyList<Attendance>? attendance = null) =>
        new(new(id), new(phase), ActivityKind.Workshop, mode, D(date), school is null ? null : new Id<School>(school),
            facilitatedBy is null ? null : new Id<Organisation>(facilitatedBy), 90, "Safer Internet workshop",
            attendance ?? [new(new("students-1"), 110), new(new("teachers-1"), 25)]);

    internal static IReadOnlyList<Activity> Activities() =>
    [
        Activity(),
        Activity("a2", "phase-2", "2024-09-01", "school-3", DeliveryMode.Hybrid, attendance: [new(new("students-3"), 380)]),
    ];

    internal static ReportedActual Actual(
        string indicator = "reach", string start = "2024-01-01", string end = "2024-03-31", decimal value = 100, string? phase = "phase-1",
        FigureDerivation derivation = FigureDerivation.Counted, IReadOnlyList<Disaggregation>? disaggregations = null, string partnership = "p1",
        string? reportedBy = "ngo") =>
        new(new(indicator), new(partnership), Interval(start, end), value, phase is null ? null : new Id<Phase>(phase), derivation,
            disaggregations ?? [], reportedBy is null ? null : new Id<Organisation>(reportedBy));

    internal static Disaggregation BySex(decimal female, decimal male, decimal notRecorded) =>
        new(DisaggregationDimension.Sex, [new("female", female), new("male", male), new("notRecorded", notRecorded)]);

    internal static IReadOnlyList<ReportedActual> Actuals() =>
    [
        Actual(disaggregations: [BySex(50, 45, 5)]),
        Actual(end: "2024-06-30", value: 135),
        Actual("completion", value: 80),
    ];

    internal static ProgrammeDataset Dataset(
        IReadOnlyList<Organisation>? organisations = null,
        IReadOnlyList<Partnership>? partnerships = null,
        IReadOnlyList<Indicator>? indicators = null,
        IReadOnlyList<School>? schools = null,
        IReadOnlyList<Cohort>? cohorts = null,
        IReadOnlyList<Activity>? activities = null,
        IReadOnlyList<ReportedActual>? actuals = null,
        string schemaVersion = ProgrammeDataset.CurrentSchemaVersion) =>
        new(schemaVersion,
            organisations ?? Organisations(),
            partnerships ?? [Partnership()],
            indicators ?? Indicators(),
            schools ?? Schools(),
            cohorts ?? Cohorts(),
            activities ?? Activities(),
            actuals ?? Actuals(),
            "Illustrative test dataset shaped like the seed programmes.");
}
