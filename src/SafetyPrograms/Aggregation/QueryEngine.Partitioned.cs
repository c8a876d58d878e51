using System.Numerics;
using System.Runtime.CompilerServices;

namespace SafetyPrograms.Aggregation;

internal static partial class QueryEngine
{
    /// <summary>How many partitions the partitioned pass spreads keys over.</summary>
    private const int PartitionBits = 6;

    /// <summary>
    /// Whether a query should aggregate by partitions: only additive measures (no distinct state, which relies on the
    /// beneficiary order), and state over the whole key space too large for the cache. It is decided before the keys
    /// present are known, so that numbering them takes no pass of its own.
    /// </summary>
    private static bool UsePartitions(Needs needs, long keySpace, long aboveBytes) =>
        !needs.Unique && !needs.Hll && !needs.Improved
        && keySpace <= DenseLimit && keySpace * 8 * (1 + (needs.Completed ? 1 : 0) + (needs.Pre ? 2 : 0) + (needs.Post ? 2 : 0) + (needs.Gain ? 2 : 0)) > aboveBytes;

    /// <summary>What the partitioned aggregation hands back: per-range state, the slot numbering and the level maps.</summary>
    private sealed record Partitioned(GroupState[] States, object Slots, LevelMaps Levels, int[]? PooledMap);

    /// <summary>
    /// Radix-partitioned aggregation for large group state (school × quarter: 240,000 keys, 33,000 groups of four sums):
    /// records in beneficiary order hit the state at random, so one pass over the columns packs each record's key and
    /// payload into one long (and marks the keys present), then each range scatters its longs by the key's high bits and
    /// sums each partition while its slice of the state sits in cache. A sparse key space is numbered between the two
    /// steps from the marks; the numbering keeps key order, so a partition's keys map to a contiguous run of slots.
    /// </summary>
    private static Partitioned AggregateByPartitions(
        QueryPlan plan, ParticipationStore.Columns c, Needs needs, int levelCount, (int Start, int End)[] ranges, bool numbered)
    {
        var keySpace = (int)plan.KeySpace;
        var shift = Math.Max(0, 32 - BitOperations.LeadingZeroCount((uint)Math.Max(1, keySpace - 1)) - PartitionBits);
        var partitions = ((Math.Max(1, keySpace) - 1) >> shift) + 1;
        var words = (keySpace + 63) >> 6;
        var packed = new long[ranges.Length][];
        var histograms = new int[ranges.Length][];
        var bitmaps = new ulong[ranges.Length][];
        var counts = new int[ranges.Length];
        ForEachRange(ranges, t =>
        {
            var (start, end) = ranges[t];
            packed[t] = Pooled.RentDirty<long>(Math.Max(1, end - start));
            histograms[t] = new int[partitions + 1];
            bitmaps[t] = numbered ? Pooled.Rent<ulong>(words) : [];
            counts[t] = Pack(plan, c, start, end, packed[t], histograms[t], shift, bitmaps[t]);
        });

        int[]? map = null;
        long[]? slotKeys = null;
        var slotCount = keySpace;
        if (numbered)
        {
            var present = bitmaps[0];
            for (var t = 1; t < bitmaps.Length; t++)
            {
                var other = bitmaps[t];
                for (var w = 0; w < words; w++)
                {
                    present[w] |= other[w];
                }
            }
            slotCount = 0;
            for (var w = 0; w < words; w++)
            {
                slotCount += BitOperations.PopCount(present[w]);
            }
            // Only the keys present are ever looked up, so the map need not be cleared.
            map = Pooled.RentDirty<int>(keySpace);
            slotKeys = new long[slotCount];
            var slot = 0;
            for (var w = 0; w < words; w++)
            {
                for (var bits = present[w]; bits != 0; bits &= bits - 1)
                {
                    var key = (w << 6) + BitOperations.TrailingZeroCount(bits);
                    map[key] = slot;
                    slotKeys[slot++] = key;
                }
            }
            foreach (var bitmap in bitmaps)
            {
                Pooled.Return(bitmap);
            }
        }
        var levels = LevelMaps.Build(plan, slotCount, slotKeys, levelCount);
        var states = new GroupState[ranges.Length];
        var values = c.ScoreValues;
        ForEachRange(ranges, t =>
        {
            states[t] = new GroupState(slotCount, levels, needs);
            var n = counts[t];
            var histogram = histograms[t];
            for (var p = 1; p < histogram.Length; p++)
            {
                histogram[p] += histogram[p - 1];
            }
            var source = packed[t];
            var partitioned = Pooled.RentDirty<long>(Math.Max(1, n));
            Scatter(source, partitioned, n, histogram, shift);
            Pooled.Return(source);
            Sum(states[t], partitioned, n, map, values);
            Pooled.Return(partitioned);
        });
        return new Partitioned(states, numbered ? new MappedSlots(map!) : new DenseSlots(), levels, map);
    }

    /// <summary>The low bits of a packed record: its group key (key spaces above <see cref="DenseLimit"/> never get here).</summary>
    private const long KeyMask = DenseLimit - 1;

    /// <summary>Records a block of <see cref="Pack"/> takes at once: its keys stay in the first-level cache.</summary>
    private const int PackBlock = 1024;

