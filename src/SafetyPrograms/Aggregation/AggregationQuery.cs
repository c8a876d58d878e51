using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// A query over a <see cref="ParticipationStore"/>: what to group by, which measures, which records, whether to roll up.
/// </summary>
/// <remarks>
/// <code>
/// var result = store.Query()
///     .GroupBy(Dimension.Province, TimeBucket.Month)
///     .Measure(Measure.Participations, Measure.UniqueBeneficiaries)
///     .Where(Dimension.Role, BeneficiaryRole.Teacher)
///     .Run();
/// </code>
/// Builder methods change and return this instance; a query is not thread-safe while being built, and
/// <see cref="Run"/> may be called more than once.
/// </remarks>
public sealed class AggregationQuery
{
    private readonly List<GroupingTerm> _terms = [];
    private readonly List<Measure> _measures = [];
    private readonly Dictionary<Dimension, bool[]> _filters = [];

    internal AggregationQuery(ParticipationStore store) => Store = store;

    internal ParticipationStore Store { get; }

    internal IReadOnlyList<GroupingTerm> Terms => _terms;

    internal IReadOnlyList<Measure> Measures => _measures;

    internal IReadOnlyDictionary<Dimension, bool[]> Filters => _filters;

    internal LocalDate? From { get; private set; }

    internal LocalDate? To { get; private set; }

    internal bool IsRollup { get; private set; }

    /// <summary>The scheme <see cref="Dimension.Age"/> groups and filters by; the UN child scheme unless set.</summary>
    internal AgeBandScheme Scheme { get; private set; } = AgeBandScheme.UnChild;

    /// <summary>The cut-off <see cref="Dimension.Disability"/> groups and filters by; the Washington Group's unless set.</summary>
    internal DisabilityCutoff Cutoff { get; private set; } = Domain.DisabilityCutoff.WashingtonGroup;

    /// <summary>The label of <see cref="Dimension.Age"/> for a record known only by a band that straddles two of the scheme's bands.</summary>
    internal const string NotComparable = "notComparable";

    /// <summary>Whether the query groups or filters by <paramref name="dimension"/>, so that its result states the scheme or cut-off.</summary>
    internal bool Uses(Dimension dimension) => _terms.Any(t => !t.IsTime && t.Dimension == dimension) || _filters.ContainsKey(dimension);

    /// <summary>
    /// Sets the scheme <see cref="Dimension.Age"/> groups and filters by; the result states it
    /// (<see cref="AggregationResult.AgeScheme"/>). A record known only by a band of another scheme counts in the band
    /// it nests in, else as <c>notComparable</c>: never re-banded, never dropped.
    /// </summary>
    /// <param name="scheme">The scheme: a built-in one or a dataset's (<see cref="ProgrammeDataset.AgeSchemes"/>).</param>
    /// <returns>This query.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scheme"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The query already filters by age in another scheme.</exception>
    public AggregationQuery AgeScheme(AgeBandScheme scheme)
    {
        Preconditions.CheckNotNull(scheme);
        if (_filters.ContainsKey(Dimension.Age) && !scheme.Equals(Scheme))
        {
            throw new InvalidOperationException("The query already filters by age in another scheme: set the scheme before the filter.");
        }
        Scheme = scheme;
        return this;
    }

    /// <summary>Whether each beneficiary takes the age of their first participation (<see cref="AgeAtFirstParticipation"/>).</summary>
    internal bool AgeAtFirst { get; private set; }

    /// <summary>
    /// Places each beneficiary in one age band for the whole query: the band of their age at their first participation in
    /// the query's date window (<see cref="Between"/>; all records when none), from their earliest record there with an age
    /// recorded. Without it, <see cref="Dimension.Age"/> and <see cref="Dimension.AgeBand"/> read each record's own age, so
    /// a child who has a birthday between two sessions falls in two bands and a unique count by age cannot be published
    /// (its margins are not sums). A beneficiary with no age recorded in the window stays not recorded.
    /// </summary>
    /// <returns>This query.</returns>
    /// <remarks>This is the rule funders use for unique people ("age at first contact in the reporting period"): one band per person.</remarks>
    public AggregationQuery AgeAtFirstParticipation()
    {
        AgeAtFirst = true;
        return this;
    }

    /// <summary>The columns the engine reads for this query: the store's, with each beneficiary's age at first participation when asked.</summary>
    internal ParticipationStore.Columns Columns()
    {
        var columns = Store.Sorted();
        var readsAge = Uses(Dimension.Age) || Uses(Dimension.AgeBand);
        return AgeAtFirst && readsAge ? Aggregation.AgeAtFirstParticipation.Apply(Store, columns, From, To) : columns;
    }

    /// <summary>
    /// Sets the cut-off <see cref="Dimension.Disability"/> groups and filters by; the result states it
    /// (<see cref="AggregationResult.DisabilityCutoff"/>).
    /// </summary>
    /// <param name="cutoff">The cut-off.</param>
    /// <returns>This query.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cutoff"/> is null.</exception>
    public AggregationQuery DisabilityCutoff(DisabilityCutoff cutoff)
    {
        Cutoff = Preconditions.CheckNotNull(cutoff);
        return this;
    }

