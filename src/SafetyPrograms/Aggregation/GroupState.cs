namespace SafetyPrograms.Aggregation;

/// <summary>
/// The per-group state of one query on one thread. The additive measures of a slot sit side by side in one array
/// (count, then completions and score sums as asked for), so that a record touches one cache line, not one per measure.
/// </summary>
internal sealed class GroupState : IDisposable
{
    internal const int Absent = -1;

    internal GroupState(int slots, LevelMaps maps, QueryEngine.Needs needs)
    {
        Slots = slots;
        var width = 1;
        CompletedAt = needs.Completed ? width++ : Absent;
        PreAt = needs.Pre ? (width += 2) - 2 : Absent;
        PostAt = needs.Post ? (width += 2) - 2 : Absent;
        GainAt = needs.Gain ? (width += 2) - 2 : Absent;
        Width = width;
        Cells = Pooled.Rent<long>(checked(slots * width));
        Levels = new LevelState[maps.Count];
        for (var l = 0; l < maps.Count; l++)
        {
            Levels[l] = new LevelState(l == 0 ? slots : maps.Size[l], maps.Map[l], needs);
        }
    }

    internal int Slots { get; }

    /// <summary>Longs per slot in <see cref="Cells"/>.</summary>
    internal int Width { get; }

    /// <summary>Per slot: participations, then the optional cells at the offsets below.</summary>
    internal long[] Cells { get; }

    internal int CompletedAt { get; }

    /// <summary>Offset of the pre-score sum; the count follows it.</summary>
    internal int PreAt { get; }

    internal int PostAt { get; }

    internal int GainAt { get; }

    internal LevelState[] Levels { get; }

    /// <summary>Returns the pooled arrays; the state must not be used afterwards.</summary>
    public void Dispose()
    {
        Pooled.Return(Cells);
        foreach (var level in Levels)
        {
            level.Dispose();
        }
    }

    /// <summary>Adds another thread's state. Unique counts add because threads never share a beneficiary or register.</summary>
    internal void Add(GroupState other)
    {
        AddInto(Cells, other.Cells, Slots * Width);
        for (var l = 0; l < Levels.Length; l++)
        {
            var a = Levels[l];
            var b = other.Levels[l];
            AddCounts(a.Unique, b.Unique, 2, 2 * a.Size);
            AddCounts(a.Improved, b.Improved, 2, 4 * a.Size);
            AddCounts(a.Hll, b.Hll, 2, 2 * a.Size);
            if (a.Weight is { } w)
            {
                for (var i = 0; i < a.Size; i++)
                {
                    w[i] += b.Weight![i];
                }
            }
        }
    }

    /// <summary>Adds the counts of (last seen, count) pairs; the "last seen" halves mean nothing after a pass.</summary>
    private static void AddCounts(int[]? target, int[]? source, int stride, int length)
    {
        if (target is null || source is null)
        {
            return;
        }
        for (var i = 1; i < length; i += stride)
        {
            target[i] += source[i];
        }
    }

    private static void AddInto(long[] target, long[] source, int length)
    {
        for (var i = 0; i < length; i++)
        {
            target[i] += source[i];
        }
    }
}

/// <summary>
/// The distinct-counting state of one level, as (last seen, count) pairs per level slot so that the check and the
/// increment touch one cache line: exact unique over beneficiaries, the improved share over (assessed, improved)
/// beneficiaries, and HyperLogLog over registers (with the exact weight sum beside).
/// </summary>
internal sealed class LevelState : IDisposable
{
    internal LevelState(int size, int[]? map, QueryEngine.Needs needs)
    {
        Size = size;
        Map = map;
        Unique = needs.Unique ? Pooled.Rent<int>(2 * size) : null;
        // Two pairs per slot: assessed (last, count) then improved (last, count).
        Improved = needs.Improved ? Pooled.Rent<int>(4 * size) : null;
        Hll = needs.Hll ? Pooled.Rent<int>(2 * size) : null;
        Weight = needs.Hll ? Pooled.Rent<UInt128>(size) : null;
    }

