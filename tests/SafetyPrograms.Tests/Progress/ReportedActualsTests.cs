using NodaTime;
using SafetyPrograms.Progress;
using SafetyPrograms.Domain;
using static SafetyPrograms.Tests.Progress.Fixtures;

namespace SafetyPrograms.Tests.Progress;

/// <summary>Summary figures reported by partners, read under their indicator's rules.</summary>
public class ReportedActualsTests
{
    private static ReportedActual Reported(Indicator indicator, DateInterval period, decimal value, Id<Phase>? phase = null,
        FigureDerivation derivation = FigureDerivation.Counted, IReadOnlyList<Disaggregation>? disaggregations = null) =>
        new(indicator.Id, PartnershipId, period, value, phase, derivation, disaggregations);

    [Fact]
    public void CalculateAll_CumulativeMonthlyReports_ActualIsTheLatestNot750()
    {
        var indicator = Trained();
        var dataset = Dataset(
            [indicator],
            programmeTargets: [TargetFor(indicator, 1_000m, Interval(2023, 1, 1, 2023, 12, 31))],
            actuals:
            [
                Reported(indicator, Interval(2023, 1, 1, 2023, 1, 31), 100m),
                Reported(indicator, Interval(2023, 1, 1, 2023, 2, 28), 250m),
                Reported(indicator, Interval(2023, 1, 1, 2023, 3, 31), 400m),
            ]);

        var progress = Assert.Single(new ProgressCalculator().CalculateAll(dataset, D(2023, 4, 1)).EnsureComplete());

        Assert.Equal(400m, progress.ActualToDate);
        Assert.Equal(40m, progress.PercentAchieved);
        Assert.Equal(CountingBasis.UniquePeople, progress.Basis);
    }

    [Fact]
    public void Find_IncrementalOverlappingReports_Refused()
    {
        var indicator = Attendances();
        var source = new ReportedActualsSource(
        [
            Reported(indicator, Interval(2023, 1, 1, 2023, 3, 31), 300m),
            Reported(indicator, Interval(2023, 2, 1, 2023, 2, 28), 120m),
        ]);

        var ex = Assert.Throws<AggregationRefusedException>(() => source.Find(indicator, Programme, null));

        Assert.Equal(AggregationRefusal.OverlappingPeriods, ex.Reason);
    }

    [Fact]
    public void Find_ScopesMatchExactly_PhaseFiguresAreNotThePartnerships()
    {
        var indicator = Attendances();
        var source = new ReportedActualsSource(
        [
            Reported(indicator, Month(2023, 1), 300m, Phase1),
            Reported(indicator, Month(2023, 1), 200m, Phase2),
            Reported(indicator, Month(2023, 2), 50m),
        ]);

        Assert.Equal(300m, source.Find(indicator, new ProgressScope(PartnershipId, Phase1), null)!.Points.Single().Value);
        Assert.Equal(50m, source.Find(indicator, Programme, null)!.Points.Single().Value);
        Assert.Null(source.Find(indicator, new ProgressScope(new Id<Partnership>("other"), null), null));
    }

    [Fact]
    public void Find_RoleTarget_ReadsTheRoleBreakdown()
    {
        var indicator = Trained();
        var byRole = new Disaggregation(
            DisaggregationDimension.Role,
            [new DisaggregationCell("student", 300m), new DisaggregationCell("teacher", 80m), new DisaggregationCell("notRecorded", 20m)]);
        var source = new ReportedActualsSource(
        [
            Reported(indicator, Interval(2023, 1, 1, 2023, 3, 31), 400m, disaggregations: [byRole]),
            Reported(indicator, Interval(2023, 1, 1, 2023, 4, 30), 450m), // no breakdown: says nothing about teachers
        ]);

        var teachers = source.Find(indicator, Programme, BeneficiaryRole.Teacher)!;
        var parents = source.Find(indicator, Programme, BeneficiaryRole.Parent)!;

        Assert.Equal(80m, teachers.Points.Single().Value);
        Assert.Equal(0m, parents.Points.Single().Value);
        Assert.Equal(2, source.Find(indicator, Programme, null)!.Points.Count);
    }

