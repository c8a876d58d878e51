using System.Text;
using System.Text.Json;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

public class PseudonymiserTests
{
    internal const string Secret = "programme-secret-for-tests-0123456789-abcdef";
    private static readonly BeneficiaryPseudonymiser Pseudonymiser = new(Secret);

    [Theory]
    [InlineData("0300-1234567")]
    [InlineData("03001234567")]
    [InlineData("+92 300 1234567")]
    [InlineData("+92 (0)300 1234567")]
    [InlineData("0092 300 1234567")]
    [InlineData("92 300 1234567")]
    [InlineData("300.123.4567")]
    [InlineData(" (0300) 123-4567 ")]
    public void Pseudonymise_PakistaniNumberInAnyFormat_GivesOneKey(string phone)
    {
        var expected = Pseudonymiser.Pseudonymise("+923001234567", IdentifierScheme.PakistanPhoneNumber);
        Assert.Equal(expected, Pseudonymiser.Pseudonymise(phone, IdentifierScheme.PakistanPhoneNumber));
    }

    [Fact]
    public void Pseudonymise_InternationalNumber_IgnoresTheDefaultCallingCode()
    {
        var fromPakistan = Pseudonymiser.Pseudonymise("+44 7700 900123", IdentifierScheme.PakistanPhoneNumber);
        var fromUk = Pseudonymiser.Pseudonymise("07700 900123", IdentifierScheme.PhoneNumber("44"));
        Assert.Equal(fromPakistan, fromUk);
        Assert.NotEqual(fromUk, Pseudonymiser.Pseudonymise("07700 900123", IdentifierScheme.PakistanPhoneNumber));
    }

    [Fact]
    public void Pseudonymise_NationalIdWithOrWithoutDashes_GivesOneKey()
    {
        var a = Pseudonymiser.Pseudonymise("35202-1234567-1", IdentifierScheme.NationalId);
        var b = Pseudonymiser.Pseudonymise(" 3520212345671", IdentifierScheme.NationalId);
        Assert.Equal(a, b);
        Assert.Equal(
            Pseudonymiser.Pseudonymise("ab-123456-c", IdentifierScheme.NationalId),
            Pseudonymiser.Pseudonymise("AB123456C", IdentifierScheme.NationalId));
    }

    [Fact]
    public void Pseudonymise_LearnerIds_AreCaseAndSpaceInsensitiveWithinAPartner()
    {
        var scheme = IdentifierScheme.PartnerLearnerId("org-tele");
        Assert.Equal(
            Pseudonymiser.Pseudonymise("lrn  001 ", scheme),
            Pseudonymiser.Pseudonymise("LRN 001", scheme));
        Assert.Equal(scheme, IdentifierScheme.PartnerLearnerId(" ORG-TELE"));
    }

    [Fact]
    public void Pseudonymise_SameLearnerIdAtTwoPartners_GivesUnrelatedKeys()
    {
        var a = Pseudonymiser.Pseudonymise("L-001", IdentifierScheme.PartnerLearnerId("org-a"));
        var b = Pseudonymiser.Pseudonymise("L-001", IdentifierScheme.PartnerLearnerId("org-b"));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Pseudonymise_SameDigitsAsPhoneAndAsNationalId_GiveDifferentKeys()
    {
        Assert.NotEqual(
            Pseudonymiser.Pseudonymise("923001234567", IdentifierScheme.PakistanPhoneNumber),
            Pseudonymiser.Pseudonymise("923001234567", IdentifierScheme.NationalId));
    }

    [Fact]
    public void Pseudonymise_DifferentSecrets_GiveUnrelatedKeys()
    {
        using var other = new BeneficiaryPseudonymiser(Secret + "!");
        var a = Pseudonymiser.Pseudonymise("35202-1234567-1", IdentifierScheme.NationalId).Value;
        var b = other.Pseudonymise("35202-1234567-1", IdentifierScheme.NationalId).Value;
        Assert.NotEqual(a, b);
        // Unrelated, not merely different: the key bodies share about as many positions as chance (1 in 32) would.
        var same = a.Zip(b).Skip(BeneficiaryPseudonymiser.KeyPrefix.Length).Count(p => p.First == p.Second);
        Assert.True(same < 8, $"{same} positions agree");
    }

    [Fact]
    public void Pseudonymise_SecretAsBytesOrUtf8Text_GivesTheSameKey()
    {
        using var fromBytes = new BeneficiaryPseudonymiser(Encoding.UTF8.GetBytes(Secret));
        Assert.Equal(
            Pseudonymiser.Pseudonymise("03001234567", IdentifierScheme.PakistanPhoneNumber),
            fromBytes.Pseudonymise("03001234567", IdentifierScheme.PakistanPhoneNumber));
    }

    [Fact]
    public void Pseudonymise_Key_IsAValidBeneficiaryKeyThatDoesNotLookRaw()
    {
        var random = new Random(20251203);
        for (var i = 0; i < 2000; i++)
        {
            var key = Pseudonymiser.Pseudonymise(random.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture), IdentifierScheme.PakistanPhoneNumber);
            Assert.True(BeneficiaryKey.IsValid(key.Value));
            Assert.StartsWith("b1:", key.Value, StringComparison.Ordinal);
            Assert.Equal(35, key.Value.Length);
            Assert.Equal(RawIdentifierKind.None, RawIdentifierDetector.LooksLikeRawIdentifier(key.Value));
        }
    }

