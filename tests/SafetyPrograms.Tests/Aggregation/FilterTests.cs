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
    [InlineData(1, 20_000, false)]
    [InlineData(2, 20_000, false)]
    [InlineData(3, 20_000, false)]
    [InlineData(3, 20_000, true)]
    [InlineData(1, 130, false)]
    [InlineData(3, 130, true)]
    public void Where_SelectiveRoleAndMode_SievedOrTestedRecordByRecord_GiveTheReferenceAnswers(int threads, int records, bool twoRoles)
    {
        // Teachers (or youth and teachers) in hybrid delivery with one sex: a few percent of records, so the kernel visits
        // only the records the flags sieve lets through. Two roles that differ in two bits make the sieve a superset
        // (every role whose third bit is clear), which the flags table then narrows record by record.
        var p = TestProgramme.Build(seed: 34, records: records);
        BeneficiaryRole[] roles = twoRoles ? [BeneficiaryRole.Youth, BeneficiaryRole.Teacher] : [BeneficiaryRole.Teacher];
        Func<ParticipationRecord, bool> passes = r => roles.Contains(r.Role) && r.Mode == DeliveryMode.Hybrid && r.Sex == Sex.Female;
        var expected = Reference.Compute(p, [Dimension.Province, Dimension.Sex],
            [Measure.UniqueBeneficiaries, Measure.Participations, Measure.Completions, Measure.ApproximateUniqueBeneficiaries], passes);
        Assert.InRange(p.Records.Count(passes), 1, p.Records.Count / 8); // the premise: some records pass, few enough to sieve

        foreach (var sieve in new[] { true, false })
        {
            var query = p.Store().Query().WithMaxThreads(threads).GroupBy(Dimension.Province, Dimension.Sex)
                .Measure(Measure.UniqueBeneficiaries, Measure.Participations, Measure.Completions, Measure.ApproximateUniqueBeneficiaries)
                .Where(Dimension.Role, roles).Where(Dimension.Mode, DeliveryMode.Hybrid).Where(Dimension.Sex, Sex.Female);
            query.SieveFlags = sieve;
            query.MinRecordsPerThread = 1;
            var route = QueryEngine.RouteOf(query);
            Assert.Equal((sieve, threads), (route.Sieved, route.Ranges));
            Reference.AssertSame(expected, Reference.Rows(query.Run()));
        }
    }

    [Fact]
    public void Where_FilterLettingThroughMostRecords_IsNotSieved()
    {
        // Three roles of five: most records pass, and visiting them one by one from a sieve would cost more than testing each.
        var p = TestProgramme.Build(seed: 36, records: 5000);
        var query = p.Store().Query().GroupBy(Dimension.Province).Measure(Measure.Participations)
            .Where(Dimension.Role, BeneficiaryRole.Student, BeneficiaryRole.Youth, BeneficiaryRole.Parent);
        Assert.True(p.Records.Count(r => r.Role is BeneficiaryRole.Student or BeneficiaryRole.Youth or BeneficiaryRole.Parent) * 4 > p.Records.Count);
        Assert.False(QueryEngine.RouteOf(query).Sieved);
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