    [Fact]
    public void Find_UniquePeopleFigureMadeBySumming_Refused()
    {
        var indicator = Trained();
        var source = new ReportedActualsSource([Reported(indicator, Interval(2023, 1, 1, 2023, 3, 31), 400m, derivation: FigureDerivation.SummedAcrossGroups)]);

        var ex = Assert.Throws<AggregationRefusedException>(() => source.Find(indicator, Programme, null));

        Assert.Equal(AggregationRefusal.UniqueCountsNotAdditive, ex.Reason);
    }

    [Fact]
    public void CalculateAll_PartnershipAndPhaseTargets_EachReadFromTheirOwnScope()
    {
        var indicator = Attendances();
        var dataset = Dataset(
            [indicator],
            programmeTargets: [TargetFor(indicator, 10_000m)],
            phase1Targets: [TargetFor(indicator, 2_000m, Interval(2022, 1, 1, 2022, 12, 31))],
            actuals:
            [
                Reported(indicator, Interval(2022, 1, 1, 2022, 6, 30), 1_500m, Phase1),
                Reported(indicator, Interval(2022, 1, 1, 2023, 6, 30), 4_000m),
            ]);

        var results = new ProgressCalculator().CalculateAll(dataset, MidPoint).EnsureComplete();

        Assert.Equal(2, results.Count);
        Assert.Equal(Programme, results[0].Scope);
        Assert.Equal(4_000m, results[0].ActualToDate);
        Assert.Equal(new ProgressScope(PartnershipId, Phase1), results[1].Scope);
        Assert.Equal(1_500m, results[1].ActualToDate);
        Assert.Equal(ProgressStatus.Missed, results[1].Status);
    }

