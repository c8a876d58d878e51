namespace SafetyPrograms.Aggregation;

internal static partial class QueryEngine
{
    /// <summary>
    /// Distinct activities and schools per group. Records are ordered by beneficiary, not activity, so these use a set
    /// of (group, activity) pairs: allocation proportional to distinct pairs, one pass on one thread.
    /// </summary>
    internal static class DistinctPass
    {
        internal static void Run(in Inputs x, QueryPlan plan, object slots, LevelMaps maps, GroupState state, Needs needs)
        {
            var c = x.Columns;
            var index = slots is HashedSlots h ? h : default(HashedSlots?);
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
                var s = index is { } hashed ? hashed.Slot(key) : (int)key;
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
            var rows = new ResultColumns(k, needs.Measures.Count);
            Span<int> v = stackalloc int[Math.Max(1, k)];
            var slotKeys = maps.SlotKeys;
            for (var l = 0; l < maps.Count; l++)
            {
                var level = state.Levels[l];
                var sums = l == 0 ? Sums.Of(state) : Sums.Of(state, maps.Map[l]!, maps.Size[l]);
                for (var ls = 0; ls < sums.Count.Length; ls++)
                {
                    if (sums.Count[ls] == 0)
                    {
                        continue;
                    }
                    if (l == 0)
                    {
                        plan.Decode(slotKeys is null ? ls : slotKeys[ls], v);
                        rows.Add(0, v[..k]);
                    }
                    else
                    {
                        rows.Add(l, maps.Values[l].AsSpan(ls * k, k));
                    }
                    for (var m = 0; m < needs.Measures.Count; m++)
                    {
                        rows.Values[m].Add(Value(needs.Measures[m], sums, level, ls));
                    }
                }
            }
            return new AggregationResult(plan.Terms, needs.Measures, plan.TermLabels, rows);
        }

        private static double Value(Measure m, Sums s, LevelState level, int i) => m switch
        {
            Measure.Participations => s.Count[i],
            Measure.UniqueBeneficiaries => level.Unique![i],
            Measure.ApproximateUniqueBeneficiaries => HyperLogLog.Estimate(level.NonEmpty![i], level.Weight![i]),
            Measure.Activities => level.Activities![i],
            Measure.Schools => level.Schools![i],
            Measure.Completions => s.Completed![i],
            Measure.CompletionRate => MeasureMath.Ratio(s.Completed![i], s.Count[i]),
            Measure.MeanPreScore => MeasureMath.MeanScore(s.PreSum![i], s.PreN![i]),
            Measure.MeanPostScore => MeasureMath.MeanScore(s.PostSum![i], s.PostN![i]),
            Measure.MeanGain => MeasureMath.MeanScore(s.GainSum![i], s.GainN![i]),
            _ => MeasureMath.Ratio(level.Improved![i], level.Assessed![i]),
        };

        /// <summary>The additive measures of one level.</summary>
        private sealed class Sums
        {
            internal long[] Count { get; private init; } = [];
            internal long[]? Completed { get; private init; }
            internal long[]? PreSum { get; private init; }
            internal long[]? PreN { get; private init; }
            internal long[]? PostSum { get; private init; }
            internal long[]? PostN { get; private init; }
            internal long[]? GainSum { get; private init; }
            internal long[]? GainN { get; private init; }

            internal static Sums Of(GroupState g) => new()
            {
                Count = Widen(g.Count)!,
                Completed = Widen(g.Completed),
                PreSum = g.PreSum,
                PreN = Widen(g.PreN),
                PostSum = g.PostSum,
                PostN = Widen(g.PostN),
                GainSum = g.GainSum,
                GainN = Widen(g.GainN),
            };

            internal static Sums Of(GroupState g, int[] map, int size) => new()
            {
                Count = Roll(g.Count, map, size)!,
                Completed = Roll(g.Completed, map, size),
                PreSum = Roll(g.PreSum, map, size),
                PreN = Roll(g.PreN, map, size),
                PostSum = Roll(g.PostSum, map, size),
                PostN = Roll(g.PostN, map, size),
                GainSum = Roll(g.GainSum, map, size),
                GainN = Roll(g.GainN, map, size),
            };

            private static long[]? Widen(int[]? source) => source is null ? null : Array.ConvertAll(source, v => (long)v);

            private static long[]? Roll(int[]? source, int[] map, int size)
            {
                if (source is null)
                {
                    return null;
                }
                var result = new long[size];
                for (var i = 0; i < source.Length; i++)
                {
                    result[map[i]] += source[i];
                }
                return result;
            }

            private static long[]? Roll(long[]? source, int[] map, int size)
            {
                if (source is null)
                {
                    return null;
                }
                var result = new long[size];
                for (var i = 0; i < source.Length; i++)
                {
                    result[map[i]] += source[i];
                }
                return result;
            }
        }
    }
}

/// <summary>The one place where ratios and means are computed, so that every path (query, partial) agrees to the bit.</summary>
internal static class MeasureMath
{
    internal static double Ratio(long part, long whole) => whole == 0 ? double.NaN : (double)part / whole;

    internal static double MeanScore(long scaledSum, long n) =>
        n == 0 ? double.NaN : (double)(decimal.Divide(scaledSum, n) / ParticipationStore.ScoreScale);
}
