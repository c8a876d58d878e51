using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>
/// A dataset's progress as of a date, measured the one way the report, the command line and any partner embedding the
/// library measure it: the <see cref="RecountPlan"/> decides which targets the participation records recount
/// (<see cref="RecountedReach"/>), every other target keeps its partners' reported figures
/// (<see cref="ReportedActualsSource"/>), and <see cref="ProgressCalculator"/> measures each against its plan.
/// </summary>
/// <remarks>Immutable once made; made by <see cref="Measure"/>, which reads the store.</remarks>
public sealed class RecountedProgress
{
    private RecountedProgress(RecountPlan plan, LocalDate asOf, ProgressReport progress, IReadOnlyList<MilestoneProgress> milestones)
    {
        (Plan, AsOf, Progress, Milestones) = (plan, asOf, progress, milestones);
    }

    /// <summary>The dataset measured (the plan's).</summary>
    public ProgrammeDataset Dataset => Plan.Dataset;

    /// <summary>Which figures the records recount, and over which records.</summary>
    public RecountPlan Plan { get; }

    /// <summary>The date progress is measured on.</summary>
    public LocalDate AsOf { get; }

    /// <summary>Every target's progress, or why it was refused.</summary>
    public ProgressReport Progress { get; }

    /// <summary>Every milestone's standing on <see cref="AsOf"/>.</summary>
    public IReadOnlyList<MilestoneProgress> Milestones { get; }

    /// <summary>Measures every target and milestone of a dataset as of a date, with unique reach recounted from its records where the plan says so.</summary>
    /// <param name="dataset">The programmes, their targets and reported figures.</param>
    /// <param name="store">The participation records of <paramref name="dataset"/>.</param>
    /// <param name="asOf">The date to measure progress on.</param>
    /// <param name="options">The pacing thresholds; <c>null</c> for <see cref="ProgressOptions.Default"/>.</param>
    /// <returns>The progress.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> or <paramref name="store"/> is null.</exception>
    public static RecountedProgress Measure(ProgrammeDataset dataset, ParticipationStore store, LocalDate asOf, ProgressOptions? options = null)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(store);
        var plan = RecountPlan.For(dataset, store);
        var source = ActualsSources.FirstOf(RecountedReach.For(dataset, store, plan.Indicators, asOf), new ReportedActualsSource(dataset));
        return new RecountedProgress(plan, asOf, new ProgressCalculator(options).CalculateAll(dataset, asOf, source), MilestoneProgress.ForAll(dataset, asOf));
    }
}
