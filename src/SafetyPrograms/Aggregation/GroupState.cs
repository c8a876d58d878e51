namespace SafetyPrograms.Aggregation;

/// <summary>The per-group state of one query on one thread: counts and sums per finest slot, unique state per level.</summary>
internal sealed class GroupState
{
    internal GroupState(int slots, LevelMaps maps, QueryEngine.Needs needs)
    {
        Slots = slots;
        Count = new int[slots];
        Completed = needs.Completed ? new int[slots] : null;
        PreSum = needs.Pre ? new long[slots] : null;
        PreN = needs.Pre ? new int[slots] : null;
        PostSum = needs.Post ? new long[slots] : null;
        PostN = needs.Post ? new int[slots] : null;
        GainSum = needs.Gain ? new long[slots] : null;
        GainN = needs.Gain ? new int[slots] : null;
        Levels = new LevelState[maps.Count];
        for (var l = 0; l < maps.Count; l++)
        {
            Levels[l] = new LevelState(l == 0 ? slots : maps.Size[l], maps.Map[l], needs);
        }
    }

    internal int Slots { get; }
    internal int[] Count { get; }
    internal int[]? Completed { get; }
    internal long[]? PreSum { get; }
    internal int[]? PreN { get; }
    internal long[]? PostSum { get; }
    internal int[]? PostN { get; }
    internal long[]? GainSum { get; }
    internal int[]? GainN { get; }
    internal LevelState[] Levels { get; }

    /// <summary>Adds another thread's state. Unique counts add because threads never share a beneficiary or register.</summary>
    internal void Add(GroupState other)
    {
        AddInto(Count, other.Count);
        AddInto(Completed, other.Completed);
        AddInto(PreSum, other.PreSum);
        AddInto(PreN, other.PreN);
        AddInto(PostSum, other.PostSum);
        AddInto(PostN, other.PostN);
        AddInto(GainSum, other.GainSum);
        AddInto(GainN, other.GainN);
        for (var l = 0; l < Levels.Length; l++)
        {
            var a = Levels[l];
            var b = other.Levels[l];
            AddInto(a.Unique, b.Unique);
            AddInto(a.Assessed, b.Assessed);
            AddInto(a.Improved, b.Improved);
            AddInto(a.NonEmpty, b.NonEmpty);
            if (a.Weight is { } w)
            {
                for (var i = 0; i < w.Length; i++)
                {
                    w[i] += b.Weight![i];
                }
            }
        }
    }

    private static void AddInto(int[]? target, int[]? source)
    {
        if (target is null || source is null)
        {
            return;
        }
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }

    private static void AddInto(long[]? target, long[]? source)
    {
        if (target is null || source is null)
        {
            return;
        }
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }
}

/// <summary>The distinct-counting state of one level: "last seen" and the count, per level slot.</summary>
internal sealed class LevelState
{
    internal LevelState(int size, int[]? map, QueryEngine.Needs needs)
    {
        Size = size;
        Map = map;
        if (needs.Unique)
        {
            LastBeneficiary = new int[size];
            Unique = new int[size];
        }
        if (needs.Improved)
        {
            LastAssessed = new int[size];
            Assessed = new int[size];
            LastImproved = new int[size];
            Improved = new int[size];
        }
        if (needs.Hll)
        {
            LastRegister = new int[size];
            NonEmpty = new int[size];
            Weight = new UInt128[size];
        }
    }

    internal int Size { get; }
    internal int[]? Map { get; }
    internal int[]? LastBeneficiary { get; }
    internal int[]? Unique { get; }
    internal int[]? LastAssessed { get; }
    internal int[]? Assessed { get; }
    internal int[]? LastImproved { get; }
    internal int[]? Improved { get; }
    internal int[]? LastRegister { get; }
    internal int[]? NonEmpty { get; }
    internal UInt128[]? Weight { get; }

    /// <summary>Distinct activities per slot, filled by <see cref="QueryEngine.DistinctPass"/> when asked for.</summary>
    internal int[]? Activities { get; set; }

    /// <summary>Distinct schools per slot, filled by <see cref="QueryEngine.DistinctPass"/> when asked for.</summary>
    internal int[]? Schools { get; set; }
}

/// <summary>How finest slots map to the slots of each rollup level, and the term values of each level slot.</summary>
internal sealed class LevelMaps
{
    private LevelMaps(int count)
    {
        Count = count;
        Map = new int[]?[count];
        Size = new int[count];
        Values = new int[count][];
    }

    internal int Count { get; }

    /// <summary>The group key of each finest slot in the hash fallback; null when the key is the slot.</summary>
    internal long[]? SlotKeys { get; private init; }

    /// <summary>Per level, finest slot → level slot; null for level 0.</summary>
    internal int[]?[] Map { get; }

    internal int[] Size { get; }

    /// <summary>Per level ≥ 1, the term values of each level slot, flattened (slot × terms); -1 for a rolled-up term.</summary>
    internal int[][] Values { get; }

    internal static LevelMaps Build(QueryPlan plan, int slotCount, long[]? slotKeys, int levelCount)
    {
        var maps = new LevelMaps(levelCount) { SlotKeys = slotKeys };
        maps.Size[0] = slotCount;
        maps.Values[0] = [];
        if (levelCount == 1)
        {
            return maps;
        }
        var k = plan.Terms.Length;
        var radix = plan.TermLabels.Select(l => (long)l.Length + 1).ToArray();
        var index = new Dictionary<long, int>[levelCount];
        var values = new List<int>[levelCount];
        for (var l = 1; l < levelCount; l++)
        {
            maps.Map[l] = new int[slotCount];
            index[l] = [];
            values[l] = [];
        }
        Span<int> v = stackalloc int[Math.Max(1, k)];
        for (var s = 0; s < slotCount; s++)
        {
            plan.Decode(slotKeys is null ? s : slotKeys[s], v);
            for (var l = 1; l < levelCount; l++)
            {
                var kept = k - l;
                long key = 0;
                for (var t = 0; t < kept; t++)
                {
                    key = checked((key * radix[t]) + v[t]);
                }
                if (!index[l].TryGetValue(key, out var ls))
                {
                    ls = index[l].Count;
                    index[l].Add(key, ls);
                    for (var t = 0; t < k; t++)
                    {
                        values[l].Add(t < kept ? v[t] : -1);
                    }
                }
                maps.Map[l]![s] = ls;
            }
        }
        for (var l = 1; l < levelCount; l++)
        {
            maps.Size[l] = index[l].Count;
            maps.Values[l] = [.. values[l]];
        }
        return maps;
    }
}
