using SafetyPrograms.Progress;
using static SafetyPrograms.Tests.Progress.Fixtures;

namespace SafetyPrograms.Tests.Progress;

public class PacingCurveTests
{
    [Fact]
    public void ElapsedShare_CountsWholeDaysIncludingTheAsOfDay()
    {
        Assert.Equal(0m, PacingCurve.ElapsedShare(ThreeYears, D(2021, 12, 31)));
        Assert.Equal(1m / 1096m, PacingCurve.ElapsedShare(ThreeYears, D(2022, 1, 1)));
        Assert.Equal(0.5m, PacingCurve.ElapsedShare(ThreeYears, MidPoint));
        Assert.Equal(1m, PacingCurve.ElapsedShare(ThreeYears, D(2024, 12, 31)));
        Assert.Equal(1m, PacingCurve.ElapsedShare(ThreeYears, D(2025, 6, 1)));
    }

    [Fact]
    public void Linear_IsTheElapsedShare()
    {
        Assert.Equal(0.5m, PacingCurve.Linear.PlannedShare(ThreeYears, MidPoint));
        Assert.Equal(366m / 1096m, PacingCurve.Linear.PlannedShare(ThreeYears, D(2023, 1, 1)));
    }

    [Fact]
    public void FromPoints_InterpolatesBetweenTheCallersPoints()
    {
        var curve = PacingCurve.FromPoints([new PacingPoint(0.5m, 0.2m), new PacingPoint(0.75m, 0.6m)]);

        Assert.Equal(0.2m, curve.PlannedShare(ThreeYears, MidPoint));
        Assert.Equal(0.1m, curve.PlannedShare(ThreeYears, D(2022, 10, 1)));  // day 274 of 1,096: a quarter gone
        Assert.Equal(0.8m, curve.PlannedShare(ThreeYears, D(2024, 8, 16)));  // day 959: halfway from the last point to the end
        Assert.Equal(1m, curve.PlannedShare(ThreeYears, D(2024, 12, 31)));
    }

    [Fact]
    public void FromPoints_ElapsedSharesGoingBackwards_Throws()
    {
        Assert.Throws<ArgumentException>(() => PacingCurve.FromPoints([new PacingPoint(0.5m, 0.2m), new PacingPoint(0.4m, 0.3m)]));
    }

    [Fact]
    public void FromPoints_PlanGoingBackwards_Throws()
    {
        Assert.Throws<ArgumentException>(() => PacingCurve.FromPoints([new PacingPoint(0.5m, 0.4m), new PacingPoint(0.6m, 0.3m)]));
    }

    [Fact]
    public void PacingPoint_ShareOutsideZeroToOne_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PacingPoint(0.5m, 1.2m));
        Assert.Equal("plannedShare", ex.ParamName);
    }

    [Fact]
    public void FromDates_InterpolatesByDaysBetweenDatedPoints()
    {
        var curve = PacingCurve.FromDates([new DatedPacingPoint(D(2022, 12, 31), 0.1m), new DatedPacingPoint(D(2023, 12, 31), 0.5m)]);

        Assert.Equal(0.1m, curve.PlannedShare(ThreeYears, D(2022, 12, 31)), 20);
        Assert.Equal(0.1m + (0.4m * 183m / 365m), curve.PlannedShare(ThreeYears, MidPoint), 20);
        Assert.Equal(0.5m, curve.PlannedShare(ThreeYears, D(2023, 12, 31)), 20);
        Assert.Equal(0.75m, curve.PlannedShare(ThreeYears, D(2024, 7, 1)), 2);
        Assert.Equal(1m, curve.PlannedShare(ThreeYears, D(2024, 12, 31)));
    }

    [Fact]
    public void FromDates_PointOutsideTheTargetPeriod_Throws()
    {
        var curve = PacingCurve.FromDates([new DatedPacingPoint(D(2025, 6, 30), 0.5m)]);

        Assert.Throws<ArgumentException>(() => curve.PlannedShare(ThreeYears, MidPoint));
    }

    [Fact]
    public void FromDates_DatesOutOfOrder_Throws()
    {
        Assert.Throws<ArgumentException>(
            () => PacingCurve.FromDates([new DatedPacingPoint(D(2023, 12, 31), 0.5m), new DatedPacingPoint(D(2022, 12, 31), 0.1m)]));
    }

    [Fact]
    public void SCurve_SlowStartFastMiddleSlowFinish()
    {
        var curve = PacingCurve.SCurve();

        Assert.Equal(0.5m, curve.PlannedShare(ThreeYears, MidPoint), 10);
        var quarter = D(2022, 10, 1);
        var threeQuarters = D(2024, 4, 1);
        Assert.True(curve.PlannedShare(ThreeYears, quarter) < PacingCurve.Linear.PlannedShare(ThreeYears, quarter));
        Assert.True(curve.PlannedShare(ThreeYears, threeQuarters) > PacingCurve.Linear.PlannedShare(ThreeYears, threeQuarters));
        Assert.Equal(0m, curve.PlannedShare(ThreeYears, D(2021, 12, 31)));
        Assert.Equal(1m, curve.PlannedShare(ThreeYears, D(2024, 12, 31)));
    }

    [Fact]
    public void SCurve_NeverGoesBackwards()
    {
        var curve = PacingCurve.SCurve(25d);
        var previous = 0m;
        for (var date = ThreeYears.Start; date <= ThreeYears.End; date = date.PlusDays(7))
        {
            var share = curve.PlannedShare(ThreeYears, date);
            Assert.InRange(share, previous, 1m);
            previous = share;
        }
    }

    [Theory]
    [InlineData(0d)]
    [InlineData(double.NaN)]
    [InlineData(100d)]
    public void SCurve_SteepnessOutOfRange_Throws(double steepness)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PacingCurve.SCurve(steepness));
    }
}
