using SafetyPrograms.Progress;
using SafetyPrograms.Domain;
using static SafetyPrograms.Tests.Progress.Fixtures;

namespace SafetyPrograms.Tests.Progress;

/// <summary>
/// <see cref="ProgressCalculator.CalculateAll"/> gives every target an outcome: one target whose figures cannot be
/// combined is refused with its reason, and the others are still calculated, in dataset order.
/// </summary>
public class CalculateAllOutcomeTests
{
    private static readonly Indicator AttendanceIndicator = Attendances();

    /// <summary>A cumulative indicator; the recount below supplies it an incremental series, which must not be mixed in.</summary>
    private static readonly Indicator TrainedIndicator = Trained(Accumulation.Cumulative);

    private static readonly Target GoodProgrammeTarget = TargetFor(AttendanceIndicator, 10_000m);
    private static readonly Target MixedTarget = TargetFor(TrainedIndicator, 750_000m);
    private static readonly Target GoodPhaseTarget = TargetFor(AttendanceIndicator, 2_000m, Interval(2022, 1, 1, 2022, 12, 31));

    /// <summary>Programme targets: attendances (good), trained (mixed accumulation); phase 1 target: attendances (good).</summary>
    private static readonly ProgrammeDataset TwoGoodOneMixed = Dataset(
        [AttendanceIndicator, TrainedIndicator],
        programmeTargets: [GoodProgrammeTarget, MixedTarget],
        phase1Targets: [GoodPhaseTarget],
        actuals:
        [
            new ReportedActual(AttendanceIndicator.Id, PartnershipId, Interval(2022, 1, 1, 2023, 6, 30), 4_000m),
            new ReportedActual(AttendanceIndicator.Id, PartnershipId, Interval(2022, 1, 1, 2022, 6, 30), 1_500m, Phase1),
        ]);

    private static readonly IActualsSource IncrementalRecount = ActualsSources.FirstOf(
        new ActualSeriesSource(
        [
            KeyValuePair.Create(
                new ActualSeriesKey(TrainedIndicator.Id, Programme),
                Incremental(CountingBasis.UniquePeople, (Interval(2022, 1, 1, 2022, 12, 31), 100_000m))),
        ]),
        new ReportedActualsSource(TwoGoodOneMixed));

    private static ProgressReport Report() => new ProgressCalculator().CalculateAll(TwoGoodOneMixed, MidPoint, IncrementalRecount);

    [Fact]
    public void CalculateAll_TwoGoodTargetsAndOneMixingAccumulation_TwoProgressesAndOneRefusal_InTargetOrder()
    {
        var report = Report();

        Assert.Equal(
            [(Programme, GoodProgrammeTarget, true), (Programme, MixedTarget, false), (new ProgressScope(PartnershipId, Phase1), GoodPhaseTarget, true)],
            report.Targets.Select(t => (t.Scope, t.Target, t.IsCalculated)));
        Assert.Equal(4_000m, report.Targets[0].Progress!.ActualToDate);
        Assert.Equal(1_500m, report.Targets[2].Progress!.ActualToDate);
        Assert.Equal(AggregationRefusal.MixedAccumulation, report.Targets[1].Refusal!.Reason);
        Assert.Null(report.Targets[1].Progress);
        Assert.Null(report.Targets[0].Refusal);
    }

    [Fact]
    public void CalculateAll_Refusal_NamesTheIndicatorScopeAndPeriod_AndKeepsTheOriginalCause()
    {
        var refusal = Report().Targets[1].Refusal!;

        Assert.StartsWith(
            "The target for COP-OUT-1 in telenor-unicef-cop, 2022-01-01 to 2024-12-31: Indicator COP-OUT-1 accumulates as Cumulative",
            refusal.Message,
            StringComparison.Ordinal);
        var cause = Assert.IsType<AggregationRefusedException>(refusal.InnerException);
        Assert.Equal(AggregationRefusal.MixedAccumulation, cause.Reason);
    }

    [Fact]
    public void CalculateAll_CalculatedAndRefusedLists_FollowTargetOrder()
    {
        var report = Report();

        Assert.False(report.IsComplete);
        Assert.Equal([report.Targets[0].Progress!, report.Targets[2].Progress!], report.Calculated);
        Assert.Same(report.Targets[1], Assert.Single(report.Refused));
        Assert.Equal(MidPoint, report.AsOf);
    }

    [Fact]
    public void CalculateAll_GoodTargets_AreWhatTheSingleTargetCalculationGives()
    {
        // A refused neighbour changes nothing about the others.
        var calculator = new ProgressCalculator();
        var alone = calculator.Calculate(
            GoodPhaseTarget, AttendanceIndicator, new ProgressScope(PartnershipId, Phase1),
            IncrementalRecount.Find(AttendanceIndicator, new ProgressScope(PartnershipId, Phase1), null), MidPoint);

        var inReport = Report().Targets[2].Progress!;

        Assert.Equal(alone.ToString(), inReport.ToString());
        Assert.Equal(alone.Monthly, inReport.Monthly);
    }

    [Fact]
    public void EnsureComplete_WithARefusal_ThrowsThatRefusal()
    {
        var report = Report();

        var ex = Assert.Throws<AggregationRefusedException>(report.EnsureComplete);

        Assert.Same(report.Refused[0].Refusal, ex);
    }

    [Fact]
    public void EnsureComplete_EveryTargetCalculated_ReturnsTheirProgress()
    {
        var report = new ProgressCalculator().CalculateAll(TwoGoodOneMixed, MidPoint);

        Assert.True(report.IsComplete);
        Assert.Equal(3, report.EnsureComplete().Count);
        Assert.Empty(report.Refused);
    }

    [Fact]
    public void CalculateAll_LowerIsBetterWithoutBaseline_RefusedWithBaselineRequired_OthersCalculated()
    {
        var unsafeContact = UnsafeContact(baseline: null);
        var dataset = Dataset(
            [AttendanceIndicator, unsafeContact],
            programmeTargets: [TargetFor(unsafeContact, 20m), GoodProgrammeTarget]);

        var report = new ProgressCalculator().CalculateAll(dataset, MidPoint);

        Assert.Equal([false, true], report.Targets.Select(t => t.IsCalculated));
        Assert.Equal(AggregationRefusal.BaselineRequired, report.Targets[0].Refusal!.Reason);
        Assert.Contains("COP-IMP-1", report.Targets[0].Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CalculateAll_RoleTargetRefused_NamesTheRole()
    {
        var dataset = Dataset([], programmeTargets: [TargetFor(TrainedIndicator, 10m, role: BeneficiaryRole.Parent)]);

        var outcome = Assert.Single(new ProgressCalculator().CalculateAll(dataset, MidPoint).Targets);

        Assert.Equal(AggregationRefusal.UnresolvedReference, outcome.Refusal!.Reason);
        Assert.StartsWith("The target for COP-OUT-1 (Parent) in telenor-unicef-cop,", outcome.Refusal.Message, StringComparison.Ordinal);
        Assert.StartsWith("COP-OUT-1 telenor-unicef-cop: refused (UnresolvedReference): ", outcome.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TargetOutcome_Factories_RefuseNull()
    {
        Assert.Throws<ArgumentNullException>(() => TargetOutcome.Calculated(Programme, GoodProgrammeTarget, null!));
        Assert.Throws<ArgumentNullException>(() => TargetOutcome.Refused(Programme, GoodProgrammeTarget, null!));
        Assert.Throws<ArgumentNullException>(() => TargetOutcome.Refused(Programme, null!, new AggregationRefusedException()));
    }
}
