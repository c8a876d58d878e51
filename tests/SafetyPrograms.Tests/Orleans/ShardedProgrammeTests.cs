using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Orleans;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Aggregation;
using Xunit.Abstractions;

namespace SafetyPrograms.Tests.Orleans;

/// <summary>
/// A programme sharded over three in-process silos answers every query exactly as one store holding all its records;
/// retried chunks, a stopped silo, partials in many chunks and a shard that cannot answer (at once or after its first
/// chunk) change no figure or fail loudly.
/// </summary>
[Collection(OrleansCollection.Name)]
public class ShardedProgrammeTests(OrleansCluster fixture, ITestOutputHelper output)
{
    private static readonly Measure[] AllMeasures = Enum.GetValues<Measure>();

    [Theory]
    [MemberData(nameof(RandomQueryEquivalenceTests.Stores), MemberType = typeof(RandomQueryEquivalenceTests))]
    public async Task RunAsync_SeededRandomQueries_EqualOneStore(int store)
    {
        var name = $"store-{store}";
        var p = OrleansCluster.Programmes[name];
        await fixture.IngestAsync(name);
        var programme = fixture.Programme(name);
        var whole = p.Store();
        var statuses = await Statuses(programme);
        Assert.Equal(p.Records.Count, statuses.Sum(s => s.Records));
        Assert.All(statuses, s => Assert.True(s.Records > 0, "premise: every shard holds records"));

        var rng = new Random(1600 + store);
        for (var q = 0; q < 15; q++)
        {
            var shape = QueryShape.Draw(rng, p);
            var context = $"store {store}, query {q}: {shape}";
            var sharded = await programme.RunAsync(shape.ToQuery(whole));
            var single = shape.ToQuery(whole).Run();

            Reference.AssertSame(Reference.Rows(single), Reference.Rows(sharded), tolerance: 0, context);
            Assert.Equal(single.Rows.Count, sharded.Rows.Count);
        }
    }

    [Fact]
    public async Task AppendAsync_RetriedOrDuplicatedChunk_ChangesNothing()
    {
        const string name = "chunks";
        var p = OrleansCluster.Programmes[name];
        var programme = fixture.Programme(name);
        var chunks = OrleansCluster.Chunks(name, 250).ToList();
        var first = new List<ShardedAppendReport>();
        foreach (var (id, records) in chunks)
        {
            first.Add(await programme.AppendAsync(id, records));
        }
        Assert.All(first, r => Assert.False(r.WasDuplicate));
        Assert.Equal(p.Records.Count, first.Sum(r => r.Records));
        var query = AllMeasuresByDistrict(programme.Query());
        var before = await programme.RunAsync(query);
        AssertSame(AllMeasuresByDistrict(p.Store().Query()).Run(), before, "first ingest");

        // A retry after a lost answer, the same chunk twice at once, and a retry after every shard was reloaded from disk.
        var retry = await programme.AppendAsync(chunks[0].Id, chunks[0].Records);
        var twice = await Task.WhenAll(programme.AppendAsync(chunks[2].Id, chunks[2].Records), programme.AppendAsync(chunks[2].Id, chunks[2].Records));
        await DeactivateAll(programme);
        var reloaded = await programme.AppendAsync(chunks[1].Id, chunks[1].Records);

        Assert.True(retry.WasDuplicate);
        Assert.Equal(first[0].Records, retry.Records);
        Assert.Equal(first[0].Accepted, retry.Accepted);
        Assert.All(twice, r => Assert.True(r.WasDuplicate));
        Assert.True(reloaded.WasDuplicate);
        AssertSame(before, await programme.RunAsync(query), "after the duplicates");
        Assert.Equal(p.Records.Count, (await Statuses(programme)).Sum(s => s.Records));
    }

    [Fact]
    public async Task AppendAsync_AChunkIdReusedForOtherRecords_IsRefused()
    {
        const string name = "reuse";
        var programme = fixture.Programme(name);
        var records = OrleansCluster.Programmes[name].Records;
        await programme.AppendAsync("reused", records[..200]);
        var before = await programme.RunAsync(AllMeasuresByDistrict(programme.Query()));

        // Other records under the same id: every shard both sets touch holds the first already.
        var error = await Assert.ThrowsAsync<ShardedQueryException>(() => programme.AppendAsync("reused", records[200..400]));

        Assert.Contains("stored already with other records", error.Message, StringComparison.Ordinal);
        AssertSame(before, await programme.RunAsync(AllMeasuresByDistrict(programme.Query())), "after the refusal");
    }

