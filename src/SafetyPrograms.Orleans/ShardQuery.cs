using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Orleans;

/// <summary>
/// A query as it travels to the shards: its grouping, measures, filters (by label), dates, rollup, age scheme and
/// disability cut-off, free of the store it was built on. Each shard rebuilds it on its own store through the public
/// builder, so every shard runs the very query the caller built.
/// </summary>
/// <remarks>
/// Filters travel as labels rather than value numbers: a label means the same in every store over the dataset, and
/// <see cref="AggregationQuery.Where(Dimension, string[])"/> refuses one it does not know rather than keep nothing
/// silently. Dates travel as day numbers (<see cref="DateOnly.DayNumber"/>), enums as their numbers.
/// </remarks>
[GenerateSerializer, Immutable, Alias("SafetyPrograms.Orleans.ShardQuery")]
internal sealed record ShardQuery(
    [property: Id(0)] TermSpec[] Terms,
    [property: Id(1)] int[] Measures,
    [property: Id(2)] FilterSpec[] Filters,
    [property: Id(3)] int? FirstDay,
    [property: Id(4)] int? LastDay,
    [property: Id(5)] bool Rollup,
    [property: Id(6)] string SchemeCode,
    [property: Id(7)] AgeSpec[] SchemeBands,
    [property: Id(8)] int CutoffThreshold)
{
    /// <summary>The wire form of <paramref name="query"/>.</summary>
    internal static ShardQuery Of(AggregationQuery query) => new(
        [.. query.Terms.Select(TermSpec.Of)],
        [.. query.Measures.Select(m => (int)m)],
        [.. query.Filters.Select(f => new FilterSpec((int)f.Key, [.. f.Value.Select((keep, v) => (keep, v)).Where(x => x.keep).Select(x => query.Label(f.Key, x.v))]))],
        query.From?.ToDateOnly().DayNumber,
        query.To?.ToDateOnly().DayNumber,
        query.IsRollup,
        query.Scheme.Code,
        [.. query.Scheme.Bands.Select(b => new AgeSpec(b.From, b.To ?? -1))],
        (int)query.Cutoff.Threshold);

    /// <summary>The query on <paramref name="store"/>: the scheme first, because a filter on age is read in it.</summary>
    internal AggregationQuery On(ParticipationStore store)
    {
        var query = store.Query()
            .AgeScheme(new AgeBandScheme(SchemeCode, [.. SchemeBands.Select(b => new AgeRange(b.From, b.To < 0 ? null : b.To))]))
            .DisabilityCutoff(new DisabilityCutoff((FunctioningAnswer)CutoffThreshold))
            .GroupBy([.. Terms.Select(t => t.ToTerm())])
            .Measure([.. Measures.Select(m => (Measure)m)]);
        foreach (var filter in Filters)
        {
            query.Where((Dimension)filter.Dimension, filter.Labels);
        }
        if (FirstDay is { } first && LastDay is { } last)
        {
            query.Between(Day(first), Day(last));
        }
        return Rollup ? query.Rollup() : query;
    }

    internal static LocalDate Day(int dayNumber) => LocalDate.FromDateOnly(DateOnly.FromDayNumber(dayNumber));

    internal static int DayNumber(LocalDate date) => date.ToDateOnly().DayNumber;
}

/// <summary>A grouping term on the wire: a dimension, a time bucket by name, or a school calendar by its terms.</summary>
[GenerateSerializer, Immutable, Alias("SafetyPrograms.Orleans.TermSpec")]
internal sealed record TermSpec(
    [property: Id(0)] int Dimension,
    [property: Id(1)] string? Bucket,
    [property: Id(2)] SchoolTermSpec[] SchoolTerms)
{
    internal static TermSpec Of(GroupingTerm term) => term.Time switch
    {
        null => new TermSpec((int)term.Dimension, null, []),
        { Terms.Count: > 0 } bucket => new TermSpec(0, bucket.Name, [.. bucket.Terms.Select(t => new SchoolTermSpec(t.Name, ShardQuery.DayNumber(t.Dates.Start), ShardQuery.DayNumber(t.Dates.End)))]),
        var bucket => new TermSpec(0, bucket.Name, []),
    };

    internal GroupingTerm ToTerm()
    {
        if (Bucket is null)
        {
            return (Dimension)Dimension;
        }
        if (SchoolTerms.Length > 0)
        {
            return TimeBucket.SchoolTerms(SchoolTerms.Select(t => new SchoolTerm(t.Name, new DateInterval(ShardQuery.Day(t.FirstDay), ShardQuery.Day(t.LastDay)))));
        }
        return TimeBucket.TryParse(Bucket, out var parsed) ? parsed : throw new ArgumentException($"'{Bucket}' is not a time bucket.", nameof(Bucket));
    }
}

/// <summary>One school term on the wire: its name and first and last days as day numbers.</summary>
[GenerateSerializer, Immutable, Alias("SafetyPrograms.Orleans.SchoolTermSpec")]
internal sealed record SchoolTermSpec([property: Id(0)] string Name, [property: Id(1)] int FirstDay, [property: Id(2)] int LastDay);

/// <summary>A filter on the wire: the dimension and the labels it keeps (none: keeps no record).</summary>
[GenerateSerializer, Immutable, Alias("SafetyPrograms.Orleans.FilterSpec")]
internal sealed record FilterSpec([property: Id(0)] int Dimension, [property: Id(1)] string[] Labels);

/// <summary>An age band on the wire; <see cref="To"/> is −1 for an open-ended band.</summary>
[GenerateSerializer, Immutable, Alias("SafetyPrograms.Orleans.AgeSpec")]
internal readonly record struct AgeSpec([property: Id(0)] int From, [property: Id(1)] int To);
