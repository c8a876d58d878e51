using System.Collections.Concurrent;
using SafetyPrograms.Orleans;

namespace SafetyPrograms.Tests.Orleans;

/// <summary>
/// A test's hold on a shard's appends (<see cref="ParticipationShard.Storing"/>, set by the test cluster): an append that
/// takes its turn at the held shard waits there until the test releases it, so that the appends behind it pile up as a
/// state the test sets and ends, not a race against the clock. Also notes the most appends each shard held at once.
/// </summary>
internal static class AppendHold
{
    private static readonly ShardHolds Held = new();

    private static readonly ConcurrentDictionary<(string Programme, long Shard), int> Most = new();

    /// <summary>Holds every append that takes its turn at shard <paramref name="shard"/> of <paramref name="programme"/> until the hold is disposed.</summary>
    internal static ShardHolds.Hold Start(string programme, int shard) => Held.Start(programme, shard);

    /// <summary>The most appends the shard's activation held at once, as of its last append's turn.</summary>
    internal static int MostPending(string programme, int shard) => Most.GetValueOrDefault((programme, shard));

    internal static async Task StoringAsync(ParticipationShard grain, string chunkId)
    {
        var shard = grain.GetPrimaryKeyLong(out var programme);
        if (programme is null)
        {
            return;
        }
        Most.AddOrUpdate((programme, shard), grain.MostPendingAppends, (_, most) => Math.Max(most, grain.MostPendingAppends));
        await Held.WaitIfHeldAsync(programme, shard);
    }
}
