using NodaTime;
using SafetyPrograms.Progress;
using SafetyPrograms.Domain;
using static SafetyPrograms.Tests.Progress.Fixtures;

namespace SafetyPrograms.Tests.Progress;

public class SummaryAggregationTests
{
    private static readonly DateInterval Q1 = Interval(2023, 1, 1, 2023, 3, 31);

    [Fact]
    public void Summarise_CumulativeMonthlyReports_TakesTheLatestNotTheSum()
    {
        // The classic published bug: three monthly "to date" reports of 100, 250 and 400 are 400 people, not 750.
        var series = Cumulative((D(2023, 1, 31), 100m), (D(2023, 2, 28), 250m), (D(2023, 3, 31), 400m));

        var figure = series.Summarise(Q1);

        Assert.Equal(400m, figure.Value);
        Assert.Equal(1, figure.FigureCount);
        Assert.Equal(D(2023, 3, 31), figure.DataThrough);
        Assert.Equal(Accumulation.Cumulative, figure.Accumulation);
    }

    [Fact]
    public void Summarise_Cumulative_TakesTheLatestDatedInsideTheWindow()
    {
        var series = Cumulative((D(2023, 3, 31), 400m), (D(2023, 1, 31), 100m), (D(2023, 4, 30), 520m));

        Assert.Equal(400m, series.Summarise(Q1).Value);
        Assert.Equal(100m, series.ToDate(D(2023, 1, 1), D(2023, 2, 27)).Value);
    }

    [Fact]
    public void Summarise_LastValue_TakesTheLatestLevel()
    {
        var series = new ActualSeries(
            CountingBasis.UniquePeople, Accumulation.LastValue, IndicatorUnit.Percent,
            [ActualPoint.On(D(2023, 1, 15), 38m), ActualPoint.On(D(2023, 3, 15), 35m), ActualPoint.On(D(2023, 2, 15), 36m)]);

        Assert.Equal(35m, series.Summarise(Q1).Value);
    }

    [Fact]
    public void Summarise_IncrementalMonthlyReports_AreSummed()
    {
        var series = Incremental(
            CountingBasis.Attendances, (Month(2023, 1), 100m), (Month(2023, 2), 150m), (Month(2023, 3), 150m), (Month(2023, 4), 90m));

        var figure = series.Summarise(Q1);

        Assert.Equal(400m, figure.Value);
        Assert.Equal(3, figure.FigureCount);
        Assert.Equal(CountingBasis.Attendances, figure.Basis);
    }

