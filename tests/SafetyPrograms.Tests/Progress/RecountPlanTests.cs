using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Progress;
using SafetyPrograms.Reporting;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Progress;

/// <summary>One decision of what the records recount and over which window, followed by progress, the report and the exports.</summary>
public class RecountPlanTests
{
    private static readonly ProgrammeDataset Sample = RepositoryPaths.SampleDataset();
    private static readonly Id<Indicator> Trained = new("COP-OUT-1");
    private static readonly Id<Indicator> PerYear = new("COP-OUT-2");
    private static readonly Id<Partnership> Cop = new("ps-child-online-protection");

    /// <summary>The sample with COP-OUT-2's two fiscal-year targets made into one two-year target, FY2023-24 and FY2024-25.</summary>
    private static readonly Lazy<ProgrammeDataset> TwoYearTarget = new(() =>
    {
        var json = File.ReadAllText(Path.Combine(RepositoryPaths.SamplesData, "programmes.json"));
        const string FirstYear = "\"indicator\": \"COP-OUT-2\",\n          \"period\": {\n            \"start\": \"2023-07-01\",";
        const string SecondYear = "\"indicator\": \"COP-OUT-2\",\n          \"period\": {\n            \"start\": \"2024-07-01\",";
        var first = json.IndexOf(FirstYear, StringComparison.Ordinal);
        Assert.True(first > 0);
        var open = json.LastIndexOf('{', first);
        var close = json.IndexOf('}', json.IndexOf("\"value\"", first, StringComparison.Ordinal));
        json = json[..open] + json[json.IndexOf('{', close)..];
        json = json.Replace(SecondYear, SecondYear.Replace("2024-07-01", "2023-07-01", StringComparison.Ordinal), StringComparison.Ordinal);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var dataset = ProgrammeDatasetJson.Read(stream, "two-year-target.json");
        Assert.Single(dataset.Partnerships.Single(p => p.Id == Cop).Targets, t => t.Indicator == PerYear);
        return dataset;
    });

    private static ParticipationRecord Attend(ProgrammeDataset dataset, string child, LocalDate date)
    {
        var activity = dataset.Activities.First(a => a.Phase.Value == "ph-cop-1" && a.Kind == ActivityKind.TrainingSession);
        return new(new BeneficiaryKey(child), activity.Id, date, BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14, DeliveryMode.Hybrid, true, activity.School);
    }

    private static ParticipationStore Store(ProgrammeDataset dataset, params (string Child, LocalDate Date)[] records)
    {
        var store = new ParticipationStore(dataset);
        Assert.Equal(0, store.Append(records.Select(r => Attend(dataset, r.Child, r.Date))).Rejected);
        return store;
    }

    [Fact]
    public void Indicators_AreTheUniquePeopleCounts_WithATargetWhereThereAreRecords()
    {
        var plan = RecountPlan.For(Sample, Store(Sample, ("child-a", new LocalDate(2023, 1, 10))));

        Assert.Contains(Trained, plan.Indicators);
        Assert.Contains(PerYear, plan.Indicators);
        Assert.All(plan.Indicators, id => Assert.True(RecountPlan.CountsUniquePeople(Sample.Indicators.Single(i => i.Id == id))));
        Assert.True(plan.HasRecords(new ProgressScope(Cop)));
        Assert.True(plan.HasRecords(new ProgressScope(Cop, new Id<Phase>("ph-cop-1"))));
        Assert.Empty(RecountPlan.For(Sample, new ParticipationStore(Sample)).Indicators);
    }

    [Fact]
    public void TargetWindow_RunsFromTheStartToTheEndOrTheAsOfDate_AndIsNoneBeforeTheStart()
    {
        var plan = RecountPlan.For(Sample, new ParticipationStore(Sample));
        var period = new DateInterval(new LocalDate(2022, 12, 5), new LocalDate(2025, 12, 3));

        Assert.Equal(new DateInterval(period.Start, new LocalDate(2024, 3, 31)), plan.TargetWindow(Trained, period, new LocalDate(2024, 3, 31)));
        Assert.Equal(period, plan.TargetWindow(Trained, period, new LocalDate(2026, 1, 1)));
        Assert.Null(plan.TargetWindow(Trained, period, new LocalDate(2022, 12, 4)));
    }

