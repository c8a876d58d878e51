using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Progress;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Tests.Progress;

/// <summary>
/// Reported against recounted: Zindagi Trust reported about 1,800 students, teachers and parents for phase 1 of the
/// digital-safety programme (actuals[0] of the sample); the participation records recount the same scope and period.
/// </summary>
public class ReportedRecountTests
{
    private static readonly ProgrammeDataset Sample = RepositoryPaths.SampleDataset();


    /// <summary>
    /// A store in which phase 1's two schools recorded <paramref name="students"/> students, 60 teachers and 240 parents,
    /// each student at two workshops (a recount must not count them twice).
    /// </summary>
    private static ParticipationStore PhaseOne(int students, int teachers = 60, int parents = 240)
    {
        var workshops = Sample.Activities.Where(a => a.Phase.Value == "ph-ds-1").OrderBy(a => a.Date).ToList();
        var records = new List<ParticipationRecord>();
        var n = 0;
        void Add(BeneficiaryRole role, int count, int visits)
        {
            for (var i = 0; i < count; i++, n++)
            {
                for (var v = 0; v < visits; v++)
                {
                    var workshop = workshops[(n + (v * 5)) % workshops.Count];
                    records.Add(new(new BeneficiaryKey($"zt-{n:x6}"), workshop.Id, workshop.Date, role, Sex.Female, AgeBand.NotRecorded,
                        DeliveryMode.InPerson, true, workshop.School));
                }
            }
        }
        Add(BeneficiaryRole.Student, students, 2);
        Add(BeneficiaryRole.Teacher, teachers, 1);
        Add(BeneficiaryRole.Parent, parents, 1);
        var store = new ParticipationStore(Sample);
        Assert.Equal(0, store.Append(records).Rejected);
        return store;
    }

    private static RecountComparison Total(IReadOnlyList<RecountComparison> comparisons) =>
        comparisons.Single(c => c.ActualIndex == 0 && c.Dimension is null);

    [Fact]
    public void WithinTolerance_NoFinding()
    {
        // 1,450 + 60 + 240 = 1,750 people: the reported 1,800 is 2.9% above, inside 5%.
        var comparisons = ReportedRecount.Compare(Sample, PhaseOne(1_450));

        var total = Total(comparisons);
        Assert.Equal(1_800m, total.ReportedValue);
        Assert.Equal(1_750, total.Recounted);
        Assert.Equal(RecountAgreement.WithinTolerance, total.Agreement);
        Assert.Equal(new DateInterval(new LocalDate(2022, 2, 1), new LocalDate(2022, 12, 31)), total.Window);
        Assert.DoesNotContain(ReportedRecount.Findings(comparisons), f => f.Path == "actuals[0].value");
    }

    [Fact]
    public void ReportedAboveTheRecount_BeyondTolerance_IsAFindingNamingBothNumbers()
    {
        // 1,300 + 60 + 240 = 1,600 people recorded; 1,800 reported is 12.5% above.
        var comparisons = ReportedRecount.Compare(Sample, PhaseOne(1_300));

        var total = Total(comparisons);
        Assert.Equal(RecountAgreement.ReportedAbove, total.Agreement);
        Assert.Equal(200m, total.Difference);
        Assert.Equal(0.125m, total.RelativeDifference);
        var finding = ReportedRecount.Findings(comparisons).Single(f => f.Path == "actuals[0].value");
        Assert.Equal("SP6008", finding.Code);
        Assert.Equal(FindingSeverity.Warning, finding.Severity);
        Assert.Contains("reported 1,800", finding.Message, StringComparison.Ordinal);
        Assert.Contains("recounted 1,600", finding.Message, StringComparison.Ordinal);
        Assert.Contains("reported above the recount by 12.5%", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportedBelowTheRecount_BeyondTolerance_IsAFindingTheOtherWay()
    {
        // 1,700 + 60 + 240 = 2,000 people recorded; 1,800 reported is 10% below.
        var comparisons = ReportedRecount.Compare(Sample, PhaseOne(1_700));

        var total = Total(comparisons);
        Assert.Equal(RecountAgreement.ReportedBelow, total.Agreement);
        Assert.Equal(-0.1m, total.RelativeDifference);
        Assert.Contains("reported below the recount by 10.0%", ReportedRecount.Findings(comparisons).Single(f => f.Path == "actuals[0].value").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tolerance_IsConfigurable()
    {
        var store = PhaseOne(1_300);

        Assert.Equal(RecountAgreement.WithinTolerance, Total(ReportedRecount.Compare(Sample, store, new RecountOptions(0.15m))).Agreement);
        Assert.Equal(RecountAgreement.ReportedAbove, Total(ReportedRecount.Compare(Sample, store, new RecountOptions(0.10m))).Agreement);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecountOptions(-0.01m));
    }

    [Fact]
    public void RoleBreakdown_IsComparedCellByCell_AtTheCellsPath()
    {
        // Students as reported (1,500), but only 30 of the 60 teachers are in the records.
        var comparisons = ReportedRecount.Compare(Sample, PhaseOne(1_500, teachers: 30));

        var byRole = comparisons.Where(c => c.ActualIndex == 0 && c.Dimension == DisaggregationDimension.Role).ToDictionary(c => c.Category!);
        Assert.Equal(RecountAgreement.WithinTolerance, byRole["student"].Agreement);
        Assert.Equal(RecountAgreement.ReportedAbove, byRole["teacher"].Agreement);
        Assert.Equal(30, byRole["teacher"].Recounted);
        Assert.Equal("actuals[0].disaggregations[0].cells[1].value", byRole["teacher"].Path);
        Assert.Equal(RecountAgreement.WithinTolerance, byRole["parent"].Agreement);
    }

    [Fact]
    public void FiguresOfScopesWithoutRecords_AndLevels_AreNotRecounted()
    {
        var comparisons = ReportedRecount.Compare(Sample, PhaseOne(1_500));

        // Births registered (DBR-OUT-1) and the child online protection figures have no records here; COP-OC-1 is a percentage.
        Assert.All(comparisons, c => Assert.Equal(new Id<Indicator>("DS-OUT-1"), c.Reported.Indicator));
    }

    [Fact]
    public void CumulativeFigure_IsRecountedFromTheScopesStart()
    {
        // COP-OUT-1's 182,000 to 2023-12-31 is a total to date: recounted from the partnership's start, 2022-12-05.
        var training = Sample.Activities.First(a => a.Phase.Value == "ph-cop-1" && a.Kind == ActivityKind.TrainingSession && a.Date.Year == 2023);
        var store = new ParticipationStore(Sample);
        store.Append([new ParticipationRecord(new BeneficiaryKey("cop-000001"), training.Id, training.Date, BeneficiaryRole.Student, Sex.Male, AgeBand.Age10To14,
            training.Mode, true, training.School)]);

        var first = ReportedRecount.Compare(Sample, store).First(c => c.Reported.Indicator.Value == "COP-OUT-1");

        Assert.Equal(new LocalDate(2022, 12, 5), first.Window.Start);
        Assert.Equal(1, first.Recounted);
        Assert.Equal(RecountAgreement.ReportedAbove, first.Agreement);
    }
}
