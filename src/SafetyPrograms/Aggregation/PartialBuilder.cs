namespace SafetyPrograms.Aggregation;

/// <summary>Builds an <see cref="AggregatePartial"/> from a store: one pass, sets per group, keys turned back into labels and identifiers.</summary>
internal static class PartialBuilder
{
    internal static AggregatePartial Build(AggregationQuery query)
    {
        var columns = query.Store.Sorted();
        var plan = new QueryPlan(query, columns);
        var needs = new QueryEngine.Needs(query.EffectiveMeasures);
        var lookup = query.Store.Lookup;
        var groups = new Dictionary<long, Accumulator>();
        for (var i = 0; i < columns.Count; i++)
        {
            var key = QueryEngine.KeyOf(plan, columns, i);
            if (key < 0)
            {
                continue;
            }
            if (!groups.TryGetValue(key, out var a))
            {
                a = new Accumulator(needs);
                groups.Add(key, a);
            }
            a.Add(columns, i);
        }
        var k = plan.Terms.Length;
        Span<int> values = stackalloc int[Math.Max(1, k)];
        var result = new SortedDictionary<string, PartialGroup>(StringComparer.Ordinal);
        foreach (var (key, a) in groups)
        {
            plan.Decode(key, values);
            var labels = new string[k];
            for (var t = 0; t < k; t++)
            {
                labels[t] = plan.TermLabels[t][values[t]];
            }
            var g = a.ToGroup(labels, columns, lookup);
            result.Add(AggregatePartial.KeyOf(labels), g);
        }
        plan.ReturnTables();
        return new AggregatePartial(plan.Terms, needs.Measures, result);
    }

    private sealed class Accumulator(QueryEngine.Needs needs)
    {
        private readonly HashSet<int>? _beneficiaries = needs.Unique ? [] : null;
        private readonly HashSet<int>? _assessed = needs.Improved ? [] : null;
        private readonly HashSet<int>? _improved = needs.Improved ? [] : null;
        private readonly HashSet<int>? _activities = needs.Activities ? [] : null;
        private readonly HashSet<int>? _schools = needs.Schools ? [] : null;
        private readonly byte[]? _hll = needs.Hll ? new byte[HyperLogLog.RegisterCount] : null;
        private long _participations, _completions, _preSum, _preN, _postSum, _postN, _gainSum, _gainN;

        internal void Add(in ParticipationStore.Columns c, int i)
        {
            var b = c.Beneficiary[i];
            _participations++;
            _completions += c.Flags[i] >> 7;
            var pre = c.Pre[i];
            var post = c.Post[i];
            if (pre != 0)
            {
                _preSum += c.ScoreValues[pre];
                _preN++;
            }
            if (post != 0)
            {
                _postSum += c.ScoreValues[post];
                _postN++;
            }
            if (pre != 0 && post != 0)
            {
                var gain = c.ScoreValues[post] - c.ScoreValues[pre];
                _gainSum += gain;
                _gainN++;
                _assessed?.Add(b);
                if (gain > 0)
                {
                    _improved?.Add(b);
                }
            }
            _beneficiaries?.Add(b);
            _activities?.Add(c.ContextActivity[c.Context[i]]);
            if (c.ContextSchool[c.Context[i]] is var school && school >= 0)
            {
                _schools?.Add(school);
            }
            if (_hll is not null)
            {
                var h = c.BeneficiaryHash[b];
                ref var register = ref _hll[HyperLogLog.Register(h)];
                register = Math.Max(register, (byte)HyperLogLog.Rank(h));
            }
        }

        internal PartialGroup ToGroup(string[] labels, ParticipationStore.Columns c, SafetyPrograms.Indexing.ProgrammeIndex lookup) => new()
        {
            Keys = labels,
            Participations = _participations,
            Completions = _completions,
            PreSum = _preSum,
            PreN = _preN,
            PostSum = _postSum,
            PostN = _postN,
            GainSum = _gainSum,
            GainN = _gainN,
            Beneficiaries = Sorted(_beneficiaries, c.Beneficiaries.KeyOf),
            Assessed = Sorted(_assessed, c.Beneficiaries.KeyOf),
            Improved = Sorted(_improved, c.Beneficiaries.KeyOf),
            Activities = Sorted(_activities, a => lookup.ActivityIds[a]),
            Schools = Sorted(_schools, s => lookup.SchoolIds[s]),
            Hll = _hll,
        };

        private static string[]? Sorted(HashSet<int>? set, Func<int, string> name)
        {
            if (set is null)
            {
                return null;
            }
            var names = set.Select(name).ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            return names;
        }
    }
}
