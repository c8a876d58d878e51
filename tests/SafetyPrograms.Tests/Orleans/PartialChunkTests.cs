using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Orleans;
using SafetyPrograms.Tests.Aggregation;

namespace SafetyPrograms.Tests.Orleans;

/// <summary>
/// A shard's partial cut into chunks: each within its bound once serialized, in key order, and together exactly the
/// whole partial (every group, then every rollup level's counts).
/// </summary>
[Collection(OrleansCollection.Name)]
public class PartialChunkTests(OrleansCluster fixture)
{
    private static readonly Measure[] AllMeasures = Enum.GetValues<Measure>();

    private Serializer Serializer => fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();

    [Theory]
    [InlineData(2 << 10)]
    [InlineData(16 << 10)]
    [InlineData(64 << 10)]
    public void Split_EveryChunkWithinItsBound_TogetherTheWholePartial(int bound)
    {
        var partial = WidePartial();

        var chunks = PartialChunk.Split(partial, bound);

        var sizes = chunks.Select((c, i) => Serializer.SerializeToArray(new PartialChunk(c, i + 1, chunks.Count, Guid.NewGuid())).Length).ToArray();
        var whole = Serializer.SerializeToArray(partial).Length;
        Assert.True(whole > 2 * bound, $"premise: the partial ({whole:N0} bytes) is past the bound ({bound:N0})");
        Assert.True(chunks.Count > 1, $"{chunks.Count} chunk(s)");
        Assert.All(sizes, size => Assert.InRange(size, 1, bound));
        Assert.All(chunks, c => Assert.Equal(partial.Ranges, c.Ranges));
        Assert.Equal(partial.ToJson(), Joined(chunks).ToJson());
    }

    [Fact]
    public void Split_APartialWithinTheBound_IsOneChunk()
    {
        var partial = WidePartial();

        var chunks = PartialChunk.Split(partial, 64 << 20);

        Assert.Equal(partial.ToJson(), Assert.Single(chunks).ToJson());
    }

    [Fact]
    public void Split_AGroupLargerThanTheBound_TravelsAlone()
    {
        // By sex alone, each group holds a shard's thousand people: a thousand sketch registers and more, past the bound.
        var partial = Partial(q => q.GroupBy(Dimension.Sex).Measure(AllMeasures).Rollup());
        var large = partial.GroupsByKey.Values.Max(g => ShardPartialConverter.GroupBytes(AggregatePartial.KeyOf(g.Keys), g));

        var chunks = PartialChunk.Split(partial, 1024);

        Assert.True(large > 1024, $"premise: a group takes more than the bound ({large:N0} bytes)");
        Assert.Contains(chunks, c => c.GroupCount == 1 && ShardPartialConverter.GroupBytes(c.GroupsByKey.Keys[0], c.GroupsByKey.Values[0]) > 1024);
        Assert.All(chunks, c => Assert.True(c.GroupCount + c.LevelsByKey.Sum(l => l.Count) > 0, "no empty chunk"));
        Assert.Equal(partial.ToJson(), Joined(chunks).ToJson());
    }

    /// <summary>The chunks of one partial put back together, in order: their groups, then each level's counts.</summary>
    internal static ShardPartial Joined(IEnumerable<ShardPartial> chunks)
    {
        var all = chunks.ToList();
        var groups = new SortedList<string, PartialGroup>(StringComparer.Ordinal);
        var levels = all[0].LevelsByKey.Select(_ => new SortedList<string, PersonCounts>(StringComparer.Ordinal)).ToArray();
        foreach (var chunk in all)
        {
            foreach (var (key, group) in chunk.GroupsByKey)
            {
                groups.Add(key, group);
            }
            for (var l = 0; l < levels.Length; l++)
            {
                foreach (var (key, counts) in chunk.LevelsByKey[l])
                {
                    levels[l].Add(key, counts);
                }
            }
        }
        return all[0].With(groups, levels);
    }

    /// <summary>One shard's partial of every measure over the finest grouping of the wide test programme, rolled up.</summary>
    private static ShardPartial WidePartial() =>
        Partial(q => q.GroupBy(TimeBucket.Day, Dimension.School, Dimension.Role, Dimension.Sex).Measure(AllMeasures).Rollup());

    /// <summary>The partial of the second of three shards of the wide test programme for a query.</summary>
    private static ShardPartial Partial(Func<AggregationQuery, AggregationQuery> query)
    {
        var p = OrleansCluster.Programmes["wide"];
        var ranges = ShardRange.Split(3);
        var own = ShardPartialTests.Route(p.Records, ranges)[1];
        return query(p.Store(own).Query()).RunShardPartial(ranges[1]);
    }
}