    /// <summary>The number of values a dimension takes in this query (an age's are its scheme's bands, not comparable and not recorded).</summary>
    internal int Cardinality(Dimension d) => d == Dimension.Age ? Scheme.Bands.Count + 2 : Store.Lookup.Cardinality(d);

    /// <summary>The label of a dimension's value in this query.</summary>
    internal string Label(Dimension d, int value) => d != Dimension.Age ? Store.Lookup.Label(d, value)
        : value < Scheme.Bands.Count ? Scheme.Bands[value].Label
        : value == Scheme.Bands.Count ? NotComparable
        : value == Scheme.Bands.Count + 1 ? Validation.JsonText.NotRecorded
        : string.Empty;

    internal int MaxThreads { get; private set; } = Environment.ProcessorCount;

    /// <summary>Below this many records per thread a second thread costs more than it saves; tests lower it to exercise the merge.</summary>
    internal int MinRecordsPerThread { get; set; } = 200_000;

    /// <summary>Group state above this many bytes is aggregated by partitions (it no longer fits a core's L2 cache); tests lower it.</summary>
    internal long PartitionAboveStateBytes { get; set; } = 256 * 1024;

    /// <summary>Whether a selective filter on role, sex or mode is sieved 64 records at a time; tests turn it off to compare.</summary>
    internal bool SieveFlags { get; set; } = true;

    /// <summary>Whether the kernel reads the context table in the narrowest integer that holds it; tests turn it off to compare.</summary>
    internal bool NarrowContextTable { get; set; } = true;

    /// <summary>Adds terms to group by, in order (the order rollups remove them in, last first).</summary>
    /// <param name="terms">Dimensions and time buckets.</param>
    /// <returns>This query.</returns>
    /// <exception cref="ArgumentException">A term is repeated.</exception>
    public AggregationQuery GroupBy(params GroupingTerm[] terms)
    {
        Preconditions.CheckNotNull(terms);
        foreach (var t in terms)
        {
            if (_terms.Contains(t))
            {
                throw new ArgumentException($"'{t.Name}' is already a grouping term.", nameof(terms));
            }
            _terms.Add(t);
        }
        return this;
    }

    /// <summary>Adds measures to compute; with none, only <see cref="Aggregation.Measure.Participations"/> is computed.</summary>
    /// <param name="measures">The measures.</param>
    /// <returns>This query.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A measure is undefined.</exception>
    public AggregationQuery Measure(params Measure[] measures)
    {
        Preconditions.CheckNotNull(measures);
        foreach (var m in measures)
        {
            if (!Enum.IsDefined(m))
            {
                throw new ArgumentOutOfRangeException(nameof(measures), m, "Undefined measure.");
            }
            if (!_measures.Contains(m))
            {
                _measures.Add(m);
            }
        }
        return this;
    }

