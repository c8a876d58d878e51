using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Orleans;

/// <summary>
/// Merges the shards' partials chunk by chunk as they arrive: for the finest groups, then for each rollup level, one pass
/// by key over every shard's entries, taking a shard's next chunk when its current one is read (it was asked for as
/// soon as the current one arrived). Entries under one key are combined as whole partials' merge combines them.
/// </summary>
/// <remarks>
/// The shards' first chunks are merged without their entries first (<see cref="ShardPartial.Merge(IEnumerable{ShardPartial})"/>),
/// so a partial of another query or of an overlapping range is refused as it is when whole partials merge. A shard
/// whose chunk fails to arrive, arrives out of turn or out of key order fails the merge with a
/// <see cref="ChunkStreamException"/> naming it: nothing merged so far is returned.
/// </remarks>
internal static class ChunkedPartialMerge
{
    /// <summary>The merged partial of every stream, whose first chunks are in (<see cref="ChunkStream.StartAsync"/>).</summary>
    internal static async Task<ShardPartial> MergeAsync(IReadOnlyList<ChunkStream> streams)
    {
        var bare = ShardPartial.Merge(streams.Select(s => ShardPartialConverter.Bare(s.First.Part)));
        var groups = await MergeSectionAsync(streams, 0, p => p.GroupsByKey, PartialGroup.Merge).ConfigureAwait(false);
        var levels = new KeyedEntries<PersonCounts>[bare.LevelsByKey.Count];
        for (var l = 0; l < levels.Length; l++)
        {
            var level = l;
            levels[l] = await MergeSectionAsync(streams, l + 1, p => p.LevelsByKey[level], PersonCounts.Sum).ConfigureAwait(false);
        }
        return bare.With(groups, levels);
    }

    /// <summary>One section's entries of every stream merged in key order: at each step the smallest head key, combined across the streams that hold it.</summary>
    private static async Task<KeyedEntries<T>> MergeSectionAsync<T>(
        IReadOnlyList<ChunkStream> streams,
        int section,
        Func<ShardPartial, KeyedEntries<T>> entries,
        Func<IReadOnlyList<T>, T> combine)
    {
        var active = new List<ChunkStream>(streams.Count);
        foreach (var stream in streams)
        {
            if (await stream.HasEntryAsync(section).ConfigureAwait(false))
            {
                active.Add(stream);
            }
        }
        var merged = new KeyedEntries<T>();
        var (same, taken) = (new List<T>(streams.Count), new List<ChunkStream>(streams.Count));
        while (active.Count > 0)
        {
            var smallest = active[0].HeadKey;
            foreach (var stream in active)
            {
                var key = stream.HeadKey;
                smallest = string.CompareOrdinal(key, smallest) < 0 ? key : smallest;
            }
            (same, taken) = (Cleared(same), Cleared(taken));
            foreach (var stream in active)
            {
                if (string.Equals(stream.HeadKey, smallest, StringComparison.Ordinal))
                {
                    same.Add(stream.Take(entries));
                    taken.Add(stream);
                }
            }
            merged.Append(smallest, same.Count == 1 ? same[0] : combine(same));
            foreach (var stream in taken)
            {
                if (!await stream.HasEntryAsync(section).ConfigureAwait(false))
                {
                    active.Remove(stream);
                }
            }
        }
        return merged;
    }

    private static List<TItem> Cleared<TItem>(List<TItem> list)
    {
        list.Clear();
        return list;
    }
}

/// <summary>
/// One shard's partial as a run of chunks read in order: the entries of section 0 (finest groups), then of each rollup
/// level, with the next chunk asked for as soon as one arrives.
/// </summary>
/// <param name="shard">The shard's number.</param>
/// <param name="next">Asks the shard for the chunk after the one given.</param>
/// <param name="arrived">Told of each chunk as it arrives, before the next is asked for; may be null.</param>
internal sealed class ChunkStream(int shard, Func<PartialChunk, Task<PartialChunk>> next, Func<int, int, Task>? arrived)
{
    private PartialChunk _chunk = null!;
    private string _query = string.Empty;
    private Task<PartialChunk>? _pending;
    private ArraySegment<string> _keys = ArraySegment<string>.Empty;
    private int _section;
    private int _at;
    private string? _last;

