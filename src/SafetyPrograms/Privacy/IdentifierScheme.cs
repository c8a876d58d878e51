using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>The kind of raw identifier a partner holds for a beneficiary.</summary>
public enum IdentifierKind
{
    /// <summary>A phone number, in national or international format.</summary>
    PhoneNumber,

    /// <summary>A national identity or child registration number, such as a CNIC or B-form number.</summary>
    NationalId,

    /// <summary>A partner's own learner or member id, meaningful only within that partner's namespace.</summary>
    PartnerLearnerId,
}

/// <summary>
/// How a column of raw identifiers is to be read: its <see cref="IdentifierKind"/>, and what that kind needs to be
/// normalised (the default country calling code of phone numbers, the namespace of a partner's learner ids).
/// </summary>
/// <remarks>
/// Normalisation is what makes the same child get the same key across partners:
/// <list type="bullet">
/// <item><description>Phone numbers: spaces, dashes, dots, slashes and brackets are dropped; <c>+</c> or <c>00</c>
/// starts an international number; a leading <c>0</c> is the national trunk prefix and is replaced by the default
/// calling code; bare digits that already start with the default calling code and have 11 or more digits are taken
/// as international. The result is the E.164 digits without <c>+</c> (8 to 15 digits), so <c>0300-1234567</c>,
/// <c>+92 300 1234567</c>, <c>0092 300 1234567</c>, <c>+92 (0)300 1234567</c> and <c>923001234567</c> are one number.</description></item>
/// <item><description>National ids: spaces, dashes, dots and slashes are dropped and letters upper-cased, so
/// <c>35202-1234567-1</c> and <c>3520212345671</c> are one id.</description></item>
/// <item><description>Partner learner ids: trimmed, inner white space collapsed and upper-cased, and keyed within the
/// partner namespace, so two partners' learner <c>L-001</c> are different children unless they share a namespace.</description></item>
/// </list>
/// The kind is part of the hashed text, so a phone number and a national id with the same digits get unrelated keys.
/// Immutable and thread-safe; equality is by value.
/// </remarks>
public sealed record IdentifierScheme
{
    private IdentifierScheme(IdentifierKind kind, string? defaultCallingCode, string? partnerNamespace)
    {
        Kind = kind;
        DefaultCallingCode = defaultCallingCode;
        PartnerNamespace = partnerNamespace;
    }

    /// <summary>Phone numbers whose national format is Pakistan's (calling code 92, trunk prefix 0).</summary>
    public static IdentifierScheme PakistanPhoneNumber { get; } = PhoneNumber("92");

    /// <summary>National identity or child registration numbers.</summary>
    public static IdentifierScheme NationalId { get; } = new(IdentifierKind.NationalId, null, null);

    /// <summary>The kind of identifier.</summary>
    public IdentifierKind Kind { get; }

    /// <summary>For phone numbers, the calling code that numbers in national format belong to (such as <c>92</c>); otherwise <c>null</c>.</summary>
    public string? DefaultCallingCode { get; }

    /// <summary>For partner learner ids, the namespace they are unique in (such as the partner's organisation id); otherwise <c>null</c>.</summary>
    public string? PartnerNamespace { get; }

    /// <summary>Phone numbers whose national format belongs to the country with <paramref name="defaultCallingCode"/>.</summary>
    /// <param name="defaultCallingCode">The ITU calling code, 1 to 3 digits without <c>+</c>, such as <c>92</c>.</param>
    /// <returns>The scheme.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="defaultCallingCode"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="defaultCallingCode"/> is not 1 to 3 digits starting with 1-9.</exception>
    public static IdentifierScheme PhoneNumber(string defaultCallingCode)
    {
        Preconditions.CheckNotNull(defaultCallingCode);
        Preconditions.CheckArgument(
            defaultCallingCode.Length is >= 1 and <= 3 && defaultCallingCode[0] != '0' && defaultCallingCode.All(char.IsAsciiDigit),
            nameof(defaultCallingCode),
            $"'{defaultCallingCode}' is not a country calling code: use 1 to 3 digits without '+', such as 92.");
        return new(IdentifierKind.PhoneNumber, defaultCallingCode, null);
    }

    /// <summary>A partner's own learner ids, unique within <paramref name="partnerNamespace"/>.</summary>
    /// <param name="partnerNamespace">
    /// The namespace, such as the partner's organisation id. Partners that mean to deduplicate learner ids they share use the same namespace.
    /// </param>
    /// <returns>The scheme.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="partnerNamespace"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="partnerNamespace"/> is empty or white space.</exception>
    public static IdentifierScheme PartnerLearnerId(string partnerNamespace)
    {
        Preconditions.CheckNotBlank(partnerNamespace);
        return new(IdentifierKind.PartnerLearnerId, null, partnerNamespace.Trim().ToUpperInvariant());
    }

    /// <summary>The text that is hashed: the kind, the namespace and the normalised identifier; or why there is none.</summary>
    /// <remarks>Problems never repeat the raw identifier, so that they can be logged.</remarks>
    internal string? Normalise(string? raw, out string? problem) => Kind switch
    {
        IdentifierKind.PhoneNumber => IdentifierNormaliser.PhoneNumber(raw, DefaultCallingCode!, out problem) is { } p ? "phone\n" + p : null,
        IdentifierKind.NationalId => IdentifierNormaliser.NationalId(raw, out problem) is { } n ? "nationalId\n" + n : null,
        _ => IdentifierNormaliser.LearnerId(raw, out problem) is { } l ? "learner\n" + PartnerNamespace + "\n" + l : null,
    };

    /// <summary>The scheme, without any identifier.</summary>
    /// <returns>A description such as <c>PhoneNumber (+92)</c>.</returns>
    public override string ToString() => Kind switch
    {
        IdentifierKind.PhoneNumber => $"PhoneNumber (+{DefaultCallingCode})",
        IdentifierKind.PartnerLearnerId => $"PartnerLearnerId ({PartnerNamespace})",
        _ => Kind.ToString(),
    };
}
