using System.Collections.Concurrent;
using System.Reflection;

namespace SafetyPrograms.Aggregation;

/// <summary>The execution paths of <see cref="QueryEngine"/>.</summary>
internal enum EnginePath
{
    /// <summary>One pass; the group key is the slot (key space up to <see cref="QueryEngine.SparseFrom"/>).</summary>
    Dense,

    /// <summary>A bitmap pass numbers the keys present, then one pass (key space up to <see cref="QueryEngine.DenseLimit"/>).</summary>
    Mapped,

    /// <summary>A dictionary numbers the keys present (key space above <see cref="QueryEngine.DenseLimit"/>).</summary>
    Hashed,

    /// <summary>Radix-partitioned sums over the whole (small) key space.</summary>
    PartitionedDense,

    /// <summary>Radix-partitioned sums over the keys present, numbered from the pack pass's marks.</summary>
    PartitionedNumbered,
}

/// <summary>
/// Runs a compiled query: one pass over the columns (per thread, over ranges that never split a beneficiary or a
/// HyperLogLog register), thread-local group state merged at the end, then rollup levels and measures.
/// </summary>
internal static partial class QueryEngine
{
    /// <summary>Key spaces up to this size are numbered through an array; larger ones by a dictionary (the hash fallback).</summary>
    internal const long DenseLimit = 1 << 22;

    /// <summary>Key spaces above this many keys are mapped to the keys actually present before the main pass.</summary>
    internal const long SparseFrom = 1 << 16;

    private static readonly ConcurrentDictionary<int, ScanDelegate> Kernels = new();

    private delegate void ScanDelegate(in Inputs x, GroupState g, object slots, int start, int end);

    internal static AggregationResult Run(AggregationQuery query)
    {
        var columns = query.Columns();
        var plan = new QueryPlan(query, columns);
        var needs = new Needs(query.EffectiveMeasures);
        using var scan = Aggregate(query, plan, columns, needs, query.IsRollup ? plan.Terms.Length + 1 : 1);
        if (needs.Activities || needs.Schools)
        {
            DistinctPass.Count(scan.Inputs, plan, scan.Slots, scan.Levels, scan.State, needs);
        }
        var result = ResultBuilder.Build(plan.Terms, plan.TermLabels, scan.Levels, scan.State, needs).Stating(query);
        plan.ReturnTables();
        return result;
    }

    /// <summary>The group state of a pass over the records, merged across threads; disposing it returns the pooled arrays.</summary>
    internal sealed class Scanned(Inputs inputs, GroupState[] states, object slots, LevelMaps levels, int[]? pooledMap) : IDisposable
    {
        internal Inputs Inputs { get; } = inputs;

        /// <summary>Every thread's state summed.</summary>
        internal GroupState State { get; } = states[0];

        /// <summary>How a group key becomes a slot: <see cref="DenseSlots"/>, <see cref="MappedSlots"/> or <see cref="HashedSlots"/>.</summary>
        internal object Slots { get; } = slots;

        internal LevelMaps Levels { get; } = levels;

        public void Dispose()
        {
            Pooled.Return(pooledMap);
            foreach (var s in states)
            {
                s.Dispose();
            }
        }
    }

    /// <summary>
    /// The engine's one pass: the additive cells, exact and approximate unique counts and the improved share of every
    /// group (and rollup level), by whichever path suits the key space, summed across threads.
    /// </summary>
    internal static Scanned Aggregate(AggregationQuery query, QueryPlan plan, ParticipationStore.Columns columns, Needs needs, int levelCount)
    {
        var ranges = Partition(columns, query.MaxThreads, query.MinRecordsPerThread);
        var inputs = new Inputs(columns, plan);
        GroupState[] states;
        object slots;
        LevelMaps levels;
        int[]? pooledMap = null;
        var path = PathOf(needs, plan.KeySpace, query.PartitionAboveStateBytes);
        if (path is EnginePath.PartitionedDense or EnginePath.PartitionedNumbered)
        {
            var partitioned = AggregateByPartitions(plan, columns, needs, levelCount, ranges, numbered: path == EnginePath.PartitionedNumbered);
            (states, slots, levels, pooledMap) = (partitioned.States, partitioned.Slots, partitioned.Levels, partitioned.PooledMap);
        }
        else
        {
            (states, slots, levels) = ScanAll(path, plan, columns, needs, levelCount, ranges, inputs);
        }
        for (var t = 1; t < states.Length; t++)
        {
            states[0].Add(states[t]);
        }
        return new Scanned(inputs, states, slots, levels, pooledMap);
    }

