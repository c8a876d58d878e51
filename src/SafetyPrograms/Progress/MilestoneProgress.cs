using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>Where a milestone stands on an as-of date.</summary>
public enum MilestoneStanding
{
    /// <summary>Not achieved, and not due yet (or due on the as-of date itself).</summary>
    Upcoming,
    /// <summary>Not achieved and past its due date.</summary>
    Overdue,
    /// <summary>Achieved on or before its due date.</summary>
    AchievedOnTime,
    /// <summary>Achieved after its due date.</summary>
    AchievedLate,
    /// <summary>Recorded as achieved without an evidence date, so whether it was on time is unknown.</summary>
    AchievedUndated,
    /// <summary>Dropped.</summary>
    Cancelled,
}

/// <summary>A milestone's standing on an as-of date: due, overdue, achieved on time or late.</summary>
/// <param name="Milestone">The milestone.</param>
/// <param name="Scope">The partnership it belongs to.</param>
/// <param name="AsOf">The as-of date.</param>
/// <param name="Standing">Where it stands.</param>
/// <param name="DaysLate">For an overdue milestone, days past due on the as-of date; for one achieved late, days between due date and evidence; otherwise <c>null</c>.</param>
/// <param name="DaysUntilDue">For an upcoming milestone, days from the as-of date to the due date; otherwise <c>null</c>.</param>
/// <remarks>
/// An achieved milestone whose evidence is dated after the as-of date was not achieved yet on that date: looking back,
/// it stands as upcoming or overdue. Equality is by value. Immutable and thread-safe.
/// </remarks>
public sealed record MilestoneProgress(
    Id<Milestone> Milestone, ProgressScope Scope, LocalDate AsOf, MilestoneStanding Standing, int? DaysLate, int? DaysUntilDue)
{
    /// <summary>A milestone's standing on a date.</summary>
    /// <param name="milestone">The milestone.</param>
    /// <param name="scope">The partnership it belongs to.</param>
    /// <param name="asOf">The as-of date.</param>
    /// <returns>The standing.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="milestone"/> is null.</exception>
    public static MilestoneProgress For(Domain.Milestone milestone, ProgressScope scope, LocalDate asOf)
    {
        Preconditions.CheckNotNull(milestone);
        var due = milestone.DueDate;
        if (milestone.Status == MilestoneStatus.Cancelled)
        {
            return new(milestone.Id, scope, asOf, MilestoneStanding.Cancelled, null, null);
        }
        if (milestone.Status == MilestoneStatus.Achieved)
        {
            if (milestone.EvidenceDate is not { } evidence)
            {
                return new(milestone.Id, scope, asOf, MilestoneStanding.AchievedUndated, null, null);
            }
            if (evidence <= asOf)
            {
                return evidence <= due
                    ? new(milestone.Id, scope, asOf, MilestoneStanding.AchievedOnTime, null, null)
                    : new(milestone.Id, scope, asOf, MilestoneStanding.AchievedLate, Period.DaysBetween(due, evidence), null);
            }
        }
        return asOf > due
            ? new(milestone.Id, scope, asOf, MilestoneStanding.Overdue, Period.DaysBetween(due, asOf), null)
            : new(milestone.Id, scope, asOf, MilestoneStanding.Upcoming, null, Period.DaysBetween(asOf, due));
    }

    /// <summary>The standing of every milestone in a dataset.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="asOf">The as-of date.</param>
    /// <returns>One result per milestone, in dataset order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    public static IReadOnlyList<MilestoneProgress> ForAll(ProgrammeDataset dataset, LocalDate asOf) =>
        [.. Preconditions.CheckNotNull(dataset).Partnerships
            .SelectMany(p => p.Milestones.Select(m => For(m, new ProgressScope(p.Id), asOf)))];
}
