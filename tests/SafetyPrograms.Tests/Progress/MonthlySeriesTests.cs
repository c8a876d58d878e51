using SafetyPrograms.Progress;
using SafetyPrograms.Domain;
using static SafetyPrograms.Tests.Progress.Fixtures;

namespace SafetyPrograms.Tests.Progress;

public class MonthlySeriesTests
{
    [Fact]
    public void MonthEnds_StartingOnThe31st_DoNotDriftAfterFebruary()
    {
        var ends = ProgressCalculator.MonthEnds(Interval(2024, 1, 31, 2024, 4, 30));

        Assert.Equal([D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30)], ends);
    }

    [Fact]
    public void MonthEnds_FebruaryInACommonYear_Is28()
    {
        var ends = ProgressCalculator.MonthEnds(Interval(2023, 1, 15, 2023, 3, 10));

        Assert.Equal([D(2023, 1, 31), D(2023, 2, 28), D(2023, 3, 10)], ends); // the last point is the period's own last day
    }

    [Fact]
    public void MonthEnds_SingleDay_IsThatDay()
    {
        Assert.Equal([D(2023, 2, 28)], ProgressCalculator.MonthEnds(Interval(2023, 2, 28, 2023, 2, 28)));
    }

    [Fact]
    public void MonthEnds_ThreeYears_ThirtySixMonthEnds()
    {
        var ends = ProgressCalculator.MonthEnds(ThreeYears);

        Assert.Equal(36, ends.Count);
        Assert.Equal(D(2022, 1, 31), ends[0]);
        Assert.Contains(D(2023, 2, 28), ends);
        Assert.Contains(D(2024, 2, 29), ends);
        Assert.Equal(D(2024, 12, 31), ends[^1]);
        Assert.All(ends, end => Assert.Equal(1, end.PlusDays(1).Day));
    }

    [Fact]
    public void Monthly_CumulativeReports_ChartTheLatestValueNotARunningSum()
    {
        var indicator = Trained();
        var target = TargetFor(indicator, 1_000m, Interval(2023, 1, 1, 2023, 12, 31));
        var series = Cumulative((D(2023, 1, 31), 100m), (D(2023, 2, 28), 250m), (D(2023, 3, 31), 400m));

        var progress = new ProgressCalculator().Calculate(target, indicator, Programme, series, D(2023, 4, 15));

        Assert.Equal(12, progress.Monthly.Count);
        Assert.Equal([100m, 250m, 400m, null], progress.Monthly.Take(4).Select(p => p.Actual));
        Assert.All(progress.Monthly.Skip(3), point => Assert.Null(point.Actual)); // after the as-of date: no actual
        Assert.Equal(1_000m * 31m / 365m, progress.Monthly[0].Planned, 20);
        Assert.Equal(1_000m, progress.Monthly[^1].Planned);
        Assert.Equal(400m, progress.ActualToDate);
    }

    [Fact]
    public void Monthly_IncrementalReports_ChartTheRunningTotal()
    {
        var indicator = Attendances();
        var target = TargetFor(indicator, 1_000m, Interval(2023, 1, 1, 2023, 12, 31));
        var series = Incremental(CountingBasis.Attendances, (Month(2023, 1), 100m), (Month(2023, 2), 150m), (Month(2023, 3), 150m));

        var progress = new ProgressCalculator().Calculate(target, indicator, Programme, series, D(2023, 4, 30));

        Assert.Equal([100m, 250m, 400m, 400m], progress.Monthly.Take(4).Select(p => p.Actual));
    }

    [Fact]
    public void Monthly_QuarterlyReports_MonthsBeforeTheFirstReportShowTheStart()
    {
        var indicator = Attendances();
        var target = TargetFor(indicator, 1_000m, Interval(2023, 1, 1, 2023, 12, 31));
        var series = Incremental(CountingBasis.Attendances, (Interval(2023, 1, 1, 2023, 3, 31), 300m));

        var progress = new ProgressCalculator().Calculate(target, indicator, Programme, series, D(2023, 3, 31));

        Assert.Equal([0m, 0m, 300m], progress.Monthly.Take(3).Select(p => p.Actual));
    }

    [Fact]
    public void Monthly_PlannedFollowsTheCurve()
    {
        var indicator = Trained();
        var curve = PacingCurve.FromDates([new DatedPacingPoint(D(2022, 12, 31), 0.1m)]);

        var progress = new ProgressCalculator().Calculate(TargetFor(indicator, 750_000m), indicator, Programme, null, MidPoint, curve);

        Assert.Equal(75_000m, progress.Monthly.Single(p => p.Date == D(2022, 12, 31)).Planned);
        Assert.Equal(750_000m, progress.Monthly[^1].Planned);
        Assert.All(progress.Monthly.Zip(progress.Monthly.Skip(1)), pair => Assert.True(pair.First.Planned <= pair.Second.Planned));
    }
}
