using NodaTime;
using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Tests.Aggregation;

public class TimeBucketTests
{
    [Theory]
    [InlineData("day", 2024, 3, 7, "2024-03-07")]
    [InlineData("month", 2024, 3, 7, "2024-03")]
    [InlineData("quarter", 2024, 3, 31, "2024-Q1")]
    [InlineData("quarter", 2024, 4, 1, "2024-Q2")]
    [InlineData("year", 2024, 12, 31, "2024")]
    [InlineData("week", 2024, 2, 29, "2024-W09")]
    [InlineData("week", 2024, 12, 30, "2025-W01")]
    [InlineData("week", 2021, 1, 3, "2020-W53")]
    [InlineData("fiscalYear", 2024, 7, 1, "FY2024-25")]
    [InlineData("fiscalYear", 2024, 6, 30, "FY2023-24")]
    [InlineData("fiscalYear:1", 2024, 6, 30, "FY2024")]
    [InlineData("fiscalYear:4", 2000, 3, 31, "FY1999-00")]
    public void Label_KnownDates(string bucket, int y, int m, int d, string expected)
    {
        Assert.True(TimeBucket.TryParse(bucket, out var b));
        Assert.Equal(expected, b.Label(new LocalDate(y, m, d)));
    }

    [Fact]
    public void SchoolTerms_DatesOutsideEveryTerm_FallInOutsideTerms()
    {
        var terms = TimeBucket.SchoolTerms(
        [
            new SchoolTerm("2024-25 T2", new DateInterval(new LocalDate(2025, 1, 6), new LocalDate(2025, 3, 28))),
            new SchoolTerm("2024-25 T1", new DateInterval(new LocalDate(2024, 8, 12), new LocalDate(2024, 12, 20))),
        ]);
        Assert.Equal("2024-25 T1", terms.Label(new LocalDate(2024, 12, 20)));
        Assert.Equal("2024-25 T2", terms.Label(new LocalDate(2025, 1, 6)));
        Assert.Equal(TimeBucket.OutsideTermsLabel, terms.Label(new LocalDate(2024, 12, 25)));
    }

    [Fact]
    public void SchoolTerms_Overlapping_Throws() =>
        Assert.Throws<ArgumentException>(() => TimeBucket.SchoolTerms(
        [
            new SchoolTerm("A", new DateInterval(new LocalDate(2024, 1, 1), new LocalDate(2024, 3, 1))),
            new SchoolTerm("B", new DateInterval(new LocalDate(2024, 3, 1), new LocalDate(2024, 6, 1))),
        ]));

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public void FiscalYear_StartMonthOutOfRange_Throws(int month) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeBucket.FiscalYear(month));

    [Theory]
    [InlineData("fortnight")]
    [InlineData("fiscalYear:13")]
    [InlineData("")]
    public void TryParse_Unknown_False(string name) => Assert.False(TimeBucket.TryParse(name, out _));

    [Fact]
    public void Query_SchoolTerms_GroupsByCallerTerms()
    {
        var p = TestProgramme.Build(seed: 41);
        var bucket = TimeBucket.SchoolTerms(
        [
            new SchoolTerm("2023 spring", new DateInterval(new LocalDate(2023, 2, 1), new LocalDate(2023, 5, 31))),
            new SchoolTerm("2023 autumn", new DateInterval(new LocalDate(2023, 8, 15), new LocalDate(2023, 12, 15))),
        ]);
        var result = p.Store().Query().GroupBy(bucket, SafetyPrograms.Aggregation.Dimension.Sex).Measure(Measure.UniqueBeneficiaries).Run();
        Reference.AssertSame(Reference.Compute(p, [bucket, SafetyPrograms.Aggregation.Dimension.Sex], [Measure.UniqueBeneficiaries]), Reference.Rows(result));
        Assert.Contains(result.Rows, r => r.Key(0) == TimeBucket.OutsideTermsLabel);
    }

    [Fact]
    public void Equality_ByValue()
    {
        Assert.Equal(TimeBucket.FiscalYear(7), TimeBucket.FiscalYear(7));
        Assert.NotEqual(TimeBucket.FiscalYear(7), TimeBucket.FiscalYear(4));
        Assert.Equal("fiscalYear:7", TimeBucket.FiscalYear(7).Name);
    }
}
