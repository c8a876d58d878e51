using System.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Serialization;

/// <summary>The one name table per enum: every reader (chars, UTF-8 bytes, command lines) finds the names it writes.</summary>
public class EnumNamesTests
{
    [Fact]
    public void AgeBand_HasTheBandsAsWrittenOnForms() =>
        Assert.Equal(["5-9", "10-14", "15-17", "18-24", "25-49", "50+", "notRecorded", "0-4", "18+"], EnumNames<AgeBand>.Names);

    [Fact]
    public void Measure_HasTheShortNames()
    {
        Assert.Equal("unique", EnumNames<Measure>.NameOf(Measure.UniqueBeneficiaries));
        Assert.Equal("approxUnique", Measure.ApproximateUniqueBeneficiaries.Name());
    }

    [Fact]
    public void OtherEnums_AreCamelCase()
    {
        Assert.Equal(["inPerson", "online", "hybrid"], EnumNames<DeliveryMode>.Names);
        Assert.Equal("activityKind", Dimension.ActivityKind.Name());
    }

    [Fact]
    public void EveryReader_FindsEveryName()
    {
        AllReadersAgree<BeneficiaryRole>();
        AllReadersAgree<Sex>();
        AllReadersAgree<AgeBand>();
        AllReadersAgree<DeliveryMode>();
        AllReadersAgree<ActivityKind>();
        AllReadersAgree<Dimension>();
        AllReadersAgree<Measure>();
    }

    [Theory]
    [InlineData("")]
    [InlineData("Teacher")]
    [InlineData("teacher ")]
    [InlineData("teache")]
    [InlineData("teachers")]
    public void Utf8Lookup_IsExact(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        Assert.Equal(EnumNames<BeneficiaryRole>.NotAName, EnumNames<BeneficiaryRole>.Index(utf8));
        Assert.False(EnumNames<BeneficiaryRole>.TryParse(utf8, out _));
        Assert.False(EnumNames<BeneficiaryRole>.TryParse(text.AsSpan(), out _));
    }

    [Fact]
    public void CommandLineLookup_IgnoresCase()
    {
        Assert.True(Dimensions.TryParse("AGEBAND", out var dimension));
        Assert.Equal(Dimension.AgeBand, dimension);
        Assert.False(Measures.TryParse("uniqueBeneficiaries", out _));
    }

    [Fact]
    public void Alternatives_ReadAsASentence() =>
        Assert.Equal("student, youth, teacher, parent or community", EnumNames<BeneficiaryRole>.Alternatives);

    private static void AllReadersAgree<TEnum>()
        where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        Assert.Equal(values.Length, EnumNames<TEnum>.Names.Count);
        foreach (var value in values)
        {
            var name = EnumNames<TEnum>.NameOf(value);
            Assert.True(EnumNames<TEnum>.TryParse(name.AsSpan(), out var fromChars));
            Assert.True(EnumNames<TEnum>.TryParse(Encoding.UTF8.GetBytes(name), out var fromBytes));
            Assert.True(EnumNames<TEnum>.TryParseIgnoringCase(name.ToUpperInvariant(), out var fromCommandLine));
            Assert.Equal(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture), EnumNames<TEnum>.Index(Encoding.UTF8.GetBytes(name)));
            Assert.Equal([value, value, value], [fromChars, fromBytes, fromCommandLine]);
        }
    }
}
