using System.Globalization;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// A query held as data: the engine runs it through the public builder (and the internal tuning knobs), the LINQ
/// <see cref="Reference"/> reads the same description, and a failing assertion prints it so that it can be replayed.
/// </summary>
internal sealed record QueryShape
{
    internal GroupingTerm[] Terms { get; init; } = [];

    /// <summary>The measures asked for; none means the engine's default.</summary>
    internal Measure[] Measures { get; init; } = [];

    internal LabelFilter[] Filters { get; init; } = [];

    internal (LocalDate From, LocalDate To)? Dates { get; init; }

    internal bool Rollup { get; init; }

    /// <summary>The scheme of <see cref="Dimension.Age"/>: a built-in one or a dataset's own.</summary>
    internal AgeBandScheme Scheme { get; init; } = AgeBandScheme.UnChild;

    /// <summary>The cut-off of <see cref="Dimension.Disability"/>.</summary>
    internal DisabilityCutoff Cutoff { get; init; } = DisabilityCutoff.WashingtonGroup;

    /// <summary>The schemes queries draw from: the built-in ones and one of a dataset's own, whose bands straddle theirs.</summary>
    internal static readonly AgeBandScheme[] Schemes =
    [
        AgeBandScheme.UnChild, AgeBandScheme.UnChildAdults, AgeBandScheme.AgeBandList,
        new("humanitarian", [new AgeRange(0, 5), new AgeRange(6, 11), new AgeRange(12, 17), new AgeRange(18, 59), new AgeRange(60)]),
    ];

    /// <summary>The cut-offs queries draw from.</summary>
    internal static readonly DisabilityCutoff[] Cutoffs =
    [
        DisabilityCutoff.WashingtonGroup, new(FunctioningAnswer.SomeDifficulty), new(FunctioningAnswer.CannotDoAtAll),
    ];

    internal int Threads { get; init; } = 1;

    /// <summary>Overrides <see cref="AggregationQuery.MinRecordsPerThread"/>, so that small stores split into ranges.</summary>
    internal int? MinRecordsPerThread { get; init; }

    /// <summary>Overrides <see cref="AggregationQuery.PartitionAboveStateBytes"/>, so that small key spaces take the partitioned pass.</summary>
    internal long? PartitionAboveStateBytes { get; init; }

    /// <summary>Overrides <see cref="AggregationQuery.SieveFlags"/>, so that selective filters also take the record-by-record test.</summary>
    internal bool? SieveFlags { get; init; }

    /// <summary>Overrides <see cref="AggregationQuery.NarrowContextTable"/>, so that the kernel also reads the wide context table.</summary>
    internal bool? NarrowContext { get; init; }

    internal IReadOnlyList<Measure> EffectiveMeasures => Measures.Length == 0 ? [Measure.Participations] : Measures;

    /// <summary>School terms over the test programmes' years, with gaps between them (holidays fall in "outsideTerms").</summary>
    internal static TimeBucket SchoolTerms { get; } = TimeBucket.SchoolTerms(
        Enumerable.Range(2023, 3).SelectMany(y => new[]
        {
            new SchoolTerm($"{y} T1", new DateInterval(new LocalDate(y, 1, 9), new LocalDate(y, 3, 29))),
            new SchoolTerm($"{y} T2", new DateInterval(new LocalDate(y, 4, 15), new LocalDate(y, 7, 5))),
            new SchoolTerm($"{y} T3", new DateInterval(new LocalDate(y, 9, 2), new LocalDate(y, 12, 13))),
        }));

    /// <summary>School years from mid-August to mid-June, each spanning two calendar years.</summary>
    internal static TimeBucket SchoolYears { get; } = TimeBucket.SchoolTerms(
        Enumerable.Range(2022, 4).Select(y => new SchoolTerm(
            string.Create(CultureInfo.InvariantCulture, $"{y}-{(y + 1) % 100:D2}"), new DateInterval(new LocalDate(y, 8, 14), new LocalDate(y + 1, 6, 14)))));

