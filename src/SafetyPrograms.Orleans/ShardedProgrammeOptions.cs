using SafetyPrograms.Domain;

namespace SafetyPrograms.Orleans;

/// <summary>
/// What the silos need to hold sharded programmes: where shards keep their files, how many shards cover the hash space,
/// and each programme's dataset by name. Every silo of the cluster is given the same options.
/// </summary>
/// <remarks>
/// <para>A shard keeps its records under <c>{Directory}/{programme}/shard-{number}</c> as one Parquet file per accepted
/// chunk and a JSON manifest; the directory must be one that every silo reaches (a shared volume), so that a shard
/// reactivated on another silo reloads its records.</para>
/// <para>The shard count is fixed for the life of the stored records: a shard refuses a manifest written for another
/// hash range. Set the options before the silo starts; they are read, not changed, afterwards.</para>
/// </remarks>
public sealed class ShardedProgrammeOptions
{
    /// <summary>The default number of shards.</summary>
    public const int DefaultShardCount = 16;

    /// <summary>The directory shards keep their files under; every silo must reach the same directory.</summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>The number of shards covering the hash space (1 to 65,536); clients must use the same number.</summary>
    public int ShardCount { get; set; } = DefaultShardCount;

    /// <summary>The default bound of one chunk of a shard's partial on the wire: 4 MiB.</summary>
    public const int DefaultPartialChunkBytes = 4 << 20;

    /// <summary>
    /// The most bytes one chunk of a shard's partial takes on the wire (1 KiB to 64 MiB; default
    /// <see cref="DefaultPartialChunkBytes"/>): a shard sends its partial in as many chunks as it needs, so that no message
    /// nears Orleans' message size limit however many groups a query has. A single group larger than the bound travels alone.
    /// </summary>
    public int PartialChunkBytes { get; set; } = DefaultPartialChunkBytes;

    /// <summary>The default bound of the appends one shard holds at once: 8.</summary>
    public const int DefaultMaxPendingAppends = 8;

    /// <summary>
    /// The most appends one shard holds at once, the one storing its chunk and those waiting their turn, each with its
    /// chunk's Parquet bytes in memory (1 to 1,024; default <see cref="DefaultMaxPendingAppends"/>). Another append is
    /// answered at once as busy and stores nothing; <see cref="ShardedProgramme.AppendAsync"/> sends it again after a
    /// pause, so that many clients ingesting at once neither grow a shard's memory without bound nor wait in a queue
    /// until their calls time out.
    /// </summary>
    public int MaxPendingAppends { get; set; } = DefaultMaxPendingAppends;

    /// <summary>The datasets of the programmes the silos hold, by programme name (letters, digits, '-' and '_').</summary>
    public IDictionary<string, ProgrammeDataset> Programmes { get; } = new Dictionary<string, ProgrammeDataset>(StringComparer.Ordinal);
}
