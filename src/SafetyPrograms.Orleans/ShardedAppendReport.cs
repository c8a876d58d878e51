namespace SafetyPrograms.Orleans;

/// <summary>What the shards did with one chunk (<see cref="ShardedProgramme.AppendAsync"/>).</summary>
/// <param name="ChunkId">The chunk's id.</param>
/// <param name="Records">The records of the chunk the shards hold (the chunk's records, whether stored now or before).</param>
/// <param name="Accepted">Those the stores accepted; the others were rejected by the dataset's row rules, as a single store rejects them.</param>
/// <param name="ShardsAlreadyHolding">The shards that held the chunk already and stored nothing again.</param>
/// <param name="Shards">The shards the chunk had records for.</param>
public sealed record ShardedAppendReport(string ChunkId, long Records, long Accepted, int ShardsAlreadyHolding, int Shards)
{
    /// <summary>Whether every shard held the chunk already: a retried or duplicated chunk, which changed nothing.</summary>
    public bool WasDuplicate => Shards > 0 && ShardsAlreadyHolding == Shards;
}
