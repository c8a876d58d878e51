using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Domain;

public class RawIdentifierDetectorTests
{
    [Theory]
    [InlineData("03001234567")]
    [InlineData("0300-1234567")]
    [InlineData("+923001234567")]
    [InlineData("+92 300 1234567")]
    [InlineData("00923001234567")]
    [InlineData("923001234567")]
    [InlineData("3001234567")]
    [InlineData("tel:03001234567")]
    [InlineData("+44 7700 900123")]
    public void LooksLikeRawIdentifier_PhoneNumbers_ArePhoneNumbers(string key) =>
        Assert.Equal(RawIdentifierKind.PhoneNumber, RawIdentifierDetector.LooksLikeRawIdentifier(key));

    [Theory]
    [InlineData("35202-1234567-1")]
    [InlineData("3520212345671")]
    [InlineData("cnic:35202-1234567-1")]
    [InlineData("partner/3520212345671")]
    public void LooksLikeRawIdentifier_ThirteenDigits_AreNationalIdNumbers(string key) =>
        Assert.Equal(RawIdentifierKind.NationalIdNumber, RawIdentifierDetector.LooksLikeRawIdentifier(key));

    [Theory]
    [InlineData("ayesha.khan@example.org")]
    [InlineData("a@b.pk")]
    public void LooksLikeRawIdentifier_EmailAddresses_AreEmailAddresses(string key) =>
        Assert.Equal(RawIdentifierKind.EmailAddress, RawIdentifierDetector.LooksLikeRawIdentifier(key));

    [Theory]
    [InlineData("b1:mfrggzdfmztwq2lknnwg23tpobyxe43u")]
    [InlineData("ben-000123")]
    [InlineData("12345")]
    [InlineData("123456789")]
    [InlineData("S-2024-0001")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("@handle")]
    [InlineData("1234567890123456")]
    public void LooksLikeRawIdentifier_PseudonymsAndShortIds_AreNone(string? key) =>
        Assert.Equal(RawIdentifierKind.None, RawIdentifierDetector.LooksLikeRawIdentifier(key));
}
