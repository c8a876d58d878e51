using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Aggregation;

public class GroupByTests
{
    private static readonly Measure[] ExactMeasures =
    [
        Measure.Participations, Measure.UniqueBeneficiaries, Measure.Activities, Measure.Schools, Measure.Completions,
        Measure.CompletionRate, Measure.MeanPreScore, Measure.MeanPostScore, Measure.MeanGain, Measure.ImprovedShare,
    ];

    public static TheoryData<string> Groupings() =>
    [
        "province,month",
        "school,quarter",
        "district,role,fiscalYear",
        "sex,ageBand,mode",
        "partnership,phase,organisation,activityKind",
        "country,province,district,school",
        "week",
        "year,fiscalYear:1",
        "day,school,role",                  // a sparse key space: keys numbered by a bitmap pass
        "day,school,role,sex,ageBand,mode", // a key space too large for arrays: the hash fallback
    ];

    [Theory]
    [MemberData(nameof(Groupings))]
    public void Run_AnyGrouping_MatchesReference(string grouping)
    {
        var p = TestProgramme.Build(seed: 11);
        var terms = Parse(grouping);
        var result = p.Store().Query().GroupBy(terms).Measure(ExactMeasures).Run();
        Reference.AssertSame(Reference.Compute(p, terms, ExactMeasures), Reference.Rows(result));
    }

    [Theory]
    [MemberData(nameof(Groupings))]
    public void Run_TwoThreads_SameAsOneThread(string grouping)
    {
        var p = TestProgramme.Build(seed: 12, records: 4000);
        var store = p.Store();
        var terms = Parse(grouping);
        var measures = ExactMeasures.Append(Measure.ApproximateUniqueBeneficiaries).ToArray();
        var one = store.Query().GroupBy(terms).Measure(measures).WithMaxThreads(1).Run();
        var query = store.Query().GroupBy(terms).Measure(measures).WithMaxThreads(2);
        query.MinRecordsPerThread = 100;
        Reference.AssertSame(Reference.Rows(one), Reference.Rows(query.Run()), tolerance: 0);
    }

    [Theory]
    [InlineData("school,quarter", false)]
    [InlineData("day,school,role", false)]
    [InlineData("province,district,school", true)]
    [InlineData("school,month,sex", false)]
    [InlineData("school,week", false)]
    [InlineData("day,school,role", true)]
    [InlineData("school,quarter,ageBand,mode", false)]
    public void Run_PartitionedAggregation_MatchesReference(string grouping, bool rollup)
    {
        var p = TestProgramme.Build(seed: 19, records: 4000);
        var terms = Parse(grouping);
        Measure[] additive =
            [Measure.Participations, Measure.Completions, Measure.CompletionRate, Measure.MeanPreScore, Measure.MeanPostScore, Measure.MeanGain];
        var query = p.Store().Query().GroupBy(terms).Measure(additive).WithMaxThreads(2);
        query.MinRecordsPerThread = 1000;
        query.PartitionAboveStateBytes = 0;
        if (rollup)
        {
            query.Rollup();
        }
        Reference.AssertSame(Reference.Compute(p, terms, additive, rollup: rollup), Reference.Rows(query.Run()));
    }

    [Fact]
    public void Run_NoGrouping_OneTotalRow()
    {
        var p = TestProgramme.Build(seed: 13);
        var result = p.Store().Query().Measure(Measure.Participations, Measure.UniqueBeneficiaries).Run();
        var row = Assert.Single(result.Rows);
        Assert.Equal(p.Records.Count, row.Count(Measure.Participations));
        Assert.Equal(p.Records.Select(r => r.Beneficiary).Distinct().Count(), row.Count(Measure.UniqueBeneficiaries));
        Assert.True(row.IsGrandTotal);
    }

    [Fact]
    public void Run_NoMeasures_CountsParticipations()
    {
        var p = TestProgramme.Build(seed: 14);
        var result = p.Store().Query().GroupBy(Dimension.Role).Run();
        Assert.Equal([Measure.Participations], result.Measures);
        Assert.Equal(p.Records.Count, result.Rows.Sum(r => r.Count(Measure.Participations)));
    }

    [Fact]
    public void Run_RecordSchoolOfAnActivityHeldAtNoSchool_GroupsUnderThatSchool()
    {
        var p = TestProgramme.Build(seed: 15);
        var activity = p.Dataset.Activities.First(a => a.School is null);
        var school = p.Dataset.Schools[3];
        var record = new ParticipationRecord(
            new BeneficiaryKey("child-1"), activity.Id, activity.Date, BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14,
            activity.Mode, true, school.Id);
        var result = p.Store([record]).Query().GroupBy(Dimension.School).Run();
        Assert.Equal(school.Id.Value, Assert.Single(result.Rows).Key(Dimension.School));
    }

    [Fact]
    public void Append_RecordNamingAnotherSchoolThanTheActivitys_RefusedAndCountedNowhere()
    {
        var p = TestProgramme.Build(seed: 15, records: 0);
        var activity = p.Dataset.Activities.First(a => a.School is not null);
        var other = p.Dataset.Schools.First(s => s.Id != activity.School);
        var store = new ParticipationStore(p.Dataset);

        var report = store.Append([new ParticipationRecord(
            new BeneficiaryKey("child-1"), activity.Id, activity.Date, BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14,
            activity.Mode, true, other.Id)]);

        Assert.Equal("SP8005", Assert.Single(report.Rejects).Code);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Run_ActivityWithoutSchool_GroupsUnderEmptyLabel()
    {
        var p = TestProgramme.Build(seed: 16);
        var activity = p.Dataset.Activities.First(a => a.School is null);
        var record = new ParticipationRecord(
            new BeneficiaryKey("child-1"), activity.Id, activity.Date, BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14,
            DeliveryMode.Online, true);
        var result = p.Store([record]).Query().GroupBy(Dimension.Province).Run();
        Assert.Equal(string.Empty, Assert.Single(result.Rows).Key(0));
    }

    [Fact]
    public void Run_MeasureNotRequested_Throws()
    {
        var p = TestProgramme.Build(seed: 17);
        var row = p.Store().Query().GroupBy(Dimension.Role).Measure(Measure.Participations).Run().Rows[0];
        Assert.Throws<ArgumentException>(() => row[Measure.UniqueBeneficiaries]);
    }

    [Fact]
    public void GroupBy_RepeatedTerm_Throws()
    {
        var p = TestProgramme.Build(seed: 18, records: 10);
        Assert.Throws<ArgumentException>(() => p.Store().Query().GroupBy(Dimension.Role, Dimension.Role));
    }

    [Fact]
    public void Names_EveryDimensionAndMeasure_RoundTrips()
    {
        foreach (var d in Enum.GetValues<Dimension>())
        {
            Assert.True(Dimensions.TryParse(d.Name(), out var parsed));
            Assert.Equal(d, parsed);
        }
        foreach (var m in Enum.GetValues<Measure>())
        {
            Assert.True(Measures.TryParse(m.Name(), out var parsed));
            Assert.Equal(m, parsed);
        }
        Assert.False(Dimensions.TryParse("planet", out _));
        Assert.True(GroupingTerm.TryParse("fiscalYear:4", out var fy));
        Assert.Equal(TimeBucket.FiscalYear(4), fy.Time);
    }

    internal static GroupingTerm[] Parse(string names) =>
        names.Split(',').Select(n => GroupingTerm.TryParse(n, out var t) ? t : throw new ArgumentException(n)).ToArray();
}