    [Fact]
    public async Task StoppingASilo_MidIngest_ShardsReloadElsewhereFromParquet_SameAnswers()
    {
        const string name = "failover";
        var p = OrleansCluster.Programmes[name];
        var programme = fixture.Programme(name);
        var chunks = OrleansCluster.Chunks(name, 200).ToList();
        foreach (var (id, records) in chunks.Take(chunks.Count / 2))
        {
            await programme.AppendAsync(id, records);
        }
        var statuses = await Statuses(programme);
        var primary = fixture.Cluster.Silos[0].SiloAddress.ToString();
        var victim = fixture.Cluster.Silos.Skip(1)
            .OrderByDescending(s => statuses.Count(x => x.Silo == s.SiloAddress.ToString()))
            .First();
        var moved = statuses.Select((s, shard) => (s, shard)).Where(x => x.s.Silo == victim.SiloAddress.ToString()).Select(x => x.shard).ToList();
        Assert.True(moved.Count > 0, $"premise: a secondary silo holds a shard (all on {primary}?)");

        await fixture.Cluster.StopSiloAsync(victim);
        try
        {
            foreach (var (id, records) in chunks.Skip(chunks.Count / 2))
            {
                await programme.AppendAsync(id, records);
            }
            var after = await Statuses(programme);
            var whole = p.Store();
            var rng = new Random(1602);
            for (var q = 0; q < 12; q++)
            {
                var shape = QueryShape.Draw(rng, p);
                AssertSame(shape.ToQuery(whole).Run(), await programme.RunAsync(shape.ToQuery(whole)), $"query {q}: {shape}");
            }
            Assert.All(moved, shard =>
            {
                Assert.NotEqual(victim.SiloAddress.ToString(), after[shard].Silo);
                Assert.True(after[shard].ChunksLoadedOnActivation > 0, $"shard {shard} reloaded its chunks from disk");
            });
            Assert.Equal(p.Records.Count, after.Sum(s => s.Records));
        }
        finally
        {
            await fixture.Cluster.StartAdditionalSiloAsync();
            await fixture.Cluster.WaitForLivenessToStabilizeAsync();
        }
    }

