using System.Globalization;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Indexing;
using SafetyPrograms.Parquet;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Orleans;

/// <summary>
/// A programme's participation records sharded over an Orleans cluster by beneficiary-key hash: chunked, idempotent
/// ingest and exact queries, from any client or grain that can reach the cluster.
/// </summary>
/// <remarks>
/// <para>The hash space is split into <see cref="ShardCount"/> ranges (<see cref="ShardRange.Split"/>), each held by one
/// shard grain with its own <see cref="ParticipationStore"/>; every record of a person goes to the one shard whose range
/// holds the person's key, so the exact unique count of the whole is the sum of the shards'. A query runs on every
/// shard at once; their <see cref="ShardPartial"/>s (counts, not keys) merge into exactly the answer of one store over all
/// the records, at every rollup level. Each shard's partial arrives in chunks of at most
/// <see cref="ShardedProgrammeOptions.PartialChunkBytes"/>, merged by key as they arrive, so no message nears Orleans'
/// size limit however many groups a query has. If a shard fails or does not answer within <see cref="ShardTimeout"/>
/// (for its first chunk or any later one), the query fails with a <see cref="ShardedQueryException"/> naming it: a
/// figure from some shards is never presented as the whole.</para>
/// <para>Ingest is in chunks, each with an id the caller chooses: a chunk sent twice (a retry after a timeout, a
/// duplicated message) is stored once, because each shard records the chunk id with the chunk's rows on disk. Reusing an
/// id for other records is refused.</para>
/// <code>
/// var programme = new ShardedProgramme(client, "pk-2025", dataset, shardCount: 16);
/// await programme.AppendAsync("upload-2025-03-01-part-7", records);
/// var result = await programme.RunAsync(programme.Query().GroupBy(Dimension.Province).Measure(Measure.UniqueBeneficiaries).Rollup());
/// </code>
/// <para>The silos are set up with <see cref="ShardedProgrammeSiloBuilderExtensions.AddShardedProgrammes"/> and the same
/// shard count. Thread-safe: calls may run concurrently; each shard stores chunks and answers queries one at a time,
/// and holds a bounded number of appends (<see cref="ShardedProgrammeOptions.MaxPendingAppends"/>).</para>
/// </remarks>
public sealed class ShardedProgramme
{
    /// <summary>The default time a query waits for each shard.</summary>
    public static readonly TimeSpan DefaultShardTimeout = TimeSpan.FromSeconds(30);

    private readonly IGrainFactory _grains;
    private readonly ParticipationStore _empty;
    private readonly IReadOnlyList<ShardRange> _ranges;
    private readonly int[] _sending;
    private SemaphoreSlim[] _inFlight;
    private int _maxChunksInFlightPerShard = DefaultMaxChunksInFlightPerShard;

    /// <summary>The default bound of this facade's chunks on their way to one shard at once: 2.</summary>
    public const int DefaultMaxChunksInFlightPerShard = 2;

