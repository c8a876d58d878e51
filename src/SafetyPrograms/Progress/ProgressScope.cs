using SafetyPrograms.Domain;

namespace SafetyPrograms.Progress;

/// <summary>Where a target or figure applies: a whole partnership, or one of its phases.</summary>
/// <param name="Partnership">The partnership.</param>
/// <param name="Phase">The phase, or <c>null</c> for the partnership as a whole.</param>
/// <remarks>
/// Scopes match exactly: a figure reported for a phase is not a figure for the partnership. Adding phases up is a
/// separate, explicit step (<see cref="SummaryFigure.Sum"/>) because unique counts cannot be added. Equality is by value.
/// </remarks>
public readonly record struct ProgressScope(Id<Partnership> Partnership, Id<Phase>? Phase = null)
{
    /// <summary>The scope as text: <c>partnership</c> or <c>partnership/phase</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Phase is { } phase ? $"{Partnership}/{phase}" : Partnership.ToString();
}