    /// <summary>
    /// The path the engine takes for a query, over how many ranges (threads), and whether its one-pass kernel sieves a
    /// flags filter (<see cref="FlagsSieve"/>): the engine's own decisions, without running the query, so that a test can
    /// state its premise ("this runs partitioned on 3 threads").
    /// </summary>
    internal static (EnginePath Path, int Ranges, bool Sieved) RouteOf(AggregationQuery query)
    {
        var columns = query.Columns();
        var plan = new QueryPlan(query, columns);
        var path = PathOf(new Needs(query.EffectiveMeasures), plan.KeySpace, query.PartitionAboveStateBytes);
        var sieved = path is not (EnginePath.PartitionedDense or EnginePath.PartitionedNumbered) && new Inputs(columns, plan).Sieve.On;
        plan.ReturnTables();
        return (path, Partition(columns, query.MaxThreads, query.MinRecordsPerThread).Length, sieved);
    }

    /// <summary>Which path a pass takes, from its needs and key space.</summary>
    private static EnginePath PathOf(Needs needs, long keySpace, long partitionAboveStateBytes) =>
        UsePartitions(needs, keySpace, partitionAboveStateBytes)
            ? keySpace > SparseFrom ? EnginePath.PartitionedNumbered : EnginePath.PartitionedDense
            : keySpace <= SparseFrom ? EnginePath.Dense : keySpace <= DenseLimit ? EnginePath.Mapped : EnginePath.Hashed;

