using SafetyPrograms.Progress;
using SafetyPrograms.Domain;
using static SafetyPrograms.Tests.Progress.Fixtures;

namespace SafetyPrograms.Tests.Progress;

/// <summary>The article's target: train 750,000 children, caregivers and educators in three years.</summary>
public class TargetProgressTests
{
    private static readonly Indicator Trained = Fixtures.Trained();

    [Fact]
    public void MidPoint_300000Of750000_IsBehindPlan()
    {
        var progress = ProgressOf(Trained, 750_000m, Cumulative((MidPoint, 300_000m)), MidPoint);

        Assert.Equal(300_000m, progress.ActualToDate);
        Assert.Equal(40m, progress.PercentAchieved);
        Assert.Equal(50m, progress.PlannedPercent);
        Assert.Equal(375_000m, progress.PlannedToDate);
        Assert.Equal(-75_000m, progress.Variance);
        Assert.Equal(80m, progress.PercentOfPlan);
        Assert.Equal(ProgressStatus.Behind, progress.Status); // exactly 80% of plan: the boundary belongs to "behind"
    }

    [Theory]
    [InlineData(299_999, ProgressStatus.AtRisk)]
    [InlineData(356_249, ProgressStatus.Behind)]
    [InlineData(356_250, ProgressStatus.OnTrack)]   // 95% of 375,000
    [InlineData(412_499, ProgressStatus.OnTrack)]
    [InlineData(412_500, ProgressStatus.Ahead)]     // 110% of 375,000
    [InlineData(749_999, ProgressStatus.Ahead)]
    [InlineData(750_000, ProgressStatus.Achieved)]
    [InlineData(0, ProgressStatus.AtRisk)]
    public void MidPoint_StatusFollowsTheDocumentedThresholds(int actual, ProgressStatus expected)
    {
        var progress = ProgressOf(Trained, 750_000m, Cumulative((MidPoint, actual)), MidPoint);

        Assert.Equal(expected, progress.Status);
    }

    [Fact]
    public void Thresholds_Configurable()
    {
        var strict = new ProgressCalculator(new ProgressOptions(new ProgressThresholds(120m, 100m, 90m)));

        var progress = strict.Calculate(TargetFor(Trained, 750_000m), Trained, Programme, Cumulative((MidPoint, 360_000m)), MidPoint);

        Assert.Equal(ProgressStatus.Behind, progress.Status); // 96% of plan: on track by default, behind under these
    }

    [Fact]
    public void Projection_RunRateSincePeriodStart()
    {
        var progress = ProgressOf(Trained, 750_000m, Cumulative((MidPoint, 300_000m)), MidPoint);

        Assert.Equal(600_000m, progress.ProjectedAtEnd); // 300,000 in 548 of 1,096 days
        Assert.Equal(80m, progress.ProjectedPercent);
    }

    [Fact]
    public void Projection_UsesTheDaysTheDataCovers_NotTheAsOfDate()
    {
        // Q1 2024 reported (91 days of 366); on 15 April the pace is still Q1's.
        var attendances = Attendances();
        var target = TargetFor(attendances, 40_000m, Interval(2024, 1, 1, 2024, 12, 31));
        var series = Incremental(CountingBasis.Attendances, (Interval(2024, 1, 1, 2024, 3, 31), 9_100m));

        var progress = new ProgressCalculator().Calculate(target, attendances, Programme, series, D(2024, 4, 15));

        Assert.Equal(D(2024, 3, 31), progress.DataThrough);
        Assert.Equal(36_600m, progress.ProjectedAtEnd);
        Assert.Equal(91.5m, progress.ProjectedPercent);
    }

    [Fact]
    public void Projection_WithoutData_IsNull()
    {
        var progress = ProgressOf(Trained, 750_000m, null, MidPoint);

        Assert.Null(progress.ProjectedAtEnd);
        Assert.Null(progress.DataThrough);
        Assert.Equal(0, progress.FigureCount);
        Assert.Equal(0m, progress.ActualToDate);
        Assert.Equal(ProgressStatus.AtRisk, progress.Status);
    }

    [Fact]
    public void CustomCurve_PlanBackLoaded_SameActualIsAhead()
    {
        // Train trainers first: a fifth of the target by half-time.
        var curve = PacingCurve.FromPoints([new PacingPoint(0.5m, 0.2m)]);

        var progress = ProgressOf(Trained, 750_000m, Cumulative((MidPoint, 300_000m)), MidPoint, curve);

        Assert.Equal(150_000m, progress.PlannedToDate);
        Assert.Equal(200m, progress.PercentOfPlan);
        Assert.Equal(ProgressStatus.Ahead, progress.Status);
    }

    [Fact]
    public void CustomCurve_FromOptions_AppliesToEveryTarget()
    {
        var calculator = new ProgressCalculator(new ProgressOptions(pacing: PacingCurve.FromPoints([new PacingPoint(0.5m, 0.2m)])));

        var progress = calculator.Calculate(TargetFor(Trained, 750_000m), Trained, Programme, Cumulative((MidPoint, 300_000m)), MidPoint);

        Assert.Equal(ProgressStatus.Ahead, progress.Status);
    }

