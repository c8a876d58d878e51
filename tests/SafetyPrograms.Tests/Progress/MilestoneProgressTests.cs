using SafetyPrograms.Progress;
using SafetyPrograms.Domain;
using static SafetyPrograms.Tests.Progress.Fixtures;

namespace SafetyPrograms.Tests.Progress;

/// <summary>"The first Child Online Protection Committee established": due, overdue, achieved on time or late.</summary>
public class MilestoneProgressTests
{
    private static Milestone Committee(MilestoneStatus status, NodaTime.LocalDate? evidence = null) =>
        new(new Id<Milestone>("cop-committee"), "First Child Online Protection Committee established", D(2024, 6, 30), status, evidence);

    [Fact]
    public void NotDueYet_Upcoming()
    {
        var progress = MilestoneProgress.For(Committee(MilestoneStatus.InProgress), Programme, D(2024, 6, 1));

        Assert.Equal(MilestoneStanding.Upcoming, progress.Standing);
        Assert.Equal(29, progress.DaysUntilDue);
    }

    [Fact]
    public void DueToday_StillUpcoming()
    {
        Assert.Equal(MilestoneStanding.Upcoming, MilestoneProgress.For(Committee(MilestoneStatus.Planned), Programme, D(2024, 6, 30)).Standing);
    }

    [Fact]
    public void PastDueNotAchieved_Overdue()
    {
        var progress = MilestoneProgress.For(Committee(MilestoneStatus.InProgress), Programme, D(2024, 7, 10));

        Assert.Equal(MilestoneStanding.Overdue, progress.Standing);
        Assert.Equal(10, progress.DaysLate);
    }

    [Fact]
    public void AchievedOnOrBeforeDue_OnTime()
    {
        Assert.Equal(MilestoneStanding.AchievedOnTime, MilestoneProgress.For(Committee(MilestoneStatus.Achieved, D(2024, 6, 30)), Programme, D(2025, 1, 1)).Standing);
    }

    [Fact]
    public void AchievedAfterDue_Late()
    {
        var progress = MilestoneProgress.For(Committee(MilestoneStatus.Achieved, D(2024, 9, 1)), Programme, D(2025, 1, 1));

        Assert.Equal(MilestoneStanding.AchievedLate, progress.Standing);
        Assert.Equal(63, progress.DaysLate);
    }

    [Fact]
    public void AchievedButEvidenceAfterAsOf_NotYetAchievedThen()
    {
        Assert.Equal(MilestoneStanding.Overdue, MilestoneProgress.For(Committee(MilestoneStatus.Achieved, D(2024, 9, 1)), Programme, D(2024, 8, 1)).Standing);
    }

    [Fact]
    public void AchievedWithoutEvidenceDate_Undated()
    {
        Assert.Equal(MilestoneStanding.AchievedUndated, MilestoneProgress.For(Committee(MilestoneStatus.Achieved), Programme, D(2024, 8, 1)).Standing);
    }

    [Fact]
    public void Cancelled_NeverOverdue()
    {
        Assert.Equal(MilestoneStanding.Cancelled, MilestoneProgress.For(Committee(MilestoneStatus.Cancelled), Programme, D(2025, 8, 1)).Standing);
    }

    [Fact]
    public void ForAll_EveryMilestoneOfEveryPartnership()
    {
        var dataset = Dataset(milestones: [Committee(MilestoneStatus.Achieved, D(2024, 5, 2))]);

        var progress = Assert.Single(MilestoneProgress.ForAll(dataset, D(2025, 12, 3)));

        Assert.Equal(MilestoneStanding.AchievedOnTime, progress.Standing);
        Assert.Equal(Programme, progress.Scope);
    }
}
