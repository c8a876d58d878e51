using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Orleans;

/// <summary>
/// How a <see cref="ShardPartial"/> travels between silos and the client: its own JSON form
/// (<see cref="ShardPartial.ToJson"/>), checked strictly on arrival by <see cref="ShardPartial.FromJson"/>. The core
/// package carries no Orleans attribute, so the partial goes through this surrogate; the JSON holds counts and sums per
/// group, never beneficiary keys, and its size grows with the number of groups, not of records.
/// </summary>
[GenerateSerializer, Immutable, Alias("SafetyPrograms.Orleans.ShardPartial")]
internal readonly record struct ShardPartialSurrogate([property: Id(0)] string Json);

/// <summary>Registers <see cref="ShardPartialSurrogate"/> with the Orleans serializer.</summary>
[RegisterConverter]
internal sealed class ShardPartialConverter : IConverter<ShardPartial, ShardPartialSurrogate>
{
    /// <inheritdoc/>
    public ShardPartial ConvertFromSurrogate(in ShardPartialSurrogate surrogate) => ShardPartial.FromJson(surrogate.Json);

    /// <inheritdoc/>
    public ShardPartialSurrogate ConvertToSurrogate(in ShardPartial value) => new(value.ToJson());
}