    /// <summary>The shard's number.</summary>
    internal int Shard => shard;

    /// <summary>The shard's first chunk.</summary>
    internal PartialChunk First { get; private set; } = null!;

    /// <summary>The cursor of the chunks the shard may still hold for this stream, or <see cref="Guid.Empty"/> once the last arrived.</summary>
    internal Guid Unread => _chunk is { HasNext: true } chunk ? chunk.Cursor : Guid.Empty;

    /// <summary>Takes the shard's first chunk.</summary>
    internal Task StartAsync(PartialChunk first)
    {
        First = first;
        _query = ShardPartialConverter.Bare(first.Part).ToJson();
        return Failing(() => InstallAsync(first));
    }

    /// <summary>Whether an entry of <paramref name="section"/> is at the head, reading the next chunks until one is or the section ends.</summary>
    internal async ValueTask<bool> HasEntryAsync(int section)
    {
        if (section != _section)
        {
            // The last section ended in this chunk (or the shard's chunks did), so this one starts at its beginning.
            (_section, _at, _last, _keys) = (section, 0, null, KeysOf(_chunk.Part, section));
        }
        while (_at >= _keys.Count)
        {
            if (_pending is not { } pending || HasLater(_chunk.Part, section))
            {
                return false;
            }
            _pending = null;
            await Failing(async () => await InstallAsync(await pending.ConfigureAwait(false)).ConfigureAwait(false)).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>The key at the head of the current section.</summary>
    internal string HeadKey => _keys[_at];

    /// <summary>Takes the entry at the head, checking that it follows the last one taken.</summary>
    internal T Take<T>(Func<ShardPartial, KeyedEntries<T>> entries)
    {
        var key = HeadKey;
        if (_last is not null && string.CompareOrdinal(_last, key) >= 0)
        {
            throw new ChunkStreamException(shard, new InvalidDataException($"Chunk {_chunk.Number} of the shard's partial repeats a key or breaks the key order."));
        }
        _last = key;
        return entries(_chunk.Part).Values[_at++];
    }

    private async Task InstallAsync(PartialChunk chunk)
    {
        var expected = _chunk is null ? 1 : _chunk.Number + 1;
        if (chunk.Number != expected || chunk.Count != First.Count
            || !string.Equals(ShardPartialConverter.Bare(chunk.Part).ToJson(), _query, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Chunk {chunk.Number} of {chunk.Count} arrived where chunk {expected} of {First.Count} of the same query and ranges was due.");
        }
        (_chunk, _at, _keys) = (chunk, 0, KeysOf(chunk.Part, _section));
        if (arrived is not null)
        {
            await arrived(shard, chunk.Number).ConfigureAwait(false);
        }
        _pending = chunk.HasNext ? next(chunk) : null;
    }

    private async Task Failing(Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not ChunkStreamException)
        {
            throw new ChunkStreamException(shard, e);
        }
    }

    private static int Count(ShardPartial part, int section) => KeysOf(part, section).Count;

    private static ArraySegment<string> KeysOf(ShardPartial part, int section) => section == 0 ? part.GroupsByKey.Keys : part.LevelsByKey[section - 1].Keys;

    private static bool HasLater(ShardPartial part, int section)
    {
        for (var s = section + 1; s <= part.LevelsByKey.Count; s++)
        {
            if (Count(part, s) > 0)
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>A shard's chunk failed to arrive, or arrived wrong: the shard's number and the error.</summary>
internal sealed class ChunkStreamException(int shard, Exception error) : Exception($"Shard {shard}'s partial stopped arriving.", error)
{
    /// <summary>The shard's number.</summary>
    internal int Shard => shard;
}
