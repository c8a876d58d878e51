using System.Globalization;
using BenchmarkDotNet.Attributes;
using Orleans.TestingHost;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Benchmarks.Aggregation;
using SafetyPrograms.Orleans;

namespace SafetyPrograms.Benchmarks.Orleans;

/// <summary>
/// One benchmark question (Q1–Q6) on three in-process Orleans silos holding the seeded programme in shards, against the
/// same question on one store: the cost of fanning out to the shards, their partials, serialization and the merge.
/// </summary>
/// <remarks>
/// The record count comes from the environment variable <c>SP_SHARDED_RECORDS</c> (default 1,000,000), so that the
/// 10M-record figure is one run: <c>SP_SHARDED_RECORDS=10000000 dotnet run -c Release --project
/// benchmarks/SafetyPrograms.Benchmarks -- --filter *ShardedQueryBenchmarks*</c>. Setup ingests every record twice
/// (once per side; the shards through Parquet chunks), which takes minutes at 10M; the silos share the process and its
/// cores with the single store, so the ratio shows the overhead, not the gain of more machines.
/// </remarks>
[MemoryDiagnoser]
public class ShardedQueryBenchmarks
{
    private const int Silos = 3;
    private const int Shards = 12;
    private const int ChunkRecords = 1_000_000;

    private ParticipationStore _store = null!;
    private InProcessTestCluster _cluster = null!;
    private ShardedProgramme _programme = null!;
    private string _directory = null!;

    /// <summary>The record count, from <c>SP_SHARDED_RECORDS</c>.</summary>
    public static IEnumerable<int> RecordCounts =>
        [int.Parse(Environment.GetEnvironmentVariable("SP_SHARDED_RECORDS") ?? "1000000", CultureInfo.InvariantCulture)];

    [ParamsSource(nameof(RecordCounts))]
    public int Records { get; set; }

    /// <summary>The question, 0 to 5 for Q1 to Q6 (<see cref="BenchmarkQueries.Descriptions"/>).</summary>
    [Params(0, 1, 2, 3, 4, 5)]
    public int Query { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        var generator = new ProgrammeGenerator(42, Records);
        _store = new ParticipationStore(generator.Dataset);
        _store.Append(generator.ParticipationRecords());
        _store.Query().Run();

        _directory = Path.Combine(Path.GetTempPath(), "sp-sharded-bench-" + Guid.NewGuid().ToString("N"));
        var builder = new InProcessTestClusterBuilder(Silos);
        builder.ConfigureSilo((_, silo) => silo.AddShardedProgrammes(o =>
        {
            o.Directory = _directory;
            o.ShardCount = Shards;
            o.Programmes.Add("bench", generator.Dataset);
        }));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        _programme = new ShardedProgramme(_cluster.Client, "bench", generator.Dataset, Shards, TimeSpan.FromMinutes(10));
        var chunk = 0;
        foreach (var records in generator.ParticipationRecords().Chunk(ChunkRecords))
        {
            await _programme.AppendAsync(string.Create(CultureInfo.InvariantCulture, $"bench-{chunk++}"), records);
        }
        // Sorts each shard's store once, as the single store's first query did.
        await _programme.RunAsync(_programme.Query());
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public AggregationResult OneStore() => BenchmarkQueries.Engine(_store, Query);

    [Benchmark]
    public Task<AggregationResult> ThreeSilos() => _programme.RunAsync(BenchmarkQueries.Build(_programme.Query(), Query));
}