    /// <summary>Returns the pooled arrays.</summary>
    public void Dispose()
    {
        Pooled.Return(Unique);
        Pooled.Return(Improved);
        Pooled.Return(Hll);
        Pooled.Return(Weight);
    }

    internal int Size { get; }
    internal int[]? Map { get; }
    internal int[]? Unique { get; }
    internal int[]? Improved { get; }
    internal int[]? Hll { get; }
    internal UInt128[]? Weight { get; }

    /// <summary>Distinct activities per slot, filled by <see cref="QueryEngine.DistinctPass"/> when asked for.</summary>
    internal int[]? Activities { get; set; }

    /// <summary>Distinct schools per slot, filled by <see cref="QueryEngine.DistinctPass"/> when asked for.</summary>
    internal int[]? Schools { get; set; }

    internal int UniqueCount(int slot) => Unique![(2 * slot) + 1];
    internal int AssessedCount(int slot) => Improved![(4 * slot) + 1];
    internal int ImprovedCount(int slot) => Improved![(4 * slot) + 3];
    internal int NonEmptyRegisters(int slot) => Hll![(2 * slot) + 1];
}

/// <summary>
/// Group state arrays come from the shared pool and go back after each query: a query allocates its result, not
/// megabytes of scratch that would push the garbage collector into full collections.
/// </summary>
internal static class Pooled
{
    /// <summary>A cleared array of at least <paramref name="length"/> items.</summary>
    internal static T[] Rent<T>(int length)
    {
        var array = System.Buffers.ArrayPool<T>.Shared.Rent(Math.Max(1, length));
        Array.Clear(array, 0, length);
        return array;
    }

    /// <summary>An array of at least <paramref name="length"/> items with whatever they held: for buffers written before read.</summary>
    internal static T[] RentDirty<T>(int length) => System.Buffers.ArrayPool<T>.Shared.Rent(Math.Max(1, length));

    internal static void Return<T>(T[]? array)
    {
        if (array is not null)
        {
            System.Buffers.ArrayPool<T>.Shared.Return(array);
        }
    }
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

    /// <summary>The plan that decodes a finest slot's key into term values, or null when <see cref="Values"/>[0] holds them.</summary>
    private QueryPlan? Plan { get; init; }

    private int Terms { get; init; }

    /// <summary>Per level, finest slot → level slot; null for level 0.</summary>
    internal int[]?[] Map { get; }

    internal int[] Size { get; }

    /// <summary>
    /// Per level ≥ 1, the term values of each level slot, flattened (slot × terms); -1 for a rolled-up term. Level 0's
    /// are decoded from the slot's key, or held here when the finest groups came from a partial result.
    /// </summary>
    internal int[][] Values { get; }

    /// <summary>Writes the term values of finest slot <paramref name="slot"/> into <paramref name="values"/>.</summary>
    internal void Decode(int slot, Span<int> values)
    {
        if (Plan is null)
        {
            Values[0].AsSpan(slot * Terms, Terms).CopyTo(values);
            return;
        }
        Plan.Decode(SlotKeys is null ? slot : SlotKeys[slot], values);
    }

    /// <summary>The levels of a query's slots, whose keys the plan decodes.</summary>
    internal static LevelMaps Build(QueryPlan plan, int slotCount, long[]? slotKeys, int levelCount) =>
        Build(new LevelMaps(levelCount) { SlotKeys = slotKeys, Plan = plan, Terms = plan.Terms.Length }, plan.TermLabels.Select(l => l.Length).ToArray(), slotCount, []);

    /// <summary>The levels of finest groups given by their term values (slot × terms), each below the term's label count.</summary>
    internal static LevelMaps FromValues(int[] values, int[] labelCounts, int slotCount, int levelCount) =>
        Build(new LevelMaps(levelCount) { Terms = labelCounts.Length }, labelCounts, slotCount, values);

