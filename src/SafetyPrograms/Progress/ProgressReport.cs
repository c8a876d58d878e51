using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>
/// One target of a dataset as <see cref="ProgressCalculator.CalculateAll"/> left it: either its progress, or why its
/// figures could not be combined.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class TargetOutcome
{
    private TargetOutcome(ProgressScope scope, Target target, TargetProgress? progress, AggregationRefusedException? refusal)
    {
        Scope = scope;
        Target = target;
        Progress = progress;
        Refusal = refusal;
    }

    /// <summary>The partnership or phase the target is declared on.</summary>
    public ProgressScope Scope { get; }

    /// <summary>The target as declared in the dataset.</summary>
    public Target Target { get; }

    /// <summary>The progress, when it could be calculated; <c>null</c> when the target was refused.</summary>
    public TargetProgress? Progress { get; }

    /// <summary>
    /// Why the target was refused, when it was: <see cref="AggregationRefusedException.Reason"/> is the rule, and the message
    /// names the indicator, the scope and the target period; <c>null</c> when the progress was calculated.
    /// </summary>
    public AggregationRefusedException? Refusal { get; }

    /// <summary>Whether the progress was calculated (<see cref="Progress"/> is set) rather than refused.</summary>
    [MemberNotNullWhen(true, nameof(Progress))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsCalculated => Progress is not null;

    /// <summary>A target whose progress was calculated.</summary>
    /// <param name="scope">Where the target is declared.</param>
    /// <param name="target">The target.</param>
    /// <param name="progress">Its progress.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> or <paramref name="progress"/> is null.</exception>
    public static TargetOutcome Calculated(ProgressScope scope, Target target, TargetProgress progress) =>
        new(scope, Preconditions.CheckNotNull(target), Preconditions.CheckNotNull(progress), null);

    /// <summary>A target that was refused.</summary>
    /// <param name="scope">Where the target is declared.</param>
    /// <param name="target">The target.</param>
    /// <param name="refusal">Why.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> or <paramref name="refusal"/> is null.</exception>
    public static TargetOutcome Refused(ProgressScope scope, Target target, AggregationRefusedException refusal) =>
        new(scope, Preconditions.CheckNotNull(target), null, Preconditions.CheckNotNull(refusal));

    /// <summary>The progress summary (<see cref="TargetProgress.ToString"/>), or the refusal's rule and message.</summary>
    /// <returns>One line.</returns>
    public override string ToString() =>
        Progress?.ToString() ?? string.Create(CultureInfo.InvariantCulture, $"{Target.Indicator} {Scope}: refused ({Refusal!.Reason}): {Refusal.Message}");
}

/// <summary>
/// Progress to every target of a dataset on an as-of date: one <see cref="TargetOutcome"/> per target, in dataset order
/// (each partnership's targets, then each of its phases' targets), so that one target whose figures cannot be combined
/// does not hide the others.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class ProgressReport
{
    internal ProgressReport(LocalDate asOf, IReadOnlyList<TargetOutcome> targets)
    {
        AsOf = asOf;
        Targets = targets;
        Calculated = targets.Where(t => t.IsCalculated).Select(t => t.Progress!).ToList().AsReadOnly();
        Refused = targets.Where(t => !t.IsCalculated).ToList().AsReadOnly();
    }

    /// <summary>The as-of date.</summary>
    public LocalDate AsOf { get; }

    /// <summary>Every target, calculated or refused, in dataset order.</summary>
    public IReadOnlyList<TargetOutcome> Targets { get; }

    /// <summary>The progress of the targets that could be calculated, in dataset order.</summary>
    public IReadOnlyList<TargetProgress> Calculated { get; }

    /// <summary>The targets that were refused, in dataset order, each with its <see cref="TargetOutcome.Refusal"/>.</summary>
    public IReadOnlyList<TargetOutcome> Refused { get; }

    /// <summary>Whether every target's progress was calculated.</summary>
    public bool IsComplete => Refused.Count == 0;

    /// <summary>
    /// The life-of-programme target of an indicator in a scope, as declared (<see cref="TargetKind.LifeOfProgramme"/>). Its
    /// figure is its own: when none is declared there is none, and the period targets are never summed into one.
    /// </summary>
    /// <param name="indicator">The indicator.</param>
    /// <param name="scope">The partnership or phase.</param>
    /// <param name="role">The role the target is restricted to, or <c>null</c> for everyone.</param>
    /// <returns>The outcome of the declared life-of-programme target, or <c>null</c> when the scope declares none.</returns>
    public TargetOutcome? LifeOfProgramme(Id<Indicator> indicator, ProgressScope scope, BeneficiaryRole? role = null) =>
        Targets.FirstOrDefault(t => t.Target.Kind == TargetKind.LifeOfProgramme && t.Target.Indicator == indicator && t.Scope == scope && t.Target.Role == role);

    /// <summary>Every target's progress, for callers that cannot go on without all of them.</summary>
    /// <returns>The progress of every target, in dataset order.</returns>
    /// <exception cref="AggregationRefusedException">A target was refused: the first refusal is thrown.</exception>
    public IReadOnlyList<TargetProgress> EnsureComplete() => IsComplete ? Calculated : throw Refused[0].Refusal!;
}
