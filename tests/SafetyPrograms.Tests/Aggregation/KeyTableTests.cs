using System.Globalization;
using System.Text;
using SafetyPrograms.Indexing;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// The open-addressing key table: ids in first-seen order, every key findable through growth, and correct answers
/// when hashes collide in their slot or in the high half the slots keep (hashes are chosen here, since they are a parameter).
/// </summary>
public sealed class KeyTableTests
{
    private static byte[] Key(string key) => Encoding.ASCII.GetBytes(key);

    private static ulong Hash(string key) => BeneficiaryHash.Of(Key(key));

    private static string Name(int i) => "k-" + i.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void GetOrAdd_NewKeys_NumberedInFirstSeenOrderAndRepeatsKeepTheirId()
    {
        var table = new KeyTable();
        string[] keys = ["b", "a", "b", "c", "a", "d"];

        var ids = keys.Select(k => table.GetOrAdd(Key(k), Hash(k))).ToArray();

        Assert.Equal([0, 1, 0, 2, 1, 3], ids);
        Assert.Equal(4, table.Count);
        Assert.Equal(["b", "a", "c", "d"], Enumerable.Range(0, table.Count).Select(table.KeyOf));
        Assert.Equal(new[] { "b", "a", "c", "d" }.Select(Hash), table.Hashes.Take(table.Count));
    }

    [Fact]
    public void Find_KeyNotHeld_MinusOne()
    {
        var table = KeyTable.Of(["x", "y"]);

        Assert.Equal(-1, table.Find(Key("z"), Hash("z")));
        Assert.Equal(-1, table.Find(Key("x"), Hash("y"))); // the right bytes in the wrong place
        Assert.Equal(-1, new KeyTable().Find(Key("x"), Hash("x")));
    }

    [Fact]
    public void Of_DuplicateKeys_ResolveToTheFirstPosition()
    {
        // Enough keys that the table grows several times after the duplicates went in.
        var keys = Enumerable.Range(0, 5000).Select(Name).ToList();
        keys.Insert(10, Name(3));
        keys.Insert(4000, Name(3));
        keys.Add(Name(4999));

        var table = KeyTable.Of(keys);

        Assert.Equal(keys.Count, table.Count);
        Assert.Equal(3, table.Find(Key(Name(3)), Hash(Name(3))));
        Assert.Equal(3, table.GetOrAdd(Key(Name(3)), Hash(Name(3))));
        Assert.Equal(5001, table.Find(Key(Name(4999)), Hash(Name(4999))));
        Assert.Equal(keys.Count, table.Count);
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var position = 0; position < keys.Count; position++)
        {
            first.TryAdd(keys[position], position);
            Assert.Equal(first[keys[position]], table.Find(Key(keys[position]), Hash(keys[position])));
            Assert.Equal(keys[position], table.KeyOf(position));
        }
    }

    [Fact]
    public void GetOrAdd_PastManyResizes_EveryKeyFindableWithItsIdAndHash()
    {
        var table = new KeyTable();
        const int count = 200_000;
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i, table.GetOrAdd(Key(Name(i)), Hash(Name(i))));
        }

        Assert.Equal(count, table.Count);
        for (var i = 0; i < count; i += 7)
        {
            Assert.Equal(i, table.Find(Key(Name(i)), Hash(Name(i))));
            Assert.Equal(i, table.GetOrAdd(Key(Name(i)), Hash(Name(i))));
            Assert.Equal(Name(i), table.KeyOf(i));
            Assert.Equal(Hash(Name(i)), table.Hashes[i]);
        }
        Assert.Equal(count, table.Count);
        Assert.True(table.Bytes >= count * 8L);
    }

    [Fact]
    public void GetOrAdd_KeysSharingOneHash_EachKeepsItsOwnId()
    {
        // Same slot and same high half: only the key bytes tell them apart.
        var table = new KeyTable();
        const ulong hash = 0xDEAD_BEEF_0000_0007UL;
        for (var i = 0; i < 600; i++)
        {
            Assert.Equal(i, table.GetOrAdd(Key(Name(i)), hash));
        }

        for (var i = 0; i < 600; i++)
        {
            Assert.Equal(i, table.Find(Key(Name(i)), hash));
        }
        Assert.Equal(-1, table.Find(Key("k-600"), hash));
    }

    [Fact]
    public void GetOrAdd_KeysSharingTheHighHalfInDifferentSlots_EachKeepsItsOwnId()
    {
        var table = new KeyTable();
        for (var i = 0; i < 3000; i++)
        {
            Assert.Equal(i, table.GetOrAdd(Key(Name(i)), 0x1234_5678_0000_0000UL | (uint)(i * 3)));
        }

        for (var i = 0; i < 3000; i++)
        {
            Assert.Equal(i, table.Find(Key(Name(i)), 0x1234_5678_0000_0000UL | (uint)(i * 3)));
        }
    }

    [Fact]
    public void GetOrAdd_KeysSharingTheSlotWithDifferentHighHalves_EachKeepsItsOwnIdThroughGrowth()
    {
        // The low 32 bits (the slot at any table size) are equal; only the high half differs, including zero.
        var table = new KeyTable();
        static ulong HashOf(int i) => ((ulong)i << 32) | 5;
        for (var i = 0; i < 1500; i++)
        {
            Assert.Equal(i, table.GetOrAdd(Key(Name(i)), HashOf(i)));
        }

        for (var i = 0; i < 1500; i++)
        {
            Assert.Equal(i, table.Find(Key(Name(i)), HashOf(i)));
            Assert.Equal(-1, table.Find(Key(Name(i)), HashOf(i + 1)));
        }
    }

    [Fact]
    public void GetOrAdd_SameKeyBytesUnderTwoHashes_TwoEntries()
    {
        // The caller owns the hash: the table trusts it and never rehashes the key.
        var table = new KeyTable();

        Assert.Equal(0, table.GetOrAdd(Key("k"), 1));
        Assert.Equal(1, table.GetOrAdd(Key("k"), 2UL << 32));
        Assert.Equal(0, table.Find(Key("k"), 1));
        Assert.Equal(1, table.Find(Key("k"), 2UL << 32));
    }

    [Fact]
    public void KeyOf_RoundTripsEveryKeyIncludingLongAndEmptyOnes()
    {
        string[] keys = ["", "a", new('x', 300), "A-z_0.9:/", new('y', 5000)];
        var table = new KeyTable();
        foreach (var key in keys)
        {
            table.GetOrAdd(Key(key), Hash(key));
        }

        Assert.Equal(keys, Enumerable.Range(0, keys.Length).Select(table.KeyOf));
        Assert.All(keys, key => Assert.Equal(Array.IndexOf(keys, key), table.Find(Key(key), Hash(key))));
    }

    [Fact]
    public void Touch_AnyHashes_ChangesNothing()
    {
        var table = KeyTable.Of(["a", "b"]);
        ulong[] hashes = [Hash("a"), Hash("zz"), 0, ulong.MaxValue];

        table.Touch(hashes);
        table.Touch([]);

        Assert.Equal(2, table.Count);
        Assert.Equal(1, table.Find(Key("b"), Hash("b")));
        Assert.Equal(0, new KeyTable().Touch(hashes));
    }
}
