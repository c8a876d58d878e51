using System.Reflection;
using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>Which execution path of <c>QueryEngine.Run</c> a query takes.</summary>
internal enum EnginePath
{
    /// <summary>One pass; the group key is the slot (key space up to <c>SparseFrom</c>).</summary>
    Dense,
    /// <summary>A bitmap pass numbers the keys present, then one pass (key space up to <c>DenseLimit</c>).</summary>
    Mapped,
    /// <summary>A dictionary numbers the keys present (key space above <c>DenseLimit</c>).</summary>
    Hashed,
    /// <summary>Radix-partitioned sums over the whole (small) key space.</summary>
    PartitionedDense,
    /// <summary>Radix-partitioned sums over the keys present, numbered from the pack pass's marks.</summary>
    PartitionedNumbered,
}

/// <summary>
/// Tells which path and how many ranges the engine takes for a query, by asking the engine's own private decisions
/// (<c>UsePartitions</c>, <c>Partition</c> and the key-space limits) through reflection, so that a test can state its
/// premise ("this runs partitioned on 3 threads") without copying a threshold that could drift. A renamed member
/// makes these helpers throw, which fails the tests loudly rather than silently testing another path.
/// </summary>
internal static class EnginePaths
{
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Static;

    private static readonly Type Engine = typeof(ParticipationStore).Assembly.GetType("SafetyPrograms.Aggregation.QueryEngine", throwOnError: true)!;

    internal static long SparseFrom { get; } = (long)Engine.GetField("SparseFrom", Private)!.GetRawConstantValue()!;

    internal static long DenseLimit { get; } = (long)Engine.GetField("DenseLimit", Private)!.GetRawConstantValue()!;

    /// <summary>The number of possible group keys of the query's plan (the product of the columns' combination counts).</summary>
    internal static long KeySpace(AggregationQuery query) => new QueryPlan(query, query.Store.Sorted()).KeySpace;

    internal static EnginePath Of(AggregationQuery query)
    {
        var keySpace = KeySpace(query);
        var needs = new QueryEngine.Needs(query.EffectiveMeasures);
        var partitioned = (bool)Engine.GetMethod("UsePartitions", Private)!.Invoke(null, [needs, keySpace, query.PartitionAboveStateBytes])!;
        if (partitioned)
        {
            return keySpace > SparseFrom ? EnginePath.PartitionedNumbered : EnginePath.PartitionedDense;
        }
        return keySpace <= SparseFrom ? EnginePath.Dense : keySpace <= DenseLimit ? EnginePath.Mapped : EnginePath.Hashed;
    }

    /// <summary>How many ranges (threads) the engine splits the store's records into for this query.</summary>
    internal static int Ranges(AggregationQuery query)
    {
        var ranges = (Array)Engine.GetMethod("Partition", Private)!.Invoke(null, [query.Store.Sorted(), query.MaxThreads, query.MinRecordsPerThread])!;
        return ranges.Length;
    }
}
