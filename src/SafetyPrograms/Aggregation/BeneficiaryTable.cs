using System.Runtime.CompilerServices;
using System.Text;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// The store's beneficiary dictionary: numbers each distinct key 0, 1, 2… in the order first seen. Keys are ASCII
/// (the key pattern allows nothing else) and held as bytes in one array, with the hash every unique count uses.
/// </summary>
/// <remarks>
/// Open addressing over one <c>ulong</c> a slot: the high half of the key's hash, then the id. A lookup usually costs
/// one cache miss for the slot and one for the key bytes, where a <c>Dictionary&lt;string, int&gt;</c> costs three; with
/// a million beneficiaries the table no longer fits in cache, and this is what ingest at scale waits on.
/// </remarks>
internal sealed class BeneficiaryTable
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

    /// <summary>The key with id <paramref name="id"/>.</summary>
    internal string KeyOf(int id) => Encoding.ASCII.GetString(_keys, _keyStart[id], _keyStart[id + 1] - _keyStart[id]);

    /// <summary>The id of <paramref name="key"/>, added if new.</summary>
    /// <param name="key">An ASCII key.</param>
    /// <param name="hash">Its <see cref="BeneficiaryHash"/>, computed by the caller (in parallel, at ingest).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int GetOrAdd(ReadOnlySpan<byte> key, ulong hash)
    {
        var tag = hash & 0xFFFF_FFFF_0000_0000UL;
        var mask = _slots.Length - 1;
        var slot = (int)hash & mask;
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return Add(key, hash, slot);
            }
            if ((entry & 0xFFFF_FFFF_0000_0000UL) == tag)
            {
                var id = (int)(uint)entry - 1;
                if (_keys.AsSpan(_keyStart[id], _keyStart[id + 1] - _keyStart[id]).SequenceEqual(key))
                {
                    return id;
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
    private void Grow()
    {
        var slots = new ulong[_slots.Length * 2];
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
