namespace SafetyPrograms.Aggregation;

internal static partial class QueryEngine
{
    /// <summary>How many partitions the partitioned pass spreads slots over.</summary>
    private const int PartitionBits = 6;

    /// <summary>
    /// Whether a query should aggregate by partitions: only additive measures (no distinct state, which relies on the
    /// beneficiary order) and group state too large for the cache.
    /// </summary>
    private static bool UsePartitions(Needs needs, int slotCount, object slots, long aboveBytes) =>
        !needs.Unique && !needs.Hll && !needs.Improved && slots is not HashedSlots
        && slotCount < (1 << 22) && (long)slotCount * 8 * (1 + (needs.Completed ? 1 : 0) + (needs.Pre ? 2 : 0) + (needs.Post ? 2 : 0) + (needs.Gain ? 2 : 0)) > aboveBytes;

    /// <summary>
    /// Radix-partitioned aggregation for large group state (school × quarter: 33,000 groups of four sums): records in
    /// beneficiary order hit the state at random, so first each record's slot and payload are packed into one long, then
    /// scattered by the slot's high bits, and each partition is summed while its slice of the state sits in cache.
    /// </summary>
    private static void PartitionedScan(in Inputs x, QueryPlan plan, object slots, GroupState g, int start, int end)
    {
        var c = x.Columns;
        var map = slots is MappedSlots mapped ? mapped.Map : null;
        var packed = Pooled.RentDirty<long>(Math.Max(1, end - start));
        var shift = Math.Max(0, 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)Math.Max(1, g.Slots - 1)) - PartitionBits);
        var counts = new int[(1 << PartitionBits) + 1];
        var n = 0;
        for (var i = start; i < end; i++)
        {
            var key = KeyOf(plan, c, i);
            if (key < 0)
            {
                continue;
            }
            var slot = map is null ? (int)key : map[key];
            // slot (22 bits) | completed (1) | pre score code (16) | post score code (16)
            packed[n++] = (uint)slot | ((long)(c.Flags[i] >> 7) << 22) | ((long)c.Pre[i] << 23) | ((long)c.Post[i] << 39);
            counts[(slot >> shift) + 1]++;
        }
        for (var p = 1; p < counts.Length; p++)
        {
            counts[p] += counts[p - 1];
        }
        var partitioned = Pooled.RentDirty<long>(Math.Max(1, n));
        for (var i = 0; i < n; i++)
        {
            var v = packed[i];
            partitioned[counts[(int)(v & 0x3F_FFFF) >> shift]++] = v;
        }
        Pooled.Return(packed);
        var cells = g.Cells;
        var width = g.Width;
        var values = c.ScoreValues;
        int completedAt = g.CompletedAt, preAt = g.PreAt, postAt = g.PostAt, gainAt = g.GainAt;
        for (var i = 0; i < n; i++)
        {
            var v = partitioned[i];
            var cell = (int)(v & 0x3F_FFFF) * width;
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
        Pooled.Return(partitioned);
    }
}
