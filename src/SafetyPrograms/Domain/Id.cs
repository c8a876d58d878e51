using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>
/// The identifier of an entity of type <typeparamref name="TEntity"/> within a dataset, such as
/// <c>Id&lt;School&gt;</c>. Typed so that a school id cannot be passed where a phase id is expected.
/// </summary>
/// <typeparam name="TEntity">The kind of entity identified.</typeparam>
/// <remarks>
/// An identifier is 1 to <see cref="MaxLength"/> characters drawn from ASCII letters, digits and
/// <c>- _ . : /</c>; comparison is ordinal and case-sensitive. Identifiers name records, never people:
/// they must not hold a child's name, phone number or identity number.
/// The default value is not a valid identifier; its <see cref="Value"/> is the empty string.
/// This type is an immutable value type and thread-safe.
/// </remarks>
public readonly struct Id<TEntity> : IEquatable<Id<TEntity>>, IComparable<Id<TEntity>>
    where TEntity : class
{
    /// <summary>The longest identifier accepted.</summary>
    public const int MaxLength = Identifiers.MaxLength;

    private readonly string? _value;

    /// <summary>Creates an identifier.</summary>
    /// <param name="value">The identifier text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, too long or has a character outside the allowed set.</exception>
    public Id(string value) => _value = Identifiers.Check(value, nameof(value));

    /// <summary>The identifier text; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Whether <paramref name="value"/> would make a valid identifier.</summary>
    /// <param name="value">The candidate text.</param>
    /// <returns><c>true</c> when the constructor would accept it.</returns>
    public static bool IsValid(string? value) => Identifiers.IsValid(value);

    /// <inheritdoc />
    public bool Equals(Id<TEntity> other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Id<TEntity> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public int CompareTo(Id<TEntity> other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>The identifier text.</summary>
    /// <returns>The identifier text.</returns>
    public override string ToString() => Value;

    /// <summary>Compares two identifiers for equality.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><c>true</c> when the texts are equal.</returns>
    public static bool operator ==(Id<TEntity> left, Id<TEntity> right) => left.Equals(right);

    /// <summary>Compares two identifiers for inequality.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><c>true</c> when the texts differ.</returns>
    public static bool operator !=(Id<TEntity> left, Id<TEntity> right) => !left.Equals(right);

    /// <summary>Orders identifiers ordinally.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><c>true</c> when <paramref name="left"/> sorts first.</returns>
    public static bool operator <(Id<TEntity> left, Id<TEntity> right) => left.CompareTo(right) < 0;

    /// <summary>Orders identifiers ordinally.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><c>true</c> when <paramref name="left"/> sorts last.</returns>
    public static bool operator >(Id<TEntity> left, Id<TEntity> right) => left.CompareTo(right) > 0;

    /// <summary>Orders identifiers ordinally.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><c>true</c> when <paramref name="left"/> does not sort last.</returns>
    public static bool operator <=(Id<TEntity> left, Id<TEntity> right) => left.CompareTo(right) <= 0;

    /// <summary>Orders identifiers ordinally.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><c>true</c> when <paramref name="left"/> does not sort first.</returns>
    public static bool operator >=(Id<TEntity> left, Id<TEntity> right) => left.CompareTo(right) >= 0;
}

/// <summary>The rules shared by every identifier and key in the model.</summary>
internal static class Identifiers
{
    internal const int MaxLength = 100;

    /// <summary>The pattern partners' tools see in the JSON Schema; <c>IsValid</c> implements it.</summary>
    internal const string Pattern = "^[A-Za-z0-9._:/-]{1,100}$";

    internal static bool IsValid(string? value) => value is not null && IsValid(value.AsSpan(), MaxLength);

    internal static bool IsValid(ReadOnlySpan<char> value, int maxLength) =>
        !value.IsEmpty && value.Length <= maxLength && !value.ContainsAnyExcept(AllowedChars);

    /// <summary>The characters <see cref="Pattern"/> allows; the one list the tests over chars and over bytes use.</summary>
    private const string AllowedCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:/-";

    private static readonly System.Buffers.SearchValues<char> AllowedChars = System.Buffers.SearchValues.Create(AllowedCharacters);

    private static readonly System.Buffers.SearchValues<byte> AllowedBytes =
        System.Buffers.SearchValues.Create(System.Text.Encoding.ASCII.GetBytes(AllowedCharacters));

    /// <summary>The same test over UTF-8 bytes, as ingest reads them: any byte outside the pattern (non-ASCII included) fails.</summary>
    internal static bool IsValid(ReadOnlySpan<byte> value, int maxLength) =>
        !value.IsEmpty && value.Length <= maxLength && !value.ContainsAnyExcept(AllowedBytes);

    /// <param name="value">The candidate.</param>
    /// <param name="paramName">The parameter, for the exception.</param>
    /// <param name="withholdValue">Never repeat the value (a beneficiary key): it may be a child's name or number.</param>
    internal static string Check(string? value, string paramName, bool withholdValue = false)
    {
        Preconditions.CheckNotNull(value, paramName);
        // The message is built only on failure: identifiers are made millions of times when records stream in.
        if (!IsValid(value))
        {
            Preconditions.CheckArgument(
                false,
                paramName,
                $"{(withholdValue ? "The key, " + ValueText.Withhold(value) + "," : ValueText.Quote(value))} is not a valid identifier: use 1 to {MaxLength} characters from A-Z, a-z, 0-9 and - _ . : /.");
        }
        return value;
    }
}
