using System.Numerics;
using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Ingest;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// A query compiled to lookup tables: each column (context, day, flags, age) and the beneficiary's answers summary maps
/// to its share of the group key, or to <see cref="Rejected"/> when a filter drops it, so that a record's group key is the
/// sum of five table reads.
/// </summary>
/// <remarks>
/// The grouping terms served by one column are dictionary-encoded together over the combinations that actually occur
/// (school determines district, province and country, so grouping by all four costs no more than by school): the key
/// space is the product of those combination counts, small enough in practice to be an array index (a perfect hash).
/// </remarks>
internal sealed class QueryPlan
{
    /// <summary>A table value that makes any key sum negative.</summary>
    internal const long Rejected = long.MinValue / 8;

    /// <summary>From <see cref="AggregationQuery.SieveFlags"/>.</summary>
    internal bool SieveFlags { get; }

    internal QueryPlan(AggregationQuery query, in ParticipationStore.Columns columns)
    {
        var store = query.Store;
        var lookup = store.Lookup;
        SieveFlags = query.SieveFlags;
        Terms = [.. query.Terms];
        var k = Terms.Length;
        TermLabels = new string[k][];
        var ctx = new Source(this, t => !t.IsTime && !t.Dimension.IsRecordDimension());
        var day = new Source(this, t => t.IsTime);
        var flags = new Source(this, t => t.Dimension is Dimension.Role or Dimension.Sex or Dimension.Mode && !t.IsTime);
        var age = new Source(this, t => t.Dimension.IsAgeDimension() && !t.IsTime);
        var disability = new Source(this, t => t.Dimension == Dimension.Disability && !t.IsTime);
        Sources = [ctx, day, flags, age, disability];
        foreach (var source in Sources)
        {
            // Dataset dimensions: their values and "none"; time: at most one bucket per day of the store's range.
            source.Radix = source.TermIndices.Select(t => Terms[t].IsTime ? 65_537L : query.Cardinality(Terms[t].Dimension) + 1L).ToArray();
        }
        foreach (var t in Enumerable.Range(0, k).Where(i => !Terms[i].IsTime))
        {
            var d = Terms[t].Dimension;
            TermLabels[t] = Enumerable.Range(0, query.Cardinality(d) + 1).Select(v => query.Label(d, v)).ToArray();
        }
        var filters = query.Filters;

        // Context: activity + effective school determine every dataset dimension.
        ctx.Active = ctx.TermIndices.Length > 0 || filters.Keys.Any(d => !d.IsRecordDimension());
        Span<int> values = stackalloc int[k + 1];
        var ctxFilters = filters.Where(f => !f.Key.IsRecordDimension()).Select(f => (store.ContextValues(f.Key), f.Value)).ToArray();
        Dimension? shared = null;
        if (ctx.Active && ctx.TermIndices.Length == 1 && ctxFilters.Length == 0)
        {
            // One dataset dimension, no dataset filter: the key is the dimension's value, kept by the store across queries.
            var dimension = Terms[ctx.TermIndices[0]].Dimension;
            ctx.UseIdentity(lookup.Cardinality(dimension) + 1);
            ctx.Table = store.ContextKeys<long>(dimension);
            shared = dimension;
        }
        else if (ctx.Active)
        {
            // Rented, not allocated: a table per context is megabytes at scale, and fresh memory costs a page fault per 4 KiB.
            ctx.Table = Pooled.RentDirty<long>(columns.ContextCount);
            ctx.Rented = true;
            var termValues = ctx.TermIndices.Select(t => store.ContextValues(Terms[t].Dimension)).ToArray();
            ctx.UseIdentity(ctx.TermIndices.Length == 1 ? lookup.Cardinality(Terms[ctx.TermIndices[0]].Dimension) + 1 : 0);
            for (var c = 0; c < columns.ContextCount; c++)
            {
                var keep = true;
                foreach (var (valueOf, allowed) in ctxFilters)
                {
                    keep &= allowed[valueOf[c]];
                }
                if (!keep)
                {
                    ctx.Table[c] = Rejected;
                    continue;
                }
                for (var j = 0; j < termValues.Length; j++)
                {
                    values[j] = termValues[j][c];
                }
                ctx.Table[c] = ctx.Intern(values[..termValues.Length]);
            }
        }

        // Day: one entry per day in the store's range; time buckets are numbered in order of first appearance.
        MinDay = Math.Min(store.MinDay, Math.Max(0, store.MaxDay));
        var dayCount = Math.Max(1, store.MaxDay - MinDay + 1);
        day.Active = day.TermIndices.Length > 0 || query.From is not null;
        day.Table = new long[dayCount];
        if (day.Active)
        {
            var bucketIndex = day.TermIndices.Select(_ => new Dictionary<int, int>()).ToArray();
            var bucketLabels = day.TermIndices.Select(_ => new List<string>()).ToArray();
            for (var i = 0; i < dayCount; i++)
            {
                var date = LocalDate.FromDateOnly(DateOnly.FromDayNumber(ParticipationStore.DayBase + MinDay + i));
                if ((query.From is { } from && date < from) || (query.To is { } to && date > to))
                {
                    day.Table[i] = Rejected;
                    continue;
                }
                for (var j = 0; j < day.TermIndices.Length; j++)
                {
                    var bucket = Terms[day.TermIndices[j]].Time!;
                    var ordinal = bucket.Ordinal(date);
                    if (!bucketIndex[j].TryGetValue(ordinal, out var b))
                    {
                        b = bucketLabels[j].Count;
                        bucketIndex[j].Add(ordinal, b);
                        bucketLabels[j].Add(bucket.Label(date));
                    }
                    values[j] = b;
                }
                day.Table[i] = day.Intern(values[..day.TermIndices.Length]);
            }
            for (var j = 0; j < day.TermIndices.Length; j++)
            {
                TermLabels[day.TermIndices[j]] = [.. bucketLabels[j]];
            }
        }

        // Flags: role (3 bits), sex (2), mode (2), completed (1).
        flags.Active = flags.TermIndices.Length > 0 || filters.Keys.Any(d => d is Dimension.Role or Dimension.Sex or Dimension.Mode);
        flags.Table = new long[256];
        if (flags.Active)
        {
            for (var f = 0; f < 256; f++)
            {
                int role = f & 7, sex = (f >> 3) & 3, mode = (f >> 5) & 3;
                if (role >= lookup.Cardinality(Dimension.Role) || mode >= lookup.Cardinality(Dimension.Mode)
                    || !Allowed(filters, Dimension.Role, role) || !Allowed(filters, Dimension.Sex, sex) || !Allowed(filters, Dimension.Mode, mode))
                {
                    flags.Table[f] = Rejected;
                    continue;
                }
                for (var j = 0; j < flags.TermIndices.Length; j++)
                {
                    values[j] = Terms[flags.TermIndices[j]].Dimension switch
                    {
                        Dimension.Role => role,
                        Dimension.Sex => sex,
                        _ => mode,
                    };
                }
                flags.Table[f] = flags.Intern(values[..flags.TermIndices.Length]);
            }
        }

        // Age: one entry per age code (an age in years, or a band recorded), its band in today's list and in the scheme.
        age.Active = age.TermIndices.Length > 0 || filters.ContainsKey(Dimension.AgeBand) || filters.ContainsKey(Dimension.Age);
        age.Table = new long[256];
        if (age.Active)
        {
            var scheme = query.Scheme;
            for (var a = 0; a < 256; a++)
            {
                var listBand = AgeCodes.ListBand(a);
                var schemeBand = SchemeBand(scheme, a);
                if (listBand is null || !Allowed(filters, Dimension.AgeBand, (int)listBand) || !Allowed(filters, Dimension.Age, schemeBand))
                {
                    age.Table[a] = Rejected;
                    continue;
                }
                for (var j = 0; j < age.TermIndices.Length; j++)
                {
                    values[j] = Terms[age.TermIndices[j]].Dimension == Dimension.AgeBand ? (int)listBand : schemeBand;
                }
                age.Table[a] = age.Intern(values[..age.TermIndices.Length]);
            }
        }

        // Disability: one entry per answers summary; the cut-off decides each summary's status.
        disability.Active = disability.TermIndices.Length > 0 || filters.ContainsKey(Dimension.Disability);
        disability.Table = new long[FunctioningAnswers.SummaryCount];
        if (disability.Active)
        {
            for (var summary = 0; summary < FunctioningAnswers.SummaryCount; summary++)
            {
                var status = (int)query.Cutoff.StatusOf(summary);
                if (!Allowed(filters, Dimension.Disability, status))
                {
                    disability.Table[summary] = Rejected;
                    continue;
                }
                values[0] = status;
                disability.Table[summary] = disability.Intern(values[..disability.TermIndices.Length]);
            }
        }

        // Mixed radix over the combination counts; then scale each table by its stride. The context table comes first, so its
        // stride is 1 and it is never written here: it may be the store's shared table (ContextKeys) or a longer pooled array.
        long stride = 1;
        foreach (var source in Sources)
        {
            source.Stride = stride;
            for (var i = 0; stride != 1 && i < source.Table.Length; i++)
            {
                if (source.Table[i] != Rejected)
                {
                    source.Table[i] *= stride;
                }
            }
            stride = checked(stride * Math.Max(1, source.ComboCount));
        }
        KeySpace = stride;
        var narrow = query.NarrowContextTable;
        ContextParts = !ctx.Active ? new QueryEngine.NoContext()
            : !narrow ? new QueryEngine.WideContext(ctx.Table)
            : ctx.ComboCount is > 0 and < byte.MaxValue ? new QueryEngine.NarrowContext<byte>(Narrow<byte>(store, shared, ctx.Table, columns.ContextCount))
            : ctx.ComboCount is > 0 and < ushort.MaxValue ? new QueryEngine.NarrowContext<ushort>(Narrow<ushort>(store, shared, ctx.Table, columns.ContextCount))
            : new QueryEngine.WideContext(ctx.Table);
        for (var t = 0; t < k; t++)
        {
            TermLabels[t] ??= [];
        }
    }

