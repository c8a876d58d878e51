using System.Collections.Concurrent;
using SafetyPrograms.Orleans;

namespace SafetyPrograms.Tests.Orleans;

/// <summary>
/// A test-only incoming call filter on every silo of the test cluster: a query to a shard the test holds waits until the
/// test releases it. "A shard that does not answer in time" is then a state the test sets and ends, not a race against
/// the clock; the shard's other calls, and every other shard, run as usual.
/// </summary>
internal sealed class ShardStall : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<(string Programme, long Shard), Hold> Held = new();

    /// <summary>Holds every query that reaches shard <paramref name="shard"/> of <paramref name="programme"/> until the hold is disposed.</summary>
    internal static Hold Start(string programme, int shard)
    {
        var hold = new Hold(programme, shard);
        Assert.True(Held.TryAdd((programme, shard), hold), "one hold a shard at a time");
        return hold;
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is ParticipationShard grain && context.InterfaceMethod.Name == nameof(IParticipationShard.RunAsync))
        {
            var shard = grain.GetPrimaryKeyLong(out var programme);
            if (programme is not null && Held.TryGetValue((programme, shard), out var hold))
            {
                hold.Arrived.TrySetResult();
                await hold.Released.Task;
            }
        }
        await context.Invoke();
    }

    /// <summary>A shard's queries held; disposing releases them.</summary>
    internal sealed class Hold(string programme, int shard) : IDisposable
    {
        /// <summary>Completes when a query reached the held shard.</summary>
        internal TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Dispose()
        {
            Held.TryRemove((programme, shard), out _);
            Released.TrySetResult();
        }
    }
}
