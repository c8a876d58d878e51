using SafetyPrograms.Progress;
using SafetyPrograms.Domain;
using static SafetyPrograms.Tests.Progress.Fixtures;

namespace SafetyPrograms.Tests.Progress;

/// <summary>A lower-is-better level from a baseline of 40% to a target of 25%: every comparison runs the other way.</summary>
public class DirectionAndBaselineTests
{
    private static readonly Indicator UnsafeContact = Fixtures.UnsafeContact(new Baseline(D(2021, 11, 30), 40m));

    private static ActualSeries Level(decimal value) =>
        new(CountingBasis.UniquePeople, Accumulation.LastValue, IndicatorUnit.Percent, [ActualPoint.On(D(2023, 6, 30), value)]);

    [Theory]
    [InlineData(45, ProgressStatus.AtRisk)]   // worse than the baseline
    [InlineData(35, ProgressStatus.AtRisk)]   // 5 of the 7.5 points planned: 66.7% of plan
    [InlineData(33, ProgressStatus.Behind)]   // 7 of 7.5: 93.3%
    [InlineData(32, ProgressStatus.OnTrack)]  // 8 of 7.5: 106.7%
    [InlineData(30, ProgressStatus.Ahead)]    // 10 of 7.5: 133.3%
    [InlineData(25, ProgressStatus.Achieved)]
    [InlineData(20, ProgressStatus.Achieved)]
    public void LowerIsBetter_StatusInverted(int actual, ProgressStatus expected)
    {
        var progress = ProgressOf(UnsafeContact, 25m, Level(actual), MidPoint);

        Assert.Equal(expected, progress.Status);
    }

    [Fact]
    public void LowerIsBetter_PlanRunsDownFromTheBaseline()
    {
        var progress = ProgressOf(UnsafeContact, 25m, Level(35m), MidPoint);

        Assert.Equal(40m, progress.StartingValue);
        Assert.Equal(32.5m, progress.PlannedToDate);
        Assert.Equal(2.5m, progress.Variance); // above plan, which is bad for this indicator
        Assert.Equal(100m / 3m, progress.PercentAchieved);
        Assert.Equal(Direction.LowerIsBetter, progress.Direction);
    }

    [Fact]
    public void LowerIsBetter_AfterEndAboveTarget_Missed()
    {
        var progress = ProgressOf(UnsafeContact, 25m, Level(30m), D(2025, 1, 15));

        Assert.Equal(ProgressStatus.Missed, progress.Status);
    }

    [Fact]
    public void LowerIsBetter_ProjectionClampedToTheIndicatorsMinimum()
    {
        // 40% down to 5% in the first half-year would, at that pace, fall far below zero by the end.
        var progress = ProgressOf(UnsafeContact, 0m, new(CountingBasis.UniquePeople, Accumulation.LastValue, IndicatorUnit.Percent, [ActualPoint.On(D(2022, 6, 30), 5m)]), D(2022, 7, 1));

        Assert.Equal(ProgressStatus.Ahead, progress.Status);
        Assert.Equal(0m, progress.ProjectedAtEnd);
    }

    [Fact]
    public void LowerIsBetter_WithoutBaseline_Refused()
    {
        var ex = Assert.Throws<AggregationRefusedException>(() => ProgressOf(Fixtures.UnsafeContact(), 25m, Level(30m), MidPoint));

        Assert.Equal(AggregationRefusal.BaselineRequired, ex.Reason);
    }

    [Fact]
    public void LowerIsBetter_TargetAboveBaseline_Refused()
    {
        var ex = Assert.Throws<AggregationRefusedException>(() => ProgressOf(UnsafeContact, 45m, Level(30m), MidPoint));

        Assert.Equal(AggregationRefusal.TargetNotAnImprovement, ex.Reason);
    }

    [Fact]
    public void HigherIsBetter_ProgressMeasuredFromTheBaseline()
    {
        var score = new Indicator(
            new Id<Indicator>("COP-OUT-3"), "Online safety knowledge score", IndicatorUnit.Score, ResultLevel.Outcome,
            CountingBasis.UniquePeople, Accumulation.LastValue, baseline: new Baseline(D(2021, 12, 1), 50m), minimum: 0m, maximum: 100m);
        var series = new ActualSeries(CountingBasis.UniquePeople, Accumulation.LastValue, IndicatorUnit.Score, [ActualPoint.On(MidPoint, 65m)]);

        var progress = ProgressOf(score, 80m, series, MidPoint);

        Assert.Equal(50m, progress.PercentAchieved);   // 15 of the 30 points from 50 to 80
        Assert.Equal(65m, progress.PlannedToDate);
        Assert.Equal(ProgressStatus.OnTrack, progress.Status);
        Assert.Equal(80m, progress.ProjectedAtEnd);
    }

    [Fact]
    public void HigherIsBetter_TargetBelowBaseline_Refused()
    {
        var score = new Indicator(
            new Id<Indicator>("COP-OUT-3"), "Online safety knowledge score", IndicatorUnit.Score, ResultLevel.Outcome,
            CountingBasis.UniquePeople, Accumulation.LastValue, baseline: new Baseline(D(2021, 12, 1), 50m));

        var ex = Assert.Throws<AggregationRefusedException>(() => ProgressOf(score, 40m, null, MidPoint));

        Assert.Equal(AggregationRefusal.TargetNotAnImprovement, ex.Reason);
    }

    [Fact]
    public void Incremental_BaselineIgnored_CountsFromZeroInThePeriod()
    {
        var indicator = new Indicator(
            new Id<Indicator>("COP-OUT-2"), "Workshop attendances", IndicatorUnit.Count, ResultLevel.Output,
            CountingBasis.Attendances, Accumulation.Incremental, baseline: new Baseline(D(2021, 12, 1), 1_800m));
        var series = Incremental(CountingBasis.Attendances, (Interval(2022, 1, 1, 2023, 7, 2), 5_000m));

        var progress = ProgressOf(indicator, 10_000m, series, MidPoint);

        Assert.Equal(0m, progress.StartingValue);
        Assert.Equal(5_000m, progress.ActualToDate);
        Assert.Equal(50m, progress.PercentAchieved);
        Assert.Equal(ProgressStatus.OnTrack, progress.Status);
    }

    [Fact]
    public void TargetEqualToStart_NoPercent_AchievedWhileHeld()
    {
        var indicator = Fixtures.UnsafeContact(new Baseline(D(2021, 11, 30), 25m));

        var held = ProgressOf(indicator, 25m, Level(25m), MidPoint);
        var slipped = ProgressOf(indicator, 25m, Level(26m), MidPoint);

        Assert.Null(held.PercentAchieved);
        Assert.Equal(ProgressStatus.Achieved, held.Status);
        Assert.Equal(ProgressStatus.AtRisk, slipped.Status);
    }
}
