namespace SafetyPrograms.Aggregation;

internal static partial class QueryEngine
{
    /// <summary>
    /// Distinct members per group: activities and schools for a query, and for a partial also its beneficiaries (all,
    /// assessed, improved) and HyperLogLog registers. Records are ordered by beneficiary, not activity, so these use sets
    /// of (group, member) pairs: allocation proportional to distinct pairs, one pass on one thread.
    /// </summary>
    internal static class DistinctPass
    {
        /// <summary>Counts distinct activities and schools into every level's state.</summary>
        internal static void Count(in Inputs x, QueryPlan plan, object slots, LevelMaps maps, GroupState state, Needs needs)
        {
            var members = new GroupMembers[state.Levels.Length];
            for (var l = 0; l < members.Length; l++)
            {
                var level = state.Levels[l];
                level.Activities = needs.Activities ? new int[level.Size] : null;
                level.Schools = needs.Schools ? new int[level.Size] : null;
                members[l] = new GroupMembers(needs, people: false, level);
            }
            Run(x, plan, slots, maps, members);
        }

        /// <summary>The members of each finest group, for a partial result.</summary>
        internal static GroupMembers Collect(in Inputs x, QueryPlan plan, object slots, LevelMaps maps, Needs needs)
        {
            var members = new GroupMembers(needs, people: true, null, maps.Size[0]);
            Run(x, plan, slots, maps, [members]);
            return members;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private static void Run(in Inputs x, QueryPlan plan, object slots, LevelMaps maps, GroupMembers[] levels)
        {
            var c = x.Columns;
            ISlots? index = slots is DenseSlots ? null : (ISlots)slots;
            for (var i = 0; i < c.Count; i++)
            {
                var key = KeyOf(plan, c, i);
                if (key < 0)
                {
                    continue;
                }
                var s = index is null ? (int)key : index.Slot(key);
                for (var l = 0; l < levels.Length; l++)
                {
                    levels[l].Add(c, i, l == 0 ? s : maps.Map[l]![s]);
                }
            }
        }
    }

    /// <summary>Turns group state into result rows: level 0 from the slots, subtotal levels summed through the level maps.</summary>
    internal static class ResultBuilder
    {
        internal static AggregationResult Build(IReadOnlyList<GroupingTerm> terms, string[][] labels, LevelMaps maps, GroupState state, Needs needs)
        {
            var k = terms.Count;
            var levelCells = new long[maps.Count][];
            var rowCount = 0;
            for (var l = 0; l < maps.Count; l++)
            {
                levelCells[l] = l == 0 ? state.Cells : Roll(state, maps.Map[l]!, maps.Size[l]);
                rowCount += CountNonEmpty(levelCells[l], l == 0 ? state.Slots : maps.Size[l], state.Width);
            }
            // Sized exactly, so a large result is a few arrays allocated once.
            var rows = new ResultColumns(k, needs.Measures.Count, rowCount);
            Span<int> v = stackalloc int[Math.Max(1, k)];
            var width = state.Width;
            for (var l = 0; l < maps.Count; l++)
            {
                var level = state.Levels[l];
                var cells = levelCells[l];
                var size = l == 0 ? state.Slots : maps.Size[l];
                for (var ls = 0; ls < size; ls++)
                {
                    var cell = ls * width;
                    if (cells[cell] == 0)
                    {
                        continue;
                    }
                    int row;
                    if (l == 0)
                    {
                        maps.Decode(ls, v);
                        row = rows.Add(0, v[..k]);
                    }
                    else
                    {
                        row = rows.Add(l, maps.Values[l].AsSpan(ls * k, k));
                    }
                    for (var m = 0; m < needs.Measures.Count; m++)
                    {
                        rows.Values[m][row] = Value(needs.Measures[m], state, cells, cell, level, ls);
                    }
                }
            }
            return new AggregationResult(terms, needs.Measures, labels, rows);
        }

        private static int CountNonEmpty(long[] cells, int size, int width)
        {
            var n = 0;
            for (var s = 0; s < size; s++)
            {
                n += cells[s * width] != 0 ? 1 : 0;
            }
            return n;
        }

        private static double Value(Measure m, GroupState g, long[] cells, int cell, LevelState level, int i) => m switch
        {
            Measure.Participations => cells[cell],
            Measure.UniqueBeneficiaries => level.UniqueCount(i),
            Measure.ApproximateUniqueBeneficiaries => HyperLogLog.Estimate(level.NonEmptyRegisters(i), level.Weight![i]),
            Measure.Activities => level.Activities![i],
            Measure.Schools => level.Schools![i],
            Measure.Completions => cells[cell + g.CompletedAt],
            Measure.CompletionRate => MeasureMath.Ratio(cells[cell + g.CompletedAt], cells[cell]),
            Measure.MeanPreScore => MeasureMath.MeanScore(cells[cell + g.PreAt], cells[cell + g.PreAt + 1]),
            Measure.MeanPostScore => MeasureMath.MeanScore(cells[cell + g.PostAt], cells[cell + g.PostAt + 1]),
            Measure.MeanGain => MeasureMath.MeanScore(cells[cell + g.GainAt], cells[cell + g.GainAt + 1]),
            _ => MeasureMath.Ratio(level.ImprovedCount(i), level.AssessedCount(i)),
        };

        /// <summary>The additive cells of a subtotal level: the finest cells summed through the level map.</summary>
        private static long[] Roll(GroupState g, int[] map, int size)
        {
            var w = g.Width;
            var result = new long[(long)size * w];
            for (var s = 0; s < g.Slots; s++)
            {
                var to = map[s] * w;
                for (var j = 0; j < w; j++)
                {
                    result[to + j] += g.Cells[(s * w) + j];
                }
            }
            return result;
        }
    }
}

/// <summary>The one place where ratios and means are computed, so that every path (partitioned or not) agrees to the bit.</summary>
internal static class MeasureMath
{
    internal static double Ratio(long part, long whole) => whole == 0 ? double.NaN : (double)part / whole;

    internal static double MeanScore(long scaledSum, long n) => n == 0 ? double.NaN : scaledSum / (n * (double)ParticipationStore.ScoreScale);
}