    [Fact]
    public async Task RunAsync_AShardCannotAnswer_FailsNamingIt_NeverAPartialFigure()
    {
        const string name = "broken";
        var p = OrleansCluster.Programmes[name];
        await fixture.IngestAsync(name, chunk: 300);
        var programme = fixture.Programme(name);
        var query = AllMeasuresByDistrict(programme.Query());
        var expected = AllMeasuresByDistrict(p.Store().Query()).Run();
        AssertSame(expected, await programme.RunAsync(query), "before");

        // Shard 2's first file altered on disk, then the shard reactivated: it cannot load, so it cannot answer.
        var file = Path.Combine(fixture.Directory, name, "shard-00002", "chunk-000001.parquet");
        var good = await File.ReadAllBytesAsync(file);
        var bad = (byte[])good.Clone();
        bad[bad.Length / 2] ^= 0xff;
        await File.WriteAllBytesAsync(file, bad);
        await programme.Shard(2).DeactivateAsync();
        try
        {
            var error = await Assert.ThrowsAsync<ShardedQueryException>(() => programme.RunAsync(query));

            Assert.Equal([2], error.FailedShards);
            Assert.Equal([programme.Ranges[2]], error.MissingRanges);
            Assert.Contains($"shard 2 ({programme.Ranges[2]})", error.Message, StringComparison.Ordinal);
            Assert.Contains("no figure is given", error.Message, StringComparison.Ordinal);
            Assert.Contains("digest differs", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await File.WriteAllBytesAsync(file, good);
        }
        AssertSame(expected, await programme.RunAsync(query), "after the file is restored");
    }

    [Fact]
    public async Task RunAsync_AShardsDataError_ReachesTheClientAsItself_NamingTheShard()
    {
        const string name = "damaged";
        var p = OrleansCluster.Programmes[name];
        await fixture.IngestAsync(name, chunk: 300);
        var programme = fixture.Programme(name);
        var query = AllMeasuresByDistrict(programme.Query());
        var expected = AllMeasuresByDistrict(p.Store().Query()).Run();

        // Shard 1's first file replaced by bytes that are not Parquet, and its manifest made to agree (digest and all), so
        // that the shard reads the file and its Parquet reader, not the digest check, refuses it.
        var directory = new ShardDirectory(Path.Combine(fixture.Directory, name, "shard-00001"));
        var manifest = directory.ReadManifest()!;
        var file = Path.Combine(directory.Path, manifest.Chunks[0].File);
        var (good, goodManifest) = (await File.ReadAllBytesAsync(file), manifest);
        var bad = "not a Parquet file"u8.ToArray();
        await File.WriteAllBytesAsync(file, bad);
        directory.WriteManifest(manifest with { Chunks = [manifest.Chunks[0] with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(bad)) }, .. manifest.Chunks.Skip(1)] });
        await programme.Shard(1).DeactivateAsync();
        try
        {
            var error = await Assert.ThrowsAsync<ShardedQueryException>(() => programme.RunAsync(query));

            Assert.Equal([1], error.FailedShards);
            Assert.Contains($"shard 1 ({programme.Ranges[1]}): DataFormatException", error.Message, StringComparison.Ordinal);
            var cause = Assert.IsType<DataFormatException>(error.InnerException);
            Assert.Equal(manifest.Chunks[0].File, cause.FileName);
            Assert.Contains("not a Parquet file", cause.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await File.WriteAllBytesAsync(file, good);
            directory.WriteManifest(goodManifest);
            await programme.Shard(1).DeactivateAsync();
        }
        AssertSame(expected, await programme.RunAsync(query), "after the file is restored");
    }

