using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Aggregation;

public class RollupTests
{
    private static readonly Measure[] Measures =
    [
        Measure.Participations, Measure.UniqueBeneficiaries, Measure.ApproximateUniqueBeneficiaries, Measure.Activities, Measure.Schools,
        Measure.MeanGain, Measure.ImprovedShare,
    ];

    [Fact]
    public void Rollup_OneChildAtTwoSchools_IsOneChildInTheDistrict()
    {
        // Two schools in the same district; the same child attends both, and another child attends one.
        var p = TestProgramme.Build(seed: 21, records: 0);
        var schools = p.Dataset.Schools.GroupBy(s => s.Location.Province.Value + s.Location.District).First(g => g.Count() >= 2).Take(2).ToArray();
        var activity = p.Dataset.Activities.First(a => a.School is null); // held at no one school: each record names its own
        ParticipationRecord At(string child, School school) => new(
            new BeneficiaryKey(child), activity.Id, activity.Date, BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14,
            DeliveryMode.InPerson, true, school.Id);
        var store = p.Store([At("child-a", schools[0]), At("child-a", schools[1]), At("child-b", schools[1])]);

        var result = store.Query()
            .GroupBy(Dimension.Country, Dimension.Province, Dimension.District, Dimension.School)
            .Measure(Measure.Participations, Measure.UniqueBeneficiaries)
            .Rollup()
            .Run();

        var schoolRows = result.Rows.Where(r => r.Level == 0).ToList();
        Assert.Equal(3, schoolRows.Sum(r => r.Count(Measure.UniqueBeneficiaries)));
        var district = Assert.Single(result.Rows, r => r.Level == 1);
        Assert.Equal(2, district.Count(Measure.UniqueBeneficiaries));
        Assert.Equal(3, district.Count(Measure.Participations));
        Assert.Null(district.Key(Dimension.School));
        Assert.Equal(2, result.GrandTotal!.Value.Count(Measure.UniqueBeneficiaries));
        Assert.Equal(6, result.Rows.Count); // 2 schools, district, province, country, total
    }

    [Fact]
    public void Rollup_Geographic_EveryLevelRecountedLikeReference()
    {
        var p = TestProgramme.Build(seed: 22);
        GroupingTerm[] terms = [Dimension.Country, Dimension.Province, Dimension.District, Dimension.School];
        var result = p.Store().Query().GroupBy(terms).Measure(Measures).Rollup().Run();
        var exact = Measures.Where(m => m != Measure.ApproximateUniqueBeneficiaries).ToArray();
        var actual = Reference.Rows(result);
        var expected = Reference.Compute(p, terms, exact, rollup: true);
        var approxAt = Array.IndexOf(Measures, Measure.ApproximateUniqueBeneficiaries);
        Reference.AssertSame(expected, actual.ToDictionary(kv => kv.Key, kv => kv.Value.Where((_, i) => i != approxAt).ToArray()));
    }

    [Fact]
    public void Rollup_AcrossTimeAndRole_UniqueNeverSummed()
    {
        var p = TestProgramme.Build(seed: 23);
        GroupingTerm[] terms = [Dimension.Role, TimeBucket.Quarter, Dimension.Mode];
        var query = p.Store().Query().GroupBy(terms).Measure(Measure.UniqueBeneficiaries, Measure.Participations).Rollup().WithMaxThreads(2);
        query.MinRecordsPerThread = 500;
        var result = query.Run();
        Reference.AssertSame(
            Reference.Compute(p, terms, [Measure.UniqueBeneficiaries, Measure.Participations], rollup: true), Reference.Rows(result));
        var total = result.GrandTotal!.Value;
        Assert.True(total.IsGrandTotal);
        Assert.Equal(p.Records.Select(r => r.Beneficiary).Distinct().Count(), total.Count(Measure.UniqueBeneficiaries));
        Assert.True(result.Rows.Where(r => r.Level == 0).Sum(r => r.Count(Measure.UniqueBeneficiaries)) > total.Count(Measure.UniqueBeneficiaries));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rollup_ApproximateUnique_EachSubtotalEstimatesAsItsOwnGrouping(bool withExact)
    {
        // Many records a beneficiary, at several schools: a subtotal must hold the registers of the coarser grouping itself,
        // whichever of a beneficiary's records first reached it.
        var p = TestProgramme.Build(seed: 27, records: 6000, beneficiaries: 700);
        Measure[] measures = withExact
            ? [Measure.ApproximateUniqueBeneficiaries, Measure.UniqueBeneficiaries]
            : [Measure.ApproximateUniqueBeneficiaries];
        var rolled = p.Store().Query().GroupBy(Dimension.Province, Dimension.School).Measure(measures).Rollup().Run();
        var byProvince = p.Store().Query().GroupBy(Dimension.Province).Measure(measures).Run();
        var whole = p.Store().Query().Measure(measures).Run().Rows[0];

        Assert.True(byProvince.Rows.Count > 1);
        foreach (var province in byProvince.Rows)
        {
            var subtotal = Assert.Single(rolled.Rows, r => r.Level == 1 && r.Key(Dimension.Province) == province.Key(Dimension.Province));
            foreach (var m in measures)
            {
                Assert.Equal(province[m], subtotal[m]);
            }
        }
        foreach (var m in measures)
        {
            Assert.Equal(whole[m], rolled.GrandTotal!.Value[m]);
        }
    }

    [Theory]
    [InlineData("day,school,role")]
    [InlineData("day,school,role,sex,ageBand,mode")]
    public void Rollup_LargeKeySpaces_MatchReference(string grouping)
    {
        var p = TestProgramme.Build(seed: 26);
        var terms = GroupByTests.Parse(grouping);
        Measure[] measures = [Measure.Participations, Measure.UniqueBeneficiaries, Measure.MeanGain, Measure.ImprovedShare, Measure.Activities];
        var query = p.Store().Query().GroupBy(terms).Measure(measures).Rollup().WithMaxThreads(2);
        query.MinRecordsPerThread = 700;
        Reference.AssertSame(Reference.Compute(p, terms, measures, rollup: true), Reference.Rows(query.Run()));
    }

    [Fact]
    public void Rollup_LevelsAreOrderedDetailThenSubtotalsThenTotal()
    {
        var p = TestProgramme.Build(seed: 24);
        var result = p.Store().Query().GroupBy(Dimension.Province, TimeBucket.CalendarYear).Rollup().Run();
        var levels = result.Rows.Select(r => r.Level).ToList();
        Assert.Equal(levels.Order(), levels);
        Assert.Equal(2, levels[^1]);
        Assert.Equal(p.Records.Count, result.GrandTotal!.Value.Count(Measure.Participations));
    }

    [Fact]
    public void Rollup_WithFilter_TotalsOnlyFilteredRecords()
    {
        var p = TestProgramme.Build(seed: 25);
        var from = new LocalDate(2023, 6, 1);
        var to = new LocalDate(2024, 5, 31);
        var result = p.Store().Query().GroupBy(Dimension.District).Measure(Measure.UniqueBeneficiaries)
            .Where(Dimension.Sex, Sex.Female, Sex.NotRecorded).Between(from, to).Rollup().Run();
        var expected = p.Records.Where(r => r.Sex is Sex.Female or Sex.NotRecorded && r.Date >= from && r.Date <= to)
            .Select(r => r.Beneficiary).Distinct().Count();
        Assert.Equal(expected, result.GrandTotal!.Value.Count(Measure.UniqueBeneficiaries));
    }
}