    [Fact]
    public void CalculateAll_UnknownIndicator_Refused()
    {
        var dataset = Dataset([], programmeTargets: [TargetFor(Trained(), 750_000m)]);

        var refused = Assert.Single(new ProgressCalculator().CalculateAll(dataset, MidPoint).Targets);

        Assert.False(refused.IsCalculated);
        Assert.Equal(AggregationRefusal.UnresolvedReference, refused.Refusal.Reason);
        Assert.Contains("COP-OUT-1", refused.Refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CalculateAll_EngineSeriesPreferredOverReportedFigures()
    {
        var indicator = Trained();
        var dataset = Dataset(
            [indicator],
            programmeTargets: [TargetFor(indicator, 750_000m)],
            actuals: [Reported(indicator, Interval(2022, 1, 1, 2023, 6, 30), 280_000m)]);
        var recounted = new ActualSeriesSource(
            [KeyValuePair.Create(new ActualSeriesKey(indicator.Id, Programme), Cumulative((D(2023, 6, 30), 300_000m)))]);

        var fromEngine = Assert.Single(new ProgressCalculator().CalculateAll(dataset, MidPoint, ActualsSources.FirstOf(recounted, new ReportedActualsSource(dataset))).EnsureComplete());
        var fromReports = Assert.Single(new ProgressCalculator().CalculateAll(dataset, MidPoint).EnsureComplete());

        Assert.Equal(300_000m, fromEngine.ActualToDate);
        Assert.Equal(280_000m, fromReports.ActualToDate);
    }

    [Fact]
    public void ActualSeriesSource_DuplicateKey_Throws()
    {
        var key = new ActualSeriesKey(Trained().Id, Programme);
        var series = Cumulative((MidPoint, 1m));

        Assert.Throws<ArgumentException>(() => new ActualSeriesSource([KeyValuePair.Create(key, series), KeyValuePair.Create(key, series)]));
    }

    [Fact]
    public void Reported_CumulativeQuarter_LatestFigureWithItsBasis()
    {
        var indicator = Trained();
        var dataset = Dataset(
            [indicator],
            actuals:
            [
                Reported(indicator, Interval(2023, 1, 1, 2023, 1, 31), 100m, Phase1),
                Reported(indicator, Interval(2023, 1, 1, 2023, 2, 28), 250m, Phase1),
                Reported(indicator, Interval(2023, 1, 1, 2023, 3, 31), 400m, Phase1),
            ]);

        var figure = SummaryFigures.Reported(dataset, indicator.Id, new ProgressScope(PartnershipId, Phase1), Interval(2023, 1, 1, 2023, 3, 31));

        Assert.Equal(400m, figure.Value);
        Assert.Equal(CountingBasis.UniquePeople, figure.Basis);
        Assert.Equal(Accumulation.Cumulative, figure.Accumulation);
    }

    [Fact]
    public void Reported_PhasesAddedExplicitly_AttendancesAddUniquePeopleDoNot()
    {
        var attendances = Attendances();
        var trained = Trained();
        var dataset = Dataset(
            [attendances, trained],
            actuals:
            [
                Reported(attendances, Month(2024, 3), 300m, Phase1),
                Reported(attendances, Month(2024, 3), 200m, Phase2),
                Reported(trained, Month(2024, 3), 250m, Phase1),
                Reported(trained, Month(2024, 3), 180m, Phase2),
            ]);
        var march = Month(2024, 3);
        SummaryFigure ByPhase(Indicator indicator, Id<Phase> phase) =>
            SummaryFigures.Reported(dataset, indicator.Id, new ProgressScope(PartnershipId, phase), march);

        var total = SummaryFigure.Sum([ByPhase(attendances, Phase1), ByPhase(attendances, Phase2)]);
        var ex = Assert.Throws<AggregationRefusedException>(() => SummaryFigure.Sum([ByPhase(trained, Phase1), ByPhase(trained, Phase2)]));

        Assert.Equal(500m, total.Value);
        Assert.Equal(AggregationRefusal.UniqueCountsNotAdditive, ex.Reason);
    }

    [Fact]
    public void Reported_NoFigures_ZeroFromNoFigures()
    {
        var indicator = Attendances();

        var figure = SummaryFigures.Reported(Dataset([indicator]), indicator.Id, Programme, ThreeYears);

        Assert.Equal(0m, figure.Value);
        Assert.Equal(0, figure.FigureCount);
    }

    [Fact]
    public void Reported_UnknownIndicator_Refused()
    {
        var ex = Assert.Throws<AggregationRefusedException>(() => SummaryFigures.Reported(Dataset(), new Id<Indicator>("NOPE"), Programme, ThreeYears));

        Assert.Equal(AggregationRefusal.UnresolvedReference, ex.Reason);
    }

    [Fact]
    public void CalculateAll_RoleTarget_ProgressOfThatRoleOnly()
    {
        var indicator = Trained();
        var byRole = new Disaggregation(
            DisaggregationDimension.Role, [new DisaggregationCell("student", 250_000m), new DisaggregationCell("teacher", 50_000m)]);
        var dataset = Dataset(
            [indicator],
            programmeTargets: [TargetFor(indicator, 100_000m, role: BeneficiaryRole.Teacher)],
            actuals: [Reported(indicator, Interval(2022, 1, 1, 2023, 7, 2), 300_000m, disaggregations: [byRole])]);

        var progress = Assert.Single(new ProgressCalculator().CalculateAll(dataset, MidPoint).EnsureComplete());

        Assert.Equal(BeneficiaryRole.Teacher, progress.Role);
        Assert.Equal(50_000m, progress.ActualToDate);
        Assert.Equal(ProgressStatus.OnTrack, progress.Status);
    }

    [Fact]
    public void FirstOf_NoSourceHasTheSeries_Null()
    {
        var empty = new ActualSeriesSource([]);

        Assert.Null(ActualsSources.FirstOf(empty, new ReportedActualsSource([])).Find(Trained(), Programme, null));
    }
}
