using System.Globalization;
using SafetyPrograms.Indexing;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// A range of the 64-bit beneficiary-key hash, inclusive at both ends: the beneficiaries one shard owns. Route every
/// record of a beneficiary to the shard whose range <see cref="Contains"/> its key, and a person lives in exactly one
/// shard, so exact unique counts of the shards add up (see <see cref="ShardPartial"/>).
/// </summary>
/// <remarks>
/// The hash is the store's own: the same for a key in every store, process and machine. Written as
/// <c>0000000000000000-3fffffffffffffff</c> (hexadecimal, as JSON carries it, because JSON numbers lose precision above
/// 2^53). The default value is the range of hash 0 alone. Equality is by value. Immutable and thread-safe.
/// </remarks>
public readonly record struct ShardRange
{
    /// <summary>Creates a range.</summary>
    /// <param name="first">The first hash in the range.</param>
    /// <param name="last">The last hash in the range, not before <paramref name="first"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="last"/> is below <paramref name="first"/>.</exception>
    public ShardRange(ulong first, ulong last)
    {
        Preconditions.CheckArgument(last >= first, nameof(last), "A shard range ends at or after its first hash.");
        First = first;
        Last = last;
    }

    /// <summary>The first hash in the range.</summary>
    public ulong First { get; }

    /// <summary>The last hash in the range (inclusive).</summary>
    public ulong Last { get; }

    /// <summary>Every hash: one shard holding everyone.</summary>
    public static ShardRange Whole { get; } = new(0, ulong.MaxValue);

    /// <summary>Splits the hash space into <paramref name="count"/> ranges of (nearly) equal width, in order, with no gap or overlap.</summary>
    /// <param name="count">The number of shards, 1 to 65,536.</param>
    /// <returns>The ranges; shard <c>i</c> owns the <c>i</c>-th.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not 1 to 65,536.</exception>
    public static IReadOnlyList<ShardRange> Split(int count)
    {
        Preconditions.CheckInRange(count, 1, 1 << 16);
        var ranges = new ShardRange[count];
        for (var i = 0; i < count; i++)
        {
            ranges[i] = new ShardRange(Boundary(i, count), i == count - 1 ? ulong.MaxValue : Boundary(i + 1, count) - 1);
        }
        return ranges;
    }

    /// <summary>Whether the beneficiary with this (pseudonymous) key belongs to this range.</summary>
    /// <param name="beneficiaryKey">The key, as records carry it.</param>
    /// <returns>Whether the key's hash is in the range.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="beneficiaryKey"/> is null.</exception>
    public bool Contains(string beneficiaryKey) => ContainsHash(BeneficiaryHash.Of(Preconditions.CheckNotNull(beneficiaryKey)));

    internal bool ContainsHash(ulong hash) => hash >= First && hash <= Last;

    /// <summary>The range as text, <c>first-last</c> in 16 hexadecimal digits each.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{First:x16}-{Last:x16}");

    /// <summary>The first hash of shard <paramref name="i"/> of <paramref name="count"/>: i × 2^64 / count, without overflow.</summary>
    private static ulong Boundary(int i, int count) => (ulong)(((UInt128)i << 64) / (uint)count);

    /// <summary>
    /// The ranges sorted and joined where they touch; throws when two overlap, because a beneficiary in both would be
    /// counted twice.
    /// </summary>
    internal static ShardRange[] Union(IEnumerable<ShardRange> ranges, string paramName)
    {
        var sorted = ranges.OrderBy(r => r.First).ToArray();
        var joined = new List<ShardRange>();
        foreach (var r in sorted)
        {
            if (joined.Count > 0 && r.First <= joined[^1].Last)
            {
                throw new ArgumentException(
                    $"The shard ranges overlap ({joined[^1]} and {r}): a beneficiary in both would be counted twice. Merge each shard's partial once.",
                    paramName);
            }
            // Touching ranges join, so that a merged partial lists what it covers in as few ranges as possible.
            if (joined.Count > 0 && joined[^1].Last + 1 == r.First)
            {
                joined[^1] = new ShardRange(joined[^1].First, r.Last);
            }
            else
            {
                joined.Add(r);
            }
        }
        return [.. joined];
    }

    /// <summary>The hashes none of <paramref name="ranges"/> (sorted, joined) covers.</summary>
    internal static IReadOnlyList<ShardRange> Missing(IReadOnlyList<ShardRange> ranges)
    {
        var missing = new List<ShardRange>();
        ulong next = 0;
        var done = false;
        foreach (var r in ranges)
        {
            if (r.First > next)
            {
                missing.Add(new ShardRange(next, r.First - 1));
            }
            done = r.Last == ulong.MaxValue;
            next = done ? 0 : r.Last + 1;
        }
        if (!done)
        {
            missing.Add(new ShardRange(next, ulong.MaxValue));
        }
        return missing;
    }
}
