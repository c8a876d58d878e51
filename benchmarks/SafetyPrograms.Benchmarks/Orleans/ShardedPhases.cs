using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Benchmarks.Aggregation;
using SafetyPrograms.Orleans;

namespace SafetyPrograms.Benchmarks.Orleans;

/// <summary>
/// Where a sharded query's time goes, by Stopwatch, without BenchmarkDotNet: <c>sharded-phases --records N [--cluster]</c>.
/// Per question Q1–Q6 over <see cref="ShardedScale.Shards"/> stores (the records routed as the cluster routes them):
/// building each shard's partial, its Orleans wire form (serialize and read back), its JSON form (for comparison),
/// the merge and the finish; with <c>--cluster</c>, then the whole fan-out on three in-process silos. A quick look for
/// whoever changes the fan-out, not figures to publish (one run each, the second of two shown).
/// </summary>
internal static class ShardedPhases
{
    internal static async Task<int> Run(string[] args)
    {
        var records = 100_000;
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--records")
            {
                records = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            }
        }
        var generator = new ProgrammeGenerator(ShardedScale.Seed, records);
        var ranges = ShardRange.Split(ShardedScale.Shards);
        var stores = ShardedScale.Route(generator, ranges);
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        for (var q = 0; q < BenchmarkQueries.Names.Length; q++)
        {
            for (var run = 0; run < 2; run++)
            {
                var clock = Stopwatch.StartNew();
                var partials = stores.Select((s, i) => BenchmarkQueries.Build(s.Query(), q).RunShardPartial(ranges[i])).ToArray();
                var build = Lap(clock);
                var wire = partials.Select(p => serializer.SerializeToArray(p)).ToArray();
                var read = wire.Select(w => serializer.Deserialize<ShardPartial>(w)!).ToArray();
                var wireTime = Lap(clock);
                var json = partials.Select(p => p.ToJson()).ToArray();
                _ = json.Select(ShardPartial.FromJson).ToArray();
                var jsonTime = Lap(clock);
                var merged = ShardPartial.Merge(read);
                var merge = Lap(clock);
                var rows = merged.ToResult().Rows.Count;
                var finish = Lap(clock);
                var (chunks, chunked) = await MergeInChunks(read).ConfigureAwait(false);
                var chunkTime = Lap(clock);
                if (!string.Equals(chunked.ToJson(), merged.ToJson(), StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("The chunked merge differs from the whole partials' merge.");
                }
                if (run == 1)
                {
                    Print($"{BenchmarkQueries.Names[q]} ({merged.GroupCount:N0} groups, {rows:N0} rows): build {build:F0} ms, wire {wireTime:F0} ms ({wire.Sum(w => (long)w.Length):N0} B), JSON {jsonTime:F0} ms ({json.Sum(j => (long)Encoding.UTF8.GetByteCount(j)):N0} B), merge {merge:F0} ms, finish {finish:F0} ms; split into {chunks} chunks and merged as they arrive {chunkTime:F0} ms");
                }
            }
        }
        if (args.Contains("--cluster"))
        {
            await RunCluster(generator).ConfigureAwait(false);
        }
        return 0;
    }

    /// <summary>The partials cut into chunks of the silos' default bound and merged as the client merges them (no Orleans between).</summary>
    private static async Task<(int Chunks, ShardPartial Merged)> MergeInChunks(ShardPartial[] partials)
    {
        var split = partials.Select(p => PartialChunk.Split(p, ShardedProgrammeOptions.DefaultPartialChunkBytes)).ToArray();
        var streams = new ChunkStream[split.Length];
        for (var s = 0; s < split.Length; s++)
        {
            var chunks = split[s];
            streams[s] = new ChunkStream(s, c => Task.FromResult(new PartialChunk(chunks[c.Number], c.Number + 1, chunks.Count, c.Cursor)), null);
            await streams[s].StartAsync(new PartialChunk(chunks[0], 1, chunks.Count, Guid.NewGuid())).ConfigureAwait(false);
        }
        return (split.Sum(c => c.Count), await ChunkedPartialMerge.MergeAsync(streams).ConfigureAwait(false));
    }

    private static async Task RunCluster(ProgrammeGenerator generator)
    {
        var directory = Path.Combine(Path.GetTempPath(), "sp-sharded-phases-" + Guid.NewGuid().ToString("N"));
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) => silo.AddShardedProgrammes(o =>
        {
            o.Directory = directory;
            o.ShardCount = ShardedScale.Shards;
            o.Programmes.Add("phases", generator.Dataset);
        }));
        var cluster = builder.Build();
        await cluster.DeployAsync().ConfigureAwait(false);
        try
        {
            var programme = new ShardedProgramme(cluster.Client, "phases", generator.Dataset, ShardedScale.Shards, TimeSpan.FromMinutes(5));
            await programme.AppendAsync("all", generator.ParticipationRecords()).ConfigureAwait(false);
            await programme.RunAsync(programme.Query()).ConfigureAwait(false);
            for (var q = 0; q < BenchmarkQueries.Names.Length; q++)
            {
                var times = new List<double>();
                for (var run = 0; run < 3; run++)
                {
                    var clock = Stopwatch.StartNew();
                    await programme.RunAsync(BenchmarkQueries.Build(programme.Query(), q)).ConfigureAwait(false);
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
                Print($"three silos {BenchmarkQueries.Names[q]}: {string.Join(", ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms");
            }
        }
        finally
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double Lap(Stopwatch clock)
    {
        var ms = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return ms;
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
