namespace SafetyPrograms.Aggregation;

/// <summary>
/// The 2^14 HyperLogLog registers of one group of a partial, immutable, in whichever form is smaller: sparse (the
/// non-empty registers as register × 64 + rank, in register order, four bytes each) while at most a quarter of the
/// registers are non-empty, dense (a rank per register, 0 = empty) beyond. The form follows from the registers alone,
/// so equal registers have equal forms, and both forms give the same estimate (<see cref="Summarize"/>).
/// </summary>
/// <remarks>
/// Most groups of a many-group query (schools, districts by week) hold a few people, so their dense form would be
/// nearly all zeros; a partial with tens of thousands of groups per shard stays small only in the sparse form.
/// </remarks>
internal sealed class HllRegisters
{
    /// <summary>The most non-empty registers a sparse form holds: beyond, the dense form is smaller.</summary>
    internal const int SparseLimit = HyperLogLog.RegisterCount / sizeof(int);

    private const int RankBits = 64;

    private readonly int[]? _sparse;
    private readonly byte[]? _dense;

    private HllRegisters(int[]? sparse, byte[]? dense) => (_sparse, _dense) = (sparse, dense);

    /// <summary>Whether the registers are held as (register, rank) entries.</summary>
    internal bool IsSparse => _sparse is not null;

    /// <summary>The registers from ranks per register (taken, not copied), in the smaller form.</summary>
    internal static HllRegisters FromDense(byte[] registers)
    {
        var nonEmpty = registers.Length - registers.AsSpan().Count((byte)0);
        return nonEmpty > SparseLimit ? new(null, registers) : new(Pack(registers, nonEmpty), null);
    }

    /// <summary>
    /// The registers from entries register × 64 + rank (taken, not copied; see <see cref="FirstInvalid"/>). Entries out of
    /// register order, or one register twice, are read as a dense form is written: the last entry of a register holds.
    /// </summary>
    internal static HllRegisters FromEntries(int[] entries)
    {
        for (var i = 1; i < entries.Length; i++)
        {
            if (entries[i] / RankBits <= entries[i - 1] / RankBits)
            {
                return FromDense(Expand(entries));
            }
        }
        return entries.Length > SparseLimit ? new(null, Expand(entries)) : new(entries, null);
    }

    /// <summary>The index of the first entry that is no register × 64 + rank (register below 2^14, rank 1 to 51), or −1.</summary>
    internal static int FirstInvalid(ReadOnlySpan<int> entries)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            var (register, rank) = (entries[i] / RankBits, entries[i] % RankBits);
            if (register is < 0 or >= HyperLogLog.RegisterCount || rank is < 1 or > 51)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The non-empty registers as register × 64 + rank, in register order (the sparse form itself: never to be changed).</summary>
    internal ReadOnlySpan<int> Entries() => _sparse ?? Pack(_dense!, _dense!.Length - _dense.AsSpan().Count((byte)0));

    /// <summary>The number of non-empty registers: the length of <see cref="Entries"/>, without packing a dense form.</summary>
    internal int EntryCount => _sparse?.Length ?? (_dense!.Length - _dense.AsSpan().Count((byte)0));

    /// <summary>The rank of every register (a copy), as the dense form holds them.</summary>
    internal byte[] ToDense() => _dense is { } dense ? (byte[])dense.Clone() : Expand(_sparse!);

    /// <summary>The state the estimator reads (non-empty registers, scaled sum of 2^-rank), the same from either form.</summary>
    internal (int NonEmpty, UInt128 Weight) Summarize()
    {
        if (_dense is { } dense)
        {
            return HyperLogLog.Summarize(dense);
        }
        UInt128 weight = 0;
        foreach (var entry in _sparse!)
        {
            weight += HyperLogLog.Weight(entry % RankBits);
        }
        return (_sparse.Length, weight);
    }

