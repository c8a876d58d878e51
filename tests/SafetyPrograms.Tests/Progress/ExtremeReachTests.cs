using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Progress;

namespace SafetyPrograms.Tests.Progress;

/// <summary>
/// Recounted reach and time buckets over the calendar's edges (issue 11): a target period from 0001-01-01 to 9999-12-31
/// costs one recount per month of data, never one per calendar month, and no bucket overflows at either edge.
/// </summary>
public class ExtremeReachTests
{
    private static readonly LocalDate First = ExtremeValueTests.First;
    private static readonly LocalDate Last = ExtremeValueTests.Last;
    private static readonly Id<Indicator> Trained = new("COP-OUT-1");

    /// <summary>The sample with the child-online-protection partnership, its phase and targets open from the first day to the last.</summary>
    private static readonly ProgrammeDataset Open = ExtremeSample.Dataset(ExtremeSample.Periods("0001-01-01", "9999-12-31"));

    private static readonly ProgressScope Cop = new(new Id<Partnership>(ExtremeSample.Cop));

    private static ParticipationRecord Attend(string child, LocalDate date)
    {
        var activity = Open.Activities.First(a => a.Phase.Value == "ph-cop-1" && a.Kind == ActivityKind.TrainingSession && a.Date <= new LocalDate(2023, 1, 10));
        return new(new BeneficiaryKey(child), activity.Id, date, BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14, DeliveryMode.Hybrid, true, activity.School);
    }

    private static ParticipationStore Store(params ParticipationRecord[] records)
    {
        var store = new ParticipationStore(Open);
        Assert.Equal(0, store.Append(records).Rejected);
        return store;
    }

    private static ActualSeries Recount(ParticipationStore store, LocalDate asOf) =>
        RecountedReach.For(Open, store, [Trained], asOf).Find(Open.Indicators.Single(i => i.Id == Trained), Cop, null)!;

    [Fact]
    public void RecountedReach_TargetFromTheFirstDayToTheLast_RecountsOnlyMonthsWithRecords_AndTheLastDay()
    {
        var store = Store(Attend("child-a", new(2023, 1, 10)), Attend("child-b", new(2023, 3, 10)), Attend("child-a", new(2024, 7, 1)));

        var series = Recount(store, Last);

        Assert.Equal(
            [(new LocalDate(2023, 1, 31), 1m), (new LocalDate(2023, 3, 31), 2m), (new LocalDate(2024, 7, 31), 2m), (Last, 2m)],
            series.Points.Select(p => (p.Date, p.Value)));
        Assert.All(series.Points, p => Assert.Equal(First, p.Period.Start));
    }

    [Fact]
    public void RecountedReach_AsOfMidMonth_EndsOnTheAsOfDate_AndAMonthWithoutRecordsKeepsTheCountBeforeIt()
    {
        var store = Store(Attend("child-a", new(2023, 1, 10)), Attend("child-b", new(2023, 3, 10)), Attend("child-c", new(2023, 3, 20)));
        var asOf = new LocalDate(2023, 3, 15);

        var series = Recount(store, asOf);

        Assert.Equal([(new LocalDate(2023, 1, 31), 1m), (asOf, 2m)], series.Points.Select(p => (p.Date, p.Value)));
        Assert.Equal(1m, series.ToDate(First, new LocalDate(2023, 2, 28)).Value); // February has no records: January's count stands
    }

    [Fact]
    public void RecountedReach_AsOfTheFirstDay_IsOneRecountOfThatDay()
    {
        var store = Store(Attend("child-a", new(2023, 1, 10)));

        Assert.Equal([(First, 0m)], Recount(store, First).Points.Select(p => (p.Date, p.Value)));
    }

