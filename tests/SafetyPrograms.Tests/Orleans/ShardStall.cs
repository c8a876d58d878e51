using SafetyPrograms.Orleans;

namespace SafetyPrograms.Tests.Orleans;

/// <summary>
/// A test-only incoming call filter on every silo of the test cluster: a query to a shard the test holds waits until the
/// test releases it. "A shard that does not answer in time" is then a state the test sets and ends, not a race against
/// the clock; the shard's other calls, and every other shard, run as usual.
/// </summary>
internal sealed class ShardStall : IIncomingGrainCallFilter
{
    private static readonly ShardHolds Held = new();

    /// <summary>Holds every query that reaches shard <paramref name="shard"/> of <paramref name="programme"/> until the hold is disposed.</summary>
    internal static ShardHolds.Hold Start(string programme, int shard) => Held.Start(programme, shard);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is ParticipationShard grain && context.InterfaceMethod.Name == nameof(IParticipationShard.RunAsync))
        {
            var shard = grain.GetPrimaryKeyLong(out var programme);
            if (programme is not null)
            {
                await Held.WaitIfHeldAsync(programme, shard);
            }
        }
        await context.Invoke();
    }
}
