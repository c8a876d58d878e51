using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>An ISO 3166-1 alpha-2 country code, such as <c>PK</c>.</summary>
/// <remarks>
/// Two upper-case ASCII letters. The code is checked for shape, not against the ISO list, so that a newly
/// assigned code never needs a library release. The default value is not valid; its <see cref="Value"/> is empty.
/// This type is an immutable value type and thread-safe.
/// </remarks>
public readonly record struct CountryCode
{
    /// <summary>The JSON Schema pattern for a country code.</summary>
    internal const string Pattern = "^[A-Z]{2}$";

    private readonly string? _value;

    /// <summary>Creates a country code.</summary>
    /// <param name="value">Two upper-case letters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not two upper-case ASCII letters.</exception>
    public CountryCode(string value)
    {
        Preconditions.CheckNotNull(value);
        Preconditions.CheckArgument(
            IsValid(value), nameof(value), $"{ValueText.Quote(value)} is not an ISO 3166-1 alpha-2 country code: use two upper-case letters, such as PK.");
        _value = value;
    }

    /// <summary>Pakistan, the country of the programmes this library was first built for.</summary>
    public static CountryCode Pakistan { get; } = new("PK");

    /// <summary>The two-letter code; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Whether <paramref name="value"/> has the shape of an alpha-2 code.</summary>
    /// <param name="value">The candidate text.</param>
    /// <returns><c>true</c> when the constructor would accept it.</returns>
    public static bool IsValid(string? value) =>
        value is { Length: 2 } && char.IsAsciiLetterUpper(value[0]) && char.IsAsciiLetterUpper(value[1]);

    /// <summary>The two-letter code.</summary>
    /// <returns>The two-letter code.</returns>
    public override string ToString() => Value;
}

/// <summary>
/// An ISO 3166-2 first-level subdivision code (province, territory, state), such as <c>PK-PB</c> for Punjab.
/// </summary>
/// <remarks>
/// The shape is the country's alpha-2 code, a hyphen and one to three letters or digits. Whether the code is one
/// the country actually has is a codelist question that <see cref="Subdivisions"/> answers and validation reports,
/// so that other countries' data can be carried without a codelist. The default value is not valid.
/// This type is an immutable value type and thread-safe.
/// </remarks>
public readonly record struct SubdivisionCode
{
    /// <summary>The JSON Schema pattern for a subdivision code.</summary>
    internal const string Pattern = "^[A-Z]{2}-[A-Z0-9]{1,3}$";

    private readonly string? _value;

    /// <summary>Creates a subdivision code.</summary>
    /// <param name="value">The code, such as <c>PK-SD</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> does not have the ISO 3166-2 shape.</exception>
    public SubdivisionCode(string value)
    {
        Preconditions.CheckNotNull(value);
        Preconditions.CheckArgument(
            IsValid(value), nameof(value), $"{ValueText.Quote(value)} is not an ISO 3166-2 subdivision code: use the country code, a hyphen and 1-3 letters or digits, such as PK-PB.");
        _value = value;
    }

    /// <summary>The code; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The country the subdivision belongs to, taken from the code's prefix.</summary>
    public CountryCode Country => new(Value[..2]);

    /// <summary>Whether <paramref name="value"/> has the ISO 3166-2 shape.</summary>
    /// <param name="value">The candidate text.</param>
    /// <returns><c>true</c> when the constructor would accept it.</returns>
    public static bool IsValid(string? value)
    {
        if (value is null || value.Length is < 4 or > 6 || value[2] != '-' || !CountryCode.IsValid(value[..2]))
        {
            return false;
        }
        foreach (var c in value.AsSpan(3))
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The code.</summary>
    /// <returns>The code.</returns>
    public override string ToString() => Value;
}

/// <summary>One first-level subdivision in a codelist.</summary>
/// <param name="Code">The ISO 3166-2 code.</param>
/// <param name="Name">The English name.</param>
/// <param name="Category">The ISO category, such as <c>province</c> or <c>territory</c>.</param>
public sealed record Subdivision(SubdivisionCode Code, string Name, string Category);

/// <summary>The codelists of first-level subdivisions this library ships.</summary>
/// <remarks>Pakistan's seven units (ISO 3166-2:PK) are shipped; other countries are accepted without a codelist.</remarks>
public static class Subdivisions
{
    /// <summary>Pakistan's four provinces and three territories.</summary>
    public static IReadOnlyList<Subdivision> Pakistan { get; } = ValueList<Subdivision>.From(
        [
            new(new("PK-BA"), "Balochistan", "province"),
            new(new("PK-KP"), "Khyber Pakhtunkhwa", "province"),
            new(new("PK-PB"), "Punjab", "province"),
            new(new("PK-SD"), "Sindh", "province"),
            new(new("PK-IS"), "Islamabad Capital Territory", "federal capital territory"),
            new(new("PK-GB"), "Gilgit-Baltistan", "Pakistan administered area"),
            new(new("PK-JK"), "Azad Jammu and Kashmir", "Pakistan administered area"),
        ],
        null);

    /// <summary>Whether this library ships a codelist for <paramref name="country"/>.</summary>
    /// <param name="country">The country.</param>
    /// <returns><c>true</c> when <see cref="For"/> returns a non-empty list.</returns>
    public static bool HasCodelist(CountryCode country) => For(country).Count > 0;

    /// <summary>The shipped codelist for <paramref name="country"/>, or an empty list when none is shipped.</summary>
    /// <param name="country">The country.</param>
    /// <returns>The subdivisions.</returns>
    public static IReadOnlyList<Subdivision> For(CountryCode country) =>
        country == CountryCode.Pakistan ? Pakistan : ValueList<Subdivision>.Empty;

    /// <summary>Looks up a subdivision in the shipped codelists.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The subdivision, or <c>null</c> when the code is not in a shipped codelist.</returns>
    public static Subdivision? Find(SubdivisionCode code)
    {
        foreach (var s in For(code.Country))
        {
            if (s.Code == code)
            {
                return s;
            }
        }
        return null;
    }
}

/// <summary>Where a school is: country &gt; province or territory &gt; district.</summary>
/// <remarks>
/// The province must belong to the country (a <c>PK-</c> code for <c>PK</c>). Whether the district is one the
/// dataset declares is a validation rule. Equality is by value. Immutable and thread-safe.
/// </remarks>
public sealed record AdministrativeLocation
{
    /// <summary>Creates a location.</summary>
    /// <param name="country">The country.</param>
    /// <param name="province">The first-level subdivision; its prefix must be <paramref name="country"/>.</param>
    /// <param name="district">The district's name or code.</param>
    /// <exception cref="ArgumentException">The province is in another country, or the district is blank.</exception>
    public AdministrativeLocation(CountryCode country, SubdivisionCode province, string district)
    {
        Preconditions.CheckArgument(
            province.Value.Length > 0 && province.Country == country,
            nameof(province),
            $"Province '{province}' is not in country '{country}': its code must start with '{country}-'.",
            $"Use a province code of {country} (starting {country}-), or correct the country.");
        Country = country;
        Province = province;
        District = Preconditions.CheckNotBlank(district);
    }

    /// <summary>The country.</summary>
    public CountryCode Country { get; }

    /// <summary>The province or territory.</summary>
    public SubdivisionCode Province { get; }

    /// <summary>The district, by name or code.</summary>
    public string District { get; }
}
