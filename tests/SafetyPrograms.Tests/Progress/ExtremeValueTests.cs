using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Progress;
using static SafetyPrograms.Tests.Progress.Fixtures;

namespace SafetyPrograms.Tests.Progress;

/// <summary>
/// Extreme but valid values (issue 11, "crashes and hangs"): the first and last days NodaTime holds (0001-01-01,
/// 9999-12-31, a common open-end sentinel), figures at and beyond the ±10^15 limit, decimal's extremes and its smallest
/// step. Every progress entry point either refuses with a typed reason or computes; nothing overflows, and no series
/// grows with the calendar instead of the data.
/// </summary>
public class ExtremeValueTests
{
    internal static readonly LocalDate First = new(1, 1, 1);
    internal static readonly LocalDate Last = new(9999, 12, 31);

    /// <summary>The calendar's edges (NodaTime's first ISO day is in 9999 BC), month ends next to them, a leap day and an ordinary date.</summary>
    internal static readonly LocalDate[] EdgeDates =
        [LocalDate.MinIsoValue, First, new(1, 12, 31), new(2000, 2, 29), new(2024, 6, 15), new(9999, 11, 30), new(9999, 12, 1), Last];

    /// <summary>As-of dates: before, inside and after the periods built from <see cref="EdgeDates"/>.</summary>
    private static readonly LocalDate[] AsOfDates = [LocalDate.MinIsoValue, First, new(2024, 6, 15), new(9999, 12, 1), Last];

    /// <summary>Zero, decimal's smallest step, one, the limit, just past it, the 8e26, and decimal's extremes.</summary>
    internal static readonly decimal[] Figures =
        [0m, 0.0000000000000000000000000001m, 1m, 1_000_000_000_000_000m, 1_000_000_000_000_001m, 8e26m, decimal.MaxValue];

    private static readonly Indicator Knowledge = Score(1m, 0m);

    private static Indicator Score(decimal baseline, decimal? minimum) => new(
        new Id<Indicator>("KNOW-1"), "Online-safety knowledge score", IndicatorUnit.Score, ResultLevel.Outcome,
        CountingBasis.UniquePeople, Accumulation.LastValue, Direction.HigherIsBetter, new Baseline(D(2021, 12, 1), baseline), minimum, 10m);