    [Fact]
    public void NothingPlannedYet_NoProgress_IsOnTrack()
    {
        var curve = PacingCurve.FromPoints([new PacingPoint(0.5m, 0m)]);

        var progress = ProgressOf(Trained, 750_000m, null, D(2022, 3, 1), curve);

        Assert.Equal(0m, progress.PlannedPercent);
        Assert.Null(progress.PercentOfPlan);
        Assert.Equal(ProgressStatus.OnTrack, progress.Status);
    }

    [Fact]
    public void AsOfBeforeStart_NotStarted()
    {
        var progress = ProgressOf(Trained, 750_000m, Cumulative((D(2021, 12, 1), 5_000m)), D(2021, 12, 31));

        Assert.Equal(ProgressStatus.NotStarted, progress.Status);
        Assert.Equal(0m, progress.ActualToDate);       // a figure from before the period is not progress in it
        Assert.Equal(0m, progress.PlannedPercent);
        Assert.Null(progress.ProjectedAtEnd);
        Assert.All(progress.Monthly, point => Assert.Null(point.Actual));
    }

    [Fact]
    public void AsOfAfterEnd_TargetReached_Achieved()
    {
        var progress = ProgressOf(Trained, 750_000m, Cumulative((D(2024, 12, 31), 781_000m)), D(2025, 12, 3));

        Assert.Equal(ProgressStatus.Achieved, progress.Status);
        Assert.Equal(100m, progress.PlannedPercent);
    }

    [Fact]
    public void AsOfAfterEnd_TargetNotReached_Missed()
    {
        var progress = ProgressOf(Trained, 750_000m, Cumulative((D(2024, 12, 31), 700_000m)), D(2025, 12, 3));

        Assert.Equal(ProgressStatus.Missed, progress.Status);
        Assert.Equal(700_000m, progress.ProjectedAtEnd); // the period is over: the projection is where it landed
    }

    [Fact]
    public void AsOfAfterEnd_FiguresAfterTheEndDoNotCount()
    {
        var progress = ProgressOf(Trained, 750_000m, Cumulative((D(2024, 12, 31), 700_000m), (D(2025, 3, 31), 760_000m)), D(2025, 12, 3));

        Assert.Equal(700_000m, progress.ActualToDate);
        Assert.Equal(ProgressStatus.Missed, progress.Status);
    }

    [Fact]
    public void ReachedEarly_Achieved()
    {
        var progress = ProgressOf(Trained, 750_000m, Cumulative((D(2024, 6, 30), 750_000m)), D(2024, 7, 1));

        Assert.Equal(ProgressStatus.Achieved, progress.Status);
        Assert.Equal(100m, progress.PercentAchieved);
    }

    [Fact]
    public void ActualsOnAnotherBasis_Refused()
    {
        var attendances = Incremental(CountingBasis.Attendances, (Month(2022, 1), 1_000m));

        var ex = Assert.Throws<AggregationRefusedException>(() => ProgressOf(Trained, 750_000m, attendances, MidPoint));

        Assert.Equal(AggregationRefusal.MixedCountingBases, ex.Reason);
    }

    [Fact]
    public void ActualsInAnotherUnit_Refused()
    {
        var percent = new ActualSeries(CountingBasis.UniquePeople, Accumulation.Cumulative, IndicatorUnit.Percent, [ActualPoint.On(MidPoint, 40m)]);

        var ex = Assert.Throws<AggregationRefusedException>(() => ProgressOf(Trained, 750_000m, percent, MidPoint));

        Assert.Equal(AggregationRefusal.MixedUnits, ex.Reason);
    }

    [Fact]
    public void ActualsAccumulatingDifferently_Refused()
    {
        var lastValue = new ActualSeries(CountingBasis.UniquePeople, Accumulation.LastValue, IndicatorUnit.Count, [ActualPoint.On(MidPoint, 4m)]);

        var ex = Assert.Throws<AggregationRefusedException>(() => ProgressOf(Trained, 750_000m, lastValue, MidPoint));

        Assert.Equal(AggregationRefusal.MixedAccumulation, ex.Reason);
    }

    [Fact]
    public void IncrementalFigureCrossingThePeriodStart_Refused()
    {
        var attendances = Attendances();
        var series = Incremental(CountingBasis.Attendances, (Interval(2021, 12, 1, 2022, 1, 31), 500m));

        var ex = Assert.Throws<AggregationRefusedException>(
            () => new ProgressCalculator().Calculate(TargetFor(attendances, 10_000m), attendances, Programme, series, MidPoint));

        Assert.Equal(AggregationRefusal.PeriodStraddlesWindow, ex.Reason);
    }

    [Fact]
    public void IndicatorNotTheTargets_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => new ProgressCalculator().Calculate(TargetFor(Attendances(), 10m), Trained, Programme, null, MidPoint));

        Assert.Equal("indicator", ex.ParamName);
    }

    [Fact]
    public void ToString_RoundsOnlyForDisplay()
    {
        var progress = ProgressOf(Trained, 750_000m, Cumulative((D(2023, 1, 1), 250_000m)), D(2023, 1, 1));

        Assert.Equal(100m / 3m, progress.PercentAchieved);
        Assert.Equal("COP-OUT-1 telenor-unicef-cop: 250000 of 750000 (33.3%), plan 33.4%, OnTrack", progress.ToString());
    }
}
