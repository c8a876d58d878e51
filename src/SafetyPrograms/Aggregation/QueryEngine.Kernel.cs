using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SafetyPrograms.Aggregation;

internal static partial class QueryEngine
{
    /// <summary>A compile-time switch: the JIT specialises the kernel for each combination and drops unused work.</summary>
    internal interface ISwitch
    {
        static abstract bool On { get; }
    }

    internal readonly struct Yes : ISwitch
    {
        public static bool On => true;
    }

    internal readonly struct No : ISwitch
    {
        public static bool On => false;
    }

    /// <summary>A record's part of the group key from its context (activity + school), as the query plan tabled it.</summary>
    internal interface IContextParts
    {
        /// <summary>Whether the query reads the context at all (it groups or filters by a dataset dimension).</summary>
        static abstract bool On { get; }

        /// <summary>The key part of <paramref name="context"/>, negative when a filter leaves the context out.</summary>
        long Part(int context);
    }

    /// <summary>The query neither groups nor filters by a dataset dimension.</summary>
    internal readonly struct NoContext : IContextParts
    {
        public static bool On => false;

        public long Part(int context) => 0;
    }

    /// <summary>
    /// Fewer combinations than <typeparamref name="T"/>'s largest value (255 for a byte, 65,535 for two): one
    /// <typeparamref name="T"/> a context, the largest value for one filtered out.
    /// </summary>
    internal readonly struct NarrowContext<T>(T[] parts) : IContextParts
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        public static bool On => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long Part(int context)
        {
            var part = parts[context];
            return part == T.MaxValue ? QueryPlan.Rejected : long.CreateTruncating(part);
        }
    }

    /// <summary>Any number of combinations: the plan's own table, <see cref="QueryPlan.Rejected"/> for a context filtered out.</summary>
    internal readonly struct WideContext(long[] parts) : IContextParts
    {
        public static bool On => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public long Part(int context) => parts[context];
    }

    /// <summary>Turns a group key into a slot (an index into the group state arrays).</summary>
    internal interface ISlots
    {
        int Slot(long key);
    }

    /// <summary>The key is the slot: a perfect hash over a small key space.</summary>
    internal readonly struct DenseSlots : ISlots
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Slot(long key) => (int)key;
    }

    /// <summary>A sparse key space: keys were numbered by a bitmap pass over the records.</summary>
    internal readonly struct MappedSlots(int[] map) : ISlots
    {
        internal int[] Map => map;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Slot(long key) => map[key];
    }

    /// <summary>The hash fallback for large key spaces: slots were numbered by a first pass.</summary>
    internal readonly struct HashedSlots(Dictionary<long, int> index) : ISlots
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Slot(long key) => index[key];
    }

    /// <summary>Everything a kernel reads, gathered once per query.</summary>
    internal readonly struct Inputs(in ParticipationStore.Columns c, QueryPlan plan)
    {
        internal readonly ParticipationStore.Columns Columns = c;
        internal readonly object ContextParts = plan.ContextParts;
        internal readonly long[] DayTable = plan.Sources[1].Table;
        internal readonly long[] FlagsTable = plan.Sources[2].Table;
        internal readonly long[] AgeTable = plan.Sources[3].Table;
        internal readonly long[] DisabilityTable = plan.Sources[4].Table;
        internal readonly int MinDay = plan.MinDay;

        /// <summary>The sieve of a selective filter on role, sex or mode; off when there is none or it lets most records through.</summary>
        internal readonly FlagsSieve Sieve = FlagsSieve.For(c, plan);
    }

    /// <summary>
    /// A selective filter on the flags byte as one mask and value (a byte passes when its masked bits equal the value), so
    /// the kernel finds the records that may pass 64 at a time with vector compares and visits only those, instead of
    /// testing every record with a branch that mostly says no. The sieve lets through a superset of the filter (bits on
    /// which the allowed bytes differ are left out of the mask): the flags table still decides each record it visits.
    /// </summary>
    internal readonly struct FlagsSieve
    {
        private readonly Vector128<byte> _mask;
        private readonly Vector128<byte> _value;

        /// <summary>A sieve letting through the flags bytes whose bits in <paramref name="mask"/> equal <paramref name="value"/>'s.</summary>
        internal FlagsSieve(byte mask, byte value)
        {
            _mask = Vector128.Create(mask);
            _value = Vector128.Create(value);
            On = true;
        }

        /// <summary>Whether the kernel sieves (false: it tests every record).</summary>
        internal bool On { get; }

        /// <summary>
        /// The sieve for a query's flags table, when the filter lets through few records (under 1 in 4 of a sample) and
        /// <see cref="AggregationQuery.SieveFlags"/> is on; otherwise off.
        /// </summary>
        internal static FlagsSieve For(in ParticipationStore.Columns c, QueryPlan plan)
        {
            var table = plan.Sources[2].Table;
            if (!plan.Sources[2].Active || table.Length < 256 || !plan.SieveFlags || !Vector128.IsHardwareAccelerated)
            {
                return default;
            }
            int first = -1, differ = 0;
            for (var f = 0; f < 256; f++)
            {
                if (table[f] >= 0)
                {
                    first = first < 0 ? f : first;
                    differ |= f ^ first;
                }
            }
            var mask = (byte)~differ;
            if (first < 0 || mask == 0)
            {
                return default;
            }
            var value = (byte)(first & mask);
            // Records are in beneficiary-hash order, so any stretch of them is a fair sample.
            var sample = c.Flags.AsSpan(0, Math.Min(c.Count, 4096));
            var passing = 0;
            foreach (var f in sample)
            {
                passing += (f & mask) == value ? 1 : 0;
            }
            return passing * 4 < sample.Length ? new FlagsSieve(mask, value) : default;
        }

        /// <summary>
        /// The next record from <paramref name="block"/> on whose flags pass, or -1 past <paramref name="end"/>:
        /// <paramref name="candidates"/> holds the passing records of the 64 from <paramref name="block"/> not yet visited.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal int Next(byte[] flags, ref ulong candidates, ref int block, int end)
        {
            while (candidates == 0)
            {
                block += 64;
                if (block >= end)
                {
                    return -1;
                }
                candidates = Block(flags, block, end);
            }
            var next = block + BitOperations.TrailingZeroCount(candidates);
            candidates &= candidates - 1;
            return next;
        }

        /// <summary>One bit per record of the 64 from <paramref name="at"/> (those before <paramref name="end"/>) whose flags pass.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private ulong Block(byte[] flags, int at, int end)
        {
            if (end - at < 64)
            {
                ulong bits = 0;
                var mask = _mask.GetElement(0);
                var value = _value.GetElement(0);
                for (var i = at; i < end; i++)
                {
                    bits |= (flags[i] & mask) == value ? 1UL << (i - at) : 0;
                }
                return bits;
            }
            ref var first = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(flags), at);
            var b0 = Vector128.Equals(Vector128.LoadUnsafe(ref first) & _mask, _value).ExtractMostSignificantBits();
            var b1 = Vector128.Equals(Vector128.LoadUnsafe(ref first, 16) & _mask, _value).ExtractMostSignificantBits();
            var b2 = Vector128.Equals(Vector128.LoadUnsafe(ref first, 32) & _mask, _value).ExtractMostSignificantBits();
            var b3 = Vector128.Equals(Vector128.LoadUnsafe(ref first, 48) & _mask, _value).ExtractMostSignificantBits();
            return b0 | ((ulong)b1 << 16) | ((ulong)b2 << 32) | ((ulong)b3 << 48);
        }
    }

    // Each kernel instantiation serves one query shape, often run once: compile it fully optimised at once, rather than
    // running tier-0 code until tiering catches up (the side-by-side harness measured Q6 three times slower that way).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scan<TCtx, TDay, TFlags, TAge, TDisability, TCompleted, TScores, TUnique, THll, TRollup, TSlots>(
        in Inputs x, GroupState g, object slotsObject, int start, int end)
        where TCtx : struct, IContextParts
        where TDay : struct, ISwitch
        where TFlags : struct, ISwitch
        where TAge : struct, ISwitch
        where TDisability : struct, ISwitch
        where TCompleted : struct, ISwitch
        where TScores : struct, ISwitch
        where TUnique : struct, ISwitch
        where THll : struct, ISwitch
        where TRollup : struct, ISwitch
        where TSlots : struct, ISlots
    {
        var slots = (TSlots)slotsObject;
        var contextParts = (TCtx)x.ContextParts;
        var c = x.Columns;
        var ben = c.Beneficiary;
        var context = c.Context;
        var day = c.Day;
        var flags = c.Flags;
        var age = c.Age;
        var hash = c.BeneficiaryHash;
        var dayTable = x.DayTable;
        var flagsTable = x.FlagsTable;
        var ageTable = x.AgeTable;
        var disabilityTable = x.DisabilityTable;
        var personSummary = c.PersonSummary;
        var minDay = x.MinDay;
        var cells = g.Cells;
        var width = g.Width;
        var completedAt = g.CompletedAt;
        var level0 = g.Levels[0];
        var unique = level0.Unique!;
        var hll = level0.Hll!;
        var weight = level0.Weight!;
        var hashOf = -1;
        ulong h = 0;
        var sieve = x.Sieve;
        var sieving = TFlags.On && sieve.On;
        ulong candidates = 0;
        var block = start - 64;
        for (var i = start; i < end; i++)
        {
            if (TFlags.On && sieving)
            {
                i = sieve.Next(flags, ref candidates, ref block, end);
                if (i < 0)
                {
                    break;
                }
            }
            // Small tables first, and stop at the first one that filters the record out: a selective filter on role
            // or mode then never reads the larger context table.
            long key = 0;
            if (TFlags.On)
            {
                key = flagsTable[flags[i]];
                if (key < 0)
                {
                    continue;
                }
            }
            if (TAge.On)
            {
                key += ageTable[age[i]];
                if (key < 0)
                {
                    continue;
                }
            }
            if (TDisability.On)
            {
                // Held once per beneficiary: read by beneficiary number, as the unique count reads it.
                key += disabilityTable[personSummary[ben[i]]];
                if (key < 0)
                {
                    continue;
                }
            }
            if (TDay.On)
            {
                key += dayTable[day[i] - minDay];
                if (key < 0)
                {
                    continue;
                }
            }
            if (TCtx.On)
            {
                key += contextParts.Part(context[i]);
                if (key < 0)
                {
                    continue;
                }
            }
            var s = slots.Slot(key);
            var cell = s * width;
            cells[cell]++;
            if (TCompleted.On)
            {
                cells[cell + completedAt] += flags[i] >> 7;
            }
            if (TScores.On)
            {
                UpdateScores<TRollup>(c, g, i, s, cell);
            }
            // Whether this record is the first of its beneficiary (or HyperLogLog register) in its group. If not, it is
            // not the first in any coarser group holding this one either: the earlier record marked those levels, and
            // with beneficiaries and registers contiguous nothing has overwritten the marks since.
            var fresh = false;
            if (TUnique.On)
            {
                var b = ben[i] + 1;
                ref var last = ref unique[2 * s];
                if (last != b)
                {
                    last = b;
                    unique[(2 * s) + 1]++;
                    fresh = true;
                }
            }
            if (THll.On)
            {
                // Records of one beneficiary are contiguous: read its hash once per run, not once per record.
                if (ben[i] != hashOf)
                {
                    hashOf = ben[i];
                    h = hash[hashOf];
                }
                var register = HyperLogLog.Register(h) + 1;
                ref var last = ref hll[2 * s];
                if (last != register)
                {
                    last = register;
                    hll[(2 * s) + 1]++;
                    weight[s] += HyperLogLog.Weight(HyperLogLog.Rank(h));
                    fresh = true;
                }
            }
            if (TRollup.On && (TUnique.On || THll.On) && fresh)
            {
                UpdateLevels<TUnique, THll>(g, ben[i], THll.On ? h : 0, s);
            }
        }
    }

    /// <summary>Unique counts at the subtotal levels: each level keeps its own "last seen", so it recounts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateLevels<TUnique, THll>(GroupState g, int beneficiary, ulong hash, int slot)
        where TUnique : struct, ISwitch
        where THll : struct, ISwitch
    {
        var b = beneficiary + 1;
        var register = HyperLogLog.Register(hash) + 1;
        var levels = g.Levels;
        for (var l = 1; l < levels.Length; l++)
        {
            var level = levels[l];
            var ls = level.Map![slot];
            if (TUnique.On)
            {
                var unique = level.Unique!;
                if (unique[2 * ls] != b)
                {
                    unique[2 * ls] = b;
                    unique[(2 * ls) + 1]++;
                }
            }
            if (THll.On)
            {
                var hll = level.Hll!;
                if (hll[2 * ls] != register)
                {
                    hll[2 * ls] = register;
                    hll[(2 * ls) + 1]++;
                    level.Weight![ls] += HyperLogLog.Weight(HyperLogLog.Rank(hash));
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateScores<TRollup>(in ParticipationStore.Columns c, GroupState g, int i, int s, int cell)
        where TRollup : struct, ISwitch
    {
        // Branch-free: score code 0 means "no score" and its value is 0, so a missing score adds nothing; the counts add
        // 0 or 1. Scores are present on a random share of records, where branches would be mispredicted.
        var pre = c.Pre[i];
        var post = c.Post[i];
        var values = c.ScoreValues;
        var cells = g.Cells;
        var hasPre = pre != 0 ? 1 : 0;
        var hasPost = post != 0 ? 1 : 0;
        var both = hasPre & hasPost;
        if (g.PreAt >= 0)
        {
            cells[cell + g.PreAt] += values[pre];
            cells[cell + g.PreAt + 1] += hasPre;
        }
        if (g.PostAt >= 0)
        {
            cells[cell + g.PostAt] += values[post];
            cells[cell + g.PostAt + 1] += hasPost;
        }
        var gain = (values[post] - values[pre]) * both;
        if (g.GainAt >= 0)
        {
            cells[cell + g.GainAt] += gain;
            cells[cell + g.GainAt + 1] += both;
        }
        if (both == 0)
        {
            return;
        }
        if (g.Levels[0].Improved is null)
        {
            return;
        }
        var b = c.Beneficiary[i] + 1;
        var levels = g.Levels;
        var top = TRollup.On ? levels.Length : 1;
        for (var l = 0; l < top; l++)
        {
            var level = levels[l];
            var ls = l == 0 ? s : level.Map![s];
            var improved = level.Improved!;
            if (improved[4 * ls] != b)
            {
                improved[4 * ls] = b;
                improved[(4 * ls) + 1]++;
            }
            if (gain > 0 && improved[(4 * ls) + 2] != b)
            {
                improved[(4 * ls) + 2] = b;
                improved[(4 * ls) + 3]++;
            }
        }
    }
}
