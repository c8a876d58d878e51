namespace SafetyPrograms.Domain;

/// <summary>
/// The pseudonymous key of one beneficiary: the only thing a participation record says about who took part.
/// </summary>
/// <remarks>
/// A key is made by a keyed hash of an identifier the partner holds, under a secret the programme keeps,
/// so that the same child gets the same key across activities (and across partners sharing the secret) while
/// the key reveals nothing. It must never be a raw name, phone number or identity number; validation warns
/// when a key looks like one. A key is 1 to <see cref="MaxLength"/> characters from ASCII letters, digits and
/// <c>- _ . : /</c>; comparison is ordinal. The default value is not valid; its <see cref="Value"/> is empty.
/// This type is an immutable value type and thread-safe.
/// </remarks>
public readonly struct BeneficiaryKey : IEquatable<BeneficiaryKey>
{
    /// <summary>The longest key accepted.</summary>
    public const int MaxLength = Identifiers.MaxLength;

    private readonly string? _value;

    /// <summary>Creates a key from its text.</summary>
    /// <param name="value">The pseudonymous key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, too long or has a character outside the allowed set; the message never repeats it.</exception>
    public BeneficiaryKey(string value) => _value = Identifiers.Check(value, nameof(value), withholdValue: true);

    /// <summary>The key text; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Whether <paramref name="value"/> would make a valid key.</summary>
    /// <param name="value">The candidate text.</param>
    /// <returns><c>true</c> when the constructor would accept it.</returns>
    public static bool IsValid(string? value) => Identifiers.IsValid(value);

    /// <inheritdoc />
    public bool Equals(BeneficiaryKey other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BeneficiaryKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>The key text.</summary>
    /// <returns>The key text.</returns>
    public override string ToString() => Value;

    /// <summary>Compares two keys for equality.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><c>true</c> when the texts are equal.</returns>
    public static bool operator ==(BeneficiaryKey left, BeneficiaryKey right) => left.Equals(right);

    /// <summary>Compares two keys for inequality.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><c>true</c> when the texts differ.</returns>
    public static bool operator !=(BeneficiaryKey left, BeneficiaryKey right) => !left.Equals(right);
}
