using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Progress;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Progress;

public class RecountedReachTests
{
    private static readonly ProgrammeDataset Sample = RepositoryPaths.SampleDataset();
    private static readonly Id<Indicator> Trained = new("COP-OUT-1");
    private static readonly Id<Partnership> Cop = new("ps-child-online-protection");


    private static ParticipationRecord Attend(string child, LocalDate date, BeneficiaryRole role = BeneficiaryRole.Student)
    {
        var activity = Sample.Activities.First(a => a.Phase.Value == "ph-cop-1" && a.Kind == ActivityKind.TrainingSession);
        return new(new BeneficiaryKey(child), activity.Id, date, role, Sex.Female, AgeBand.Age10To14, DeliveryMode.Hybrid, true, activity.School);
    }

    private static ActualSeries SeriesFor(IEnumerable<ParticipationRecord> records, LocalDate asOf)
    {
        var store = new ParticipationStore(Sample);
        Assert.Equal(0, store.Append(records).Rejected);
        var source = RecountedReach.For(Sample, store, [Trained], asOf);
        var indicator = Sample.Indicators.Single(i => i.Id == Trained);
        return source.Find(indicator, new ProgressScope(Cop), null) ?? throw new InvalidOperationException("no series");
    }

    [Fact]
    public void CumulativeReach_IsRecountedAtEachMonthEnd_NeverSummed()
    {
        var series = SeriesFor(
            [
                Attend("child-a", new LocalDate(2023, 1, 10)),
                Attend("child-b", new LocalDate(2023, 2, 10)),
                Attend("child-a", new LocalDate(2023, 3, 10)),
                Attend("child-a", new LocalDate(2023, 3, 20)),
            ],
            new LocalDate(2023, 3, 31));

        Assert.Equal(CountingBasis.UniquePeople, series.Basis);
        Assert.Equal(Accumulation.Cumulative, series.Accumulation);
        var byMonthEnd = series.Points.ToDictionary(p => p.Date, p => p.Value);
        Assert.Equal(1m, byMonthEnd[new LocalDate(2023, 1, 31)]);
        Assert.Equal(2m, byMonthEnd[new LocalDate(2023, 2, 28)]);
        Assert.Equal(2m, byMonthEnd[new LocalDate(2023, 3, 31)]); // child-a again: still two children, not four records
        // December 2022 has no records: it cannot change the count, so it has no point (zero to date stands).
        Assert.Equal(3, series.Points.Count);
    }

    [Fact]
    public void Progress_UsesTheRecount_AndFallsBackToReportedFigures()
    {
        var store = new ParticipationStore(Sample);
        store.Append([Attend("child-a", new LocalDate(2023, 1, 10)), Attend("child-a", new LocalDate(2023, 2, 10))]);
        var asOf = new LocalDate(2023, 6, 30);
        var source = ActualsSources.FirstOf(RecountedReach.For(Sample, store, [Trained], asOf), new ReportedActualsSource(Sample));

        var progress = new ProgressCalculator().CalculateAll(Sample, asOf, source).EnsureComplete();

        Assert.Equal(1m, progress.Single(p => p.Indicator == Trained).ActualToDate);
        // The outcome indicator is not recounted: its reported figure stands.
        Assert.Contains(progress, p => p.Indicator.Value == "COP-OC-1");
    }

    [Fact]
    public void Indicator_NotAUniquePeopleCount_IsRefused()
    {
        var store = new ParticipationStore(Sample);
        var ex = Assert.Throws<ArgumentException>(() => RecountedReach.For(Sample, store, [new Id<Indicator>("DS-OUT-2")], new LocalDate(2023, 1, 1)));
        Assert.Equal("indicators", ex.ParamName);
    }

    [Fact]
    public void YearlyCumulativeReach_RestartsOnTheFirstOfJuly_EachFiscalYearTargetReadsItsOwnYear()
    {
        // COP-OUT-2: people trained in Pakistan's fiscal year, with targets for FY2023-24 and FY2024-25.
        var perYear = new Id<Indicator>("COP-OUT-2");
        var store = new ParticipationStore(Sample);
        Assert.Equal(0, store.Append(
        [
            Attend("child-a", new LocalDate(2024, 3, 10)),
            Attend("child-a", new LocalDate(2024, 8, 10)),  // a new fiscal year: child-a counts again
            Attend("child-b", new LocalDate(2024, 9, 10)),
        ]).Rejected);
        var asOf = new LocalDate(2025, 6, 30);
        var source = RecountedReach.For(Sample, store, [perYear], asOf);

        var series = source.Find(Sample.Indicators.Single(i => i.Id == perYear), new ProgressScope(Cop), null)!;
        var progress = new ProgressCalculator().CalculateAll(Sample, asOf, source).Calculated.Where(p => p.Indicator == perYear).ToList();

        Assert.Equal(Accumulation.YearlyCumulative, series.Accumulation);
        Assert.Equal(7, series.YearStartMonth);
        Assert.Equal([1m, 2m], progress.OrderBy(p => p.Period.Start).Select(p => p.ActualToDate));
        Assert.All(progress, p => Assert.Equal(0m, p.StartingValue));
    }
}
