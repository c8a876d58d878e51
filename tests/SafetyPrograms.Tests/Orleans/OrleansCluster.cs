using Orleans.TestingHost;
using SafetyPrograms.Domain;
using SafetyPrograms.Orleans;
using SafetyPrograms.Tests.Aggregation;

namespace SafetyPrograms.Tests.Orleans;

/// <summary>
/// One in-process Orleans cluster of three silos for every Orleans test (a collection fixture, so that the cluster
/// starts once), whose shards keep their files in one temporary directory all silos share. Each test class works on its
/// own programmes, by name, so that they do not disturb each other's records.
/// </summary>
public sealed class OrleansCluster : IAsyncLifetime
{
    internal const int Silos = 3;

    internal const int Shards = 6;

    /// <summary>The silos' bound of a partial's chunk: small, so that a wide query's partials travel in several chunks.</summary>
    internal const int PartialChunkBytes = 16 << 10;

    /// <summary>The appends a shard holds at once: small, so that a few concurrent appenders reach it.</summary>
    internal const int MaxPendingAppends = 3;

    /// <summary>The programmes the silos hold, built once, by name.</summary>
    internal static readonly Dictionary<string, TestProgramme> Programmes = new(StringComparer.Ordinal)
    {
        ["store-1"] = RandomQueryEquivalenceTests.Programme(1),
        ["store-2"] = RandomQueryEquivalenceTests.Programme(2),
        ["store-3"] = RandomQueryEquivalenceTests.Programme(3),
        ["store-4"] = RandomQueryEquivalenceTests.Programme(4),
        ["chunks"] = TestProgramme.Build(seed: 1601, records: 1500, beneficiaries: 400),
        ["reuse"] = TestProgramme.Build(seed: 1605, records: 600, beneficiaries: 200),
        ["failover"] = TestProgramme.Build(seed: 1602, records: 2000, beneficiaries: 500),
        ["broken"] = TestProgramme.Build(seed: 1603, records: 800, beneficiaries: 300),
        ["stall"] = TestProgramme.Build(seed: 1606, records: 800, beneficiaries: 300),
        ["damaged"] = TestProgramme.Build(seed: 1607, records: 600, beneficiaries: 200),
        ["wide"] = TestProgramme.Build(seed: 1604, records: 6000, beneficiaries: 3000, schools: 60),
        ["lost"] = TestProgramme.Build(seed: 1608, records: 6000, beneficiaries: 3000, schools: 60),
        ["concurrent"] = TestProgramme.Build(seed: 1609, records: 3000, beneficiaries: 800),
        ["pressure"] = TestProgramme.Build(seed: 1610, records: 1200, beneficiaries: 300),
        ["busy"] = TestProgramme.Build(seed: 1611, records: 2400, beneficiaries: 600),
    };

    internal string Directory { get; } = Path.Combine(Path.GetTempPath(), "sp-orleans-" + Guid.NewGuid().ToString("N"));

    internal InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>The client's facade of a programme the silos hold.</summary>
    internal ShardedProgramme Programme(string name, TimeSpan? timeout = null) =>
        new(Cluster.Client, name, Programmes[name].Dataset, Shards, timeout);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(Silos);
        builder.ConfigureSilo((_, silo) => silo
            .AddShardedProgrammes(o =>
            {
                o.Directory = Directory;
                o.ShardCount = Shards;
                o.PartialChunkBytes = PartialChunkBytes;
                o.MaxPendingAppends = MaxPendingAppends;
                foreach (var (name, p) in Programmes)
                {
                    o.Programmes.Add(name, p.Dataset);
                }
            })
            .AddIncomingGrainCallFilter<ShardStall>());
        ParticipationShard.Storing = AppendHold.StoringAsync;
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>The records of <paramref name="name"/> in chunks of <paramref name="chunk"/>, each with its stable id.</summary>
    internal static IEnumerable<(string Id, List<ParticipationRecord> Records)> Chunks(string name, int chunk) =>
        Programmes[name].Records.Chunk(chunk).Select((records, i) => ($"{name}-{i}", records.ToList()));

    /// <summary>Stores every chunk of a programme (again: a chunk stored already is acknowledged, not stored twice).</summary>
    internal async Task IngestAsync(string name, int chunk = 700)
    {
        var programme = Programme(name);
        foreach (var (id, records) in Chunks(name, chunk))
        {
            await programme.AppendAsync(id, records);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OrleansCollection : ICollectionFixture<OrleansCluster>
{
    public const string Name = "Orleans cluster";
}
