using System.Collections.Concurrent;
using SafetyPrograms.Orleans;
using SafetyPrograms.Tests.Aggregation;

namespace SafetyPrograms.Tests.Orleans;

/// <summary>
/// Many services ingesting at once: concurrent appenders store what one appender stores, each chunk once; a shard holds
/// at most its limit of appends and answers the next one busy at once; each client keeps at most its limit of chunks on
/// their way to a shard, and sends a refused chunk again until it is stored.
/// </summary>
[Collection(OrleansCollection.Name)]
public class ShardedIngestTests(OrleansCluster fixture)
{
    /// <summary>Guards the awaits of states the tests set against a hang if the code were wrong; never a timing assertion.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task AppendAsync_SeveralClientsAtOnce_WithDuplicates_StoreWhatOneStore_Holds()
    {
        const string name = "concurrent";
        var p = OrleansCluster.Programmes[name];
        var chunks = OrleansCluster.Chunks(name, 100).ToList();
        var inFlight = new ConcurrentDictionary<(int Client, int Shard), int>();
        var clients = Enumerable.Range(0, 3).Select(c => Client(name, inFlight, c, maxInFlight: 2)).ToArray();

        // Each client sends its third of the chunks all at once; every client also sends the first two chunks.
        var appends = chunks
            .SelectMany((chunk, i) => Enumerable.Range(0, clients.Length)
                .Where(c => i < 2 || i % clients.Length == c)
                .Select(c => (chunk.Id, chunk.Records.Count, Task: clients[c].AppendAsync(chunk.Id, chunk.Records))))
            .ToList();
        await Task.WhenAll(appends.Select(a => a.Task)).WaitAsync(Hang);

        Assert.All(appends, a => Assert.Equal(a.Count, a.Task.Result.Records));
        // Each shard's part of a chunk sent by three clients is stored by one and acknowledged to the two others.
        foreach (var id in chunks.Take(2).Select(c => c.Id))
        {
            var reports = appends.Where(a => a.Id == id).Select(a => a.Task.Result).ToList();
            Assert.Equal(3, reports.Count);
            Assert.Equal(2 * reports[0].Shards, reports.Sum(r => r.ShardsAlreadyHolding));
        }
        Assert.Equal(p.Records.Count, (await ShardedProgrammeTests.Statuses(clients[0])).Sum(s => s.Records));
        Assert.All(inFlight, x => Assert.InRange(x.Value, 1, 2));
        var whole = p.Store();
        ShardedProgrammeTests.AssertSame(
            ShardedProgrammeTests.AllMeasuresByDistrict(whole.Query()).Run(),
            await clients[1].RunAsync(ShardedProgrammeTests.AllMeasuresByDistrict(clients[1].Query())),
            "three clients at once");
        var rng = new Random(1609);
        for (var q = 0; q < 5; q++)
        {
            var shape = QueryShape.Draw(rng, p);
            ShardedProgrammeTests.AssertSame(shape.ToQuery(whole).Run(), await clients[2].RunAsync(shape.ToQuery(whole)), $"query {q}: {shape}");
        }
    }

    [Fact]
    public async Task AppendAsync_AShardHoldingItsLimit_AnswersTheNextBusyAtOnce_StoringNothing()
    {
        const string name = "pressure";
        var programme = fixture.Programme(name);
        var mine = OrleansCluster.Programmes[name].Records.Where(r => programme.Ranges[0].Contains(r.Beneficiary.Value)).ToList();
        var parts = mine.Chunk((mine.Count + 5) / 6).Select(c => (Records: c.Length, Parquet: ShardedProgramme.ToParquet(c))).ToList();
        Assert.Equal(6, parts.Count);
        var grain = programme.Shard(0);

        var hold = AppendHold.Start(name, 0);
        var first = grain.AppendAsync("part-0", parts[0].Parquet);
        await hold.Arrived.Task.WaitAsync(Hang);
        var rest = Enumerable.Range(1, 5).Select(i => (Index: i, Task: grain.AppendAsync($"part-{i}", parts[i].Parquet))).ToList();

        // The limit is 3: the held append and two waiting their turn. The three others are answered at once.
        var waiting = rest.ToList();
        var refused = new List<(int Index, Task<ChunkReceipt> Task)>();
        while (refused.Count < rest.Count - (OrleansCluster.MaxPendingAppends - 1))
        {
            var done = await Task.WhenAny(waiting.Select(w => w.Task)).WaitAsync(Hang);
            refused.Add(waiting.Single(w => w.Task == done));
            waiting.RemoveAll(w => w.Task == done);
        }
        Assert.All(refused, r => Assert.True(r.Task.Result.IsBusy));
        Assert.All(refused, r => Assert.Equal(OrleansCluster.MaxPendingAppends, r.Task.Result.Pending));
        Assert.Equal(OrleansCluster.MaxPendingAppends - 1, waiting.Count);
        Assert.False(first.IsCompleted);
        Assert.All(waiting, w => Assert.False(w.Task.IsCompleted));

        hold.Dispose();
        var stored = await Task.WhenAll(waiting.Select(w => w.Task).Prepend(first)).WaitAsync(Hang);
        Assert.All(stored, r => Assert.False(r.IsBusy || r.AlreadyStored));
        var status = await grain.StatusAsync();
        Assert.Equal(OrleansCluster.MaxPendingAppends, status.Chunks);
        Assert.Equal(parts[0].Records + waiting.Sum(w => parts[w.Index].Records), status.Records);

        // Sent again once the shard has room, the refused chunks are stored; the stored ones, sent again, are not.
        foreach (var index in refused.Select(r => r.Index).Concat(waiting.Select(w => w.Index)))
        {
            var again = await grain.AppendAsync($"part-{index}", parts[index].Parquet);
            Assert.False(again.IsBusy);
            Assert.Equal(waiting.Any(w => w.Index == index), again.AlreadyStored);
        }
        status = await grain.StatusAsync();
        Assert.Equal(6, status.Chunks);
        Assert.Equal(mine.Count, status.Records);
        Assert.Equal(OrleansCluster.MaxPendingAppends, AppendHold.MostPending(name, 0));
    }

