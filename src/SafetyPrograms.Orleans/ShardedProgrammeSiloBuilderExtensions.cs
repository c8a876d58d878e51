using Microsoft.Extensions.DependencyInjection;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Orleans;

/// <summary>Registers sharded programmes on an Orleans silo.</summary>
public static class ShardedProgrammeSiloBuilderExtensions
{
    /// <summary>
    /// Lets the silo host the shard grains of the programmes in the options. Give every silo the same options (the same
    /// directory, reached by all, the same shard count and datasets); clients then use <see cref="ShardedProgramme"/>.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Sets the directory, the shard count and the programmes' datasets.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ISiloBuilder AddShardedProgrammes(this ISiloBuilder builder, Action<ShardedProgrammeOptions> configure)
    {
        Preconditions.CheckNotNull(builder);
        Preconditions.CheckNotNull(configure);
        builder.Services.AddOptions<ShardedProgrammeOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Directory), "ShardedProgrammeOptions.Directory names the directory shards keep their files under.")
            .Validate(o => o.ShardCount is >= 1 and <= 1 << 16, "ShardedProgrammeOptions.ShardCount is 1 to 65,536.")
            .Validate(o => o.PartialChunkBytes is >= 1 << 10 and <= 64 << 20, "ShardedProgrammeOptions.PartialChunkBytes is 1 KiB to 64 MiB.")
            .Validate(o => o.MaxPendingAppends is >= 1 and <= 1024, "ShardedProgrammeOptions.MaxPendingAppends is 1 to 1,024.");
        return builder;
    }
}
