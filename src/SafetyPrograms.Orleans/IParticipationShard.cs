using Orleans.Concurrency;
using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Orleans;

/// <summary>
/// One shard of a programme's participation records: the grain's integer key is the shard's number (its hash range is
/// <see cref="ShardRange.Split"/>'s range of that number), its key extension the programme's name.
/// </summary>
[Alias("SafetyPrograms.Orleans.IParticipationShard")]
internal interface IParticipationShard : IGrainWithIntegerCompoundKey
{
    /// <summary>
    /// Stores a chunk's records of this shard, given as a Parquet file (<see cref="Parquet.ParticipationParquet"/>), once:
    /// a chunk id the shard holds already is acknowledged without storing its records again. Interleaves with the grain's
    /// other calls, so that a shard holding <see cref="ShardedProgrammeOptions.MaxPendingAppends"/> appends answers at
    /// once with a busy receipt (<see cref="ChunkReceipt.IsBusy"/>) rather than queue without bound.
    /// </summary>
    [Alias("Append"), AlwaysInterleave]
    Task<ChunkReceipt> AppendAsync(string chunkId, byte[] parquet);

    /// <summary>
    /// Runs the query over this shard's records into its shard partial, and returns its first chunk; the shard keeps the
    /// others, taken as they are now, for <see cref="NextAsync"/>.
    /// </summary>
    [Alias("Run")]
    Task<PartialChunk> RunAsync(ShardQuery query);

    /// <summary>The next chunk of the partial a <see cref="RunAsync"/> began; fails if the shard no longer holds it (reactivated, or left unread too long).</summary>
    [Alias("Next")]
    Task<PartialChunk> NextAsync(Guid cursor);

    /// <summary>Drops the chunks of a partial the caller will not read (a query that failed elsewhere).</summary>
    [Alias("Drop")]
    Task DropAsync(Guid cursor);

    /// <summary>Where the shard lives and what it loaded when it was activated.</summary>
    [Alias("Status")]
    Task<ShardStatus> StatusAsync();

    /// <summary>Asks the runtime to deactivate this shard once idle (its records stay on disk).</summary>
    [Alias("Deactivate")]
    Task DeactivateAsync();
}

/// <summary>
/// A shard's answer to a chunk: the records it held, those the store accepted, and whether it had the chunk already; or,
/// when <see cref="Pending"/> is above zero, that it stored nothing because it held that many appends already (its limit).
/// </summary>
[GenerateSerializer, Immutable, Alias("SafetyPrograms.Orleans.ChunkReceipt")]
internal readonly record struct ChunkReceipt(
    [property: Id(0)] long Records,
    [property: Id(1)] long Accepted,
    [property: Id(2)] bool AlreadyStored,
    [property: Id(3)] int Pending = 0)
{
    /// <summary>Whether the shard refused the chunk, holding its limit of appends: send it again later.</summary>
    internal bool IsBusy => Pending > 0;

    /// <summary>The answer of a shard that holds <paramref name="pending"/> appends, its limit, and stores nothing now.</summary>
    internal static ChunkReceipt Busy(int pending) => new(0, 0, AlreadyStored: false, pending);
}

/// <summary>A shard's state: the silo it runs on, its record count, its chunks, and the chunks read from disk on activation.</summary>
[GenerateSerializer, Immutable, Alias("SafetyPrograms.Orleans.ShardStatus")]
internal sealed record ShardStatus(
    [property: Id(0)] string Silo,
    [property: Id(1)] long Records,
    [property: Id(2)] int Chunks,
    [property: Id(3)] int ChunksLoadedOnActivation);
