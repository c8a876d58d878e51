using SafetyPrograms.Indexing;

namespace SafetyPrograms.Validation;

/// <summary>What one validation run shares with every validator: the dataset's index and the options.</summary>
internal sealed class ValidationSession(ProgrammeIndex index, ValidationOptions options)
{
    internal const string Key = "SafetyPrograms.Validation.Session";

    internal ProgrammeIndex Index { get; } = index;

    internal ValidationOptions Options { get; } = options;
}
