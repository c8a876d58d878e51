using System.Collections.Concurrent;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Orleans;
using SafetyPrograms.Tests.Aggregation;

namespace SafetyPrograms.Tests.Orleans;

/// <summary>
/// Queries whose shard partials pass the silos' chunk bound (<see cref="OrleansCluster.PartialChunkBytes"/>): they
/// arrive in several chunks and merge into one store's answer; a shard lost after its first chunk fails the query.
/// </summary>
[Collection(OrleansCollection.Name)]
public class ShardedChunkedQueryTests(OrleansCluster fixture)
{
    private static readonly Measure[] AllMeasures = Enum.GetValues<Measure>();

    [Fact]
    public async Task RunAsync_PartialsPastTheChunkBound_ArriveInSeveralChunks_EqualOneStore()
    {
        const string name = "wide";
        var p = OrleansCluster.Programmes[name];
        await fixture.IngestAsync(name, chunk: 3000);
        var programme = fixture.Programme(name);
        var chunks = new ConcurrentDictionary<int, int>();
        programme.ChunkReceived = (shard, number) =>
        {
            chunks.AddOrUpdate(shard, number, (_, last) => Math.Max(last, number));
            return Task.CompletedTask;
        };

        var sharded = await programme.RunAsync(Wide(programme.Query()));
        var single = Wide(p.Store().Query()).Run();

        Assert.Equal(Enumerable.Range(0, OrleansCluster.Shards), chunks.Keys.Order());
        Assert.All(chunks.Values, count => Assert.True(count > 1, $"{count} chunk(s)"));
        Assert.Equal(single.Rows.Count, sharded.Rows.Count);
        Reference.AssertSame(Reference.Rows(single), Reference.Rows(sharded), tolerance: 0, "chunked");

        // A small answer is one chunk a shard.
        chunks.Clear();
        var small = await programme.RunAsync(programme.Query().GroupBy(Dimension.Sex).Measure(Measure.UniqueBeneficiaries));
        Assert.All(chunks.Values, count => Assert.Equal(1, count));
        Reference.AssertSame(Reference.Rows(p.Store().Query().GroupBy(Dimension.Sex).Measure(Measure.UniqueBeneficiaries).Run()), Reference.Rows(small), tolerance: 0, "one chunk");
    }

    [Fact]
    public async Task RunAsync_AShardLostAfterItsFirstChunk_FailsNamingIt_NeverAPartialFigure()
    {
        const string name = "lost";
        const int Lost = 3;
        var p = OrleansCluster.Programmes[name];
        await fixture.IngestAsync(name, chunk: 3000);
        var programme = fixture.Programme(name);
        var expected = Wide(p.Store().Query()).Run();
        var arrived = new ConcurrentBag<(int Shard, int Number)>();
        programme.ChunkReceived = async (shard, number) =>
        {
            arrived.Add((shard, number));
            if (shard == Lost && number == 1)
            {
                // The shard goes (as when its silo stops) once its first chunk is in, and comes back with its records
                // but not the rest of the query's partial.
                await programme.Shard(shard).DeactivateAsync();
                await programme.Shard(shard).StatusAsync();
            }
        };

        var error = await Assert.ThrowsAsync<ShardedQueryException>(() => programme.RunAsync(Wide(programme.Query())));

        Assert.Contains((Lost, 1), arrived);
        Assert.DoesNotContain(arrived, a => a.Shard == Lost && a.Number > 1);
        Assert.Equal([Lost], error.FailedShards);
        Assert.Equal([programme.Ranges[Lost]], error.MissingRanges);
        Assert.Contains($"shard {Lost} ({programme.Ranges[Lost]})", error.Message, StringComparison.Ordinal);
        Assert.Contains("no figure is given", error.Message, StringComparison.Ordinal);
        Assert.Contains("no longer holds the rest of the query's partial", error.Message, StringComparison.Ordinal);

        programme.ChunkReceived = null;
        var again = await programme.RunAsync(Wide(programme.Query()));
        Reference.AssertSame(Reference.Rows(expected), Reference.Rows(again), tolerance: 0, "after the shard is back");
    }

    /// <summary>Every measure over the finest grouping the test data has, rolled up: partials of many chunks.</summary>
    private static AggregationQuery Wide(AggregationQuery query) =>
        query.GroupBy(TimeBucket.Day, Dimension.School, Dimension.Role, Dimension.Sex).Measure(AllMeasures).Rollup();
}