    /// <summary>The specification of a percentage: exact when decimal can hold it, otherwise not computable.</summary>
    private static decimal? ExpectedPercent(decimal part, decimal whole)
    {
        try
        {
            return whole == 0m ? null : part * 100m / whole;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static bool WithinLimit(decimal value) => Math.Abs(value) <= 1_000_000_000_000_000m;

    private static int MonthsTouched(DateInterval period) => ((period.End.Year - period.Start.Year) * 12) + period.End.Month - period.Start.Month + 1;

    [Fact]
    public void MonthEnds_UpToTheLastDayNodaTimeHolds_EndOn99991231_WithoutSteppingPastIt()
    {
        Assert.Equal(
            [D(9999, 10, 31), D(9999, 11, 30), D(9999, 12, 31)], ProgressCalculator.MonthEnds(new DateInterval(D(9999, 10, 15), Last)));
        Assert.Equal([Last], ProgressCalculator.MonthEnds(new DateInterval(Last, Last)));

        var all = ProgressCalculator.MonthEnds(new DateInterval(First, Last));

        Assert.Equal(9999 * 12, all.Count);
        Assert.Equal(D(1, 1, 31), all[0]);
        Assert.Equal(Last, all[^1]);
    }

    [Fact]
    public void Calculate_EveryPeriodAndAsOfAmongTheEdgeDates_ComputesWithAMonthlySeriesOfAtMostACentury()
    {
        var calculator = new ProgressCalculator();
        var indicator = Trained();
        var checkedCases = 0;
        foreach (var start in EdgeDates)
        {
            foreach (var end in EdgeDates.Where(e => e >= start))
            {
                var period = new DateInterval(start, end);
                var series = start == end ? Cumulative((start, 10m)) : Cumulative((start, 10m), (end, 20m));
                foreach (var asOf in AsOfDates)
                {
                    var progress = calculator.Calculate(TargetFor(indicator, 1_000m, period), indicator, Programme, series, asOf);

                    var months = MonthsTouched(period);
                    Assert.Equal(Math.Min(months, ProgressCalculator.MaxMonthlyPoints), progress.Monthly.Count);
                    Assert.Equal(months <= ProgressCalculator.MaxMonthlyPoints, progress.MonthlyCoversPeriod);
                    Assert.All(progress.Monthly, m => Assert.True(period.Contains(m.Date)));
                    Assert.True(progress.Monthly.Zip(progress.Monthly.Skip(1)).All(p => p.First.Date < p.Second.Date));
                    Assert.InRange(progress.PlannedPercent, 0m, 100m);
                    if (!progress.MonthlyCoversPeriod && period.Contains(asOf))
                    {
                        // The century shown is the one that ends with the as-of month (or the first century, when that is earlier).
                        var asOfMonthEnd = asOf.With(DateAdjusters.EndOfMonth) < end ? asOf.With(DateAdjusters.EndOfMonth) : end;
                        Assert.Contains(progress.Monthly, m => m.Date == asOfMonthEnd);
                    }
                    checkedCases++;
                }
            }
        }
        Assert.Equal(36 * AsOfDates.Length, checkedCases);
    }

    [Fact]
    public void Calculate_OpenEndedTarget_ChartsTheCenturyEndingWithTheAsOfMonth_AndSaysSo()
    {
        var indicator = Trained();
        var period = new DateInterval(D(2024, 1, 1), Last);
        var asOf = D(2025, 6, 30);

        var progress = new ProgressCalculator().Calculate(
            TargetFor(indicator, 750_000m, period), indicator, Programme, Cumulative((D(2025, 3, 31), 300_000m)), asOf);

        Assert.False(progress.MonthlyCoversPeriod);
        Assert.Equal(ProgressCalculator.MaxMonthlyPoints, progress.Monthly.Count);
        Assert.Equal(D(2024, 1, 31), progress.Monthly[0].Date);
        Assert.Equal(300_000m, progress.Monthly.Single(m => m.Date == D(2025, 6, 30)).Actual);
        Assert.Null(progress.Monthly.Single(m => m.Date == D(2025, 7, 31)).Actual);
        Assert.Equal(300_000m, progress.ActualToDate);
        Assert.Equal(40m, progress.PercentAchieved);
    }

    [Fact]
    public void Calculate_EveryTargetAndActualAmongTheExtremeFigures_RefusesBeyondTheLimitAndNeverOverflows()
    {
        var calculator = new ProgressCalculator();
        foreach (var indicator in new[] { Trained(), Attendances() })
        {
            foreach (var target in Figures)
            {
                foreach (var actual in Figures)
                {
                    ActualPoint[] points = indicator.Accumulation == Accumulation.Incremental
                        ? [new(Interval(2022, 1, 1, 2022, 6, 30), actual), new(Interval(2022, 7, 1, 2022, 12, 31), actual)]
                        : [ActualPoint.On(D(2022, 6, 30), actual), ActualPoint.On(D(2022, 12, 31), actual)];
                    if (!WithinLimit(actual))
                    {
                        var refused = Assert.Throws<AggregationRefusedException>(() => Series(indicator, points));
                        Assert.Equal(AggregationRefusal.FigureOutOfRange, refused.Reason);
                        continue;
                    }
                    var series = Series(indicator, points);

                    var run = () => calculator.Calculate(TargetFor(indicator, target), indicator, Programme, series, MidPoint);

                    if (!WithinLimit(target))
                    {
                        Assert.Equal(AggregationRefusal.FigureOutOfRange, Assert.Throws<AggregationRefusedException>(run).Reason);
                        continue;
                    }
                    var progress = run();
                    var total = indicator.Accumulation == Accumulation.Incremental ? actual * 2 : actual;
                    Assert.Equal(total, progress.ActualToDate);
                    Assert.Equal(ExpectedPercent(total, target), progress.PercentAchieved);
                    Assert.Equal(total >= target, progress.Status == ProgressStatus.Achieved);
                    Assert.NotNull(progress.ProjectedAtEnd);
                }
            }
        }
    }

    [Fact]
    public void Calculate_TargetOfDecimalMaxValue_IsRefusedAsOutOfRange_WithoutRepeatingTheFigure()
    {
        var indicator = Trained();

        var refused = Assert.Throws<AggregationRefusedException>(
            () => new ProgressCalculator().Calculate(TargetFor(indicator, decimal.MaxValue), indicator, Programme, null, MidPoint));

        Assert.Equal(AggregationRefusal.FigureOutOfRange, refused.Reason);
        Assert.Contains("10^15", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("79228", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calculate_BaselineOfMinusDecimalMaxValue_IsRefusedAsOutOfRange()
    {
        var indicator = Score(decimal.MinValue, null);

        var refused = Assert.Throws<AggregationRefusedException>(
            () => new ProgressCalculator().Calculate(TargetFor(indicator, 10m), indicator, Programme, null, MidPoint));

        Assert.Equal(AggregationRefusal.FigureOutOfRange, refused.Reason);
    }

    [Fact]
    public void CalculateAll_ReportedActualOf8e26_RefusesThatTargetOnly()
    {
        Indicator[] indicators = [Trained(), Attendances()];
        var year = Interval(2022, 1, 1, 2022, 12, 31);
        var dataset = Dataset(
            indicators,
            programmeTargets: [TargetFor(indicators[0], 750_000m), TargetFor(indicators[1], 10_000m)],
            actuals: [new(indicators[0].Id, PartnershipId, year, 8e26m), new(indicators[1].Id, PartnershipId, year, 4_000m)]);

        var report = new ProgressCalculator().CalculateAll(dataset, MidPoint);

        Assert.Equal(AggregationRefusal.FigureOutOfRange, report.Targets[0].Refusal!.Reason);
        Assert.StartsWith("The target for COP-OUT-1 in telenor-unicef-cop", report.Targets[0].Refusal!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("8000000", report.Targets[0].Refusal!.Message, StringComparison.Ordinal);
        Assert.Equal(4_000m, report.Targets[1].Progress!.ActualToDate);
    }

    [Fact]
    public void Calculate_AtTheLimit_Computes()
    {
        var indicator = Trained();

        var progress = ProgressOf(indicator, 1_000_000_000_000_000m, Cumulative((D(2022, 12, 31), 1_000_000_000_000_000m)), MidPoint);

        Assert.Equal(ProgressStatus.Achieved, progress.Status);
        Assert.Equal(100m, progress.PercentAchieved);
        Assert.Equal(1_000_000_000_000_000m * 1096 / 365, progress.ProjectedAtEnd);
    }

    [Fact]
    public void Calculate_TinyRequiredChange_PercentagesAreNotComputable_AndStatusStillFollowsTheFigures()
    {
        // From a baseline of 1 to a target 10^-27 above it: any real progress is beyond decimal's range as a percentage.
        var tinyStep = 1.000000000000000000000000001m;

        var reached = ProgressOf(Knowledge, tinyStep, Series(Knowledge, ActualPoint.On(D(2022, 12, 31), 5m)), MidPoint);

        Assert.Equal(ProgressStatus.Achieved, reached.Status);
        Assert.Null(reached.PercentAchieved);
        Assert.Null(reached.PercentOfPlan);
        Assert.Null(reached.ProjectedPercent);
        Assert.Equal(10m, reached.ProjectedAtEnd); // clamped to the scale's maximum

        var fellBack = ProgressOf(Knowledge, tinyStep, Series(Knowledge, ActualPoint.On(D(2022, 12, 31), 0m)), MidPoint);

        Assert.Null(fellBack.PercentAchieved);
        Assert.Null(fellBack.PercentOfPlan);
        Assert.Equal(ProgressStatus.AtRisk, fellBack.Status); // infinitely far behind plan
    }

    [Fact]
    public void Calculate_SmallestTargetOfAScore_ComputesExactly()
    {
        var fromZero = Score(0m, 0m);

        var progress = ProgressOf(fromZero, 0.0000000000000000000000000002m, Series(fromZero, ActualPoint.On(D(2022, 12, 31), 0.0000000000000000000000000001m)), MidPoint);

        Assert.Equal(50m, progress.PercentAchieved);
        Assert.NotEqual(ProgressStatus.Achieved, progress.Status);
    }

    [Fact]
    public void CalculateAll_PacingCurveThatDoesNotFitOneTarget_RefusesThatTargetOnly()
    {
        var attendances = Attendances();
        var early = TargetFor(attendances, 2_000m, Interval(2022, 1, 1, 2022, 12, 31));
        var late = TargetFor(attendances, 2_000m, Interval(2023, 1, 1, 2023, 12, 31));
        var dataset = Dataset([attendances], programmeTargets: [early, late]);
        var plan = PacingCurve.FromDates([new DatedPacingPoint(D(2022, 6, 30), 0.4m)]);

        var report = new ProgressCalculator(new ProgressOptions(pacing: plan)).CalculateAll(dataset, D(2022, 9, 30));

        Assert.True(report.Targets[0].IsCalculated);
        Assert.Equal(AggregationRefusal.PacingDoesNotFit, report.Targets[1].Refusal!.Reason);
        // The refusal names the target; its cause is the calculator's refusal, caused in turn by the curve's own complaint.
        Assert.IsType<ArgumentException>(report.Targets[1].Refusal!.InnerException!.InnerException);
    }

    [Fact]
    public void CalculateAll_PacingCurveReturningAShareAboveOne_IsARefusal_NotACrash()
    {
        var attendances = Attendances();
        var dataset = Dataset([attendances], programmeTargets: [TargetFor(attendances, 2_000m)]);

        var report = new ProgressCalculator(new ProgressOptions(pacing: new Broken(2m))).CalculateAll(dataset, MidPoint);

        Assert.Equal(AggregationRefusal.PacingDoesNotFit, report.Targets[0].Refusal!.Reason);
        report = new ProgressCalculator(new ProgressOptions(pacing: new Broken(null))).CalculateAll(dataset, MidPoint);
        Assert.Equal(AggregationRefusal.PacingDoesNotFit, report.Targets[0].Refusal!.Reason);
        Assert.IsType<OverflowException>(report.Targets[0].Refusal!.InnerException!.InnerException);
    }

    [Fact]
    public void SummaryFigureSum_BeyondTheLimit_IsRefused_AndHugeFigureCountsSaturate()
    {
        var window = Interval(2022, 1, 1, 2022, 12, 31);
        var huge = new SummaryFigure(decimal.MaxValue, CountingBasis.Attendances, Accumulation.Incremental, IndicatorUnit.Count, window, 1, window.End);

        Assert.Equal(AggregationRefusal.FigureOutOfRange, Assert.Throws<AggregationRefusedException>(() => SummaryFigure.Sum([huge, huge])).Reason);

        var many = huge with { Value = 1_000_000_000_000_000m, FigureCount = int.MaxValue };
        var total = SummaryFigure.Sum([many, many]);
        Assert.Equal(2_000_000_000_000_000m, total.Value);
        Assert.Equal(int.MaxValue, total.FigureCount);
    }

    [Fact]
    public void Milestones_DueAndAssessedAtTheCalendarsEdges_CountTheirDays()
    {
        var dueFirst = new Milestone(new Id<Milestone>("m-first"), "Signed", First, MilestoneStatus.Planned);
        var dueLast = new Milestone(new Id<Milestone>("m-last"), "Closed", Last, MilestoneStatus.Planned);

        Assert.Equal(3_652_058, MilestoneProgress.For(dueFirst, Programme, Last).DaysLate);
        Assert.Equal(3_652_058, MilestoneProgress.For(dueLast, Programme, First).DaysUntilDue);
    }

    [Fact]
    public void Attendance_HugeCounts_AddUpInLongs()
    {
        var cohort = new Cohort(new Id<Cohort>("students"), Phase1, BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14, int.MaxValue);
        Activity Held(string id, LocalDate date) => new(
            new Id<Activity>(id), Phase1, ActivityKind.Workshop, DeliveryMode.InPerson, date, attendance: [new Attendance(cohort.Id, int.MaxValue)]);
        var dataset = Dataset([Attendances()], cohorts: [cohort], activities: [Held("a1", D(2022, 1, 1)), Held("a2", D(2022, 2, 1))]);

        var summary = AttendanceSummary.For(dataset, Programme, Interval(2022, 1, 1, 2023, 12, 31));

        Assert.Equal(2L * int.MaxValue, summary.Attendances);
        Assert.Equal(2m * int.MaxValue, AttendanceSummary.Series(dataset, Programme).Summarise(Interval(2022, 1, 1, 2023, 12, 31)).Value);
    }

    /// <summary>A caller's curve that returns a share outside 0 to 1, or (with <c>null</c>) overflows.</summary>
    private sealed class Broken(decimal? share) : IPacingCurve
    {
        public decimal PlannedShare(DateInterval period, LocalDate date) => share ?? Twice(decimal.MaxValue);

        private static decimal Twice(decimal value) => value * 2;
    }
}