    [Fact]
    public async Task RunAsync_AShardStalledPastTheTimeout_FailsNamingIt_ThenAnswersOnceReleased()
    {
        const string name = "stall";
        var p = OrleansCluster.Programmes[name];
        await fixture.IngestAsync(name, chunk: 300);
        // Generous against a normal answer (milliseconds on these records), so that only the held shard misses it.
        var programme = fixture.Programme(name, TimeSpan.FromSeconds(10));
        var query = AllMeasuresByDistrict(programme.Query());
        var expected = AllMeasuresByDistrict(p.Store().Query()).Run();
        AssertSame(expected, await programme.RunAsync(query), "before (every shard active)");

        ShardedQueryException error;
        using (var hold = ShardStall.Start(name, 4))
        {
            error = await Assert.ThrowsAsync<ShardedQueryException>(() => programme.RunAsync(query));
            Assert.True(hold.Arrived.Task.IsCompleted, "premise: the query reached the held shard");
            Assert.False(hold.Released.Task.IsCompleted, "premise: the held shard had not answered when the query failed");
        }

        Assert.Equal([4], error.FailedShards);
        Assert.Equal([programme.Ranges[4]], error.MissingRanges);
        Assert.Contains($"shard 4 ({programme.Ranges[4]}): no answer in time", error.Message, StringComparison.Ordinal);
        Assert.Contains("no figure is given", error.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(error.InnerException);
        AssertSame(expected, await programme.RunAsync(query), "after the shard is released");
    }

    [Fact]
    public async Task RunAsync_AProgrammeTheSilosDoNotHold_FailsNamingEveryShard()
    {
        var programme = new ShardedProgramme(fixture.Cluster.Client, "unknown", OrleansCluster.Programmes["broken"].Dataset, OrleansCluster.Shards);

        var error = await Assert.ThrowsAsync<ShardedQueryException>(() => programme.RunAsync(programme.Query().GroupBy(Dimension.Sex)));

        Assert.Equal(Enumerable.Range(0, OrleansCluster.Shards), error.FailedShards);
        Assert.Contains("holds no programme named 'unknown'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShardPartial_OfAWideQuery_TravelsInChunksWithinTheBound_WellUnderTheMessageLimit()
    {
        const string name = "wide";
        var p = OrleansCluster.Programmes[name];
        await fixture.IngestAsync(name, chunk: 3000);
        var programme = fixture.Programme(name);
        // Every measure (HyperLogLog registers included) over the finest grouping the test data has, rolled up.
        var query = Wide(programme.Query());
        var shard = programme.Shard(0);
        var chunks = new List<PartialChunk> { await shard.RunAsync(ShardQuery.Of(query)) };
        while (chunks[^1].HasNext)
        {
            chunks.Add(await shard.NextAsync(chunks[^1].Cursor));
        }
        var serializer = fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();
        var limit = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IOptions<SiloMessagingOptions>>().Value.MaxMessageBodySize;
        var sizes = chunks.Select(c => serializer.SerializeToArray(c).Length).ToArray();
        var own = ShardPartialTests.Route(p.Records, programme.Ranges)[0];
        var expected = Wide(p.Store(own).Query()).RunShardPartial(programme.Ranges[0]);

        output.WriteLine($"shard 0 of {OrleansCluster.Shards}: {expected.GroupCount:N0} groups in {chunks.Count} chunks of {string.Join(", ", sizes.Select(b => b.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))} bytes; bound {OrleansCluster.PartialChunkBytes:N0}, message limit {limit:N0}");
        Assert.True(expected.GroupCount > 500, $"premise: a wide partial ({expected.GroupCount} groups)");
        Assert.True(chunks.Count > 4, $"{chunks.Count} chunks");
        Assert.Equal(Enumerable.Range(1, chunks.Count), chunks.Select(c => c.Number));
        Assert.All(chunks, c => Assert.Equal(chunks.Count, c.Count));
        Assert.All(sizes, b => Assert.InRange(b, 1, OrleansCluster.PartialChunkBytes));
        Assert.True(OrleansCluster.PartialChunkBytes * 100L < limit, "premise: the bound is well under the message limit");
        Assert.Equal(expected.ToJson(), ShardWireTests.Joined(chunks.Select(c => c.Part)).ToJson());
        var key = System.Text.Encoding.UTF8.GetBytes(own[0].Beneficiary.Value);
        Assert.All(chunks, c => Assert.Equal(-1, serializer.SerializeToArray(c).AsSpan().IndexOf(key)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => shard.NextAsync(chunks[^1].Cursor));
    }

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

    [Theory]
    [InlineData("../elsewhere")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("with space")]
    public void Constructor_ANameThatIsNotADirectoryName_Throws(string name) =>
        Assert.Throws<ArgumentException>(() => new ShardedProgramme(fixture.Cluster.Client, name, OrleansCluster.Programmes["broken"].Dataset));

    [Fact]
    public void CorePackage_DoesNotReferenceOrleans()
    {
        var references = typeof(ParticipationStore).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty);

        Assert.DoesNotContain(references, r => r.StartsWith("Orleans", StringComparison.Ordinal) || r.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        Assert.Contains(typeof(ShardedProgramme).Assembly.GetReferencedAssemblies(), a => a.Name == "Orleans.Core");
    }

    /// <summary>The same rows (in any order), counts and means to the last bit.</summary>
    internal static void AssertSame(AggregationResult expected, AggregationResult actual, string context)
    {
        Assert.Equal(expected.Rows.Count, actual.Rows.Count);
        Reference.AssertSame(Reference.Rows(expected), Reference.Rows(actual), tolerance: 0, context);
    }

    /// <summary>Every measure over the finest grouping the test data has, rolled up: partials of many chunks.</summary>
    private static AggregationQuery Wide(AggregationQuery query) =>
        query.GroupBy(TimeBucket.Day, Dimension.School, Dimension.Role, Dimension.Sex).Measure(AllMeasures).Rollup();

    internal static AggregationQuery AllMeasuresByDistrict(AggregationQuery query) =>
        query.GroupBy(Dimension.Province, Dimension.District, Dimension.Role).Measure(AllMeasures).Rollup();

    internal static async Task<ShardStatus[]> Statuses(ShardedProgramme programme) =>
        await Task.WhenAll(Enumerable.Range(0, programme.ShardCount).Select(i => programme.Shard(i).StatusAsync()));

    private static async Task DeactivateAll(ShardedProgramme programme) =>
        await Task.WhenAll(Enumerable.Range(0, programme.ShardCount).Select(i => programme.Shard(i).DeactivateAsync()));
}
