using NodaTime;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Domain;

public class DatePeriodTests
{
    [Fact]
    public void Construction_EndBeforeStart_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DatePeriod(new LocalDate(2025, 12, 3), new LocalDate(2022, 1, 1)));
        Assert.Equal("end", ex.ParamName);
    }

    [Fact]
    public void Construction_OpenEnd_IsOngoing()
    {
        var period = new DatePeriod(new LocalDate(2024, 2, 1));
        Assert.True(period.IsOpen);
        Assert.True(period.Contains(new LocalDate(2099, 1, 1)));
        Assert.False(period.Contains(new LocalDate(2024, 1, 31)));
    }

    [Fact]
    public void Contains_InnerPeriodMustNotOutliveAClosedOuter()
    {
        var outer = new DatePeriod(new LocalDate(2022, 1, 1), new LocalDate(2025, 12, 3));
        Assert.True(outer.Contains(new DatePeriod(new LocalDate(2022, 3, 1), new LocalDate(2025, 12, 3))));
        Assert.False(outer.Contains(new DatePeriod(new LocalDate(2022, 3, 1))));
        Assert.False(outer.Contains(new DatePeriod(new LocalDate(2021, 12, 31), new LocalDate(2022, 6, 1))));
    }

    [Fact]
    public void Overlaps_SharedDay()
    {
        var a = new DatePeriod(new LocalDate(2023, 1, 1), new LocalDate(2023, 6, 30));
        Assert.True(a.Overlaps(new DatePeriod(new LocalDate(2023, 6, 30), new LocalDate(2023, 12, 31))));
        Assert.False(a.Overlaps(new DatePeriod(new LocalDate(2023, 7, 1))));
    }

    [Fact]
    public void Equals_EqualValues()
    {
        Assert.Equal(new DatePeriod(new LocalDate(2022, 1, 1), null), new DatePeriod(new LocalDate(2022, 1, 1)));
        Assert.Equal("2022-01-01/..", new DatePeriod(new LocalDate(2022, 1, 1)).ToString());
    }
}