    [Fact]
    public void Pseudonymise_KnownVector_IsStableAcrossReleases()
    {
        // A change here re-keys every programme's beneficiaries: it must be a new key prefix, never a silent change.
        using var zeroToThirtyOne = new BeneficiaryPseudonymiser(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var key = zeroToThirtyOne.Pseudonymise("03001234567", IdentifierScheme.PakistanPhoneNumber);
        // Computed independently: Python hmac over "safetyprograms/beneficiary/v1\nphone\n923001234567", base32 of 20 bytes.
        Assert.Equal("b1:bo44lurav7tr6adiinbqypl67zq5zhz4", key.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("12345")]
    [InlineData("0300-123456789012345")]
    [InlineData("0300 CALL ME")]
    public void TryPseudonymise_InvalidPhone_FailsWithAProblemThatDoesNotRepeatIt(string? phone)
    {
        Assert.False(Pseudonymiser.TryPseudonymise(phone, IdentifierScheme.PakistanPhoneNumber, out var key, out var problem));
        Assert.Equal(default, key);
        Assert.NotEmpty(problem);
        if (!string.IsNullOrWhiteSpace(phone))
        {
            Assert.DoesNotContain(phone.Trim(), problem, StringComparison.Ordinal);
            var ex = Assert.Throws<ArgumentException>(() => Pseudonymiser.Pseudonymise(phone, IdentifierScheme.PakistanPhoneNumber));
            Assert.DoesNotContain(phone.Trim(), ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("12")]
    [InlineData("35202_1234567_1")]
    public void TryPseudonymise_InvalidNationalId_Fails(string id) =>
        Assert.False(Pseudonymiser.TryPseudonymise(id, IdentifierScheme.NationalId, out _, out _));

    [Fact]
    public void Construction_ShortSecret_ThrowsWithoutRepeatingIt()
    {
        const string shortSecret = "only-thirty-one-bytes-long-xyz!";
        Assert.Equal(31, shortSecret.Length);
        var ex = Assert.Throws<ArgumentException>(() => new BeneficiaryPseudonymiser(shortSecret));
        Assert.Equal("secret", ex.ParamName);
        Assert.DoesNotContain(shortSecret, ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new BeneficiaryPseudonymiser(new byte[31]));
        Assert.Throws<ArgumentNullException>(() => new BeneficiaryPseudonymiser((byte[])null!));
    }

    [Fact]
    public void Construction_RepeatedByteSecret_Throws() =>
        Assert.Throws<ArgumentException>(() => new BeneficiaryPseudonymiser(new byte[64]));

    [Fact]
    public void Construction_CopiesTheSecret()
    {
        var secret = BeneficiaryPseudonymiser.GenerateSecret();
        using var p = new BeneficiaryPseudonymiser(secret);
        var before = p.Pseudonymise("L1", IdentifierScheme.PartnerLearnerId("x"));
        secret[0] ^= 0xFF;
        Assert.Equal(before, p.Pseudonymise("L1", IdentifierScheme.PartnerLearnerId("x")));
    }

    [Fact]
    public void ToString_DoesNotRevealTheSecret()
    {
        var text = Pseudonymiser.ToString();
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(Encoding.UTF8.GetBytes(Secret)), text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void JsonSerialization_IsRefusedWithoutRevealingTheSecret()
    {
        var ex = Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(Pseudonymiser));
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        var holder = new { Pseudonymiser, Scheme = IdentifierScheme.NationalId };
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(holder));
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Deserialize<BeneficiaryPseudonymiser>("{}"));
    }

    [Fact]
    public void Dispose_ThenPseudonymise_Throws()
    {
        var p = new BeneficiaryPseudonymiser(BeneficiaryPseudonymiser.GenerateSecret());
        p.Dispose();
        Assert.Throws<ObjectDisposedException>(() => p.Pseudonymise("L1", IdentifierScheme.PartnerLearnerId("x")));
    }

    [Fact]
    public void GenerateSecret_IsRandomAndLongEnough()
    {
        var a = BeneficiaryPseudonymiser.GenerateSecret();
        Assert.Equal(BeneficiaryPseudonymiser.MinimumSecretBytes, a.Length);
        Assert.NotEqual(a, BeneficiaryPseudonymiser.GenerateSecret());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("+92")]
    [InlineData("1234")]
    public void PhoneNumberScheme_InvalidCallingCode_Throws(string code) =>
        Assert.Throws<ArgumentException>(() => IdentifierScheme.PhoneNumber(code));

    [Fact]
    public void PartnerLearnerIdScheme_BlankNamespace_Throws() =>
        Assert.Throws<ArgumentException>(() => IdentifierScheme.PartnerLearnerId(" "));
}