    internal GroupingTerm[] Terms { get; }

    /// <summary>
    /// The context table as the kernel reads it (a <see cref="QueryEngine.IContextParts"/>): in the narrowest integer that
    /// holds every combination, with that integer's largest value for a context filtered out. At scale the context table
    /// is read at random, once a record; a byte or two an entry instead of eight keeps it in cache.
    /// </summary>
    internal object ContextParts { get; }

    private Array? _rentedParts;

    /// <summary>The context table in <typeparamref name="T"/>: the store's own for one shared dimension, else rented and filled.</summary>
    private T[] Narrow<T>(ParticipationStore store, Dimension? shared, long[] table, int count)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (shared is { } dimension)
        {
            return store.ContextKeys<T>(dimension);
        }
        var parts = Pooled.RentDirty<T>(count);
        for (var c = 0; c < count; c++)
        {
            parts[c] = table[c] == Rejected ? T.MaxValue : T.CreateTruncating(table[c]);
        }
        _rentedParts = parts;
        return parts;
    }

    /// <summary>Per term, the label of each value index.</summary>
    internal string[][] TermLabels { get; }

    internal Source[] Sources { get; }

    internal int MinDay { get; }

    /// <summary>The number of possible group keys.</summary>
    internal long KeySpace { get; }

    /// <summary>Writes the term values of a key into <paramref name="values"/>.</summary>
    internal void Decode(long key, Span<int> values)
    {
        foreach (var source in Sources)
        {
            // A result of many groups decodes every key: skip the sources the query does not use, and divide only where
            // the stride and the count need it (a 64-bit division costs tens of cycles).
            var count = source.ComboCount;
            if (count == 0)
            {
                continue;
            }
            var quotient = source.Stride == 1 ? key : key / source.Stride;
            var combo = (int)(quotient < count ? quotient : quotient % count);
            for (var j = 0; j < source.TermIndices.Length; j++)
            {
                values[source.TermIndices[j]] = source.ComboValue(combo, j);
            }
        }
    }

    private static bool Allowed(IReadOnlyDictionary<Dimension, bool[]> filters, Dimension d, int value) =>
        !filters.TryGetValue(d, out var keep) || keep[value];

    /// <summary>
    /// The value of <see cref="Dimension.Age"/> for an age code: the scheme's band of an age; for a year of birth or a
    /// band recorded, the scheme's band holding every age it may stand for, else "not comparable" (the band count);
    /// "not recorded" (the band count + 1).
    /// </summary>
    internal static int SchemeBand(AgeBandScheme scheme, int code)
    {
        if (AgeCodes.IsAge(code))
        {
            return scheme.BandOf(code);
        }
        if (AgeCodes.Range(code) is not { } range)
        {
            return scheme.Bands.Count + 1;
        }
        var nested = scheme.BandContaining(range);
        return nested >= 0 ? nested : scheme.Bands.Count;
    }

    /// <summary>One column's table and the combinations of term values it encodes.</summary>
    /// <summary>Gives rented tables back to the pool; the plan must not be used afterwards.</summary>
    internal void ReturnTables()
    {
        switch (_rentedParts)
        {
            case byte[] bytes:
                Pooled.Return(bytes);
                break;
            case ushort[] shorts:
                Pooled.Return(shorts);
                break;
        }
        _rentedParts = null;
        foreach (var source in Sources)
        {
            if (source.Rented)
            {
                Pooled.Return(source.Table);
                source.Table = [];
                source.Rented = false;
            }
        }
    }

    internal sealed class Source
    {
        private readonly Dictionary<long, int> _index = [];
        private bool _identity;

        internal Source(QueryPlan plan, Func<GroupingTerm, bool> serves) =>
            TermIndices = Enumerable.Range(0, plan.Terms.Length).Where(i => serves(plan.Terms[i])).ToArray();

        internal int[] TermIndices { get; }

        /// <summary>Per term of this source, an upper bound on its value count.</summary>
        internal long[] Radix { get; set; } = [];

        internal bool Active { get; set; }

        internal long[] Table { get; set; } = [];

        /// <summary>The table came from the array pool and goes back with <see cref="QueryPlan.ReturnTables"/>.</summary>
        internal bool Rented { get; set; }

        /// <summary>The term values of each combination, flattened (combination × terms); empty with identity numbering.</summary>
        private readonly List<int> _comboValues = [];

        internal int ComboCount { get; private set; }

        internal int ComboValue(int combo, int term) => _identity ? combo : _comboValues[(combo * TermIndices.Length) + term];

        internal long Stride { get; set; }

        /// <summary>For a single term with a known number of values: the value is the combination, no dictionary.</summary>
        internal void UseIdentity(int valueCount)
        {
            if (valueCount > 0)
            {
                _identity = true;
                ComboCount = valueCount;
            }
        }

        internal int Intern(ReadOnlySpan<int> values)
        {
            if (_identity)
            {
                return values[0];
            }
            // Pack the values with each term's radix; only an overflowing combination of many large terms takes the slow path.
            long key = 0;
            for (var j = 0; j < values.Length; j++)
            {
                var radix = Radix[j];
                if (key > (long.MaxValue / radix) - radix)
                {
                    return InternSlow(values);
                }
                key = (key * radix) + values[j];
            }
            if (!_index.TryGetValue(key, out var combo))
            {
                combo = ComboCount++;
                foreach (var v in values)
                {
                    _comboValues.Add(v);
                }
                _index.Add(key, combo);
            }
            return combo;
        }

        private readonly Dictionary<string, int> _slowIndex = new(StringComparer.Ordinal);

        private int InternSlow(ReadOnlySpan<int> values)
        {
            var key = string.Join(',', values.ToArray());
            if (!_slowIndex.TryGetValue(key, out var combo))
            {
                combo = ComboCount++;
                foreach (var v in values)
                {
                    _comboValues.Add(v);
                }
                _slowIndex.Add(key, combo);
            }
            return combo;
        }
    }
}
