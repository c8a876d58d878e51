namespace SafetyPrograms.Aggregation;

internal static partial class QueryEngine
{
    /// <summary>
    /// The cells a partial result always carries, whatever its measures: every sum travels, so that two partials of one
    /// grouping hold the same state for the same records.
    /// </summary>
    private static readonly Measure[] PartialCells =
        [Measure.Participations, Measure.Completions, Measure.MeanPreScore, Measure.MeanPostScore, Measure.MeanGain];

    /// <summary>
    /// Runs a query into a mergeable partial: the engine's pass gives each group's additive cells, and a pass over the
    /// same slots keeps the members behind its distinct counts (beneficiaries, activities, schools, registers).
    /// </summary>
    internal static AggregatePartial RunPartial(AggregationQuery query)
    {
        var columns = query.Columns();
        var plan = new QueryPlan(query, columns);
        var needs = new Needs(query.EffectiveMeasures);
        using var scan = Aggregate(query, plan, columns, new Needs(PartialCells), levelCount: 1);
        var state = scan.State;
        var members = DistinctPass.Collect(scan.Inputs, plan, scan.Slots, scan.Levels, needs);
        var lookup = query.Store.Lookup;
        var beneficiaries = GroupMembers.Names(members.Beneficiaries, state.Slots, columns.Beneficiaries.KeyOf);
        var assessed = GroupMembers.Names(members.Assessed, state.Slots, columns.Beneficiaries.KeyOf);
        var improved = GroupMembers.Names(members.Improved, state.Slots, columns.Beneficiaries.KeyOf);
        var activities = GroupMembers.Names(members.Activities, state.Slots, a => lookup.ActivityIds[a]);
        var schools = GroupMembers.Names(members.Schools, state.Slots, s => lookup.SchoolIds[s]);
        var (keys, finest) = FinestGroups(scan, plan, (s, labels) => PartialGroup.FromCells(labels, state, s) with
        {
            Beneficiaries = beneficiaries?[s],
            Assessed = assessed?[s],
            Improved = improved?[s],
            Activities = activities?[s],
            Schools = schools?[s],
            Hll = members.Registers?[s]?.Build(),
        });
        plan.ReturnTables();
        var groups = new SortedDictionary<string, PartialGroup>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            groups.Add(keys[i], finest[i]);
        }
        return new AggregatePartial(plan.Terms, needs.Measures, groups, PersonStatement.Of(query));
    }

    /// <summary>
    /// Runs a query into a shard partial over a store that holds only beneficiaries of <paramref name="range"/>: the
    /// engine's pass (with the query's rollup levels) gives each group's additive cells and, at every level, its counts
    /// of distinct people; a pass over the same slots keeps the activities, schools and registers of the finest groups.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store holds a beneficiary outside <paramref name="range"/>.</exception>
    internal static ShardPartial RunShardPartial(AggregationQuery query, ShardRange range)
    {
        var columns = query.Columns();
        CheckWithin(columns, range);
        var plan = new QueryPlan(query, columns);
        var needs = new Needs(query.EffectiveMeasures);
        var levelCount = query.IsRollup ? plan.Terms.Length + 1 : 1;
        using var scan = Aggregate(query, plan, columns, new Needs([.. PartialCells, .. needs.Measures.Where(CountsPeople)]), levelCount);
        var state = scan.State;
        var memberNeeds = new Needs([.. needs.Measures.Where(m => !CountsPeople(m))]);
        var members = memberNeeds.Hll || memberNeeds.Activities || memberNeeds.Schools
            ? DistinctPass.Collect(scan.Inputs, plan, scan.Slots, scan.Levels, memberNeeds)
            : null;
        var lookup = query.Store.Lookup;
        var activities = GroupMembers.Names(members?.Activities, state.Slots, a => lookup.ActivityIds[a]);
        var schools = GroupMembers.Names(members?.Schools, state.Slots, s => lookup.SchoolIds[s]);
        var (keys, groups) = FinestGroups(scan, plan, (s, labels) => PartialGroup.FromCells(
            labels, state, s, activities?[s], schools?[s], members?.Registers?[s]?.Build(), PersonCounts.Of(state.Levels[0], s)));
        var subtotals = Subtotals(scan, plan);
        plan.ReturnTables();
        return new ShardPartial(
            [range], plan.Terms, needs.Measures, query.IsRollup, KeyedEntries<PartialGroup>.FromSorted(keys, groups), subtotals, PersonStatement.Of(query));
    }

    /// <summary>
    /// The measures a shard partial carries as counts: they count people, and a person lives in one shard. Distinct
    /// activities and schools are shared between shards, so they travel as identifiers; registers merge by maximum.
    /// </summary>
    internal static bool CountsPeople(Measure m) => m is Measure.UniqueBeneficiaries or Measure.ImprovedShare;

    /// <summary>Refuses a store with a beneficiary outside the range: its people could be counted in another shard too.</summary>
    private static void CheckWithin(in ParticipationStore.Columns columns, ShardRange range)
    {
        // Records are sorted by beneficiary hash, so the first and last records bound every hash in the store.
        if (columns.Count > 0
            && !(range.ContainsHash(columns.BeneficiaryHash[columns.Beneficiary[0]]) && range.ContainsHash(columns.BeneficiaryHash[columns.Beneficiary[columns.Count - 1]])))
        {
            throw new InvalidOperationException(
                $"The store holds beneficiaries outside the shard range {range}: route each record to the shard whose range contains its "
                + "beneficiary key (ShardRange.Contains) before ingest, or the same person could be counted in two shards.");
        }
    }

    /// <summary>
    /// The finest groups with records, labelled, each made by <paramref name="make"/> from its slot and labels: their keys
    /// and groups sorted together by key (ordinal), each key once (slots have distinct labels).
    /// </summary>
    private static (string[] Keys, PartialGroup[] Groups) FinestGroups(Scanned scan, QueryPlan plan, Func<int, string[], PartialGroup> make)
    {
        var state = scan.State;
        var k = plan.Terms.Length;
        var slots = new List<int>();
        for (var s = 0; s < state.Slots; s++)
        {
            if (state.Cells[s * state.Width] != 0)
            {
                slots.Add(s);
            }
        }
        var count = slots.Count;
        var values = new int[count * k];
        for (var i = 0; i < count; i++)
        {
            scan.Levels.Decode(slots[i], values.AsSpan(i * k, k));
        }
        var order = Enumerable.Range(0, count).ToArray();
        var byRank = LabelRanks(plan.TermLabels) is { } ranks && SortByRanks(ranks, values, k, order);
        var (keys, groups) = (new string[count], new PartialGroup[count]);
        for (var i = 0; i < count; i++)
        {
            var at = order[i];
            var labels = new string[k];
            for (var t = 0; t < k; t++)
            {
                labels[t] = plan.TermLabels[t][values[(at * k) + t]];
            }
            (keys[i], groups[i]) = (AggregatePartial.KeyOf(labels), make(slots[at], labels));
        }
        if (!byRank)
        {
            KeyedEntries<PartialGroup>.Sort(keys, groups);
        }
        return (keys, groups);
    }

    /// <summary>
    /// Per term, each value's rank among the term's labels in ordinal order (equal labels, equal ranks): keys joined with
    /// <c>U+001F</c> sort as their rank tuples do, because every label character follows the separator. Null when a label
    /// holds a character at or below it, and the keys must be sorted as strings.
    /// </summary>
    internal static int[][]? LabelRanks(string[][] termLabels)
    {
        var ranks = new int[termLabels.Length][];
        for (var t = 0; t < termLabels.Length; t++)
        {
            var labels = termLabels[t];
            if (labels.Any(l => l is null || l.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0))
            {
                return null;
            }
            var byLabel = Enumerable.Range(0, labels.Length).ToArray();
            Array.Sort(byLabel, (a, b) => string.CompareOrdinal(labels[a], labels[b]));
            ranks[t] = new int[labels.Length];
            for (int i = 0, rank = 0; i < byLabel.Length; i++)
            {
                rank += i > 0 && !string.Equals(labels[byLabel[i - 1]], labels[byLabel[i]], StringComparison.Ordinal) ? 1 : 0;
                ranks[t][byLabel[i]] = rank;
            }
        }
        return ranks;
    }

    /// <summary>
    /// Sorts <paramref name="order"/> (indexes of rows of <paramref name="k"/> values) by the rows' rank tuples, as one
    /// number per row; false, leaving it as it was, when the numbers would not fit in 63 bits.
    /// </summary>
    internal static bool SortByRanks(int[][] ranks, int[] values, int k, int[] order)
    {
        var sizes = ranks.Select(term => term.Length == 0 ? 1L : term.Max() + 1L).ToArray();
        var span = 1L;
        foreach (var size in sizes)
        {
            if (span > long.MaxValue / size)
            {
                return false;
            }
            span *= size;
        }
        var numbers = new long[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var number = 0L;
            for (var t = 0; t < k; t++)
            {
                number = (number * sizes[t]) + ranks[t][values[(i * k) + t]];
            }
            numbers[i] = number;
        }
        Array.Sort(numbers, order);
        return true;
    }

    /// <summary>
    /// Per rollup level (1 to the grand total), the counts of distinct people of each level group with records, keyed by
    /// the labels of the terms it keeps: counted by the engine's pass, because a level's people cannot be summed from
    /// its finer groups (one child at two schools).
    /// </summary>
    private static KeyedEntries<PersonCounts>[] Subtotals(Scanned scan, QueryPlan plan)
    {
        var state = scan.State;
        var maps = scan.Levels;
        var k = plan.Terms.Length;
        var subtotals = new KeyedEntries<PersonCounts>[maps.Count - 1];
        for (var l = 1; l < maps.Count; l++)
        {
            var level = state.Levels[l];
            subtotals[l - 1] = KeyedEntries<PersonCounts>.Empty;
            if (level.Unique is null && level.Improved is null)
            {
                continue;
            }
            var withRecords = new bool[maps.Size[l]];
            for (var s = 0; s < state.Slots; s++)
            {
                withRecords[maps.Map[l]![s]] |= state.Cells[s * state.Width] != 0;
            }
            var kept = k - l;
            var (keys, counts) = (new List<string>(), new List<PersonCounts>());
            for (var ls = 0; ls < withRecords.Length; ls++)
            {
                if (!withRecords[ls])
                {
                    continue;
                }
                var labels = new string[kept];
                for (var t = 0; t < kept; t++)
                {
                    labels[t] = plan.TermLabels[t][maps.Values[l][(ls * k) + t]];
                }
                keys.Add(AggregatePartial.KeyOf(labels));
                counts.Add(PersonCounts.Of(level, ls));
            }
            var (sortedKeys, sortedCounts) = (keys.ToArray(), counts.ToArray());
            KeyedEntries<PersonCounts>.Sort(sortedKeys, sortedCounts);
            subtotals[l - 1] = KeyedEntries<PersonCounts>.FromSorted(sortedKeys, sortedCounts);
        }
        return subtotals;
    }

    /// <summary>
    /// Finishes a partial as a single-pass query finishes: its groups become the finest slots of the engine's group
    /// state, rollup levels come from the engine's level maps (with distinct counts recounted from the members, never
    /// summed), and the rows from the engine's result builder.
    /// </summary>
    internal static AggregationResult Finish(AggregatePartial partial, bool rollup) =>
        Finish(partial.GroupBy, partial.Measures, [.. partial.Groups], rollup, subtotals: null).Stating(partial.Statement);

    /// <summary>
    /// Finishes a shard partial the same way; its people are counts, placed where the engine's pass leaves them: the
    /// finest groups' own, and each rollup level's from the subtotals the shards counted.
    /// </summary>
    internal static AggregationResult Finish(ShardPartial partial) =>
        Finish(partial.GroupBy, partial.Measures, [.. partial.Groups], partial.IsRollup, partial.Subtotals).Stating(partial.Statement);

    private static AggregationResult Finish(
        IReadOnlyList<GroupingTerm> groupBy, IReadOnlyList<Measure> measures, PartialGroup[] groups, bool rollup, IReadOnlyList<IReadOnlyDictionary<string, PersonCounts>>? subtotals)
    {
        var k = groupBy.Count;
        var labelIndex = Enumerable.Range(0, k).Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var labels = Enumerable.Range(0, k).Select(_ => new List<string>()).ToArray();
        var values = new int[groups.Length * k];
        for (var s = 0; s < groups.Length; s++)
        {
            for (var t = 0; t < k; t++)
            {
                var label = groups[s].Keys[t];
                if (!labelIndex[t].TryGetValue(label, out var v))
                {
                    v = labels[t].Count;
                    labels[t].Add(label);
                    labelIndex[t].Add(label, v);
                }
                values[(s * k) + t] = v;
            }
        }
        var maps = LevelMaps.FromValues(values, labels.Select(l => l.Count).ToArray(), groups.Length, rollup ? k + 1 : 1);
        var needs = new Needs(measures);
        using var state = new GroupState(groups.Length, maps, needs);
        for (var s = 0; s < groups.Length; s++)
        {
            groups[s].CopyCells(state, s);
        }
        for (var l = 0; l < maps.Count; l++)
        {
            Recount(state.Levels[l], maps.Map[l], groups, needs);
        }
        if (subtotals is not null)
        {
            PlaceCounts(state, maps, labels, groups, subtotals);
        }
        return ResultBuilder.Build(groupBy, labels.Select(l => l.ToArray()).ToArray(), maps, state, needs);
    }

    /// <summary>The distinct counts of one level, from the members of the groups it gathers (through <paramref name="map"/>; none for the finest).</summary>
    private static void Recount(LevelState level, int[]? map, PartialGroup[] groups, Needs needs)
    {
        level.Activities = needs.Activities ? new int[level.Size] : null;
        level.Schools = needs.Schools ? new int[level.Size] : null;
        var registers = needs.Hll ? new List<HllRegisters>?[level.Size] : null;
        var seen = new HashSet<(int Set, int Slot, string Member)>();
        for (var s = 0; s < groups.Length; s++)
        {
            var g = groups[s];
            var ls = map is null ? s : map[s];
            // Unique and the improved share are read from (last seen, count) pairs, as the kernel keeps them.
            Count(0, level.Unique, (2 * ls) + 1, g.Beneficiaries);
            Count(1, level.Improved, (4 * ls) + 1, g.Assessed);
            Count(2, level.Improved, (4 * ls) + 3, g.Improved);
            Count(3, level.Activities, ls, g.Activities);
            Count(4, level.Schools, ls, g.Schools);
            if (registers is not null && g.Hll is { } hll)
            {
                (registers[ls] ??= []).Add(hll);
            }

            // A level slot gathers groups that share members: each member counts once per set and slot.
            void Count(int set, int[]? counts, int index, string[]? members)
            {
                if (counts is null || members is null)
                {
                    return;
                }
                foreach (var member in members)
                {
                    counts[index] += seen.Add((set, ls, member)) ? 1 : 0;
                }
            }
        }
        for (var ls = 0; registers is not null && ls < level.Size; ls++)
        {
            if (registers[ls] is { } sets)
            {
                (level.Hll![(2 * ls) + 1], level.Weight![ls]) = HllRegisters.Max(sets).Summarize();
            }
        }
    }

    /// <summary>Writes a shard partial's counts of people into every level of the state, as the engine's pass would have.</summary>
    private static void PlaceCounts(
        GroupState state, LevelMaps maps, List<string>[] labels, PartialGroup[] groups, IReadOnlyList<IReadOnlyDictionary<string, PersonCounts>> subtotals)
    {
        for (var s = 0; s < groups.Length; s++)
        {
            groups[s].People.WriteTo(state.Levels[0], s);
        }
        var k = labels.Length;
        for (var l = 1; l < maps.Count; l++)
        {
            var kept = new string[k - l];
            for (var ls = 0; ls < maps.Size[l]; ls++)
            {
                for (var t = 0; t < kept.Length; t++)
                {
                    kept[t] = labels[t][maps.Values[l][(ls * k) + t]];
                }
                subtotals[l - 1].GetValueOrDefault(AggregatePartial.KeyOf(kept)).WriteTo(state.Levels[l], ls);
            }
        }
    }
}
