using System.Collections.Concurrent;

namespace SafetyPrograms.Tests.Orleans;

/// <summary>
/// Shards a test holds: a call that reaches a held shard waits there until the test releases it, so that "a shard that
/// does not answer" or "appends piling up at a shard" is a state the test sets and ends, not a race against the clock.
/// One table for each kind of call held (<see cref="ShardStall"/> holds queries, <see cref="AppendHold"/> appends).
/// </summary>
internal sealed class ShardHolds
{
    private readonly ConcurrentDictionary<(string Programme, long Shard), Hold> _held = new();

    /// <summary>Holds every such call that reaches shard <paramref name="shard"/> of <paramref name="programme"/> until the hold is disposed.</summary>
    internal Hold Start(string programme, int shard)
    {
        var hold = new Hold(this, programme, shard);
        Assert.True(_held.TryAdd((programme, shard), hold), "one hold a shard at a time");
        return hold;
    }

    /// <summary>Waits while the shard is held; at once when it is not.</summary>
    internal async Task WaitIfHeldAsync(string programme, long shard)
    {
        if (_held.TryGetValue((programme, shard), out var hold))
        {
            hold.Arrived.TrySetResult();
            await hold.Released.Task;
        }
    }

    /// <summary>A shard's calls held; disposing releases them.</summary>
    internal sealed class Hold(ShardHolds holds, string programme, int shard) : IDisposable
    {
        /// <summary>Completes when a call reached the held shard.</summary>
        internal TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Dispose()
        {
            holds._held.TryRemove((programme, shard), out _);
            Released.TrySetResult();
        }
    }
}
