using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>
/// An IATI organisation identifier, such as <c>XM-DAC-41122</c> (UNICEF): the registration agency's code from IATI's
/// OrganisationRegistrationAgency code list (<c>XM-DAC</c>, <c>GB-COH</c>, <c>PK-SECP</c>), a hyphen, and the number
/// that agency gave the organisation.
/// </summary>
/// <remarks>
/// The shape follows IATI's identifier rules: an agency prefix of a two-letter country (or <c>XM</c>/<c>XI</c>) code, a
/// hyphen and letters or digits; then a hyphen and the organisation's number; no white space and none of
/// <c>/ &amp; | ?</c>, which IATI reserves. Whether the agency is on the code list is checked by the tests against the
/// list, not here, so a newly registered agency never needs a library release. An IATI activity identifier starts with
/// its reporting organisation's identifier. The default value is not valid. Immutable and thread-safe.
/// </remarks>
public readonly record struct IatiIdentifier
{
    /// <summary>The JSON Schema pattern for an organisation identifier.</summary>
    internal const string Pattern = "^[A-Z]{2}-[A-Z0-9]{1,10}-[^\\s/&|?]{1,100}$";

    private readonly string? _value;

    /// <summary>Creates an organisation identifier.</summary>
    /// <param name="value">Such as <c>XM-DAC-41122</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> does not have the shape the type describes.</exception>
    public IatiIdentifier(string value)
    {
        Preconditions.CheckNotNull(value);
        Preconditions.CheckArgument(
            IsValid(value), nameof(value),
            $"{ValueText.Quote(value)} is not an IATI organisation identifier: use the registration agency's code, a hyphen and the number it gave, such as XM-DAC-41122, without spaces, '/', '&', '|' or '?'.");
        _value = value;
    }

    /// <summary>The identifier; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The registration agency's code, such as <c>XM-DAC</c>.</summary>
    public string Agency => Value.Length == 0 ? string.Empty : Value[..Value.IndexOf('-', 3)];

    /// <summary>Whether <paramref name="value"/> has the shape of an organisation identifier.</summary>
    /// <param name="value">The candidate text.</param>
    /// <returns><c>true</c> when the constructor would accept it.</returns>
    public static bool IsValid(string? value)
    {
        if (value is null || value.Length < 6 || value.Length > 120 || !char.IsAsciiLetterUpper(value[0]) || !char.IsAsciiLetterUpper(value[1]) || value[2] != '-')
        {
            return false;
        }
        var second = value.IndexOf('-', 3);
        if (second < 4 || second > 13 || second == value.Length - 1)
        {
            return false;
        }
        for (var i = 3; i < second; i++)
        {
            if (!char.IsAsciiLetterUpper(value[i]) && !char.IsAsciiDigit(value[i]))
            {
                return false;
            }
        }
        for (var i = second + 1; i < value.Length; i++)
        {
            if (!IsIdentifierChar(value[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether IATI allows a character in an identifier: no white space, no control character, none of <c>/ &amp; | ?</c>.</summary>
    /// <param name="c">The character.</param>
    /// <returns><c>true</c> when allowed.</returns>
    internal static bool IsIdentifierChar(char c) => !char.IsWhiteSpace(c) && !char.IsControl(c) && c is not ('/' or '&' or '|' or '?');

    /// <summary>The identifier.</summary>
    /// <returns>The identifier.</returns>
    public override string ToString() => Value;
}
