using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Orleans;

/// <summary>
/// One chunk of a shard's partial as it travels to the client: a shard partial with the same ranges and query holding a
/// run of the whole partial's entries, its number (from 1) among <see cref="Count"/>, and the cursor that fetches the
/// next chunk (<see cref="Guid.Empty"/> when it is the only one).
/// </summary>
/// <remarks>
/// A partial's entries are its finest groups in key order, then each rollup level's counts in key order, level after
/// level; the chunks cut that sequence into runs, in order, so that the client merges the shards' chunks as they arrive
/// in the same one pass by key as whole partials merge (<see cref="ChunkedPartialMerge"/>).
/// </remarks>
[GenerateSerializer, Immutable, Alias("SafetyPrograms.Orleans.PartialChunk")]
internal sealed record PartialChunk(
    [property: Id(0)] ShardPartial Part,
    [property: Id(1)] int Number,
    [property: Id(2)] int Count,
    [property: Id(3)] Guid Cursor)
{
    /// <summary>Whether a chunk follows this one.</summary>
    internal bool HasNext => Number < Count;

    /// <summary>
    /// Cuts a partial into chunks of at most <paramref name="maxBytes"/> on the wire (<see cref="ShardPartialConverter"/>'s
    /// upper bounds), each holding at least one entry, so that an entry larger than the bound travels alone.
    /// </summary>
    internal static IReadOnlyList<ShardPartial> Split(ShardPartial partial, long maxBytes)
    {
        var bare = ShardPartialConverter.Bare(partial);
        var header = ShardPartialConverter.HeaderBytes(bare);
        var levels = partial.LevelsByKey;
        var k = partial.GroupBy.Count;
        var chunks = new List<ShardPartial>();
        var groups = new KeyedEntries<PartialGroup>();
        var counts = NewLevels();
        var (bytes, entries) = (header, 0);
        foreach (var (key, group) in partial.GroupsByKey)
        {
            Room(ShardPartialConverter.GroupBytes(key, group));
            groups.Append(key, group);
        }
        for (var l = 0; l < levels.Count; l++)
        {
            foreach (var (key, people) in levels[l])
            {
                Room(ShardPartialConverter.LevelBytes(key, k - l - 1));
                counts[l].Append(key, people);
            }
        }
        chunks.Add(partial.With(groups, counts));
        return chunks;

        // Closes the chunk if the next entry would take it past the bound, then counts the entry in.
        void Room(long entryBytes)
        {
            if (entries > 0 && bytes + entryBytes > maxBytes)
            {
                chunks.Add(partial.With(groups, counts));
                (groups, counts, bytes, entries) = (new KeyedEntries<PartialGroup>(), NewLevels(), header, 0);
            }
            bytes += entryBytes;
            entries++;
        }

        KeyedEntries<PersonCounts>[] NewLevels() => [.. levels.Select(_ => new KeyedEntries<PersonCounts>())];
    }
}