    [Fact]
    public void Construction_IncrementalOverlappingPeriods_Refused()
    {
        var ex = Assert.Throws<AggregationRefusedException>(() => Incremental(
            CountingBasis.Attendances, (Interval(2023, 1, 1, 2023, 3, 31), 300m), (Interval(2023, 3, 1, 2023, 4, 30), 200m)));

        Assert.Equal(AggregationRefusal.OverlappingPeriods, ex.Reason);
        Assert.Contains("2023-03-01..2023-04-30", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Construction_IncrementalSharingOneDay_Refused()
    {
        var ex = Assert.Throws<AggregationRefusedException>(() => Incremental(
            CountingBasis.New, (Interval(2023, 1, 1, 2023, 1, 31), 10m), (Interval(2023, 1, 31, 2023, 2, 28), 20m)));

        Assert.Equal(AggregationRefusal.OverlappingPeriods, ex.Reason);
    }

    [Fact]
    public void Construction_IncrementalAdjacentPeriods_Accepted()
    {
        var series = Incremental(CountingBasis.New, (Month(2023, 1), 10m), (Month(2023, 2), 20m));

        Assert.Equal(30m, series.Summarise(Q1).Value);
    }

    [Fact]
    public void Construction_IncrementalUniquePeopleOverSeveralPeriods_Refused()
    {
        var ex = Assert.Throws<AggregationRefusedException>(() => Incremental(
            CountingBasis.UniquePeople, (Month(2023, 1), 10m), (Month(2023, 2), 20m)));

        Assert.Equal(AggregationRefusal.UniqueCountsNotAdditive, ex.Reason);
    }

    [Fact]
    public void Construction_CumulativeSameDayDifferentValues_Refused()
    {
        var ex = Assert.Throws<AggregationRefusedException>(() => Cumulative((D(2023, 1, 31), 100m), (D(2023, 1, 31), 120m)));

        Assert.Equal(AggregationRefusal.ConflictingFigures, ex.Reason);
    }

    [Fact]
    public void Construction_CumulativeSameDaySameValue_Accepted()
    {
        var series = Cumulative((D(2023, 1, 31), 100m), (D(2023, 1, 31), 100m));

        Assert.Equal(100m, series.Summarise(Q1).Value);
    }

    [Fact]
    public void Summarise_IncrementalCrossingTheWindowStart_Refused()
    {
        var series = Incremental(CountingBasis.Attendances, (Interval(2022, 12, 1, 2023, 1, 31), 100m));

        var ex = Assert.Throws<AggregationRefusedException>(() => series.Summarise(Q1));

        Assert.Equal(AggregationRefusal.PeriodStraddlesWindow, ex.Reason);
    }

    [Fact]
    public void Summarise_IncrementalCrossingTheWindowEnd_Refused()
    {
        var series = Incremental(CountingBasis.Attendances, (Interval(2023, 3, 1, 2023, 4, 30), 100m));

        var ex = Assert.Throws<AggregationRefusedException>(() => series.Summarise(Q1));

        Assert.Equal(AggregationRefusal.PeriodStraddlesWindow, ex.Reason);
    }

    [Fact]
    public void ToDate_IncrementalStillRunning_NotCountedYet()
    {
        var series = Incremental(CountingBasis.Attendances, (Month(2023, 1), 100m), (Month(2023, 2), 150m));

        var figure = series.ToDate(D(2023, 1, 1), D(2023, 2, 15));

        Assert.Equal(100m, figure.Value);
        Assert.Equal(D(2023, 1, 31), figure.DataThrough);
    }

    [Fact]
    public void Summarise_NothingInTheWindow_IsZeroFromNoFigures()
    {
        var figure = Cumulative((D(2022, 12, 31), 80m)).Summarise(Q1);

        Assert.Equal(0m, figure.Value);
        Assert.Equal(0, figure.FigureCount);
        Assert.Null(figure.DataThrough);
    }

    [Fact]
    public void Sum_AttendancesAcrossPhases_Added()
    {
        var phase1 = Incremental(CountingBasis.Attendances, (Month(2023, 1), 100m)).Summarise(Q1);
        var phase2 = Incremental(CountingBasis.Attendances, (Month(2023, 2), 40m), (Month(2023, 3), 60m)).Summarise(Q1);

        var total = SummaryFigure.Sum([phase1, phase2]);

        Assert.Equal(200m, total.Value);
        Assert.Equal(3, total.FigureCount);
        Assert.Equal(D(2023, 3, 31), total.DataThrough);
        Assert.Equal(CountingBasis.Attendances, total.Basis);
    }

    [Fact]
    public void Sum_MixedCountingBases_Refused()
    {
        var attendances = Incremental(CountingBasis.Attendances, (Month(2023, 1), 100m)).Summarise(Q1);
        var newPeople = Incremental(CountingBasis.New, (Month(2023, 1), 60m)).Summarise(Q1);

        var ex = Assert.Throws<AggregationRefusedException>(() => SummaryFigure.Sum([attendances, newPeople]));

        Assert.Equal(AggregationRefusal.MixedCountingBases, ex.Reason);
    }

    [Fact]
    public void Sum_MixedUnits_Refused()
    {
        var count = Incremental(CountingBasis.Attendances, (Month(2023, 1), 100m)).Summarise(Q1);
        var percent = count with { Unit = IndicatorUnit.Percent };

        var ex = Assert.Throws<AggregationRefusedException>(() => SummaryFigure.Sum([count, percent]));

        Assert.Equal(AggregationRefusal.MixedUnits, ex.Reason);
    }

    [Fact]
    public void Sum_MixedWindows_Refused()
    {
        var series = Incremental(CountingBasis.Attendances, (Month(2023, 1), 100m));

        var ex = Assert.Throws<AggregationRefusedException>(
            () => SummaryFigure.Sum([series.Summarise(Q1), series.Summarise(Interval(2023, 1, 1, 2023, 6, 30))]));

        Assert.Equal(AggregationRefusal.MixedWindows, ex.Reason);
    }

    [Fact]
    public void Sum_UniquePeopleAcrossGroups_Refused()
    {
        var school1 = Cumulative((D(2023, 3, 31), 400m)).Summarise(Q1);
        var school2 = Cumulative((D(2023, 3, 31), 300m)).Summarise(Q1);

        var ex = Assert.Throws<AggregationRefusedException>(() => SummaryFigure.Sum([school1, school2]));

        Assert.Equal(AggregationRefusal.UniqueCountsNotAdditive, ex.Reason);
    }

    [Fact]
    public void Sum_Levels_Refused()
    {
        var level = new ActualSeries(CountingBasis.Attendances, Accumulation.LastValue, IndicatorUnit.Count, [ActualPoint.On(D(2023, 3, 1), 5m)]).Summarise(Q1);

        var ex = Assert.Throws<AggregationRefusedException>(() => SummaryFigure.Sum([level, level]));

        Assert.Equal(AggregationRefusal.LevelsNotAdditive, ex.Reason);
    }

    [Fact]
    public void Sum_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => SummaryFigure.Sum([]));
    }

    [Fact]
    public void ToDate_AsOfBeforeSince_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Cumulative((D(2023, 1, 31), 100m)).ToDate(D(2023, 2, 1), D(2023, 1, 31)));

        Assert.Equal("asOf", ex.ParamName);
    }
}
