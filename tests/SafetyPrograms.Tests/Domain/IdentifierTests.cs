using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Domain;

public class IdentifierTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("org-unicef-pk")]
    [InlineData("A.b_c:d/e-9")]
    public void Construction_AllowedCharacters_Succeeds(string value)
    {
        Assert.Equal(value, new Id<Organisation>(value).Value);
        Assert.Equal(value, new BeneficiaryKey(value).Value);
        Assert.True(Id<Organisation>.IsValid(value));
        Assert.True(BeneficiaryKey.IsValid(value));
    }

    [Fact]
    public void Construction_LongestAllowed_Succeeds() =>
        Assert.Equal(Id<School>.MaxLength, new Id<School>(new string('x', Id<School>.MaxLength)).Value.Length);

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("org 1")]
    [InlineData("naïve")]
    [InlineData("a,b")]
    [InlineData("a\"b")]
    [InlineData("+92 300 1234567")]
    public void Construction_DisallowedText_ThrowsNamingTheParameter(string value)
    {
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new Id<Organisation>(value)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => new BeneficiaryKey(value)).ParamName);
        Assert.False(Id<Organisation>.IsValid(value));
        Assert.False(BeneficiaryKey.IsValid(value));
    }

    [Fact]
    public void Construction_TooLong_Throws() =>
        Assert.Throws<ArgumentException>(() => new Id<School>(new string('x', Id<School>.MaxLength + 1)));

    [Fact]
    public void Construction_Null_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => new Id<School>(null!));
        Assert.Throws<ArgumentNullException>(() => new BeneficiaryKey(null!));
        Assert.False(Id<School>.IsValid(null));
    }

    [Fact]
    public void Default_IsEmptyAndNotEqualToAnyValidId()
    {
        Assert.Equal(string.Empty, default(Id<School>).Value);
        Assert.Equal(string.Empty, default(BeneficiaryKey).Value);
        Assert.NotEqual(new Id<School>("a"), default);
    }

    [Fact]
    public void Equality_IsOrdinal()
    {
        Assert.Equal(new Id<School>("S-1"), new Id<School>("S-1"));
        Assert.NotEqual(new Id<School>("S-1"), new Id<School>("s-1"));
        Assert.True(new BeneficiaryKey("k1") == new BeneficiaryKey("k1"));
        Assert.True(new BeneficiaryKey("k1") != new BeneficiaryKey("K1"));
        Assert.Equal(new Id<School>("S-1").GetHashCode(), new Id<School>("S-1").GetHashCode());
    }

    [Fact]
    public void Ordering_IsOrdinal()
    {
        Assert.True(new Id<School>("B") < new Id<School>("a"));
        Assert.True(new Id<School>("a") >= new Id<School>("a"));
        Assert.Equal(["B", "a", "b"], new[] { new Id<School>("b"), new("a"), new("B") }.Order().Select(i => i.Value));
    }
}