    [Fact]
    public void CalculateAll_OverTheOpenTarget_UsesTheRecount_WithACenturyOfMonthlyPoints()
    {
        var store = Store(Attend("child-a", new(2023, 1, 10)), Attend("child-b", new(2023, 3, 10)));
        var asOf = new LocalDate(2025, 6, 30);
        var source = ActualsSources.FirstOf(RecountedReach.For(Open, store, [Trained], asOf), new ReportedActualsSource(Open));

        var report = new ProgressCalculator().CalculateAll(Open, asOf, source);

        var trained = report.Calculated.Single(p => p.Indicator == Trained && p.Scope == Cop);
        Assert.Equal(2m, trained.ActualToDate);
        Assert.Equal(asOf, trained.DataThrough);
        Assert.False(trained.MonthlyCoversPeriod);
        Assert.Equal(ProgressCalculator.MaxMonthlyPoints, trained.Monthly.Count);
        Assert.Equal(2m, trained.Monthly.Single(m => m.Date == asOf).Actual);
        Assert.Equal(ProgressStatus.AtRisk, trained.Status); // two children against 750,000 spread over eight millennia
    }

    [Fact]
    public void Store_RecordsOnTheCalendarsEdges_AreRejectedWithACode_NotACrash()
    {
        var store = new ParticipationStore(Open);

        var report = store.Append([Attend("child-a", First), Attend("child-b", Last), Attend("child-c", new(2023, 1, 10))]);

        Assert.Equal(1, report.Accepted);
        Assert.Equal(2, report.Rejected);
        Assert.All(report.RejectedByCode.Keys, code => Assert.StartsWith("SP8", code, StringComparison.Ordinal));
    }

    public static TheoryData<string> Buckets => ["day", "week", "month", "quarter", "year", "fiscalYear", "fiscalYear:1", "terms"];

    private static TimeBucket Bucket(string name) => name == "terms"
        ? TimeBucket.SchoolTerms([new SchoolTerm("first", new DateInterval(First, new(2023, 2, 28))), new SchoolTerm("last", new DateInterval(new(2023, 3, 1), Last))])
        : TimeBucket.TryParse(name, out var bucket) ? bucket : throw new ArgumentException(name, nameof(name));

    [Theory]
    [MemberData(nameof(Buckets))]
    public void TimeBucket_OverTheWholeCalendar_GroupsWithoutOverflow_AndEveryGroupIsARecount(string name)
    {
        var store = Store(Attend("child-a", new(2023, 1, 10)), Attend("child-b", new(2023, 3, 10)), Attend("child-a", new(2024, 7, 1)));
        var bucket = Bucket(name);

        var result = store.Query().GroupBy(bucket).Measure(Measure.UniqueBeneficiaries).Between(First, Last).Rollup().Run();

        Assert.Equal(2, result.Rows.Single(r => r.IsGrandTotal).Count(Measure.UniqueBeneficiaries));
        // child-a is in two buckets and counts in each; the total is recounted (2), never the sum of the buckets (3).
        Assert.Equal(3, result.Rows.Where(r => !r.IsGrandTotal).Sum(r => r.Count(Measure.UniqueBeneficiaries)));
        Assert.True(bucket.Label(First).Length > 0);
        Assert.True(bucket.Label(Last).Length > 0);
        Assert.True(bucket.Ordinal(First) <= bucket.Ordinal(Last));
    }

    [Fact]
    public void TimeBucket_Labels_AtTheCalendarsEdges()
    {
        Assert.Equal(["0001-01-01", "0001-W01", "0001-01", "0001-Q1", "0001", "FY0000-01"], Labels(First));
        Assert.Equal(["9999-12-31", "9999-W52", "9999-12", "9999-Q4", "9999", "FY9999-00"], Labels(Last));

        static string[] Labels(LocalDate date) =>
            [.. new[] { TimeBucket.Day, TimeBucket.IsoWeek, TimeBucket.Month, TimeBucket.Quarter, TimeBucket.CalendarYear, TimeBucket.FiscalYear(7) }.Select(b => b.Label(date))];
    }
}
