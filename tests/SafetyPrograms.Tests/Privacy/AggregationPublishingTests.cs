using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Privacy;

public class AggregationPublishingTests
{
    private static readonly ProgrammeDataset Sample = Load();

    private static ProgrammeDataset Load()
    {
        using var stream = File.OpenRead(Path.Combine(RepositoryPaths.SamplesData, "programmes.json"));
        return ProgrammeDatasetJson.Read(stream);
    }

    private static ParticipationStore SampleLog()
    {
        var store = new ParticipationStore(Sample);
        using var log = File.OpenRead(Path.Combine(RepositoryPaths.SamplesData, "participations.csv"));
        Assert.Equal(0, store.AppendCsv(log).Rejected);
        return store;
    }

    [Fact]
    public void UniqueByProvinceAndSex_IsPublished_WithRecountedMarginsAndNoSmallCell()
    {
        var store = SampleLog();
        var published = PublicationPolicy.Default.Publish(store, [Dimension.Province, Dimension.Sex], Measure.UniqueBeneficiaries);

        var total = store.Query().Measure(Measure.UniqueBeneficiaries).Run().Rows[0].Count(Measure.UniqueBeneficiaries);
        Assert.Equal(total, published["total", "total"].Value);
        Assert.True(published.PrimarySuppressions > 0, "the sample has provinces with fewer than 10 children of sex 'other'");
        Assert.All(published.Figures, f => Assert.True(f.IsSuppressed ? f.Value is null : f.Value >= 10 || f.Value == 0));
    }

    [Fact]
    public void UniqueWhereAChildSpansCells_IsRefused()
    {
        var activities = Sample.Activities.Where(a => a.Phase.Value == "ph-cop-1" && a.School is not null).ToList();
        var inSindh = activities.First(a => Sample.Schools.Single(s => s.Id == a.School).Location.Province.Value == "PK-SD");
        var inPunjab = activities.First(a => Sample.Schools.Single(s => s.Id == a.School).Location.Province.Value == "PK-PB");
        var store = new ParticipationStore(Sample);
        store.Append(
            from activity in new[] { inSindh, inPunjab }
            from child in Enumerable.Range(0, 30)
            select new ParticipationRecord(new($"child-{child}"), activity.Id, activity.Date, BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14, DeliveryMode.Hybrid, true, activity.School));

        var ex = Assert.Throws<ArgumentException>(() => PublicationPolicy.Default.Publish(store, [Dimension.Province], Measure.UniqueBeneficiaries));
        Assert.Equal("groupBy", ex.ParamName);
        Assert.Contains("recounts to 30, but its cells add up to 60", ex.Message, StringComparison.Ordinal);

        // Participations are always sums: 60 seats.
        var participations = PublicationPolicy.Default.Publish(store, [Dimension.Province], Measure.Participations);
        Assert.Equal(60, participations[participations.Dimensions[0].Total].Value);
    }

    [Fact]
    public void Rates_AreRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => PublicationPolicy.Default.Publish(SampleLog(), [Dimension.Province], Measure.MeanGain));
        Assert.Equal("measure", ex.ParamName);
    }

    [Fact]
    public void Filter_AppliesToCellsAndMargins()
    {
        var store = SampleLog();
        var teachers = PublicationPolicy.Default.Publish(store, [Dimension.Province], Measure.UniqueBeneficiaries, q => q.Where(Dimension.Role, BeneficiaryRole.Teacher));
        var expected = store.Query().Measure(Measure.UniqueBeneficiaries).Where(Dimension.Role, BeneficiaryRole.Teacher).Run().Rows[0].Count(Measure.UniqueBeneficiaries);
        Assert.Equal(expected, teachers[teachers.Dimensions[0].Total].Value);
    }
}
