using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Orleans;

/// <summary>
/// Some shards of a sharded programme failed or did not answer in time, so no figure is given: a figure from the other
/// shards would leave out the people of the missing hash ranges.
/// </summary>
/// <remarks>The message names each shard, its hash range and its error; <see cref="Exception.InnerException"/> is the first shard's error.</remarks>
public sealed class ShardedQueryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ShardedQueryException()
        : this("Some shards failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ShardedQueryException(string message)
        : base(message)
    {
        Failures = [];
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ShardedQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failures = [];
    }

    internal ShardedQueryException(string programme, string what, IReadOnlyList<ShardFailure> failures)
        : base(Describe(programme, what, failures), failures[0].Error)
    {
        Failures = failures;
    }

    /// <summary>The shards that failed, by number.</summary>
    public IReadOnlyList<int> FailedShards => [.. Failures.Select(f => f.Shard)];

    /// <summary>The hash ranges of the shards that failed.</summary>
    public IReadOnlyList<ShardRange> MissingRanges => [.. Failures.Select(f => f.Range)];

    internal IReadOnlyList<ShardFailure> Failures { get; }

    private static string Describe(string programme, string what, IReadOnlyList<ShardFailure> failures) =>
        $"{failures.Count} shard(s) of '{programme}' could not {what}, so no figure is given (one from the other shards would leave out "
        + $"the people of the missing hash ranges): {string.Join("; ", failures.Select(f => $"{ShardedProgramme.Describe(f.Shard, f.Range)}: {Reason(f.Error)}"))}.";

    private static string Reason(Exception error) => error switch
    {
        TimeoutException => "no answer in time",
        _ => $"{error.GetType().Name}: {error.Message}",
    };
}

/// <summary>One shard's failure.</summary>
internal sealed record ShardFailure(int Shard, ShardRange Range, Exception Error);
