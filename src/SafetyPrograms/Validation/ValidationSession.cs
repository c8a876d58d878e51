using SafetyPrograms.Indexing;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Validation;

/// <summary>
/// What one validation run shares with every validator: the dataset's index, the options and, for a dataset read from a
/// file, what its reading lost (so that a reference to an element that could not be read names the cause).
/// </summary>
internal sealed class ValidationSession(ProgrammeIndex index, ValidationOptions options, ContractReading? reading = null)
{
    internal const string Key = "SafetyPrograms.Validation.Session";

    internal ProgrammeIndex Index { get; } = index;

    internal ValidationOptions Options { get; } = options;

    /// <summary>The line of the problem that kept the <typeparamref name="TEntity"/> <paramref name="id"/> from being read, if one did.</summary>
    internal long? LineOfLost<TEntity>(Domain.Id<TEntity> id)
        where TEntity : class => reading?.LineOfLost(typeof(TEntity), id.Value);
}
