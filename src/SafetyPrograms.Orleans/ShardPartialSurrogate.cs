using System.Runtime.InteropServices;
using System.Text;
using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Orleans;

/// <summary>
/// How a <see cref="ShardPartial"/> travels between silos and the client: in columns, not an object per group, so that
/// writing, reading and merging cost little per group. The JSON form (<see cref="ShardPartial.ToJson"/>) stays the form
/// for files and interchange; this one is only the wire's.
/// </summary>
/// <remarks>
/// <para>Layout. <see cref="Header"/> is the JSON form of the partial without groups or level counts (format, version,
/// ranges, grouping with its calendars, measures, rollup, age scheme and cut-off), read as strictly as any shard partial.
/// <see cref="Labels"/> holds, per grouping term, the distinct labels the groups and level counts use; keys are indexes
/// into it. The numeric columns are byte arrays of little-endian 32-bit or 64-bit integers, groups in key order
/// (ordinal), one row per group:
/// <see cref="Keys"/> (int32 × terms), <see cref="Sums"/> (int64 × 8: participations, completions, pre-score sum and
/// count, post-score sum and count, gain sum and count), <see cref="People"/> (int32 × 3: unique, assessed, improved).
/// Per-group lists (activities and schools as indexes into <see cref="Members"/>; HyperLogLog registers as the
/// entries of the non-empty ones, register × 64 + rank in register order, a sparse group's own array as it is) are a length column (int32 per group, −1 where the group has no list) and the items, group
/// after group. Level counts: <see cref="LevelSizes"/> (int32 per rollup level, from one term rolled up to the grand
/// total), then each level's keys (int32 × the terms it keeps) and counts (int32 × 3), in key order.</para>
/// <para>Its size grows with the groups (about 100 bytes each, plus 4 per activity, school or non-empty register), never
/// with the records; it carries counts and dataset identifiers, never beneficiary keys. On arrival, keys out of order or
/// repeated, indexes out of range, columns of the wrong length, negative counts and impossible registers are refused.</para>
/// </remarks>
[GenerateSerializer, Immutable, Alias("SafetyPrograms.Orleans.ShardPartialColumns")]
internal readonly record struct ShardPartialSurrogate(
    [property: Id(0)] string Header,
    [property: Id(1)] string[][] Labels,
    [property: Id(2)] byte[] Keys,
    [property: Id(3)] byte[] Sums,
    [property: Id(4)] byte[] People,
    [property: Id(5)] string[] Members,
    [property: Id(6)] byte[] ActivityLengths,
    [property: Id(7)] byte[] Activities,
    [property: Id(8)] byte[] SchoolLengths,
    [property: Id(9)] byte[] Schools,
    [property: Id(10)] byte[] HllLengths,
    [property: Id(11)] byte[] Hll,
    [property: Id(12)] byte[] LevelSizes,
    [property: Id(13)] byte[] LevelKeys,
    [property: Id(14)] byte[] LevelPeople);

/// <summary>Registers <see cref="ShardPartialSurrogate"/> with the Orleans serializer, and writes and reads its columns.</summary>
[RegisterConverter]
internal sealed class ShardPartialConverter : IConverter<ShardPartial, ShardPartialSurrogate>
{
    private const int SumsPerGroup = PartialGroup.SumCount;
    private const int CountsPerGroup = 3;

    // The serializer's framing of one string or array: a field header and a variable-length length, at most this many bytes.
    private const int FramingBytes = 8;

