using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Aggregation;

public class FilterTests
{
    [Fact]
    public void Where_TeachersInHybridDelivery_MatchesReference()
    {
        var p = TestProgramme.Build(seed: 31);
        var result = p.Store().Query().GroupBy(Dimension.Province).Measure(Measure.UniqueBeneficiaries, Measure.Participations)
            .Where(Dimension.Role, BeneficiaryRole.Teacher).Where(Dimension.Mode, DeliveryMode.Hybrid).Run();
        Reference.AssertSame(
            Reference.Compute(p, [Dimension.Province], [Measure.UniqueBeneficiaries, Measure.Participations],
                r => r.Role == BeneficiaryRole.Teacher && r.Mode == DeliveryMode.Hybrid),
            Reference.Rows(result));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Where_SelectiveRoleAndMode_VectorisedSkipGivesTheSameAnswers(int threads)
    {
        // Teachers in hybrid delivery with one sex: a few percent of records, so the kernel skips to passing records by
        // vectorised search (the size threshold lowered to take it on a small store).
        var p = TestProgramme.Build(seed: 34, records: 20_000);
        var query = p.Store().Query().WithMaxThreads(threads).GroupBy(Dimension.Province, Dimension.Sex)
            .Measure(Measure.UniqueBeneficiaries, Measure.Participations, Measure.Completions, Measure.ApproximateUniqueBeneficiaries)
            .Where(Dimension.Role, BeneficiaryRole.Teacher).Where(Dimension.Mode, DeliveryMode.Hybrid).Where(Dimension.Sex, Sex.Female);
        query.SkipSearchFromRecords = 0;
        query.MinRecordsPerThread = 1;
        var passing = p.Records.Count(r => r.Role == BeneficiaryRole.Teacher && r.Mode == DeliveryMode.Hybrid && r.Sex == Sex.Female);
        Assert.InRange(passing, 1, p.Records.Count / 16); // the premise: selective enough for the skip

        Reference.AssertSame(
            Reference.Compute(p, [Dimension.Province, Dimension.Sex],
                [Measure.UniqueBeneficiaries, Measure.Participations, Measure.Completions, Measure.ApproximateUniqueBeneficiaries],
                r => r.Role == BeneficiaryRole.Teacher && r.Mode == DeliveryMode.Hybrid && r.Sex == Sex.Female),
            Reference.Rows(query.Run()));
    }

    [Fact]
    public void Where_UndefinedEnumValue_Throws()
    {
        var p = TestProgramme.Build(seed: 35, records: 10);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => p.Store().Query().Where(Dimension.Sex, Sex.Female, (Sex)99));
        Assert.Equal("values", ex.ParamName);
    }

    [Fact]
    public void Where_ByLabels_OnDatasetDimensions()
    {
        var p = TestProgramme.Build(seed: 32);
        var result = p.Store().Query().GroupBy(Dimension.School).Measure(Measure.Participations)
            .Where(Dimension.Province, "PK-SD").Where(Dimension.Partnership, "p1").Where(Dimension.ActivityKind, ActivityKind.Workshop).Run();
        Reference.AssertSame(
            Reference.Compute(p, [Dimension.School], [Measure.Participations], r =>
                Reference.Label(p, Dimension.Province, r) == "PK-SD" && Reference.Label(p, Dimension.Partnership, r) == "p1"
                && Reference.Label(p, Dimension.ActivityKind, r) == "workshop"),
            Reference.Rows(result));
    }

    [Fact]
    public void Where_RepeatedOnOneDimension_Intersects()
    {
        var p = TestProgramme.Build(seed: 33);
        var result = p.Store().Query().Where(Dimension.AgeBand, "10-14", "15-17").Where(Dimension.AgeBand, AgeBand.Age15To17).Run();
        // A record's band is its age's where the age is recorded, else the band recorded.
        Assert.Equal(p.Records.Count(r => Reference.Label(p, Dimension.AgeBand, r) == "15-17"), Assert.Single(result.Rows).Count(Measure.Participations));
    }

    [Fact]
    public void Where_EmptyLabel_SelectsRecordsWithoutSchool()
    {
        var p = TestProgramme.Build(seed: 34);
        var result = p.Store().Query().Where(Dimension.School, string.Empty).Run();
        var expected = p.Records.Count(r => Reference.Label(p, Dimension.School, r).Length == 0);
        Assert.True(expected > 0);
        Assert.Equal(expected, Assert.Single(result.Rows).Count(Measure.Participations));
    }

    [Fact]
    public void Where_NothingMatches_NoRows()
    {
        var p = TestProgramme.Build(seed: 35);
        var result = p.Store().Query().GroupBy(Dimension.Role).Where(Dimension.Role, BeneficiaryRole.Teacher).Where(Dimension.Role, BeneficiaryRole.Parent).Run();
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void Where_UnknownLabel_Throws()
    {
        var p = TestProgramme.Build(seed: 36, records: 10);
        var ex = Assert.Throws<ArgumentException>(() => p.Store().Query().Where(Dimension.Province, "PK-XX"));
        Assert.Contains("PK-XX", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Where_EnumOfWrongDimension_Throws()
    {
        var p = TestProgramme.Build(seed: 37, records: 10);
        Assert.Throws<ArgumentException>(() => p.Store().Query().Where(Dimension.Sex, BeneficiaryRole.Teacher));
    }

    [Fact]
    public void Between_KeepsInclusiveRange()
    {
        var p = TestProgramme.Build(seed: 38);
        var from = new LocalDate(2023, 3, 1);
        var to = new LocalDate(2023, 3, 31);
        var result = p.Store().Query().GroupBy(TimeBucket.Day).Between(from, to).Run();
        Assert.Equal(p.Records.Count(r => r.Date >= from && r.Date <= to), result.Rows.Sum(r => r.Count(Measure.Participations)));
        Assert.All(result.Rows, r => Assert.StartsWith("2023-03-", r.Key(0), StringComparison.Ordinal));
    }

    [Fact]
    public void Between_EndBeforeStart_Throws()
    {
        var p = TestProgramme.Build(seed: 39, records: 10);
        Assert.Throws<ArgumentException>(() => p.Store().Query().Between(new LocalDate(2024, 2, 1), new LocalDate(2024, 1, 1)));
    }
}
