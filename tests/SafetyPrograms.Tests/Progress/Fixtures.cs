using NodaTime;
using SafetyPrograms.Progress;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Progress;

/// <summary>Shared builders. Figures beyond the articles (dates inside the programme, monthly counts) are illustrative.</summary>
internal static class Fixtures
{
    internal static readonly Id<Partnership> PartnershipId = new("telenor-unicef-cop");
    internal static readonly Id<Phase> Phase1 = new("telenor-unicef-cop-1");
    internal static readonly Id<Phase> Phase2 = new("telenor-unicef-cop-2");
    internal static readonly ProgressScope Programme = new(PartnershipId);

    /// <summary>The article's 750,000 over three years, as 2022-01-01..2024-12-31 (1,096 days, 2024 is a leap year).</summary>
    internal static readonly DateInterval ThreeYears = Interval(2022, 1, 1, 2024, 12, 31);

    /// <summary>Day 548 of 1,096: exactly half the period gone.</summary>
    internal static readonly LocalDate MidPoint = new(2023, 7, 2);

    internal static LocalDate D(int year, int month, int day) => new(year, month, day);

    internal static DateInterval Interval(int y1, int m1, int d1, int y2, int m2, int d2) => new(new LocalDate(y1, m1, d1), new LocalDate(y2, m2, d2));

    internal static DateInterval Month(int year, int month) =>
        new(new LocalDate(year, month, 1), new LocalDate(year, month, 1).With(DateAdjusters.EndOfMonth));

    internal static Indicator Trained(Accumulation accumulation = Accumulation.Cumulative, CountingBasis basis = CountingBasis.UniquePeople) =>
        new(new Id<Indicator>("COP-OUT-1"), "Children, caregivers and educators trained", IndicatorUnit.Count, ResultLevel.Output, basis, accumulation);

    internal static Indicator Attendances() =>
        new(new Id<Indicator>("COP-OUT-2"), "Workshop attendances", IndicatorUnit.Count, ResultLevel.Output, CountingBasis.Attendances, Accumulation.Incremental);

    /// <summary>A lower-is-better level: the share of children reporting unsafe contact online, 40% at baseline.</summary>
    internal static Indicator UnsafeContact(Baseline? baseline = null) =>
        new(new Id<Indicator>("COP-IMP-1"), "Children reporting unsafe contact online", IndicatorUnit.Percent, ResultLevel.Impact,
            CountingBasis.UniquePeople, Accumulation.LastValue, Direction.LowerIsBetter, baseline, 0m, 100m);

    internal static Target TargetFor(Indicator indicator, decimal value, DateInterval? period = null, BeneficiaryRole? role = null) =>
        new(indicator.Id, period ?? ThreeYears, value, role);

    internal static ActualSeries Series(Indicator indicator, params ActualPoint[] points) =>
        new(indicator.Basis, indicator.Accumulation, indicator.Unit, points);

    internal static ActualSeries Cumulative(params (LocalDate Date, decimal Value)[] points) =>
        new(CountingBasis.UniquePeople, Accumulation.Cumulative, IndicatorUnit.Count, points.Select(p => ActualPoint.On(p.Date, p.Value)));

    internal static ActualSeries Incremental(CountingBasis basis, params (DateInterval Period, decimal Value)[] points) =>
        new(basis, Accumulation.Incremental, IndicatorUnit.Count, points.Select(p => new ActualPoint(p.Period, p.Value)));

    internal static TargetProgress ProgressOf(Indicator indicator, decimal target, ActualSeries? actuals, LocalDate asOf, IPacingCurve? pacing = null) =>
        new ProgressCalculator().Calculate(TargetFor(indicator, target), indicator, Programme, actuals, asOf, pacing);

    internal static ProgrammeDataset Dataset(
        IReadOnlyList<Indicator>? indicators = null,
        IReadOnlyList<Target>? programmeTargets = null,
        IReadOnlyList<Target>? phase1Targets = null,
        IReadOnlyList<ReportedActual>? actuals = null,
        IReadOnlyList<Cohort>? cohorts = null,
        IReadOnlyList<Activity>? activities = null,
        IReadOnlyList<Milestone>? milestones = null)
    {
        var telenor = new Organisation(new Id<Organisation>("telenor-pk"), "Telenor Pakistan", OrganisationKind.TelecomOperator);
        var unicef = new Organisation(new Id<Organisation>("unicef-pk"), "UNICEF Pakistan", OrganisationKind.UnAgency);
        var partnership = new Partnership(
            PartnershipId,
            "Strengthening Child Online Protection for Children and Young People in Pakistan",
            new DatePeriod(D(2022, 1, 1), D(2025, 12, 3)),
            ProgrammeStatus.Completed,
            [new PartnershipMember(telenor.Id, PartnershipRole.Funding), new PartnershipMember(unicef.Id, PartnershipRole.Implementing)],
            phases:
            [
                new Phase(Phase1, 1, "Hybrid training", new DatePeriod(D(2022, 1, 1), D(2023, 12, 31)), ProgrammeStatus.Completed, targets: phase1Targets),
                new Phase(Phase2, 2, "Extension", new DatePeriod(D(2024, 1, 1), D(2025, 12, 3)), ProgrammeStatus.Completed),
            ],
            targets: programmeTargets,
            milestones: milestones);
        return new ProgrammeDataset(
            ProgrammeDataset.CurrentSchemaVersion, [telenor, unicef], [partnership], indicators, cohorts: cohorts, activities: activities, actuals: actuals);
    }
}