    /// <inheritdoc/>
    public ShardPartialSurrogate ConvertToSurrogate(in ShardPartial value)
    {
        RequireLittleEndian();
        var k = value.GroupBy.Count;
        var n = value.GroupCount;
        var labels = Enumerable.Range(0, k).Select(_ => new Table()).ToArray();
        var members = new Table();
        // The fixed-width columns are written in place: their sizes follow from the group count.
        var (keyBytes, sumBytes, peopleBytes) = (new byte[sizeof(int) * n * k], new byte[sizeof(long) * n * SumsPerGroup], new byte[sizeof(int) * n * CountsPerGroup]);
        var keys = MemoryMarshal.Cast<byte, int>(keyBytes.AsSpan());
        var sums = MemoryMarshal.Cast<byte, long>(sumBytes.AsSpan());
        var people = MemoryMarshal.Cast<byte, int>(peopleBytes.AsSpan());
        var (activities, schools, hll) = (new ListColumn(), new ListColumn(), new ListColumn());
        var groups = value.GroupsByKey.Values;
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            for (var t = 0; t < k; t++)
            {
                keys[(i * k) + t] = labels[t].IndexOf(g.Keys[t]);
            }
            var row = sums.Slice(i * SumsPerGroup, SumsPerGroup);
            (row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7]) = (g.Participations, g.Completions, g.PreSum, g.PreN, g.PostSum, g.PostN, g.GainSum, g.GainN);
            (people[i * CountsPerGroup], people[(i * CountsPerGroup) + 1], people[(i * CountsPerGroup) + 2]) = (g.People.Unique, g.People.Assessed, g.People.Improved);
            activities.Add(g.Activities, members);
            schools.Add(g.Schools, members);
            hll.Add(g.Hll);
        }
        var (sizes, levelKeys, levelPeople) = (new List<int>(), new List<int>(), new List<int>());
        for (var l = 0; l < value.LevelsByKey.Count; l++)
        {
            var level = value.LevelsByKey[l];
            sizes.Add(level.Count);
            var (levelKeyList, counts) = (level.Keys, level.Values);
            for (var i = 0; i < level.Count; i++)
            {
                var kept = ShardPartialDocument.Labels(levelKeyList[i], k - l - 1);
                for (var t = 0; t < kept.Length; t++)
                {
                    levelKeys.Add(labels[t].IndexOf(kept[t]));
                }
                levelPeople.AddRange([counts[i].Unique, counts[i].Assessed, counts[i].Improved]);
            }
        }
        return new(
            Bare(value).ToJson(),
            [.. labels.Select(t => t.Items.ToArray())],
            keyBytes,
            sumBytes,
            peopleBytes,
            [.. members.Items],
            Bytes(activities.Lengths),
            Bytes(activities.Items),
            Bytes(schools.Lengths),
            Bytes(schools.Items),
            Bytes(hll.Lengths),
            Bytes(hll.Items),
            Bytes(sizes),
            Bytes(levelKeys),
            Bytes(levelPeople));
    }

    /// <summary>The partial's ranges and query without its groups or level counts: what <see cref="ShardPartialSurrogate.Header"/> says.</summary>
    internal static ShardPartial Bare(ShardPartial value) =>
        value.With(KeyedEntries<PartialGroup>.Empty, [.. value.LevelsByKey.Select(_ => KeyedEntries<PersonCounts>.Empty)]);

    /// <summary>At least the bytes a partial with no groups takes on the wire: its header, and each column's framing.</summary>
    internal static long HeaderBytes(ShardPartial bare) => Encoding.UTF8.GetByteCount(bare.ToJson()) + (16L * FramingBytes);

    /// <summary>
    /// At least the bytes a group adds to the columns: its key indexes, sums, counts and list lengths, its list items, and
    /// its labels and member names as if no other group shared them (the label tables hold each once, so this is an upper bound).
    /// </summary>
    internal static long GroupBytes(string key, PartialGroup group)
    {
        var terms = group.Keys.Length;
        long bytes = (sizeof(int) * terms) + (sizeof(long) * SumsPerGroup) + (sizeof(int) * CountsPerGroup) + (3 * sizeof(int));
        bytes += sizeof(int) * ((long)(group.Activities?.Length ?? 0) + (group.Schools?.Length ?? 0) + (group.Hll?.EntryCount ?? 0));
        bytes += TextBytes(key) + ((long)FramingBytes * terms);
        foreach (var member in (group.Activities ?? []).Concat(group.Schools ?? []))
        {
            bytes += TextBytes(member) + FramingBytes;
        }
        return bytes;
    }

    /// <summary>At least the bytes one level count adds: its key indexes and counts, and its labels as if no group shared them.</summary>
    internal static long LevelBytes(string key, int kept) =>
        (sizeof(int) * kept) + (sizeof(int) * CountsPerGroup) + TextBytes(key) + ((long)FramingBytes * kept);

    private static long TextBytes(string text) => Encoding.UTF8.GetByteCount(text);

    /// <inheritdoc/>
    public ShardPartial ConvertFromSurrogate(in ShardPartialSurrogate surrogate)
    {
        try
        {
            return Read(surrogate);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"A shard partial arrived damaged: {e.Message}", e);
        }
    }

    private static ShardPartial Read(in ShardPartialSurrogate s)
    {
        var header = ShardPartial.FromJson(s.Header);
        var k = header.GroupBy.Count;
        Check(s.Labels.Length == k, "one label table per grouping term");
        var sums = Numbers<long>(s.Sums);
        var n = sums.Length / SumsPerGroup;
        var keys = Numbers<int>(s.Keys);
        var people = Numbers<int>(s.People);
        Check(sums.Length == n * SumsPerGroup && keys.Length == n * k && people.Length == n * CountsPerGroup, "key, sum and count columns for every group");
        var members = s.Members;
        var activities = new ListReader(s.ActivityLengths, s.Activities, n);
        var schools = new ListReader(s.SchoolLengths, s.Schools, n);
        var hll = new ListReader(s.HllLengths, s.Hll, n);
        var groups = new KeyedEntries<PartialGroup>(n);
        for (var g = 0; g < n; g++)
        {
            var labels = LabelsOf(s.Labels, keys.Slice(g * k, k));
            var row = sums.Slice(g * SumsPerGroup, SumsPerGroup);
            var (hasActivities, hasSchools, hasHll) = (activities.Next(out var activityItems), schools.Next(out var schoolItems), hll.Next(out var hllItems));
            var group = PartialGroup.OfSums(
                labels,
                row,
                CountsAt(people, g),
                hasActivities ? Names(members, activityItems) : null,
                hasSchools ? Names(members, schoolItems) : null,
                hasHll ? Registers(hllItems) : null);
            AddInOrder(groups, AggregatePartial.KeyOf(labels), group);
        }
        Check(activities.AtEnd && schools.AtEnd && hll.AtEnd, "no list items beyond the last group's");
        var sizes = Numbers<int>(s.LevelSizes);
        Check(sizes.Length == header.LevelsByKey.Count, "one size per rollup level");
        var levelKeys = Numbers<int>(s.LevelKeys);
        var levelPeople = Numbers<int>(s.LevelPeople);
        var subtotals = new KeyedEntries<PersonCounts>[sizes.Length];
        var (keyAt, entry) = (0, 0);
        for (var l = 0; l < sizes.Length; l++)
        {
            var kept = k - l - 1;
            Check(sizes[l] >= 0 && levelKeys.Length - keyAt >= (long)sizes[l] * kept && levelPeople.Length / CountsPerGroup - entry >= sizes[l], "level columns as long as their sizes");
            var level = new KeyedEntries<PersonCounts>(sizes[l]);
            for (var i = 0; i < sizes[l]; i++, entry++, keyAt += kept)
            {
                AddInOrder(level, AggregatePartial.KeyOf(LabelsOf(s.Labels, levelKeys.Slice(keyAt, kept))), CountsAt(levelPeople, entry));
            }
            subtotals[l] = level;
        }
        Check(keyAt == levelKeys.Length && entry * CountsPerGroup == levelPeople.Length, "no level entries beyond the sizes");
        return header.With(groups, subtotals);
    }

    private static string[] LabelsOf(string[][] tables, ReadOnlySpan<int> indexes)
    {
        var labels = new string[indexes.Length];
        for (var t = 0; t < labels.Length; t++)
        {
            labels[t] = Item(tables[t], indexes[t]);
        }
        return labels;
    }

    /// <summary>A group's registers in the form their entries call for (sparse stays sparse), impossible entries refused.</summary>
    private static HllRegisters Registers(ReadOnlySpan<int> entries)
    {
        Check(HllRegisters.FirstInvalid(entries) < 0, "HyperLogLog entries of registers below 2^14 with ranks 1 to 51");
        return HllRegisters.FromEntries(entries.ToArray());
    }

    /// <summary>The names of a set of members, held sorted (ordinal) and without repeats, as every partial holds them.</summary>
    private static string[] Names(string[] members, ReadOnlySpan<int> indexes)
    {
        var names = new string[indexes.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Item(members, indexes[i]);
        }
        return PartialGroupDocument.SortedSet(names)!;
    }

    private static PersonCounts CountsAt(ReadOnlySpan<int> counts, int row) =>
        SubtotalDocument.CountsOf(counts[row * CountsPerGroup], counts[(row * CountsPerGroup) + 1], counts[(row * CountsPerGroup) + 2]);

    /// <summary>Adds an entry whose key must follow every key before it: the sender wrote them in order, once each.</summary>
    private static void AddInOrder<T>(KeyedEntries<T> list, string key, T value)
    {
        Check(list.TryAppend(key, value), "keys in order, each once");
    }

    private static string Item(string[] table, int index)
    {
        Check((uint)index < (uint)table.Length, "indexes within their table");
        return table[index];
    }

    private static void Check(bool condition, string expected)
    {
        if (!condition)
        {
            throw new ArgumentException($"its columns do not hold {expected}.");
        }
    }

    private static byte[] Bytes<T>(List<T> values)
        where T : unmanaged
    {
        RequireLittleEndian();
        return MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(values)).ToArray();
    }

    /// <summary>A column's numbers, read where they lie (unaligned reads are fine on every little-endian platform .NET runs on).</summary>
    private static ReadOnlySpan<T> Numbers<T>(byte[] bytes)
        where T : unmanaged
    {
        RequireLittleEndian();
        Check(bytes.Length % System.Runtime.CompilerServices.Unsafe.SizeOf<T>() == 0, "whole numbers");
        return MemoryMarshal.Cast<byte, T>(bytes);
    }

    // The columns are the machine's integers as bytes; every platform .NET runs Orleans on is little-endian, and a
    // big-endian one must not read them silently wrong.
    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Shard partials travel as little-endian integers; this machine is big-endian.");
        }
    }

    /// <summary>Distinct strings in the order first seen, each with its index.</summary>
    private sealed class Table
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

        internal List<string> Items { get; } = [];

        // Groups in key order share their first labels with their neighbours, as the same string objects.
        private string? _last;
        private int _lastIndex;

        internal int IndexOf(string item)
        {
            if (ReferenceEquals(item, _last))
            {
                return _lastIndex;
            }
            if (!_index.TryGetValue(item, out var i))
            {
                (i, _index[item]) = (Items.Count, Items.Count);
                Items.Add(item);
            }
            (_last, _lastIndex) = (item, i);
            return i;
        }
    }

    /// <summary>A list per group, written as lengths (−1 for none) and the items one group after another.</summary>
    private sealed class ListColumn
    {
        internal List<int> Lengths { get; } = [];

        internal List<int> Items { get; } = [];

        /// <summary>A group's members as their indexes in <paramref name="table"/>.</summary>
        internal void Add(string[]? items, Table table)
        {
            if (items is null)
            {
                Lengths.Add(-1);
                return;
            }
            foreach (var item in items)
            {
                Items.Add(table.IndexOf(item));
            }
            Lengths.Add(items.Length);
        }

        /// <summary>A group's registers as their entries (register × 64 + rank), without expanding a sparse form.</summary>
        internal void Add(HllRegisters? registers)
        {
            if (registers is null)
            {
                Lengths.Add(-1);
                return;
            }
            var entries = registers.Entries();
            Items.AddRange(entries);
            Lengths.Add(entries.Length);
        }
    }

    /// <summary>Reads a <see cref="ListColumn"/> back, group by group.</summary>
    private ref struct ListReader
    {
        private readonly ReadOnlySpan<int> _lengths;
        private readonly ReadOnlySpan<int> _items;
        private int _group;
        private int _at;

        internal ListReader(byte[] lengths, byte[] items, int groups)
        {
            _lengths = Numbers<int>(lengths);
            _items = Numbers<int>(items);
            Check(_lengths.Length == groups, "a list length for every group");
        }

        internal readonly bool AtEnd => _at == _items.Length;

        /// <summary>The next group's items; false when the group has no list.</summary>
        internal bool Next(out ReadOnlySpan<int> items)
        {
            var length = _lengths[_group++];
            if (length < 0)
            {
                Check(length == -1, "list lengths of -1 or more");
                items = default;
                return false;
            }
            Check(_items.Length - _at >= length, "the items their lengths count");
            items = _items.Slice(_at, length);
            _at += length;
            return true;
        }
    }
}