    /// <summary>
    /// The register-wise maximum of the sets: sparse forms merged in register order while the result stays sparse, then
    /// maximised into one dense copy. No input changes.
    /// </summary>
    internal static HllRegisters Max(IReadOnlyList<HllRegisters> sets)
    {
        if (sets.Count == 1)
        {
            return sets[0];
        }
        int[]? sparse = null;
        byte[]? dense = null;
        foreach (var set in sets)
        {
            if (dense is not null)
            {
                set.MaxInto(dense);
            }
            else if (set._sparse is { } entries)
            {
                sparse = sparse is null ? entries : MaxSorted(sparse, entries);
                if (sparse.Length > SparseLimit)
                {
                    (dense, sparse) = (Expand(sparse), null);
                }
            }
            else
            {
                dense = (byte[])set._dense!.Clone();
                if (sparse is not null)
                {
                    MaxInto(dense, sparse);
                }
            }
        }
        // A dense result holds more than the sparse limit's registers: maxima never empty a register.
        return dense is not null ? new(null, dense) : new(sparse ?? [], null);
    }

    /// <summary>Maximises these registers into <paramref name="target"/> (a dense form being built).</summary>
    private void MaxInto(byte[] target)
    {
        if (_sparse is { } entries)
        {
            MaxInto(target, entries);
        }
        else
        {
            HyperLogLog.MaxInto(target, _dense!);
        }
    }

    private static void MaxInto(byte[] target, int[] entries)
    {
        foreach (var entry in entries)
        {
            ref var register = ref target[entry / RankBits];
            register = Math.Max(register, (byte)(entry % RankBits));
        }
    }

    /// <summary>Two sparse forms merged in register order, the larger rank kept where both hold a register.</summary>
    private static int[] MaxSorted(int[] a, int[] b)
    {
        var merged = new int[a.Length + b.Length];
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
        {
            var (ra, rb) = (a[i] / RankBits, b[j] / RankBits);
            // Within one register the entry with the larger rank is the larger number.
            merged[n++] = ra < rb ? a[i++] : rb < ra ? b[j++] : Math.Max(a[i++], b[j++]);
        }
        a.AsSpan(i).CopyTo(merged.AsSpan(n));
        n += a.Length - i;
        b.AsSpan(j).CopyTo(merged.AsSpan(n));
        n += b.Length - j;
        return n == merged.Length ? merged : merged[..n];
    }

    /// <summary>The non-empty registers of a dense form, found by a vectorised search for the next non-zero byte.</summary>
    private static int[] Pack(byte[] registers, int nonEmpty)
    {
        var packed = new int[nonEmpty];
        var r = -1;
        for (var n = 0; n < packed.Length; n++)
        {
            r += registers.AsSpan(r + 1).IndexOfAnyExcept((byte)0) + 1;
            packed[n] = (r * RankBits) + registers[r];
        }
        return packed;
    }

    /// <summary>A dense form from entries; of two entries of one register, the last holds.</summary>
    private static byte[] Expand(ReadOnlySpan<int> entries)
    {
        var registers = new byte[HyperLogLog.RegisterCount];
        foreach (var entry in entries)
        {
            registers[entry / RankBits] = (byte)(entry % RankBits);
        }
        return registers;
    }

    /// <summary>
    /// Builds one group's registers from the hashes of its records. The store visits records in hash order, so
    /// registers arrive in order and are appended as entries; a register out of order, or more entries than the
    /// sparse limit, turns the builder to the dense form.
    /// </summary>
    internal sealed class Builder
    {
        private readonly List<int> _entries = [];
        private byte[]? _dense;

        /// <summary>Records a beneficiary hash.</summary>
        internal void Add(ulong hash)
        {
            var (register, rank) = (HyperLogLog.Register(hash), HyperLogLog.Rank(hash));
            if (_dense is null)
            {
                var last = _entries.Count - 1;
                var lastRegister = last < 0 ? -1 : _entries[last] / RankBits;
                if (lastRegister == register)
                {
                    _entries[last] = Math.Max(_entries[last], (register * RankBits) + rank);
                    return;
                }
                if (lastRegister < register && _entries.Count < SparseLimit)
                {
                    _entries.Add((register * RankBits) + rank);
                    return;
                }
                _dense = Expand(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_entries));
            }
            HyperLogLog.Add(_dense, hash);
        }

        /// <summary>The registers built, in the smaller form.</summary>
        internal HllRegisters Build() => _dense is { } dense ? FromDense(dense) : new([.. _entries], null);
    }
}
