using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Parquet;

namespace SafetyPrograms.Orleans;

/// <summary>
/// A shard grain: holds one programme's records of one hash range in a <see cref="ParticipationStore"/>, persisted as
/// Parquet files named by a manifest, and answers queries with shard partials (counts, not keys).
/// </summary>
/// <remarks>
/// <para>Activation reloads every chunk the manifest names, checking each file's digest and accepted count, so a shard
/// reactivated on another silo answers exactly as before; a file that is missing, altered or unreadable fails the
/// activation, and the query that needed the shard fails naming it.</para>
/// <para>A chunk is stored in this order: its file is written (temporary file, then renamed), its records appended to
/// the store (all or nothing), then the manifest rewritten the same way. A failure before the manifest leaves the chunk
/// unknown (a retry stores it); a failure writing the manifest deactivates the shard, whose next activation reloads
/// what the manifest names. Calls to one grain run one at a time, so a query never sees half a chunk.</para>
/// <para>A query's partial is computed once and cut into chunks (<see cref="PartialChunk.Split"/>); the first is the
/// answer, the others wait under a cursor for <see cref="NextAsync"/>, unchanged by appends meanwhile, and are forgotten
/// once read, dropped, left unread for <see cref="UnreadLifetime"/>, or when the grain deactivates.</para>
/// </remarks>
internal sealed class ParticipationShard(IOptions<ShardedProgrammeOptions> options, ILocalSiloDetails silo) : Grain, IParticipationShard
{
    private readonly ShardedProgrammeOptions _options = options.Value;
    private ShardRange _range;
    private ShardDirectory _directory = null!;
    private ShardManifest _manifest = null!;
    private ParticipationStore _store = null!;
    private int _loaded;

    // The chunks of partials still being read, by cursor. Calls to the grain run one at a time, so no lock.
    private readonly Dictionary<Guid, UnreadChunks> _unread = [];

    /// <summary>How long a partial's chunks wait for their next read before the shard forgets them.</summary>
    internal static readonly TimeSpan UnreadLifetime = TimeSpan.FromMinutes(10);

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var number = (int)this.GetPrimaryKeyLong(out var programme);
        var name = ShardedProgramme.CheckName(programme);
        if (!_options.Programmes.TryGetValue(name, out var dataset))
        {
            throw new InvalidOperationException($"This silo holds no programme named '{name}': add its dataset to {nameof(ShardedProgrammeOptions)}.{nameof(ShardedProgrammeOptions.Programmes)}.");
        }
        _range = ShardedProgramme.RangeOf(number, _options.ShardCount);
        _directory = new ShardDirectory(Path.Combine(_options.Directory, name, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"shard-{number:D5}")));
        _manifest = _directory.ReadManifest() ?? ShardManifest.Empty(_range.ToString());
        if (!string.Equals(_manifest.Range, _range.ToString(), StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Shard {number} of '{name}' owns {_range} with {_options.ShardCount} shards, but its manifest was written for {_manifest.Range}: "
                + "the shard count must stay as it was when the records were stored.");
        }
        _store = new ParticipationStore(dataset);
        foreach (var chunk in _manifest.Chunks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Load(chunk);
        }
        _loaded = _manifest.Chunks.Count;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<ChunkReceipt> AppendAsync(string chunkId, byte[] parquet)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(parquet));
        if (_manifest.Find(chunkId) is { } held)
        {
            if (!string.Equals(held.Sha256, digest, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"Chunk '{chunkId}' is stored already with other records: a retried chunk must carry the same records, and a new chunk a new id.");
            }
            return Task.FromResult(new ChunkReceipt(held.Records, held.Accepted, AlreadyStored: true));
        }

        var file = ShardDirectory.ChunkFileName(_manifest.Chunks.Count + 1);
        _directory.WriteChunk(file, parquet);
        Ingest.IngestReport report;
        try
        {
            using var stream = new MemoryStream(parquet, writable: false);
            report = _store.AppendParquet(stream, file);
        }
        catch
        {
            _directory.DeleteChunk(file);
            throw;
        }
        var chunk = new ShardChunk(chunkId, file, report.Read, report.Accepted, digest);
        try
        {
            _directory.WriteManifest(_manifest.With(chunk));
        }
        catch
        {
            // The store holds records the manifest does not name: start again from what the manifest says.
            DeactivateOnIdle();
            throw;
        }
        _manifest = _manifest.With(chunk);
        return Task.FromResult(new ChunkReceipt(chunk.Records, chunk.Accepted, AlreadyStored: false));
    }

    /// <inheritdoc/>
    public Task<PartialChunk> RunAsync(ShardQuery query)
    {
        DropUnread();
        var chunks = PartialChunk.Split(query.On(_store).RunShardPartial(_range), _options.PartialChunkBytes);
        var cursor = chunks.Count > 1 ? Guid.NewGuid() : Guid.Empty;
        if (chunks.Count > 1)
        {
            _unread[cursor] = new UnreadChunks(chunks, Environment.TickCount64);
        }
        return Task.FromResult(new PartialChunk(chunks[0], 1, chunks.Count, cursor));
    }

    /// <inheritdoc/>
    public Task<PartialChunk> NextAsync(Guid cursor)
    {
        if (!_unread.TryGetValue(cursor, out var unread))
        {
            throw new InvalidOperationException(
                "This shard no longer holds the rest of the query's partial (it was reactivated, or the chunks were left unread "
                + $"for {UnreadLifetime.TotalMinutes:N0} minutes): run the query again.");
        }
        var number = unread.Taken + 1;
        if (number == unread.Chunks.Count)
        {
            _unread.Remove(cursor);
        }
        else
        {
            _unread[cursor] = unread with { Taken = number, Touched = Environment.TickCount64 };
        }
        return Task.FromResult(new PartialChunk(unread.Chunks[number - 1], number, unread.Chunks.Count, cursor));
    }

    /// <inheritdoc/>
    public Task DropAsync(Guid cursor)
    {
        _unread.Remove(cursor);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<ShardStatus> StatusAsync() =>
        Task.FromResult(new ShardStatus(silo.SiloAddress.ToString(), _store.Count, _manifest.Chunks.Count, _loaded));

    /// <inheritdoc/>
    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <summary>Forgets the partials whose next chunk nobody asked for in <see cref="UnreadLifetime"/>: their query is gone.</summary>
    private void DropUnread()
    {
        var now = Environment.TickCount64;
        foreach (var (cursor, unread) in _unread.Where(u => now - u.Value.Touched > (long)UnreadLifetime.TotalMilliseconds).ToList())
        {
            _unread.Remove(cursor);
        }
    }

    private void Load(ShardChunk chunk)
    {
        using var stream = _directory.OpenChunk(chunk.File);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), chunk.Sha256, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{_directory.Path}/{chunk.File} is not the file the manifest names for chunk '{chunk.Id}': its digest differs.");
        }
        using var copy = new MemoryStream(bytes, writable: false);
        var report = _store.AppendParquet(copy, chunk.File);
        if (report.Accepted != chunk.Accepted)
        {
            throw new InvalidDataException($"{_directory.Path}/{chunk.File} gave {report.Accepted} records, but the manifest says {chunk.Accepted}.");
        }
    }
}

/// <summary>A partial's chunks, how many the caller took (the first with the query), and when it last took one.</summary>
internal sealed record UnreadChunks(IReadOnlyList<ShardPartial> Chunks, long Touched)
{
    internal int Taken { get; init; } = 1;
}