    private static LevelMaps Build(LevelMaps maps, int[] labelCounts, int slotCount, int[] values0)
    {
        var levelCount = maps.Count;
        maps.Size[0] = slotCount;
        maps.Values[0] = values0;
        if (levelCount == 1)
        {
            return maps;
        }
        var k = maps.Terms;
        var radix = labelCounts.Select(n => (long)n + 1).ToArray();
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
            maps.Decode(s, v);
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

/// <summary>
/// Distinct members of the groups of one level, as sets of (group slot, member) pairs: distinct activities and schools
/// for a query (counted into its <see cref="LevelState"/> as each pair is first seen), and for a partial result also
/// the beneficiaries (all, assessed, improved) and the HyperLogLog registers of every group.
/// </summary>
internal sealed class GroupMembers
{
    private readonly LevelState? _counts;
    private readonly bool _people;

    /// <param name="needs">The measures' needs.</param>
    /// <param name="people">Whether to keep beneficiaries and registers (a partial result), not only activities and schools.</param>
    /// <param name="counts">The level state to count distinct activities and schools into, or null.</param>
    /// <param name="slots">The number of groups, for the registers.</param>
    internal GroupMembers(QueryEngine.Needs needs, bool people, LevelState? counts, int slots = 0)
    {
        _counts = counts;
        _people = people && (needs.Unique || needs.Improved || needs.Hll);
        Activities = needs.Activities ? [] : null;
        Schools = needs.Schools ? [] : null;
        Beneficiaries = people && needs.Unique ? [] : null;
        Assessed = people && needs.Improved ? [] : null;
        Improved = people && needs.Improved ? [] : null;
        Registers = people && needs.Hll ? new HllRegisters.Builder?[slots] : null;
    }

    internal HashSet<long>? Activities { get; }
    internal HashSet<long>? Schools { get; }
    internal HashSet<long>? Beneficiaries { get; }

    /// <summary>Beneficiaries with a record scored before and after.</summary>
    internal HashSet<long>? Assessed { get; }

    /// <summary>Beneficiaries with a record scored higher after than before.</summary>
    internal HashSet<long>? Improved { get; }

    /// <summary>Per group, its HyperLogLog registers being built; null for a group without records.</summary>
    internal HllRegisters.Builder?[]? Registers { get; }

    private static long Pair(int slot, int member) => ((long)slot << 32) | (uint)member;

    /// <summary>Adds record <paramref name="i"/> to group <paramref name="slot"/>.</summary>
    internal void Add(in ParticipationStore.Columns c, int i, int slot)
    {
        var context = c.Context[i];
        if (Activities is { } activities && activities.Add(Pair(slot, c.ContextActivity[context])) && _counts?.Activities is { } a)
        {
            a[slot]++;
        }
        var school = c.ContextSchool[context];
        if (school >= 0 && Schools is { } schools && schools.Add(Pair(slot, school)) && _counts?.Schools is { } sc)
        {
            sc[slot]++;
        }
        if (!_people)
        {
            return;
        }
        var b = c.Beneficiary[i];
        Beneficiaries?.Add(Pair(slot, b));
        if (Assessed is { } assessed && c.Pre[i] != 0 && c.Post[i] != 0)
        {
            assessed.Add(Pair(slot, b));
            if (c.ScoreValues[c.Post[i]] > c.ScoreValues[c.Pre[i]])
            {
                Improved!.Add(Pair(slot, b));
            }
        }
        if (Registers is { } registers)
        {
            (registers[slot] ??= new()).Add(c.BeneficiaryHash[b]);
        }
    }

    /// <summary>Per group, the names of its members in ordinal order; null when the set was not kept.</summary>
    internal static string[][]? Names(HashSet<long>? pairs, int slots, Func<int, string> name)
    {
        if (pairs is null)
        {
            return null;
        }
        var members = new List<string>?[slots];
        foreach (var pair in pairs)
        {
            (members[(int)(pair >> 32)] ??= []).Add(name((int)pair));
        }
        return members.Select(m =>
        {
            var names = m?.ToArray() ?? [];
            Array.Sort(names, StringComparer.Ordinal);
            return names;
        }).ToArray();
    }
}
