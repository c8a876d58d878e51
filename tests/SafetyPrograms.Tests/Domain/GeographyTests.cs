using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Domain;

public class GeographyTests
{
    [Theory]
    [InlineData("pk")]
    [InlineData("PAK")]
    [InlineData("P")]
    [InlineData("")]
    [InlineData("P1")]
    public void CountryCode_NotTwoUpperCaseLetters_Throws(string value)
    {
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new CountryCode(value)).ParamName);
        Assert.False(CountryCode.IsValid(value));
    }

    [Fact]
    public void CountryCode_Valid_KeepsItsText()
    {
        Assert.Equal("PK", new CountryCode("PK").Value);
        Assert.Equal(CountryCode.Pakistan, new CountryCode("PK"));
        Assert.Equal(string.Empty, default(CountryCode).Value);
    }

    [Theory]
    [InlineData("PK-PB")]
    [InlineData("PK-1")]
    [InlineData("GB-ENG")]
    public void SubdivisionCode_Valid_KnowsItsCountry(string value)
    {
        var code = new SubdivisionCode(value);
        Assert.Equal(value, code.Value);
        Assert.Equal(value[..2], code.Country.Value);
    }

    [Theory]
    [InlineData("PK")]
    [InlineData("PK-")]
    [InlineData("PKPB")]
    [InlineData("pk-pb")]
    [InlineData("PK-PUNJ")]
    [InlineData("Punjab")]
    [InlineData("PK_PB")]
    public void SubdivisionCode_Malformed_Throws(string value)
    {
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new SubdivisionCode(value)).ParamName);
        Assert.False(SubdivisionCode.IsValid(value));
    }

    [Fact]
    public void Codes_Null_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => new CountryCode(null!));
        Assert.Throws<ArgumentNullException>(() => new SubdivisionCode(null!));
    }

    [Fact]
    public void AdministrativeLocation_ProvinceInAnotherCountry_Throws() =>
        Assert.Equal("province", Assert.Throws<ArgumentException>(
            () => new AdministrativeLocation(CountryCode.Pakistan, new SubdivisionCode("IN-MH"), "Mumbai")).ParamName);

    [Fact]
    public void AdministrativeLocation_DefaultProvince_Throws() =>
        Assert.Equal("province", Assert.Throws<ArgumentException>(
            () => new AdministrativeLocation(CountryCode.Pakistan, default, "Lahore")).ParamName);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void AdministrativeLocation_BlankDistrict_Throws(string district) =>
        Assert.Equal("district", Assert.Throws<ArgumentException>(
            () => new AdministrativeLocation(CountryCode.Pakistan, new SubdivisionCode("PK-PB"), district)).ParamName);

    [Fact]
    public void Subdivisions_PakistanCodelist_HasTheSevenFirstLevelUnits()
    {
        Assert.Equal(
            ["PK-BA", "PK-GB", "PK-IS", "PK-JK", "PK-KP", "PK-PB", "PK-SD"],
            Subdivisions.Pakistan.Select(s => s.Code.Value).Order(StringComparer.Ordinal));
        Assert.Equal("Punjab", Subdivisions.Find(new SubdivisionCode("PK-PB"))?.Name);
        Assert.Null(Subdivisions.Find(new SubdivisionCode("PK-XX")));
        Assert.False(Subdivisions.HasCodelist(new CountryCode("GB")));
    }
}
