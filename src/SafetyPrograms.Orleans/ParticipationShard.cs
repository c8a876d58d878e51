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
/// what the manifest names. The store has one user at a time (an append storing its chunk, or a query computing its
/// partial), so a query never sees half a chunk.</para>
/// <para>Back-pressure: a shard holds at most <see cref="ShardedProgrammeOptions.MaxPendingAppends"/> appends at once,
/// the one storing its chunk and those waiting their turn, each with its Parquet bytes in memory. Appends interleave
/// with the grain's other calls, so each is counted as it arrives; one past the limit is answered at once with a busy
/// receipt (<see cref="ChunkReceipt.IsBusy"/>) and stores nothing, and the client sends it again later
/// (<see cref="ShardedProgramme.AppendAsync"/> does). However many clients ingest at once, a shard's memory for pending
/// chunks stays bounded, and no append waits behind an unbounded queue until it times out.</para>
/// <para>A query's partial is computed once and cut into chunks (<see cref="PartialChunk.Split"/>); the first is the
/// answer, the others wait under a cursor for <see cref="NextAsync"/>, unchanged by appends meanwhile, and are forgotten
/// once read, dropped, left unread for <see cref="UnreadLifetime"/>, or when the grain deactivates.</para>
/// </remarks>
internal sealed class ParticipationShard(IOptions<ShardedProgrammeOptions> options, ILocalSiloDetails silo) : Grain, IParticipationShard, IDisposable
{
    private readonly ShardedProgrammeOptions _options = options.Value;
    private ShardRange _range;
    private ShardDirectory _directory = null!;
    private ShardManifest _manifest = null!;
    private ParticipationStore _store = null!;
    private int _loaded;

    // The chunks of partials still being read, by cursor. Only the grain's own thread touches them, so no lock.
    private readonly Dictionary<Guid, UnreadChunks> _unread = [];

    // The store's one user at a time: an append storing a chunk, or a query computing its partial.
    private readonly SemaphoreSlim _turn = new(1, 1);

    // The appends accepted and not yet answered: the one storing its chunk and those waiting their turn.
    private int _appending;

    /// <summary>The most appends this activation held at once (storing or waiting their turn), for tests.</summary>
    internal int MostPendingAppends { get; private set; }

    /// <summary>Awaited by each append once it has its turn, before it stores anything: a test's hold on a shard.</summary>
    internal static Func<ParticipationShard, string, Task>? Storing { get; set; }

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
    public async Task<ChunkReceipt> AppendAsync(string chunkId, byte[] parquet)
    {
        // Appends interleave, so that each is counted (or refused) as it arrives rather than waiting unseen behind the
        // one being stored; they take their turn one at a time.
        if (_appending >= _options.MaxPendingAppends)
        {
            return ChunkReceipt.Busy(_appending);
        }
        _appending++;
        MostPendingAppends = Math.Max(MostPendingAppends, _appending);
        try
        {
            await _turn.WaitAsync().ConfigureAwait(true);
            try
            {
                if (Storing is { } storing)
                {
                    await storing(this, chunkId).ConfigureAwait(true);
                }
                var manifest = _manifest;
                // Digest, file and parsing run off the grain's thread, so that appends keep being counted meanwhile;
                // the turn keeps queries and other appends out of the store until it is done.
                var (receipt, stored) = await Task.Run(() => Store(manifest, chunkId, parquet)).ConfigureAwait(true);
                if (stored is not null)
                {
                    try
                    {
                        _directory.WriteManifest(stored);
                    }
                    catch
                    {
                        // The store holds records the manifest does not name: start again from what the manifest says.
                        DeactivateOnIdle();
                        throw;
                    }
                    _manifest = stored;
                }
                return receipt;
            }
            finally
            {
                _turn.Release();
            }
        }
        finally
        {
            _appending--;
        }
    }

    /// <summary>
    /// Stores a chunk's file and records, unless the manifest holds the chunk already: the receipt, and the manifest
    /// naming the new chunk (null when nothing was stored), for the caller to write.
    /// </summary>
    private (ChunkReceipt Receipt, ShardManifest? Stored) Store(ShardManifest manifest, string chunkId, byte[] parquet)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(parquet));
        if (manifest.Find(chunkId) is { } held)
        {
            if (!string.Equals(held.Sha256, digest, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"Chunk '{chunkId}' is stored already with other records: a retried chunk must carry the same records, and a new chunk a new id.");
            }
            return (new ChunkReceipt(held.Records, held.Accepted, AlreadyStored: true), null);
        }

        var file = ShardDirectory.ChunkFileName(manifest.Chunks.Count + 1);
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
        return (new ChunkReceipt(chunk.Records, chunk.Accepted, AlreadyStored: false), manifest.With(chunk));
    }

    /// <inheritdoc/>
    public async Task<PartialChunk> RunAsync(ShardQuery query)
    {
        DropUnread();
        await _turn.WaitAsync().ConfigureAwait(true);
        IReadOnlyList<ShardPartial> chunks;
        try
        {
            // Off the grain's thread, like an append, so that appends arriving meanwhile are counted.
            chunks = await Task.Run(() => PartialChunk.Split(query.On(_store).RunShardPartial(_range), _options.PartialChunkBytes)).ConfigureAwait(true);
        }
        finally
        {
            _turn.Release();
        }
        var cursor = chunks.Count > 1 ? Guid.NewGuid() : Guid.Empty;
        if (chunks.Count > 1)
        {
            _unread[cursor] = new UnreadChunks(chunks, Environment.TickCount64);
        }
        return new PartialChunk(chunks[0], 1, chunks.Count, cursor);
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

    /// <summary>Releases the turn's semaphore when the runtime disposes the deactivated grain.</summary>
    public void Dispose() => _turn.Dispose();

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
