using System.Globalization;
using BenchmarkDotNet.Attributes;
using Orleans.Configuration;
using Orleans.TestingHost;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Benchmarks.Aggregation;
using SafetyPrograms.Orleans;

namespace SafetyPrograms.Benchmarks.Orleans;

/// <summary>
/// One benchmark question (Q1–Q6) on three in-process Orleans silos holding the seeded programme in shards, against the
/// same question on one store over the same records: the cost of fanning out to the shards, their partials,
/// serialization and the merge (the Ratio column).
/// </summary>
/// <remarks>
/// Run with the <c>sharded</c> verb (<see cref="ShardedScale"/>), which also prints the partials' sizes and sets the
/// record count (<c>SP_SHARDED_RECORDS</c>, default 1,000,000). Each benchmark process builds only its own side: the
/// one store, or the cluster with its shards ingested through Parquet chunks. The silos share the process and its cores,
/// so the ratio shows the overhead, not the gain of more machines.
/// </remarks>
[MemoryDiagnoser]
public class ShardedQueryBenchmarks
{
    private const int Silos = 3;
    private const int ChunkRecords = 1_000_000;
    private static readonly TimeSpan ShardTimeout = TimeSpan.FromMinutes(10);

    private ParticipationStore _store = null!;
    private InProcessTestCluster _cluster = null!;
    private ShardedProgramme _programme = null!;
    private string _directory = null!;

    /// <summary>The record count, from <c>SP_SHARDED_RECORDS</c>.</summary>
    public static IEnumerable<int> RecordCounts =>
        [int.Parse(Environment.GetEnvironmentVariable(ShardedScale.RecordsVariable) ?? "1000000", CultureInfo.InvariantCulture)];

    [ParamsSource(nameof(RecordCounts))]
    public int Records { get; set; }

    /// <summary>The question, Q1 to Q6 (<see cref="BenchmarkQueries.Descriptions"/>).</summary>
    [Params("Q1", "Q2", "Q3", "Q4", "Q5", "Q6")]
    public string Query { get; set; } = "Q1";

    private int Question => Array.IndexOf(BenchmarkQueries.Names, Query);

    [GlobalSetup(Target = nameof(OneStore))]
    public void SetupOneStore()
    {
        var generator = new ProgrammeGenerator(ShardedScale.Seed, Records);
        _store = new ParticipationStore(generator.Dataset);
        _store.Append(generator.ParticipationRecords());
        _store.Query().Run(); // the first query orders the columns by beneficiary once
    }

    [GlobalSetup(Target = nameof(ThreeSilos))]
    public async Task SetupThreeSilos()
    {
        var generator = new ProgrammeGenerator(ShardedScale.Seed, Records);
        _directory = Path.Combine(Path.GetTempPath(), "sp-sharded-bench-" + Guid.NewGuid().ToString("N"));
        var builder = new InProcessTestClusterBuilder(Silos);
        builder.ConfigureSilo((_, silo) => silo
            .AddShardedProgrammes(o =>
            {
                o.Directory = _directory;
                o.ShardCount = ShardedScale.Shards;
                o.Programmes.Add("bench", generator.Dataset);
            })
            .Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ShardTimeout));
        // Orleans drops a call after its own response timeout (30 s by default), whatever the programme's shard timeout.
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ShardTimeout));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        _programme = new ShardedProgramme(_cluster.Client, "bench", generator.Dataset, ShardedScale.Shards, ShardTimeout);
        var chunk = 0;
        foreach (var records in generator.ParticipationRecords().Chunk(ChunkRecords))
        {
            await _programme.AppendAsync(string.Create(CultureInfo.InvariantCulture, $"bench-{chunk++}"), records);
        }
        // Orders each shard's store once, as the one store's first query does.
        await _programme.RunAsync(_programme.Query());
    }

    [GlobalCleanup(Target = nameof(ThreeSilos))]
    public async Task CleanupThreeSilos()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public AggregationResult OneStore() => BenchmarkQueries.Engine(_store, Question);

    [Benchmark]
    public Task<AggregationResult> ThreeSilos() => _programme.RunAsync(BenchmarkQueries.Build(_programme.Query(), Question));
}