    /// <summary>
    /// Packs the kept records of a range as key (22 bits) | completed (1) | pre score code (16) | post score code (16),
    /// counts them per partition and marks their keys; returns how many were kept. A block of records at a time, one
    /// column at a time: each loop then holds only its column and table in registers, where one loop over every
    /// source spilled them (and tested each source's switch per record).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Pack(QueryPlan plan, in ParticipationStore.Columns c, int start, int end, long[] packed, int[] histogram, int shift, ulong[] present)
    {
        var s = plan.Sources;
        Span<long> keys = stackalloc long[PackBlock];
        var n = 0;
        for (var block = start; block < end; block += PackBlock)
        {
            var count = Math.Min(PackBlock, end - block);
            var key = keys[..count];
            // A rejected value is so negative that the sum of five table values stays negative: one test, not five.
            if (s[2].Active)
            {
                Lookup(key, c.Flags.AsSpan(block, count), s[2].Table);
            }
            else
            {
                key.Clear();
            }
            if (s[3].Active)
            {
                Add(key, c.Age.AsSpan(block, count), s[3].Table);
            }
            if (s[4].Active)
            {
                AddPersons(key, c.Beneficiary.AsSpan(block, count), c.PersonSummary, s[4].Table);
            }
            if (s[1].Active)
            {
                AddDays(key, c.Day.AsSpan(block, count), plan.MinDay, s[1].Table);
            }
            if (s[0].Active)
            {
                AddContexts(key, c.Context.AsSpan(block, count), s[0].Table);
            }
            n = Emit(key, c.Flags.AsSpan(block, count), c.Pre.AsSpan(block, count), c.Post.AsSpan(block, count), packed, n, histogram, shift, present);
        }
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Lookup(Span<long> keys, ReadOnlySpan<byte> column, long[] table)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = table[column[i]];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Add(Span<long> keys, ReadOnlySpan<byte> column, long[] table)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] += table[column[i]];
        }
    }

    /// <summary>Adds each record's person's disability summary, read through the record's beneficiary.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddPersons(Span<long> keys, ReadOnlySpan<int> beneficiary, byte[] personSummary, long[] table)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] += table[personSummary[beneficiary[i]]];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddDays(Span<long> keys, ReadOnlySpan<ushort> day, int minDay, long[] table)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] += table[day[i] - minDay];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddContexts(Span<long> keys, ReadOnlySpan<int> context, long[] table)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] += table[context[i]];
        }
    }

    /// <summary>Packs the block's kept records after <paramref name="n"/> in <paramref name="packed"/>; returns the new count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Emit(
        ReadOnlySpan<long> keys, ReadOnlySpan<byte> flags, ReadOnlySpan<ushort> pre, ReadOnlySpan<ushort> post, long[] packed, int n, int[] histogram, int shift, ulong[] present)
    {
        var mark = present.Length > 0;
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            if (key < 0)
            {
                continue;
            }
            packed[n++] = key | ((long)(flags[i] >> 7) << 22) | ((long)pre[i] << 23) | ((long)post[i] << 39);
            histogram[((int)key >> shift) + 1]++;
            if (mark)
            {
                present[key >> 6] |= 1UL << (int)key;
            }
        }
        return n;
    }

    /// <summary>Moves packed records into their partitions, in order within each (the histogram holds partition starts).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter(long[] source, long[] partitioned, int n, int[] starts, int shift)
    {
        for (var i = 0; i < n; i++)
        {
            var v = source[i];
            partitioned[starts[(int)(v & KeyMask) >> shift]++] = v;
        }
    }

    /// <summary>Adds partitioned packed records into the state; <paramref name="map"/> numbers a sparse key space.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sum(GroupState g, long[] partitioned, int n, int[]? map, long[] values)
    {
        var cells = g.Cells;
        var width = g.Width;
        int completedAt = g.CompletedAt, preAt = g.PreAt, postAt = g.PostAt, gainAt = g.GainAt;
        for (var i = 0; i < n; i++)
        {
            var v = partitioned[i];
            var key = (int)(v & KeyMask);
            var cell = (map is null ? key : map[key]) * width;
            cells[cell]++;
            if (completedAt >= 0)
            {
                cells[cell + completedAt] += (v >> 22) & 1;
            }
            var pre = (int)(v >> 23) & 0xFFFF;
            var post = (int)(v >> 39) & 0xFFFF;
            var hasPre = pre != 0 ? 1 : 0;
            var hasPost = post != 0 ? 1 : 0;
            if (preAt >= 0)
            {
                cells[cell + preAt] += values[pre];
                cells[cell + preAt + 1] += hasPre;
            }
            if (postAt >= 0)
            {
                cells[cell + postAt] += values[post];
                cells[cell + postAt + 1] += hasPost;
            }
            if (gainAt >= 0)
            {
                var both = hasPre & hasPost;
                cells[cell + gainAt] += (values[post] - values[pre]) * both;
                cells[cell + gainAt + 1] += both;
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> once per range, in parallel when there are several.</summary>
    private static void ForEachRange((int Start, int End)[] ranges, Action<int> body)
    {
        if (ranges.Length == 1)
        {
            body(0);
        }
        else
        {
            Parallel.For(0, ranges.Length, new ParallelOptions { MaxDegreeOfParallelism = ranges.Length }, body);
        }
    }
}