    /// <summary>Creates the facade of a programme held by the cluster.</summary>
    /// <param name="grains">The cluster client or a grain factory.</param>
    /// <param name="name">The programme's name, as the silos' <see cref="ShardedProgrammeOptions.Programmes"/> know it: letters, digits, '-' and '_', at most 100.</param>
    /// <param name="dataset">The programme's dataset, the one the silos hold: queries are built and checked against it.</param>
    /// <param name="shardCount">The silos' shard count (<see cref="ShardedProgrammeOptions.ShardCount"/>).</param>
    /// <param name="shardTimeout">How long a query waits for each shard; default <see cref="DefaultShardTimeout"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The name is empty, too long or has other characters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The shard count is not 1 to 65,536, or the timeout is not positive.</exception>
    public ShardedProgramme(IGrainFactory grains, string name, ProgrammeDataset dataset, int shardCount = ShardedProgrammeOptions.DefaultShardCount, TimeSpan? shardTimeout = null)
    {
        _grains = Preconditions.CheckNotNull(grains);
        Name = CheckName(name);
        _empty = new ParticipationStore(Preconditions.CheckNotNull(dataset));
        _ranges = ShardRange.Split(shardCount);
        ShardTimeout = shardTimeout ?? DefaultShardTimeout;
        _sending = new int[_ranges.Count];
        _inFlight = NewSlots(_ranges.Count, _maxChunksInFlightPerShard);
        if (ShardTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(shardTimeout), "A shard timeout is positive.");
        }
    }

    /// <summary>The programme's name.</summary>
    public string Name { get; }

    /// <summary>The number of shards.</summary>
    public int ShardCount => _ranges.Count;

    /// <summary>How long a query waits for each shard.</summary>
    public TimeSpan ShardTimeout { get; }

    /// <summary>
    /// The most of this facade's chunks on their way to one shard at once (1 to 1,024; default
    /// <see cref="DefaultMaxChunksInFlightPerShard"/>): a further <see cref="AppendAsync"/> waits for one to be answered
    /// before it sends that shard its part, so that concurrent appends from one client do not pile up at a shard. Set it
    /// before the first append.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not 1 to 1,024.</exception>
    public int MaxChunksInFlightPerShard
    {
        get => _maxChunksInFlightPerShard;
        init
        {
            if (value is < 1 or > 1024)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The chunks in flight to a shard are 1 to 1,024.");
            }
            _maxChunksInFlightPerShard = value;
            _inFlight = NewSlots(_ranges.Count, value);
        }
    }

    private static SemaphoreSlim[] NewSlots(int shards, int slots) => [.. Enumerable.Range(0, shards).Select(_ => new SemaphoreSlim(slots, slots))];

    /// <summary>The hash range each shard owns, by shard number.</summary>
    public IReadOnlyList<ShardRange> Ranges => _ranges;

    /// <summary>A new query over the programme, to build as over a store and pass to <see cref="RunAsync"/>.</summary>
    /// <returns>The query. Running it directly (<see cref="AggregationQuery.Run"/>) gives the rows of no records.</returns>
    public AggregationQuery Query() => _empty.Query();

    /// <summary>
    /// Routes a chunk of records to the shards by beneficiary-key hash and stores it, once: a chunk id a shard holds
    /// already is acknowledged without storing its records again.
    /// </summary>
    /// <param name="chunkId">The chunk's id, unique in the programme (at most 200 characters); resend a failed chunk with the same id and records.</param>
    /// <param name="records">The records.</param>
    /// <param name="cancellationToken">Stops waiting; shards that had the chunk keep it, and a retry with the same id completes it.</param>
    /// <returns>What the shards stored.</returns>
    /// <exception cref="ArgumentNullException">An argument or a record is null.</exception>
    /// <exception cref="ArgumentException">The chunk id is empty or too long.</exception>
    /// <exception cref="ShardedQueryException">A shard failed, did not answer, or stayed busy (holding its limit of appends) for <see cref="ShardTimeout"/>; the chunk is stored by the others, and a retry completes it.</exception>
    /// <remarks>
    /// Each shard's part waits until fewer than <see cref="MaxChunksInFlightPerShard"/> of this facade's chunks are on
    /// their way to that shard; a shard that holds its limit of appends from all clients
    /// (<see cref="ShardedProgrammeOptions.MaxPendingAppends"/>) answers busy, and the part is sent again after a pause
    /// (from 20 ms, doubling to 1 s) until the shard takes it or <see cref="ShardTimeout"/> has passed. Concurrent appends
    /// of different chunks, from this client or many, store the same records as one after the other.
    /// </remarks>
    public async Task<ShardedAppendReport> AppendAsync(string chunkId, IEnumerable<ParticipationRecord> records, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(chunkId);
        Preconditions.CheckArgument(chunkId.Length is > 0 and <= 200, nameof(chunkId), "A chunk id has 1 to 200 characters.");
        Preconditions.CheckNotNull(records);
        var parts = new List<ParticipationRecord>?[_ranges.Count];
        foreach (var record in records)
        {
            Preconditions.CheckNotNull(record, nameof(records));
            var shard = ShardOf(BeneficiaryHash.Of(record.Beneficiary.Value));
            (parts[shard] ??= []).Add(record);
        }
        var calls = parts
            .Select((part, shard) => (part, shard))
            .Where(x => x.part is not null)
            .Select(x => (x.shard, task: SendAsync(x.shard, chunkId, x.part!, cancellationToken)))
            .ToList();
        var receipts = await GatherAsync(calls, "store chunk '" + chunkId + "'", cancellationToken).ConfigureAwait(false);
        return new ShardedAppendReport(
            chunkId,
            receipts.Sum(r => r.Records),
            receipts.Sum(r => r.Accepted),
            receipts.Count(r => r.AlreadyStored),
            receipts.Length);
    }

    /// <summary>
    /// Sends one shard its part of a chunk once fewer than <see cref="MaxChunksInFlightPerShard"/> of this facade's chunks
    /// are on their way to it, and again after a pause while the shard answers busy, for at most <see cref="ShardTimeout"/>.
    /// </summary>
    private async Task<ChunkReceipt> SendAsync(int shard, string chunkId, List<ParticipationRecord> part, CancellationToken cancellationToken)
    {
        var slots = _inFlight[shard];
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var inFlight = Interlocked.Increment(ref _sending[shard]);
            try
            {
                ChunkSent?.Invoke(shard, inFlight);
                // Written once the slot is taken, so that chunks waiting for one hold their records, not a second copy.
                var parquet = ToParquet(part);
                var busySince = (long?)null;
                for (var pause = FirstBusyPause; ; pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestBusyPause.Ticks)))
                {
                    var receipt = await Shard(shard).AppendAsync(chunkId, parquet).WaitAsync(ShardTimeout, cancellationToken).ConfigureAwait(false);
                    if (!receipt.IsBusy)
                    {
                        return receipt;
                    }
                    ShardBusy?.Invoke(shard);
                    busySince ??= Environment.TickCount64;
                    if (Environment.TickCount64 - busySince.Value >= (long)ShardTimeout.TotalMilliseconds)
                    {
                        throw new InvalidOperationException(
                            $"the shard stayed busy for {ShardTimeout.TotalSeconds:N0} s, holding {receipt.Pending} appends (its limit, "
                            + $"{nameof(ShardedProgrammeOptions)}.{nameof(ShardedProgrammeOptions.MaxPendingAppends)}): send the chunk again later with the same id");
                    }
                    await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _sending[shard]);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>The first pause before a chunk a shard answered busy is sent again; each next pause doubles, up to <see cref="LongestBusyPause"/>.</summary>
    internal static readonly TimeSpan FirstBusyPause = TimeSpan.FromMilliseconds(20);

    /// <summary>The longest pause between two sends of a chunk a shard answers busy.</summary>
    internal static readonly TimeSpan LongestBusyPause = TimeSpan.FromSeconds(1);

    /// <summary>Told, as each shard's part of a chunk is sent, of the shard and how many of this facade's parts are on their way to it then: for tests.</summary>
    internal Action<int, int>? ChunkSent { get; set; }

    /// <summary>Told of each busy answer, with the shard's number, before the pause: for tests.</summary>
    internal Action<int>? ShardBusy { get; set; }

    /// <summary>Runs a query on every shard and merges their partials into the answer over all the records.</summary>
    /// <param name="query">A query from <see cref="Query"/> (or from any store over the same dataset).</param>
    /// <param name="cancellationToken">Stops waiting for the shards.</param>
    /// <returns>The rows, equal to those of one store holding every record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="ShardedQueryException">A shard failed or did not answer in time: no figure is returned.</exception>
    public async Task<AggregationResult> RunAsync(AggregationQuery query, CancellationToken cancellationToken = default) =>
        (await RunPartialAsync(query, cancellationToken).ConfigureAwait(false)).ToResult();

    /// <summary>Runs a query on every shard and merges their partials, to finish later or hand to an aggregator.</summary>
    /// <param name="query">A query from <see cref="Query"/> (or from any store over the same dataset).</param>
    /// <param name="cancellationToken">Stops waiting for the shards.</param>
    /// <returns>The merged partial, covering every hash.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="ShardedQueryException">A shard failed or did not answer in time.</exception>
    public async Task<ShardPartial> RunPartialAsync(AggregationQuery query, CancellationToken cancellationToken = default)
    {
        const string What = "answer the query";
        var wire = ShardQuery.Of(Preconditions.CheckNotNull(query));
        var firsts = await AskAll(Enumerable.Range(0, _ranges.Count), (grain, _) => grain.RunAsync(wire), What, cancellationToken).ConfigureAwait(false);
        var streams = firsts
            .Select((_, shard) => new ChunkStream(shard, chunk => Shard(shard).NextAsync(chunk.Cursor).WaitAsync(ShardTimeout, cancellationToken), ChunkReceived))
            .ToArray();
        try
        {
            for (var shard = 0; shard < streams.Length; shard++)
            {
                await streams[shard].StartAsync(firsts[shard]).ConfigureAwait(false);
            }
            // Merge refuses overlapping ranges; the merged partial's ToResult refuses missing ones.
            return await ChunkedPartialMerge.MergeAsync(streams).ConfigureAwait(false);
        }
        catch (ChunkStreamException e)
        {
            DropUnread(streams);
            cancellationToken.ThrowIfCancellationRequested();
            throw new ShardedQueryException(Name, What, [new ShardFailure(e.Shard, _ranges[e.Shard], e.InnerException!)]);
        }
        catch
        {
            DropUnread(streams);
            throw;
        }
    }

    /// <summary>
    /// Told of each chunk of a shard's partial as it arrives (the shard's number, the chunk's number from 1), before the
    /// next chunk is asked for: the chunks a query took, for diagnostics and tests.
    /// </summary>
    internal Func<int, int, Task>? ChunkReceived { get; set; }

    /// <summary>Tells the shards whose chunks will not be read to drop them now rather than when they expire; their answers do not matter.</summary>
    private void DropUnread(IEnumerable<ChunkStream> streams)
    {
        foreach (var stream in streams.Where(s => s.Unread != Guid.Empty))
        {
            _ = Shard(stream.Shard).DropAsync(stream.Unread).ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    internal IParticipationShard Shard(int number) => _grains.GetGrain<IParticipationShard>(number, Name);

    /// <summary>Calls the shards at once, waiting for each at most <see cref="ShardTimeout"/>; throws naming every shard that failed.</summary>
    private Task<T[]> AskAll<T>(IEnumerable<int> shards, Func<IParticipationShard, int, Task<T>> call, string what, CancellationToken cancellationToken)
    {
        return GatherAsync([.. shards.Select(shard => (shard, Ask(shard)))], what, cancellationToken);

        Task<T> Ask(int shard)
        {
            try
            {
                return call(Shard(shard), shard).WaitAsync(ShardTimeout, cancellationToken);
            }
            catch (Exception e)
            {
                return Task.FromException<T>(e);
            }
        }
    }

    /// <summary>Waits for every shard's call; throws naming every shard that failed, not only the first.</summary>
    private async Task<T[]> GatherAsync<T>(List<(int Shard, Task<T> Task)> calls, string what, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(calls.Select(c => c.Task)).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Every failure is gathered below, not only the first one WhenAll rethrows.
        }
        cancellationToken.ThrowIfCancellationRequested();
        var failed = calls.Where(c => !c.Task.IsCompletedSuccessfully).ToList();
        if (failed.Count > 0)
        {
            throw new ShardedQueryException(
                Name,
                what,
                [.. failed.Select(c => new ShardFailure(c.Shard, _ranges[c.Shard], c.Task.Exception?.InnerException ?? new TaskCanceledException()))]);
        }
        return [.. calls.Select(c => c.Task.Result)];
    }

    private int ShardOf(ulong hash)
    {
        // The last range starting at or below the hash: the ranges are in order and cover every hash.
        int lo = 0, hi = _ranges.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_ranges[mid].First <= hash)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return lo;
    }

    internal static byte[] ToParquet(IEnumerable<ParticipationRecord> records)
    {
        using var stream = new MemoryStream();
        ParticipationParquet.Write(stream, records);
        return stream.ToArray();
    }

    /// <summary>Shard <paramref name="number"/>'s range among <paramref name="count"/>.</summary>
    internal static ShardRange RangeOf(int number, int count)
    {
        var ranges = ShardRange.Split(count);
        Preconditions.CheckArgument((uint)number < (uint)ranges.Count, nameof(number), "A shard number is below the shard count.");
        return ranges[number];
    }

    /// <summary>Checks a programme name: it names a directory, so only letters, digits, '-' and '_'.</summary>
    internal static string CheckName(string? name)
    {
        Preconditions.CheckNotNull(name);
        Preconditions.CheckArgument(
            name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'),
            nameof(name),
            "A programme name has 1 to 100 letters, digits, '-' or '_'.");
        return name;
    }

    internal static string Describe(int shard, ShardRange range) => string.Create(CultureInfo.InvariantCulture, $"shard {shard} ({range})");
}
