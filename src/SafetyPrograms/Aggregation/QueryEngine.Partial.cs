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
        var columns = query.Store.Sorted();
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

        var k = plan.Terms.Length;
        Span<int> values = stackalloc int[Math.Max(1, k)];
        var groups = new SortedDictionary<string, PartialGroup>(StringComparer.Ordinal);
        for (var s = 0; s < state.Slots; s++)
        {
            if (state.Cells[s * state.Width] == 0)
            {
                continue;
            }
            scan.Levels.Decode(s, values);
            var labels = new string[k];
            for (var t = 0; t < k; t++)
            {
                labels[t] = plan.TermLabels[t][values[t]];
            }
            groups.Add(AggregatePartial.KeyOf(labels), PartialGroup.FromCells(labels, state, s) with
            {
                Beneficiaries = beneficiaries?[s],
                Assessed = assessed?[s],
                Improved = improved?[s],
                Activities = activities?[s],
                Schools = schools?[s],
                Hll = members.Registers?[s],
            });
        }
        plan.ReturnTables();
        return new AggregatePartial(plan.Terms, needs.Measures, groups);
    }

    /// <summary>
    /// Finishes a partial as a single-pass query finishes: its groups become the finest slots of the engine's group
    /// state, rollup levels come from the engine's level maps (with distinct counts recounted from the members, never
    /// summed), and the rows from the engine's result builder.
    /// </summary>
    internal static AggregationResult Finish(AggregatePartial partial, bool rollup)
    {
        var k = partial.GroupBy.Count;
        var groups = partial.Groups.ToArray();
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
        var needs = new Needs(partial.Measures);
        using var state = new GroupState(groups.Length, maps, needs);
        for (var s = 0; s < groups.Length; s++)
        {
            groups[s].CopyCells(state, s);
        }
        for (var l = 0; l < maps.Count; l++)
        {
            Recount(state.Levels[l], maps.Map[l], groups, needs);
        }
        return ResultBuilder.Build(partial.GroupBy, labels.Select(l => l.ToArray()).ToArray(), maps, state, needs);
    }

    /// <summary>The distinct counts of one level, from the members of the groups it gathers (through <paramref name="map"/>; none for the finest).</summary>
    private static void Recount(LevelState level, int[]? map, PartialGroup[] groups, Needs needs)
    {
        level.Activities = needs.Activities ? new int[level.Size] : null;
        level.Schools = needs.Schools ? new int[level.Size] : null;
        var registers = needs.Hll ? new byte[]?[level.Size] : null;
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
                HyperLogLog.MaxInto(registers[ls] ??= new byte[HyperLogLog.RegisterCount], hll);
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
            if (registers[ls] is { } r)
            {
                (level.Hll![(2 * ls) + 1], level.Weight![ls]) = HyperLogLog.Summarize(r);
            }
        }
    }
}
