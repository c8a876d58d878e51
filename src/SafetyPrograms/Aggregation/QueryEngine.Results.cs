namespace SafetyPrograms.Aggregation;

internal static partial class QueryEngine
{
    /// <summary>
    /// Distinct activities and schools per group. Records are ordered by beneficiary, not activity, so these use a set
    /// of (group, activity) pairs: allocation proportional to distinct pairs, one pass on one thread.
    /// </summary>
    internal static class DistinctPass
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal static void Run(in Inputs x, QueryPlan plan, object slots, LevelMaps maps, GroupState state, Needs needs)
        {
            var c = x.Columns;
            ISlots? index = slots is DenseSlots ? null : (ISlots)slots;
            var levels = state.Levels;
            var activitySeen = new HashSet<long>[levels.Length];
            var schoolSeen = new HashSet<long>[levels.Length];
            for (var l = 0; l < levels.Length; l++)
            {
                activitySeen[l] = [];
                schoolSeen[l] = [];
                levels[l].Activities = needs.Activities ? new int[levels[l].Size] : null;
                levels[l].Schools = needs.Schools ? new int[levels[l].Size] : null;
            }
            for (var i = 0; i < c.Count; i++)
            {
                var key = KeyOf(plan, c, i);
                if (key < 0)
                {
                    continue;
                }
                var s = index is null ? (int)key : index.Slot(key);
                var activity = c.ContextActivity[c.Context[i]];
                var school = c.ContextSchool[c.Context[i]];
                for (var l = 0; l < levels.Length; l++)
                {
                    var ls = l == 0 ? s : maps.Map[l]![s];
                    if (levels[l].Activities is { } a && activitySeen[l].Add(((long)ls << 32) | (uint)activity))
                    {
                        a[ls]++;
                    }
                    if (school >= 0 && levels[l].Schools is { } sc && schoolSeen[l].Add(((long)ls << 32) | (uint)school))
                    {
                        sc[ls]++;
                    }
                }
            }
        }
    }

    /// <summary>Turns group state into result rows: level 0 from the slots, subtotal levels summed through the level maps.</summary>
    internal static class ResultBuilder
    {
        internal static AggregationResult Build(AggregationQuery query, QueryPlan plan, LevelMaps maps, GroupState state, Needs needs)
        {
            var k = plan.Terms.Length;
            var slotKeys = maps.SlotKeys;
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
                        plan.Decode(slotKeys is null ? ls : slotKeys[ls], v);
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
            return new AggregationResult(plan.Terms, needs.Measures, plan.TermLabels, rows);
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

/// <summary>The one place where ratios and means are computed, so that every path (query, partial) agrees to the bit.</summary>
internal static class MeasureMath
{
    internal static double Ratio(long part, long whole) => whole == 0 ? double.NaN : (double)part / whole;

    internal static double MeanScore(long scaledSum, long n) => n == 0 ? double.NaN : scaledSum / (n * (double)ParticipationStore.ScoreScale);
}