    [Fact]
    public void TargetWindow_OfAYearlyCumulativeIndicator_RestartsAtTheLastFiscalYearsStart()
    {
        var plan = RecountPlan.For(Sample, new ParticipationStore(Sample));
        var twoYears = new DateInterval(new LocalDate(2023, 7, 1), new LocalDate(2025, 6, 30));

        Assert.Equal(new DateInterval(new LocalDate(2024, 7, 1), new LocalDate(2025, 6, 30)), plan.TargetWindow(PerYear, twoYears, new LocalDate(2025, 12, 31)));
        Assert.Equal(new DateInterval(new LocalDate(2024, 7, 1), new LocalDate(2024, 9, 30)), plan.TargetWindow(PerYear, twoYears, new LocalDate(2024, 9, 30)));
        Assert.Equal(new DateInterval(new LocalDate(2023, 7, 1), new LocalDate(2024, 3, 31)), plan.TargetWindow(PerYear, twoYears, new LocalDate(2024, 3, 31)));
    }

    [Fact]
    public void TheReport_RecountsEachFiscalYearTarget_FromItsYearsStart_AsProgressDoes()
    {
        var store = Store(
            Sample,
            ("child-c", new LocalDate(2024, 1, 5)),
            ("child-a", new LocalDate(2024, 3, 10)),
            ("child-a", new LocalDate(2024, 8, 10)), // a new fiscal year: child-a counts again
            ("child-b", new LocalDate(2024, 9, 10)));

        var report = ProgrammeReport.Create(Sample, store, new LocalDate(2025, 6, 30));
        var years = report.TargetReach.Where(t => t.Key.Indicator == PerYear && t.Key.Scope == new ProgressScope(Cop)).OrderBy(t => t.Key.Period.Start).ToList();

        Assert.Equal(2, years.Count);
        Assert.All(years, y => Assert.Equal(y.Key.ActualToDate, (decimal?)y.Value[y.Value.Dimensions[0].Total].Value));
        Assert.Equal([2L, 2L], years.Select(y => y.Value[y.Value.Dimensions[0].Total].Value!.Value));
    }

    [Fact]
    public void ATargetOverTwoFiscalYears_IsCountedFromTheLastYearsStart_ByTheExports_AndRefusedByProgressAndTheReport()
    {
        var dataset = TwoYearTarget.Value;
        var store = Store(
            dataset,
            ("child-c", new LocalDate(2024, 1, 5)),  // the first fiscal year only
            ("child-a", new LocalDate(2024, 3, 10)),
            ("child-a", new LocalDate(2024, 8, 10)),
            ("child-b", new LocalDate(2024, 9, 10)));
        var asOf = new LocalDate(2025, 6, 30);
        var twoYears = dataset.Partnerships.Single(p => p.Id == Cop).Targets.Single(t => t.Indicator == PerYear).Period;

        var window = RecountPlan.For(dataset, store).TargetWindow(PerYear, twoYears, asOf);
        var report = ProgrammeReport.Create(dataset, store, asOf);
        var exported = SafetyPrograms.Exchange.ExchangeData.Publish(dataset, new SafetyPrograms.Privacy.PublicationPolicy(minimumCellSize: 1), asOf, Instant.FromUtc(2025, 7, 1, 0, 0), store)
            .Series.Single(s => s.Indicator.Id == PerYear && s.Phase is null);

        Assert.Equal(new DateInterval(new LocalDate(2024, 7, 1), asOf), window);
        // The exports publish the latest fiscal year's figure (child-a and child-b), without the two-year target beside it.
        Assert.Equal(window, exported.Period);
        Assert.Null(exported.Target);
        Assert.Equal(2m, exported.Figures.Single(f => f.Breakdown.Count == 0).Value);
        // Two yearly unique counts cannot be added into one figure for the two-year target: progress refuses it, and the report says so.
        var refused = Assert.Single(report.Progress.Targets, t => t.Target.Indicator == PerYear && t.Scope == new ProgressScope(Cop));
        Assert.Equal(AggregationRefusal.UniqueCountsNotAdditive, refused.Refusal!.Reason);
        Assert.DoesNotContain(report.TargetReach.Keys, t => t.Indicator == PerYear && t.Scope == new ProgressScope(Cop));
    }
}