    /// <summary>
    /// The one-pass kernel over every range (distinct counts, or group state small enough for the cache), after
    /// numbering the keys of a sparse or hashed key space.
    /// </summary>
    private static (GroupState[] States, object Slots, LevelMaps Levels) ScanAll(
        EnginePath path, QueryPlan plan, ParticipationStore.Columns columns, Needs needs, int levelCount, (int Start, int End)[] ranges, Inputs inputs)
    {
        long[]? slotKeys = null;
        object slots;
        int slotCount;
        if (path == EnginePath.Dense)
        {
            slotCount = (int)plan.KeySpace;
            slots = new DenseSlots();
        }
        else if (path == EnginePath.Mapped)
        {
            // A large but array-sized key space is usually sparse (school x quarter: 240,000 keys, 33,000 groups): a
            // bitmap pass finds the keys present, and distinct-count state is kept only for them, so it stays in cache.
            var present = PresentKeys(plan, columns, ranges);
            var map = new int[plan.KeySpace];
            var keys = new List<long>();
            for (var w = 0; w < present.Length; w++)
            {
                for (var bits = present[w]; bits != 0; bits &= bits - 1)
                {
                    var key = ((long)w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                    map[key] = keys.Count;
                    keys.Add(key);
                }
            }
            slotKeys = [.. keys];
            slotCount = keys.Count;
            slots = new MappedSlots(map);
        }
        else
        {
            var index = CollectKeys(plan, columns);
            slotCount = index.Count;
            slotKeys = new long[slotCount];
            foreach (var (key, slot) in index)
            {
                slotKeys[slot] = key;
            }
            slots = new HashedSlots(index);
        }
        var levels = LevelMaps.Build(plan, slotCount, slotKeys, levelCount);

        var states = new GroupState[ranges.Length];
        var kernel = Kernel(plan, needs, levelCount > 1, slots.GetType());
        ForEachRange(ranges, t =>
        {
            states[t] = new GroupState(slotCount, levels, needs);
            kernel(inputs, states[t], slots, ranges[t].Start, ranges[t].End);
        });
        return (states, slots, levels);
    }

    /// <summary>Splits the records into ranges at HyperLogLog register boundaries (which are also beneficiary boundaries).</summary>
    private static (int Start, int End)[] Partition(in ParticipationStore.Columns c, int maxThreads, int minRecordsPerThread)
    {
        var n = c.Count;
        var threads = Math.Clamp(n / minRecordsPerThread, 1, Math.Max(1, maxThreads));
        var bounds = new List<int> { 0 };
        for (var t = 1; t < threads; t++)
        {
            var i = Math.Max((int)((long)n * t / threads), bounds[^1] + 1);
            while (i < n && HyperLogLog.Register(c.BeneficiaryHash[c.Beneficiary[i]]) == HyperLogLog.Register(c.BeneficiaryHash[c.Beneficiary[i - 1]]))
            {
                i++;
            }
            if (i < n)
            {
                bounds.Add(i);
            }
        }
        bounds.Add(n);
        return Enumerable.Range(0, bounds.Count - 1).Select(i => (bounds[i], bounds[i + 1])).ToArray();
    }

    /// <summary>A bitmap of the keys present, built per range in parallel and combined.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static ulong[] PresentKeys(QueryPlan plan, ParticipationStore.Columns c, (int Start, int End)[] ranges)
    {
        var words = (int)((plan.KeySpace + 63) >> 6);
        var bitmaps = new ulong[ranges.Length][];
        Parallel.For(0, ranges.Length, new ParallelOptions { MaxDegreeOfParallelism = ranges.Length }, t =>
        {
            var bits = new ulong[words];
            for (var i = ranges[t].Start; i < ranges[t].End; i++)
            {
                var key = KeyOf(plan, c, i);
                if (key >= 0)
                {
                    bits[key >> 6] |= 1UL << (int)(key & 63);
                }
            }
            bitmaps[t] = bits;
        });
        for (var t = 1; t < bitmaps.Length; t++)
        {
            for (var w = 0; w < words; w++)
            {
                bitmaps[0][w] |= bitmaps[t][w];
            }
        }
        return bitmaps[0];
    }

    private static Dictionary<long, int> CollectKeys(QueryPlan plan, in ParticipationStore.Columns c)
    {
        var index = new Dictionary<long, int>();
        for (var i = 0; i < c.Count; i++)
        {
            var key = KeyOf(plan, c, i);
            if (key >= 0)
            {
                index.TryAdd(key, index.Count);
            }
        }
        return index;
    }

    /// <summary>The group key of record <paramref name="i"/>, negative when filtered out (the slow, general form).</summary>
    internal static long KeyOf(QueryPlan plan, in ParticipationStore.Columns c, int i)
    {
        var s = plan.Sources;
        long key = 0;
        if (s[0].Active)
        {
            key += s[0].Table[c.Context[i]];
        }
        if (s[1].Active)
        {
            key += s[1].Table[c.Day[i] - plan.MinDay];
        }
        if (s[2].Active)
        {
            key += s[2].Table[c.Flags[i]];
        }
        if (s[3].Active)
        {
            key += s[3].Table[c.Age[i]];
        }
        if (s[4].Active)
        {
            key += s[4].Table[c.PersonSummary[c.Beneficiary[i]]];
        }
        return key;
    }

    private static ScanDelegate Kernel(QueryPlan plan, Needs needs, bool rollup, Type slots)
    {
        bool[] flags =
        [
            plan.Sources[1].Active, plan.Sources[2].Active, plan.Sources[3].Active, plan.Sources[4].Active,
            needs.Completed, needs.Scores, needs.Unique, needs.Hll, rollup,
        ];
        var context = plan.ContextParts.GetType();
        var mask = slots == typeof(DenseSlots) ? 0 : slots == typeof(MappedSlots) ? 1 : 2;
        mask |= (context == typeof(NoContext) ? 0 : context == typeof(NarrowContext<byte>) ? 1 : context == typeof(NarrowContext<ushort>) ? 2 : 3) << 2;
        for (var i = 0; i < flags.Length; i++)
        {
            mask |= flags[i] ? 16 << i : 0;
        }
        return Kernels.GetOrAdd(mask, static (_, state) =>
        {
            var (f, contextType, slotType) = state;
            var types = f.Select(on => on ? typeof(Yes) : typeof(No)).Prepend(contextType).Append(slotType).ToArray();
            var method = typeof(QueryEngine).GetMethod(nameof(Scan), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(types);
            return method.CreateDelegate<ScanDelegate>();
        }, (flags, context, slots));
    }

    /// <summary>Which parts of the per-group state the measures need.</summary>
    internal sealed class Needs(IReadOnlyList<Measure> measures)
    {
        internal IReadOnlyList<Measure> Measures { get; } = measures;
        internal bool Completed { get; } = measures.Any(m => m is Measure.Completions or Measure.CompletionRate);
        internal bool Pre { get; } = measures.Contains(Measure.MeanPreScore);
        internal bool Post { get; } = measures.Contains(Measure.MeanPostScore);
        internal bool Gain { get; } = measures.Contains(Measure.MeanGain);
        internal bool Improved { get; } = measures.Contains(Measure.ImprovedShare);
        internal bool Scores => Pre || Post || Gain || Improved;
        internal bool Unique { get; } = measures.Contains(Measure.UniqueBeneficiaries);
        internal bool Hll { get; } = measures.Contains(Measure.ApproximateUniqueBeneficiaries);
        internal bool Activities { get; } = measures.Contains(Measure.Activities);
        internal bool Schools { get; } = measures.Contains(Measure.Schools);
    }
}