    [Fact]
    public async Task AppendAsync_ClientsAtAFullShard_KeepTheirLimitInFlight_SendAgainUntilStored_SameAnswers()
    {
        const string name = "busy";
        var p = OrleansCluster.Programmes[name];
        var inFlight = new ConcurrentDictionary<(int Client, int Shard), int>();
        var clients = Enumerable.Range(0, 2).Select(c => Client(name, inFlight, c, maxInFlight: 2)).ToArray();
        var busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busyAnswers = new ConcurrentDictionary<int, int>();
        foreach (var client in clients)
        {
            // Any shard is full for a moment when four chunks (two clients, two each) reach its limit of three before it
            // stores one, as on a loaded machine, and then answers busy as the held shard does; the held shard always must.
            client.ShardBusy = shard =>
            {
                busyAnswers.AddOrUpdate(shard, 1, (_, n) => n + 1);
                if (shard == 0)
                {
                    busy.TrySetResult();
                }
            };
        }
        var chunks = OrleansCluster.Chunks(name, 150).ToList();

        // Shard 0 holds the first append to take its turn; two clients of two chunks in flight each reach its limit of 3.
        var hold = AppendHold.Start(name, 0);
        var appends = chunks.Select((chunk, i) => clients[i % clients.Length].AppendAsync(chunk.Id, chunk.Records)).ToList();
        await busy.Task.WaitAsync(Hang);
        Assert.Equal(2, inFlight[(0, 0)]);
        Assert.Equal(2, inFlight[(1, 0)]);
        Assert.DoesNotContain(appends, a => a.IsCompleted);
        hold.Dispose();
        var reports = await Task.WhenAll(appends).WaitAsync(Hang);

        Assert.True(busyAnswers.GetValueOrDefault(0) > 0);
        Assert.All(reports, r => Assert.False(r.WasDuplicate));
        Assert.Equal(p.Records.Count, reports.Sum(r => r.Records));
        Assert.Equal(p.Records.Count, (await ShardedProgrammeTests.Statuses(clients[0])).Sum(s => s.Records));
        Assert.Equal(OrleansCluster.MaxPendingAppends, AppendHold.MostPending(name, 0));
        Assert.All(inFlight, x => Assert.InRange(x.Value, 1, 2));
        ShardedProgrammeTests.AssertSame(
            ShardedProgrammeTests.AllMeasuresByDistrict(p.Store().Query()).Run(),
            await clients[0].RunAsync(ShardedProgrammeTests.AllMeasuresByDistrict(clients[0].Query())),
            "after busy answers");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    public void MaxChunksInFlightPerShard_OutOfRange_Throws(int value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShardedProgramme(fixture.Cluster.Client, "busy", OrleansCluster.Programmes["busy"].Dataset) { MaxChunksInFlightPerShard = value });

    /// <summary>A client of the programme with its own bound of chunks in flight, noting the most it had on their way to each shard.</summary>
    private ShardedProgramme Client(string name, ConcurrentDictionary<(int Client, int Shard), int> inFlight, int client, int maxInFlight) =>
        new(fixture.Cluster.Client, name, OrleansCluster.Programmes[name].Dataset, OrleansCluster.Shards)
        {
            MaxChunksInFlightPerShard = maxInFlight,
            ChunkSent = (shard, count) => inFlight.AddOrUpdate((client, shard), count, (_, most) => Math.Max(most, count)),
        };
}