    /// <summary>Every grouping term: all dimensions and every kind of time bucket, fiscal years with four first months, two school calendars.</summary>
    internal static IReadOnlyList<GroupingTerm> AllTerms { get; } =
    [
        .. Enum.GetValues<Dimension>().Select(d => (GroupingTerm)d),
        TimeBucket.Day, TimeBucket.IsoWeek, TimeBucket.Month, TimeBucket.Quarter, TimeBucket.CalendarYear,
        TimeBucket.FiscalYear(1), TimeBucket.FiscalYear(4), TimeBucket.FiscalYear(7), TimeBucket.FiscalYear(10), SchoolTerms, SchoolYears,
    ];

    /// <summary>
    /// Draws a query: 1 to 4 terms, a random set of measures, up to two filters, sometimes a date range and a rollup.
    /// A quarter of the queries group by day and school and one or two more terms, in random order: uniform draws
    /// almost never reach key spaces above <see cref="QueryEngine.SparseFrom"/>, where the engine numbers keys first.
    /// </summary>
    internal static QueryShape Draw(Random rng, TestProgramme p)
    {
        GroupingTerm[] wide = [TimeBucket.Day, Dimension.School];
        var terms = rng.Next(4) == 0
            ? wide.Concat(AllTerms.Except(wide).OrderBy(_ => rng.Next()).Take(rng.Next(1, 3))).OrderBy(_ => rng.Next()).ToArray()
            : AllTerms.OrderBy(_ => rng.Next()).Take(rng.Next(1, 5)).ToArray();
        // One query in ten asks for no measure (the engine then counts participations).
        Measure[] measures = rng.Next(10) == 0 ? [] : [.. Enum.GetValues<Measure>().Where(_ => rng.Next(100) < 45).OrderBy(_ => rng.Next())];
        return DrawAround(rng, p, terms, measures);
    }

    /// <summary>Random filters, dates, rollup, threads and engine thresholds around the given grouping and measures.</summary>
    internal static QueryShape DrawAround(Random rng, TestProgramme p, GroupingTerm[] terms, Measure[] measures)
    {
        var filterCount = rng.Next(10) switch { < 5 => 0, < 8 => 1, _ => 2 };
        // Tied to draws already made, so that every other draw (and every seed's query) stays as it was.
        var scheme = Schemes[(terms.Length + filterCount + measures.Length) % Schemes.Length];
        var shape = new QueryShape
        {
            Terms = terms,
            Measures = measures,
            Scheme = scheme,
            Cutoff = Cutoffs[measures.Length % Cutoffs.Length],
            Filters = DrawFilters(rng, p, filterCount, scheme),
            Dates = rng.Next(4) == 0 ? DrawDates(rng) : null,
            Rollup = rng.Next(100) < 35,
            Threads = new[] { 1, 2, 3, 8 }[rng.Next(4)],
            MinRecordsPerThread = new int?[] { null, 1, 300, 1000 }[rng.Next(4)],
            PartitionAboveStateBytes = new long?[] { null, 0, 2048 }[rng.Next(3)],
        };

        // Tied to a draw already made, not a new one, so that every other draw (and every seed's query) stays as it was.
        return shape with { SieveFlags = shape.Threads % 2 == 1 ? false : null, NarrowContext = shape.MinRecordsPerThread == 300 ? false : null };
    }

    /// <summary>Filters on random dimensions; a second filter is on the same dimension half of the time (they must intersect).</summary>
    private static LabelFilter[] DrawFilters(Random rng, TestProgramme p, int count, AgeBandScheme scheme)
    {
        var filters = new List<LabelFilter>();
        for (var i = 0; i < count; i++)
        {
            var dimension = i > 0 && rng.Next(2) == 0 ? filters[0].Dimension : (Dimension)rng.Next(Enum.GetValues<Dimension>().Length);
            filters.Add(LabelFilter.Draw(rng, p, dimension, scheme));
        }
        return [.. filters];
    }

    private static (LocalDate, LocalDate) DrawDates(Random rng)
    {
        var from = new LocalDate(2023, 1, 1).PlusDays(rng.Next(-30, 950));
        return (from, from.PlusDays(rng.Next(0, 500)));
    }

