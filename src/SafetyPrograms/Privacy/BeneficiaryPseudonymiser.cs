using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>
/// Turns the raw identifiers a partner holds (phone numbers, national ids, learner ids) into pseudonymous
/// <see cref="BeneficiaryKey"/>s with a keyed hash (HMAC-SHA256) under a secret the programme holds.
/// </summary>
/// <remarks>
/// <para>The identifier is normalised by its <see cref="IdentifierScheme"/> first, so the same child gets the same key
/// across partners that share the secret; a different secret gives unrelated keys. A key is <c>b1:</c> followed by
/// the first 160 bits of the HMAC in lower-case base32 (35 characters), which <see cref="BeneficiaryKey"/> accepts.</para>
/// <para>The secret is copied in and never leaves: it is not a property, <see cref="ToString"/> does not show it,
/// serializing a pseudonymiser with System.Text.Json throws, and no message repeats it or a raw identifier.
/// <see cref="Dispose"/> clears the copy. The secret must be at least <see cref="MinimumSecretBytes"/> bytes.</para>
/// <para>Rotating the secret re-keys every beneficiary: old keys cannot be converted to new ones. Either re-pseudonymise
/// from the partners' source data, or keep an old-key to new-key mapping only inside the secure environment that
/// holds both secrets. Cross-partner deduplication needs the same secret, the same identifier kind and the same
/// normalisation (for phone numbers, numbers in national format need the same default calling code).</para>
/// <para>Thread-safe: <see cref="Pseudonymise"/> may be called from many threads at once.</para>
/// </remarks>
[JsonConverter(typeof(RefuseSerialization))]
public sealed class BeneficiaryPseudonymiser : IDisposable
{
    /// <summary>The shortest secret accepted: 32 bytes (256 bits), the HMAC-SHA256 block strength.</summary>
    public const int MinimumSecretBytes = 32;

    /// <summary>The prefix of keys this version makes, so that a later scheme can be told apart.</summary>
    public const string KeyPrefix = "b1:";

    private const int KeyBytes = 20;
    private const string Base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    private readonly byte[] _secret;

    // One keyed HMAC per thread: setting up the key for every identifier costs more than hashing it.
    private readonly ThreadLocal<IncrementalHash> _hmac;
    private bool _disposed;

    /// <summary>Creates a pseudonymiser from secret bytes, which are copied.</summary>
    /// <param name="secret">At least <see cref="MinimumSecretBytes"/> random bytes, such as from <see cref="GenerateSecret"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is shorter than <see cref="MinimumSecretBytes"/> or all one byte value.</exception>
    public BeneficiaryPseudonymiser(byte[] secret)
    {
        Preconditions.CheckNotNull(secret);
        Preconditions.CheckArgument(
            secret.Length >= MinimumSecretBytes,
            nameof(secret),
            $"The secret must be at least {MinimumSecretBytes} bytes; generate one with BeneficiaryPseudonymiser.GenerateSecret().");
        Preconditions.CheckArgument(
            secret.AsSpan().IndexOfAnyExcept(secret[0]) >= 0, nameof(secret), "The secret must not be one byte value repeated.");
        _secret = (byte[])secret.Clone();
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret), trackAllValues: true);
    }

    /// <summary>Creates a pseudonymiser from a secret passphrase, taken as its UTF-8 bytes.</summary>
    /// <param name="secret">A passphrase of at least <see cref="MinimumSecretBytes"/> UTF-8 bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="ArgumentException">The passphrase is shorter than <see cref="MinimumSecretBytes"/> bytes or one character repeated.</exception>
    public BeneficiaryPseudonymiser(string secret)
        : this(Encoding.UTF8.GetBytes(Preconditions.CheckNotNull(secret)))
    {
    }

    /// <summary>A new random secret of <see cref="MinimumSecretBytes"/> bytes from a cryptographic generator.</summary>
    /// <returns>The secret; store it where the programme keeps secrets, never beside the data.</returns>
    public static byte[] GenerateSecret() => RandomNumberGenerator.GetBytes(MinimumSecretBytes);

    /// <summary>The key of one beneficiary.</summary>
    /// <param name="rawIdentifier">The identifier the partner holds.</param>
    /// <param name="scheme">What kind of identifier it is and how to normalise it.</param>
    /// <returns>The pseudonymous key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scheme"/> is null.</exception>
    /// <exception cref="ArgumentException">The identifier is empty or not valid for the scheme; the message does not repeat it.</exception>
    /// <exception cref="ObjectDisposedException">The pseudonymiser has been disposed.</exception>
    public BeneficiaryKey Pseudonymise(string? rawIdentifier, IdentifierScheme scheme)
    {
        if (!TryPseudonymise(rawIdentifier, scheme, out var key, out var problem))
        {
            throw new ArgumentException($"The identifier cannot be pseudonymised: {problem}.", nameof(rawIdentifier));
        }
        return key;
    }

    /// <summary>The key of one beneficiary, or why there is none.</summary>
    /// <param name="rawIdentifier">The identifier the partner holds.</param>
    /// <param name="scheme">What kind of identifier it is and how to normalise it.</param>
    /// <param name="key">The key, when the identifier is valid.</param>
    /// <param name="problem">Why the identifier is not valid, without repeating it; <c>null</c> on success.</param>
    /// <returns><c>true</c> when a key was made.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scheme"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The pseudonymiser has been disposed.</exception>
    public bool TryPseudonymise(string? rawIdentifier, IdentifierScheme scheme, out BeneficiaryKey key, [NotNullWhen(false)] out string? problem)
    {
        Preconditions.CheckNotNull(scheme);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var normalised = scheme.Normalise(rawIdentifier, out problem);
        if (normalised is null)
        {
            key = default;
            problem ??= "the identifier is not valid";
            return false;
        }
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var hmac = _hmac.Value!;
        hmac.AppendData(Encoding.UTF8.GetBytes("safetyprograms/beneficiary/v1\n" + normalised));
        hmac.GetHashAndReset(mac);
        key = new BeneficiaryKey(KeyPrefix + Base32(mac[..KeyBytes]));
        return true;
    }

    /// <summary>Clears the copy of the secret; the pseudonymiser cannot be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        CryptographicOperations.ZeroMemory(_secret);
        foreach (var hmac in _hmac.Values)
        {
            hmac.Dispose();
        }
        _hmac.Dispose();
    }

    /// <summary>A description that never includes the secret.</summary>
    /// <returns>The text <c>BeneficiaryPseudonymiser (HMAC-SHA256, secret hidden)</c>.</returns>
    public override string ToString() => "BeneficiaryPseudonymiser (HMAC-SHA256, secret hidden)";

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                text.Append(Base32Alphabet[(buffer >> bits) & 31]);
            }
        }
        if (bits > 0)
        {
            text.Append(Base32Alphabet[(buffer << (5 - bits)) & 31]);
        }
        return text.ToString();
    }

    /// <summary>Makes serializing a pseudonymiser an error rather than a place a secret could leak from.</summary>
    private sealed class RefuseSerialization : JsonConverter<BeneficiaryPseudonymiser>
    {
        private const string Message = "A BeneficiaryPseudonymiser holds the programme's secret and is never serialized.";

        public override BeneficiaryPseudonymiser Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException(Message);

        public override void Write(Utf8JsonWriter writer, BeneficiaryPseudonymiser value, JsonSerializerOptions options) =>
            throw new NotSupportedException(Message);
    }
}
