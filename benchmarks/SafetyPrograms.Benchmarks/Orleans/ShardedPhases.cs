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
/// the question as an ordinary query on each shard's store (the engine's share of building a partial), building each
/// shard's partial, its Orleans wire form (serialize and read back), its JSON form (for comparison),
/// the merge and the finish; with <c>--cluster</c>, then the whole fan-out on three in-process silos, each run after the
/// same question on one store holding every record (<c>--cluster-only</c> skips the phases). Each phase shows
/// its wall time, the process's CPU time and the bytes allocated by every thread (<see cref="GC.GetTotalAllocatedBytes"/>),
/// which stay meaningful on a loaded machine where wall time does not. A quick look for whoever changes the fan-out,
/// not figures to publish (one run each, the second of two shown; <c>--only Q2,Q4</c> runs only those questions).
/// </summary>
internal static class ShardedPhases
{
    internal static async Task<int> Run(string[] args)
    {
        var records = 100_000;
        string? only = null;
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--records")
            {
                records = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--only")
            {
                only = args[i + 1];
            }
        }
        var questions = Enumerable.Range(0, BenchmarkQueries.Names.Length).Where(q => only is null || only.Split(',').Contains(BenchmarkQueries.Names[q])).ToArray();
        if (args.Contains("--cluster-only"))
        {
            await RunCluster(new ProgrammeGenerator(ShardedScale.Seed, records), questions).ConfigureAwait(false);
            return 0;
        }
        var generator = new ProgrammeGenerator(ShardedScale.Seed, records);
        var ranges = ShardRange.Split(ShardedScale.Shards);
        var stores = ShardedScale.Route(generator, ranges);
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        foreach (var q in questions)
        {
            for (var run = 0; run < 2; run++)
            {
                var clock = new Clock();
                _ = stores.Sum(s => BenchmarkQueries.Build(s.Query(), q).Run().Rows.Count);
                var engine = clock.Lap();
                var partials = stores.Select((s, i) => BenchmarkQueries.Build(s.Query(), q).RunShardPartial(ranges[i])).ToArray();
                var build = clock.Lap();
                var wire = partials.Select(p => serializer.SerializeToArray(p)).ToArray();
                var written = clock.Lap();
                var read = wire.Select(w => serializer.Deserialize<ShardPartial>(w)!).ToArray();
                var readBack = clock.Lap();
                var json = partials.Select(p => p.ToJson()).ToArray();
                _ = json.Select(ShardPartial.FromJson).ToArray();
                var jsonTime = clock.Lap();
                var merged = ShardPartial.Merge(read);
                var merge = clock.Lap();
                var rows = merged.ToResult().Rows.Count;
                var finish = clock.Lap();
                var (chunks, chunked) = await MergeInChunks(read).ConfigureAwait(false);
                var chunkTime = clock.Lap();
                if (!string.Equals(chunked.ToJson(), merged.ToJson(), StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("The chunked merge differs from the whole partials' merge.");
                }
                if (run == 1)
                {
                    Print($"{BenchmarkQueries.Names[q]} ({merged.GroupCount:N0} groups, {partials.Sum(p => p.GroupCount):N0} in the shards, {rows:N0} rows; on the wire {wire.Sum(w => (long)w.Length):N0} B, as JSON {json.Sum(j => (long)Encoding.UTF8.GetByteCount(j)):N0} B)");
                    Print($"  the shards' own queries {engine}; build {build}; to the wire {written}; from it {readBack}; JSON {jsonTime}; merge {merge}; finish {finish}; split into {chunks} chunks and merged as they arrive {chunkTime}");
                }
            }
        }
        if (args.Contains("--cluster"))
        {
            // The shards' stores are done with: the cluster and the one store below hold the records again.
            stores = [];
            GC.Collect();
            await RunCluster(generator, questions).ConfigureAwait(false);
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

    private static async Task RunCluster(ProgrammeGenerator generator, int[] questions)
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
            var one = new ParticipationStore(generator.Dataset);
            one.Append(generator.ParticipationRecords());
            foreach (var q in questions)
            {
                // One store and the cluster in turn, so that a change in the machine's load falls on both alike.
                var (oneTimes, clusterTimes) = (new List<Phase>(), new List<Phase>());
                for (var run = 0; run < 3; run++)
                {
                    var clock = new Clock();
                    _ = BenchmarkQueries.Build(one.Query(), q).Run();
                    oneTimes.Add(clock.Lap());
                    await programme.RunAsync(BenchmarkQueries.Build(programme.Query(), q)).ConfigureAwait(false);
                    clusterTimes.Add(clock.Lap());
                }
                Print($"one store {BenchmarkQueries.Names[q]}: {string.Join("; ", oneTimes)}");
                Print($"three silos {BenchmarkQueries.Names[q]}: {string.Join("; ", clusterTimes)}");
            }
        }
        finally
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Wall time, the process's CPU time and the bytes every thread allocated, since the last lap.</summary>
    private sealed class Clock
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        private long _bytes = GC.GetTotalAllocatedBytes(precise: true);

        internal Phase Lap()
        {
            var (cpu, bytes) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));
            var phase = new Phase(_wall.Elapsed.TotalMilliseconds, (cpu - _cpu).TotalMilliseconds, bytes - _bytes);
            (_cpu, _bytes) = (cpu, bytes);
            _wall.Restart();
            return phase;
        }
    }

    private readonly record struct Phase(double WallMs, double CpuMs, long Bytes)
    {
        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"{WallMs:F0} ms (cpu {CpuMs:F0} ms, {Bytes / 1e6:F1} MB)");
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