    /// <summary>The query on <paramref name="store"/>, built through the public API as a user would.</summary>
    internal AggregationQuery ToQuery(ParticipationStore store)
    {
        var query = store.Query().GroupBy(Terms).Measure(Measures).WithMaxThreads(Threads).AgeScheme(Scheme).DisabilityCutoff(Cutoff);
        foreach (var filter in Filters)
        {
            filter.ApplyTo(query);
        }
        if (Dates is var (from, to))
        {
            query.Between(from, to);
        }
        if (Rollup)
        {
            query.Rollup();
        }
        if (MinRecordsPerThread is { } min)
        {
            query.MinRecordsPerThread = min;
        }
        if (SieveFlags is { } sieve)
        {
            query.SieveFlags = sieve;
        }
        if (NarrowContext is { } narrow)
        {
            query.NarrowContextTable = narrow;
        }
        if (PartitionAboveStateBytes is { } above)
        {
            query.PartitionAboveStateBytes = above;
        }
        return query;
    }

    /// <summary>Whether the query keeps a record, decided from the reference's labels.</summary>
    internal bool Keeps(TestProgramme p, ParticipationRecord r, IReadOnlyDictionary<BeneficiaryKey, FunctioningAnswers>? people = null) =>
        Filters.All(f => f.Labels.Contains(Reference.Label(p, f.Dimension, r, Scheme, Cutoff, people)))
        && (Dates is not var (from, to) || (r.Date >= from && r.Date <= to));

    /// <summary>The reference answer over <paramref name="records"/> (default: all of the programme's), whose first answers are each person's.</summary>
    internal Dictionary<string, double[]> Expected(TestProgramme p, IEnumerable<ParticipationRecord>? records = null)
    {
        var all = records?.ToList() ?? p.Records;
        var people = TestProgramme.FirstAnswers(all);
        return Reference.ComputeOver(p, all.Where(r => Keeps(p, r, people)), Terms, EffectiveMeasures, Rollup, Scheme, Cutoff, people);
    }

    /// <summary>Runs the query and asserts it equals the reference: counts exactly, means and rates to 1e-12.</summary>
    internal void AssertMatchesReference(TestProgramme p, ParticipationStore store, string context, IEnumerable<ParticipationRecord>? records = null) =>
        Reference.AssertSame(Expected(p, records), Reference.Rows(ToQuery(store).Run()), ExactEnough, $"{context}: {this}");

    /// <summary>
    /// The tolerance for comparing with the reference: it computes means in decimal, the engine in ten-thousandths and
    /// one double division, so they may differ in the last bit; counts are far below 1e12, so they must be equal.
    /// </summary>
    internal const double ExactEnough = 1e-12;

    /// <summary>The query as text, for failure messages.</summary>
    /// <returns>Text such as <c>groupBy school,quarter; measure participations; rollup; threads=2 …</c>.</returns>
    public override string ToString()
    {
        var parts = new List<string>
        {
            "groupBy " + string.Join(',', Terms.Select(t => t.Name)),
            "measure " + (Measures.Length == 0 ? "(default)" : string.Join(',', Measures.Select(m => m.Name()))),
        };
        parts.AddRange(Filters.Select(f => f.ToString()));
        parts.Add($"scheme {Scheme.Code}; cutoff {Cutoff.Code}");
        if (Dates is var (from, to))
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"between {from:uuuu-MM-dd} and {to:uuuu-MM-dd}"));
        }
        if (Rollup)
        {
            parts.Add("rollup");
        }
        parts.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"threads={Threads} minRecordsPerThread={MinRecordsPerThread?.ToString(CultureInfo.InvariantCulture) ?? "default"} partitionAbove={PartitionAboveStateBytes?.ToString(CultureInfo.InvariantCulture) ?? "default"} sieve={SieveFlags?.ToString(CultureInfo.InvariantCulture) ?? "default"} narrowContext={NarrowContext?.ToString(CultureInfo.InvariantCulture) ?? "default"}"));
        return string.Join("; ", parts);
    }
}

/// <summary>
/// A filter on one dimension: the labels it keeps, and for enum dimensions optionally the enum values, so that both
/// overloads of <see cref="AggregationQuery.Where(Dimension, string[])"/> are exercised.
/// </summary>
internal sealed record LabelFilter(Dimension Dimension, string[] Labels, int[]? EnumValues)
{
    /// <summary>A filter keeping a random subset (possibly empty) of the dimension's labels, "none" included.</summary>
    internal static LabelFilter Draw(Random rng, TestProgramme p, Dimension dimension, AgeBandScheme? scheme = null)
    {
        var enumValues = EnumValuesOf(dimension);
        if (enumValues is not null && rng.Next(2) == 0)
        {
            var chosen = enumValues.Where(_ => rng.Next(100) < 60).ToArray();
            return new LabelFilter(dimension, chosen.Select(v => LabelOf(dimension, v)).ToArray(), chosen);
        }
        return new LabelFilter(dimension, LabelsOf(p, dimension, scheme).Where(_ => rng.Next(100) < 60).ToArray(), null);
    }

