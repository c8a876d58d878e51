using System.Globalization;
using System.Text;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Serialization;

/// <summary>The field decoder's fast paths give exactly what the general parsers give, or defer to them.</summary>
public class CsvValueParsingTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("4.5")]
    [InlineData("4.50")]
    [InlineData("100")]
    [InlineData("0.001")]
    [InlineData("999999999999999999")]
    [InlineData("1234567.9012345678")]
    public void PlainDecimal_EqualsDecimalParse_IncludingScale(string text)
    {
        Assert.True(ParticipationFields.TryPlainDecimal(Encoding.UTF8.GetBytes(text), out var fast));
        var general = decimal.Parse(text, CultureInfo.InvariantCulture);
        Assert.Equal(general, fast);
        Assert.Equal(general.Scale, fast.Scale);
        Assert.Equal(general.ToString(CultureInfo.InvariantCulture), fast.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("4.")]
    [InlineData(".5")]
    [InlineData("1.2.3")]
    [InlineData("1 ")]
    [InlineData("1234567890123456789")]
    public void PlainDecimal_AnythingElse_IsLeftToTheGeneralParser(string text) =>
        Assert.False(ParticipationFields.TryPlainDecimal(Encoding.UTF8.GetBytes(text), out _));

    [Fact]
    public void PlainDecimal_RandomValues_EqualDecimalParse()
    {
        var random = new Random(20250203);
        for (var i = 0; i < 10_000; i++)
        {
            var value = new decimal(random.NextInt64(0, 1_000_000_000_000)) / (decimal)Math.Pow(10, random.Next(0, 8));
            var text = value.ToString(CultureInfo.InvariantCulture);
            Assert.True(ParticipationFields.TryPlainDecimal(Encoding.UTF8.GetBytes(text), out var fast), text);
            Assert.Equal(text, fast.ToString(CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("2024-02-29", 2024, 2, 29)]
    [InlineData("0001-01-01", 1, 1, 1)]
    [InlineData("9999-12-31", 9999, 12, 31)]
    public void Date_Valid_Reads(string text, int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day).DayNumber, ParticipationFields.Date(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Date_EveryDayOfFourCenturiesAndTheCalendarsEnds_ReadsAsDateOnly()
    {
        // Four centuries hold every leap-year case (1900 not leap, 2000 leap); the calendar's first and last years too.
        var days = Enumerable.Range(new DateOnly(1800, 1, 1).DayNumber, 146_097)
            .Concat(Enumerable.Range(new DateOnly(1, 1, 1).DayNumber, 800))
            .Concat(Enumerable.Range(new DateOnly(9998, 1, 1).DayNumber, 730));
        foreach (var dayNumber in days)
        {
            var date = DateOnly.FromDayNumber(dayNumber);
            var text = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.Equal(dayNumber, ParticipationFields.Date(Encoding.UTF8.GetBytes(text)));
        }
    }

    [Theory]
    [InlineData("1900-02-29")]
    [InlineData("2100-02-29")]
    [InlineData("2025-04-31")]
    [InlineData("2025-13-01")]
    [InlineData("2025-01-32")]
    [InlineData("2025-01-00")]
    [InlineData("2025-02-30")]
    [InlineData("2023-02-29")]
    [InlineData("2025-00-10")]
    [InlineData("2025-1-1")]
    [InlineData("20250101")]
    [InlineData("2025-01-01 ")]
    [InlineData("")]
    [InlineData("0000-01-01")]
    [InlineData("-0001-01-01")]
    public void Date_Invalid_IsRefused(string text) =>
        Assert.Equal(ParticipationFields.Invalid, ParticipationFields.Date(Encoding.UTF8.GetBytes(text)));
}
