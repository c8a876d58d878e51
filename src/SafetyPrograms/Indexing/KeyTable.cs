using System.Runtime.CompilerServices;
using System.Text;

namespace SafetyPrograms.Indexing;

/// <summary>
/// Numbers distinct identifiers 0, 1, 2… in the order first seen: the store's beneficiaries, and the dataset's
/// activities and schools that ingest looks up. Identifiers are ASCII (their pattern allows nothing else) and held as
/// bytes in one array, each with its <see cref="BeneficiaryHash"/>, which every unique count uses.
/// </summary>
/// <remarks>
/// Open addressing over one <c>ulong</c> a slot: the high half of the key's hash, then the id. A lookup usually costs
/// one cache miss for the slot and one for the key bytes, where a <c>Dictionary&lt;string, int&gt;</c> costs three; with
/// a million beneficiaries or half a million activities the tables no longer fit in cache, and this is what ingest at
/// scale waits on. Lookups may run concurrently with each other, not with <see cref="GetOrAdd"/>.
/// </remarks>
internal sealed class KeyTable
{
    private ulong[] _slots = new ulong[1024];
    private byte[] _keys = new byte[4096];
    private int _keysLength;
    private int[] _keyStart = new int[513];
    private ulong[] _hashes = new ulong[512];

    /// <summary>The number of keys held.</summary>
    internal int Count { get; private set; }

    /// <summary>The hash of each key, by id (<see cref="BeneficiaryHash"/>); the array may be longer than <see cref="Count"/>.</summary>
    internal ulong[] Hashes => _hashes;

    /// <summary>Bytes held, slots and keys included.</summary>
    internal long Bytes => (_slots.LongLength * 8) + _keysLength + ((long)Count * (4 + 8));

    /// <summary>
    /// A table of <paramref name="keys"/>, each numbered by its position. A key that repeats keeps its first position
    /// (<see cref="Find"/> meets the earlier entry first); duplicate identifiers are a validation finding.
    /// </summary>
    /// <param name="keys">Identifiers (the identifier pattern makes them ASCII).</param>
    internal static KeyTable Of(IReadOnlyList<string> keys)
    {
        var table = new KeyTable();
        var bytes = new byte[256];
        foreach (var key in keys)
        {
            if (bytes.Length < key.Length)
            {
                bytes = new byte[key.Length];
            }
            var k = bytes.AsSpan(0, System.Text.Encoding.UTF8.GetBytes(key, bytes));
            var hash = BeneficiaryHash.Of(k);
            var mask = table._slots.Length - 1;
            var slot = (int)hash & mask;
            while (table._slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            table.Add(k, hash, slot);
        }
        return table;
    }

    /// <summary>The id of <paramref name="key"/>, or -1 when it is not held.</summary>
    /// <param name="key">The key's bytes.</param>
    /// <param name="hash">Its <see cref="BeneficiaryHash"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int Find(ReadOnlySpan<byte> key, ulong hash)
    {
        var slot = FindSlot(key, hash);
        var entry = _slots[slot];
        return entry == 0 ? -1 : (int)(uint)entry - 1;
    }

    /// <summary>
    /// Reads the first slot and key byte that lookups of <paramref name="hashes"/> will read, and nothing else: the
    /// loads do not depend on each other, so the processor overlaps their cache misses, and the lookups that follow
    /// find the lines cached. (Prefetch instructions would need unsafe code; plain loads do the same here.)
    /// </summary>
    /// <returns>A value of no meaning, for the caller to keep so the loads stay.</returns>
    internal int Touch(ReadOnlySpan<ulong> hashes)
    {
        var slots = _slots;
        var keyStart = _keyStart;
        var keys = _keys;
        var mask = slots.Length - 1;
        var sum = 0;
        foreach (var hash in hashes)
        {
            var entry = slots[(int)hash & mask];
            if (entry != 0)
            {
                var start = keyStart[(int)(uint)entry - 1];
                sum += start < keys.Length ? keys[start] : 0;
            }
        }
        return sum;
    }

    /// <summary>The key with id <paramref name="id"/>.</summary>
    internal string KeyOf(int id) => Encoding.ASCII.GetString(_keys, _keyStart[id], _keyStart[id + 1] - _keyStart[id]);

    /// <summary>The id of <paramref name="key"/>, added if new.</summary>
    /// <param name="key">An ASCII key.</param>
    /// <param name="hash">Its <see cref="BeneficiaryHash"/>, computed by the caller (in parallel, at ingest).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int GetOrAdd(ReadOnlySpan<byte> key, ulong hash)
    {
        var slot = FindSlot(key, hash);
        var entry = _slots[slot];
        return entry == 0 ? Add(key, hash, slot) : (int)(uint)entry - 1;
    }

    /// <summary>The slot holding <paramref name="key"/>, or the empty slot where it would go.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindSlot(ReadOnlySpan<byte> key, ulong hash)
    {
        var tag = hash & 0xFFFF_FFFF_0000_0000UL;
        var slots = _slots;
        var mask = slots.Length - 1;
        var slot = (int)hash & mask;
        while (true)
        {
            var entry = slots[slot];
            if (entry == 0)
            {
                return slot;
            }
            if ((entry & 0xFFFF_FFFF_0000_0000UL) == tag)
            {
                var id = (int)(uint)entry - 1;
                if (_keys.AsSpan(_keyStart[id], _keyStart[id + 1] - _keyStart[id]).SequenceEqual(key))
                {
                    return slot;
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    private int Add(ReadOnlySpan<byte> key, ulong hash, int slot)
    {
        var id = Count;
        if (id == _hashes.Length)
        {
            Array.Resize(ref _hashes, id * 2);
            Array.Resize(ref _keyStart, (id * 2) + 1);
        }
        if (_keysLength + key.Length > _keys.Length)
        {
            Array.Resize(ref _keys, Math.Max(_keys.Length * 2, _keysLength + key.Length));
        }
        key.CopyTo(_keys.AsSpan(_keysLength));
        _keysLength += key.Length;
        _keyStart[id + 1] = _keysLength;
        _hashes[id] = hash;
        _slots[slot] = (hash & 0xFFFF_FFFF_0000_0000UL) | (uint)(id + 1);
        Count = id + 1;
        if (Count * 2 > _slots.Length)
        {
            Grow();
        }
        return id;
    }

    /// <summary>Doubles the slots, keeping the load at most one half so probes stay short.</summary>
    private void Grow() => Rehash(_slots.Length * 2);

    /// <summary>Forgets the keys added after the first <paramref name="count"/>, as if they had never been added.</summary>
    internal void Truncate(int count)
    {
        if (count >= Count)
        {
            return;
        }
        Count = count;
        _keysLength = _keyStart[count];
        Rehash(_slots.Length);
    }

    private void Rehash(int size)
    {
        var slots = new ulong[size];
        var mask = slots.Length - 1;
        for (var id = 0; id < Count; id++)
        {
            var hash = _hashes[id];
            var slot = (int)hash & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            slots[slot] = (hash & 0xFFFF_FFFF_0000_0000UL) | (uint)(id + 1);
        }
        _slots = slots;
    }
}