    /// <summary>Every label a dimension can take in the programme's dataset, with the empty "none" label.</summary>
    internal static string[] LabelsOf(TestProgramme p, Dimension dimension, AgeBandScheme? scheme = null)
    {
        var schools = p.Dataset.Schools;
        IEnumerable<string> labels = dimension switch
        {
            Dimension.Partnership => p.Dataset.Partnerships.Select(x => x.Id.Value),
            Dimension.Phase => p.Dataset.Partnerships.SelectMany(x => x.Phases).Select(ph => ph.Id.Value),
            Dimension.Organisation => p.Dataset.Organisations.Select(o => o.Id.Value),
            Dimension.Country => schools.Select(s => s.Location.Country.Value),
            Dimension.Province => schools.Select(s => s.Location.Province.Value),
            Dimension.District => schools.Select(s => s.Location.Province.Value + "/" + s.Location.District),
            Dimension.School => schools.Select(s => s.Id.Value),
            Dimension.Age => (scheme ?? AgeBandScheme.UnChild).Bands.Select(b => b.Label).Append("notComparable").Append("notRecorded"),
            _ => EnumValuesOf(dimension)!.Select(v => LabelOf(dimension, v)),
        };
        return [.. labels.Distinct(StringComparer.Ordinal), string.Empty];
    }

    private static int[]? EnumValuesOf(Dimension dimension) => dimension switch
    {
        Dimension.Role => Values<BeneficiaryRole>(),
        Dimension.Sex => Values<Sex>(),
        Dimension.AgeBand => Values<AgeBand>(),
        Dimension.Disability => Values<DisabilityStatus>(),
        Dimension.Mode => Values<DeliveryMode>(),
        Dimension.ActivityKind => Values<ActivityKind>(),
        _ => null,
    };

    private static int[] Values<TEnum>()
        where TEnum : struct, Enum => Enum.GetValues<TEnum>().Select(v => Convert.ToInt32(v, CultureInfo.InvariantCulture)).ToArray();

    private static string LabelOf(Dimension dimension, int value) => dimension switch
    {
        Dimension.Role => Reference.EnumLabel((BeneficiaryRole)value),
        Dimension.Sex => Reference.EnumLabel((Sex)value),
        Dimension.AgeBand => Reference.EnumLabel((AgeBand)value),
        Dimension.Disability => Reference.EnumLabel((DisabilityStatus)value),
        Dimension.Mode => Reference.EnumLabel((DeliveryMode)value),
        _ => Reference.EnumLabel((ActivityKind)value),
    };

    internal void ApplyTo(AggregationQuery query)
    {
        if (EnumValues is not { } v)
        {
            query.Where(Dimension, Labels);
            return;
        }
        _ = Dimension switch
        {
            Dimension.Role => query.Where(Dimension, v.Select(x => (BeneficiaryRole)x).ToArray()),
            Dimension.Sex => query.Where(Dimension, v.Select(x => (Sex)x).ToArray()),
            Dimension.AgeBand => query.Where(Dimension, v.Select(x => (AgeBand)x).ToArray()),
            Dimension.Disability => query.Where(Dimension, v.Select(x => (DisabilityStatus)x).ToArray()),
            Dimension.Mode => query.Where(Dimension, v.Select(x => (DeliveryMode)x).ToArray()),
            _ => query.Where(Dimension, v.Select(x => (ActivityKind)x).ToArray()),
        };
    }

    /// <summary>The query as text, for failure messages.</summary>
    /// <returns>Text such as <c>groupBy school,quarter; measure participations; rollup; threads=2 …</c>.</returns>
    public override string ToString() =>
        $"where {Dimension.Name()} in [{string.Join(',', Labels.Select(l => l.Length == 0 ? "(none)" : l))}]{(EnumValues is null ? "" : " (as enum values)")}";
}
