using NodaTime;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>Where a milestone stands.</summary>
public enum MilestoneStatus
{
    /// <summary>Not started.</summary>
    Planned,
    /// <summary>Under way.</summary>
    InProgress,
    /// <summary>Achieved; the evidence date says when.</summary>
    Achieved,
    /// <summary>Not achieved by its due date.</summary>
    Missed,
    /// <summary>Dropped.</summary>
    Cancelled,
}

/// <summary>A non-numeric output with a due date: a committee established, a study published, a policy adopted.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record Milestone
{
    /// <summary>Creates a milestone.</summary>
    /// <param name="id">The identifier, unique within the dataset.</param>
    /// <param name="title">What is to be achieved.</param>
    /// <param name="dueDate">When it is due.</param>
    /// <param name="status">Where it stands.</param>
    /// <param name="evidenceDate">When the evidence of achievement is dated.</param>
    /// <param name="evidence">What shows it was achieved, such as a report or event.</param>
    /// <param name="source">Where the facts come from; <c>illustrative</c> marks made-up dates.</param>
    /// <exception cref="ArgumentException">The title is blank or the status undefined.</exception>
    public Milestone(
        Id<Milestone> id,
        string title,
        LocalDate dueDate,
        MilestoneStatus status,
        LocalDate? evidenceDate = null,
        string? evidence = null,
        string? source = null)
    {
        Id = id;
        Title = Preconditions.CheckNotBlank(title);
        DueDate = dueDate;
        Status = Preconditions.CheckDefined(status);
        EvidenceDate = evidenceDate;
        Evidence = evidence;
        Source = source;
    }

    /// <summary>The identifier, unique within the dataset.</summary>
    public Id<Milestone> Id { get; }

    /// <summary>What is to be achieved.</summary>
    public string Title { get; }

    /// <summary>When it is due.</summary>
    public LocalDate DueDate { get; }

    /// <summary>Where it stands.</summary>
    public MilestoneStatus Status { get; }

    /// <summary>When the evidence of achievement is dated.</summary>
    public LocalDate? EvidenceDate { get; }

    /// <summary>What shows it was achieved.</summary>
    public string? Evidence { get; }

    /// <summary>Where the facts come from.</summary>
    public string? Source { get; }
}
