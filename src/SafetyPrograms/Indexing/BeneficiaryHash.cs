namespace SafetyPrograms.Indexing;

/// <summary>A stable 64-bit hash of a beneficiary key, the same in every store and process (FNV-1a, then a 64-bit finaliser).</summary>
internal static class BeneficiaryHash
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    internal static ulong Of(ReadOnlySpan<char> key)
    {
        var h = Offset;
        foreach (var c in key)
        {
            h = (h ^ c) * Prime;
        }
        return Finalise(h);
    }

    /// <summary>The same hash over ASCII bytes: a key's bytes and its chars hash alike.</summary>
    internal static ulong Of(ReadOnlySpan<byte> asciiKey)
    {
        var h = Offset;
        foreach (var c in asciiKey)
        {
            h = (h ^ c) * Prime;
        }
        return Finalise(h);
    }

    // MurmurHash3's fmix64 spreads FNV's weak high bits, which HyperLogLog uses as the register index.
    private static ulong Finalise(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }
}