    /// <summary>Keeps only records whose <paramref name="dimension"/> has one of <paramref name="values"/>; repeated filters intersect.</summary>
    /// <typeparam name="TEnum">The dimension's enum: <see cref="BeneficiaryRole"/>, <see cref="Sex"/>, <see cref="AgeBand"/>,
    /// <see cref="DisabilityStatus"/>, <see cref="DeliveryMode"/> or <see cref="Domain.ActivityKind"/>.</typeparam>
    /// <param name="dimension">The dimension.</param>
    /// <param name="values">The values to keep.</param>
    /// <returns>This query.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TEnum"/> is not the dimension's type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is not defined by <typeparamref name="TEnum"/> (a cast number, say).</exception>
    public AggregationQuery Where<TEnum>(Dimension dimension, params TEnum[] values)
        where TEnum : struct, Enum
    {
        Preconditions.CheckNotNull(values);
        var expected = dimension switch
        {
            Dimension.Role => typeof(BeneficiaryRole),
            Dimension.Sex => typeof(Sex),
            Dimension.AgeBand => typeof(AgeBand),
            Dimension.Disability => typeof(DisabilityStatus),
            Dimension.Mode => typeof(DeliveryMode),
            Dimension.ActivityKind => typeof(ActivityKind),
            _ => null,
        };
        if (expected != typeof(TEnum))
        {
            throw new ArgumentException($"Dimension '{dimension.Name()}' is not filtered by {typeof(TEnum).Name} values.", nameof(values));
        }
        foreach (var v in values)
        {
            if (!Enum.IsDefined(v))
            {
                // Silently keeping nothing for a value no record can hold would report zero reach as if it were true.
                throw new ArgumentOutOfRangeException(nameof(values), v, $"{v} is not a defined {typeof(TEnum).Name}.");
            }
        }
        return Keep(dimension, values.Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Keeps only records whose <paramref name="dimension"/> has one of the values with these labels: identifiers for
    /// dataset entities (<c>school-17</c>, <c>PK-PB</c>, <c>PK-PB/Lahore</c>), JSON names for enums (<c>teacher</c>,
    /// <c>hybrid</c>, <c>10-14</c>, <c>noDisability</c>), bands of the query's scheme for <see cref="Dimension.Age"/>
    /// (<c>0-4</c>, <c>18+</c>, <c>notComparable</c>, <c>notRecorded</c>: set the scheme first), and the empty string for
    /// "none". Repeated filters intersect.
    /// </summary>
    /// <param name="dimension">The dimension.</param>
    /// <param name="labels">The labels to keep.</param>
    /// <returns>This query.</returns>
    /// <exception cref="ArgumentException">A label is not a value of the dimension in this store's dataset.</exception>
    public AggregationQuery Where(Dimension dimension, params string[] labels)
    {
        Preconditions.CheckNotNull(labels);
        var card = Cardinality(dimension);
        var indices = new List<int>();
        foreach (var label in labels)
        {
            var found = -1;
            for (var v = 0; v <= card && found < 0; v++)
            {
                if (string.Equals(Label(dimension, v), label, StringComparison.Ordinal))
                {
                    found = v;
                }
            }
            if (found < 0)
            {
                throw new ArgumentException($"'{label}' is not a {dimension.Name()} in the dataset.", nameof(labels));
            }
            indices.Add(found);
        }
        return Keep(dimension, indices);
    }

    /// <summary>Keeps only records dated from <paramref name="from"/> to <paramref name="to"/>, inclusive.</summary>
    /// <param name="from">The first day.</param>
    /// <param name="to">The last day.</param>
    /// <returns>This query.</returns>
    /// <exception cref="ArgumentException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    public AggregationQuery Between(LocalDate from, LocalDate to)
    {
        if (to < from)
        {
            throw new ArgumentException("The last day is before the first.", nameof(to));
        }
        From = From is { } f && f > from ? f : from;
        To = To is { } t && t < to ? t : to;
        return this;
    }

    /// <summary>
    /// Adds subtotal rows: grouping by (a, b, c) also yields (a, b), (a) and a grand total, each flagged by
    /// <see cref="ResultRow.Level"/>. Unique counts are recounted at every level, never summed. For the geographic
    /// rollup group by <c>Country, Province, District, School</c>.
    /// </summary>
    /// <returns>This query.</returns>
    public AggregationQuery Rollup()
    {
        IsRollup = true;
        return this;
    }

    /// <summary>
    /// Limits the threads a query uses (default: the processor count). A tuning knob of the engine, not part of a query's
    /// meaning (every thread count gives the same rows): tests and benchmarks use it to drive the multi-range merge.
    /// </summary>
    /// <param name="threads">At least 1.</param>
    /// <returns>This query.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    internal AggregationQuery WithMaxThreads(int threads)
    {
        Preconditions.CheckPositive(threads);
        MaxThreads = threads;
        return this;
    }

    /// <summary>Runs the query.</summary>
    /// <returns>The rows: one per group with records, plus subtotals and a grand total when rolled up.</returns>
    public AggregationResult Run() => QueryEngine.Run(this);

    /// <summary>
    /// Runs the query into a mergeable partial result that keeps, per group, the state behind every measure
    /// (beneficiary keys for exact unique counts, HyperLogLog registers, sums), so that partial results of chunks,
    /// partitions or partners merge into exactly the single-pass answer. Slower and larger than <see cref="Run"/>.
    /// </summary>
    /// <returns>The partial result; its rollup, if any, is applied by <see cref="AggregatePartial.ToResult"/>.</returns>
    public AggregatePartial RunPartial() => QueryEngine.RunPartial(this);

    /// <summary>
    /// Runs the query into a shard partial: this store holds the records of the beneficiaries of one hash range (routed
    /// there by <see cref="ShardRange.Contains"/>), and the partial carries per group counts and sums, not keys. Every
    /// shard's partial, merged, finishes into exactly the single-pass answer, with the query's rollup.
    /// </summary>
    /// <param name="range">The hash range this store's shard owns.</param>
    /// <returns>The shard partial.</returns>
    /// <exception cref="InvalidOperationException">The store holds a beneficiary outside <paramref name="range"/>.</exception>
    public ShardPartial RunShardPartial(ShardRange range) => QueryEngine.RunShardPartial(this, range);

    internal IReadOnlyList<Measure> EffectiveMeasures => _measures.Count == 0 ? [Aggregation.Measure.Participations] : _measures;

    private AggregationQuery Keep(Dimension dimension, IEnumerable<int> values)
    {
        var card = Cardinality(dimension);
        var keep = new bool[card + 1];
        foreach (var v in values)
        {
            if ((uint)v <= (uint)card)
            {
                keep[v] = true;
            }
        }
        if (_filters.TryGetValue(dimension, out var existing))
        {
            for (var i = 0; i < keep.Length; i++)
            {
                keep[i] &= existing[i];
            }
        }
        _filters[dimension] = keep;
        return this;
    }
}
