namespace SafetyPrograms.Domain;

/// <summary>What a beneficiary key that is not pseudonymous looks like.</summary>
public enum RawIdentifierKind
{
    /// <summary>The key does not look like a raw identifier.</summary>
    None,

    /// <summary>A phone number: a leading <c>+</c> or <c>00</c> and 8 to 15 digits, or 10 to 15 digits in all.</summary>
    PhoneNumber,

    /// <summary>A 13-digit national identity number, the shape of Pakistan's CNIC and B-form (<c>35202-1234567-1</c>).</summary>
    NationalIdNumber,

    /// <summary>An e-mail address.</summary>
    EmailAddress,
}

/// <summary>
/// A heuristic that tells when a beneficiary key looks like a raw identifier rather than a pseudonym, so that
/// validation can warn before a child's phone number or identity number is published.
/// </summary>
/// <remarks>
/// The whole key is judged, and so is the part after its last <c>:</c> or <c>/</c>, so that <c>tel:03001234567</c> is
/// caught. Spaces, dashes, dots, underscores and brackets are ignored. Keys made by
/// <c>SafetyPrograms.Privacy.BeneficiaryPseudonymiser</c> never match. A heuristic cannot see that <c>L-001</c> is a
/// partner's raw learner id: only pseudonymising at the source prevents that. Stateless and thread-safe.
/// <para>
/// It judges the shape of a <see cref="BeneficiaryKey"/> and depends on nothing, so it lives beside the key: the row
/// rules, validation and publication can all ask it without one of those layers depending on another.
/// </para>
/// </remarks>
public static class RawIdentifierDetector
{
    /// <summary>What <paramref name="key"/> looks like, if it looks like a raw identifier.</summary>
    /// <param name="key">The key text; null or empty is <see cref="RawIdentifierKind.None"/>.</param>
    /// <returns>The kind of raw identifier, or <see cref="RawIdentifierKind.None"/>.</returns>
    public static RawIdentifierKind LooksLikeRawIdentifier(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return RawIdentifierKind.None;
        }
        var at = key.IndexOf('@', StringComparison.Ordinal);
        if (at > 0 && key.IndexOf('.', at) > at + 1)
        {
            return RawIdentifierKind.EmailAddress;
        }
        var kind = Judge(key.AsSpan().Trim());
        var lastSeparator = key.AsSpan().LastIndexOfAny(':', '/');
        return kind == RawIdentifierKind.None && lastSeparator >= 0 ? Judge(key.AsSpan(lastSeparator + 1).Trim()) : kind;
    }

    private static RawIdentifierKind Judge(ReadOnlySpan<char> text)
    {
        var international = false;
        if (text.StartsWith("+"))
        {
            international = true;
            text = text[1..];
        }
        var digits = 0;
        var leadingZeros = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (c == '0' && leadingZeros == digits && digits < 2)
                {
                    leadingZeros++;
                }
                digits++;
            }
            else if (c is not (' ' or '-' or '.' or '_' or '(' or ')'))
            {
                return RawIdentifierKind.None;
            }
        }
        if (!international && leadingZeros == 2)
        {
            international = true;
            digits -= 2;
        }
        return digits switch
        {
            >= 8 and <= 15 when international => RawIdentifierKind.PhoneNumber,
            13 => RawIdentifierKind.NationalIdNumber,
            >= 10 and <= 15 => RawIdentifierKind.PhoneNumber,
            _ => RawIdentifierKind.None,
        };
    }
}
