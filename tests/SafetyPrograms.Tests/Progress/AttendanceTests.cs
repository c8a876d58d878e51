using SafetyPrograms.Progress;
using SafetyPrograms.Domain;
using static SafetyPrograms.Tests.Progress.Fixtures;

namespace SafetyPrograms.Tests.Progress;

/// <summary>Attendance summaries: the same 120 students at two workshops are 240 attendances, never 240 people.</summary>
public class AttendanceTests
{
    private static readonly Id<Cohort> Students = new("school-1-students");
    private static readonly Id<Cohort> Teachers = new("school-1-teachers");
    private static readonly Id<Cohort> Parents = new("community-parents");

    private static ProgrammeDataset WithWorkshops(IReadOnlyList<Indicator>? indicators = null, IReadOnlyList<Target>? targets = null) => Dataset(
        indicators,
        programmeTargets: targets,
        cohorts:
        [
            new Cohort(Students, Phase1, BeneficiaryRole.Student, Sex.NotRecorded, AgeBand.Age10To14, 120),
            new Cohort(Teachers, Phase1, BeneficiaryRole.Teacher, Sex.NotRecorded, AgeBand.Age25To49, 30),
            new Cohort(Parents, Phase2, BeneficiaryRole.Parent, Sex.NotRecorded, AgeBand.NotRecorded, 50),
        ],
        activities:
        [
            Workshop("w1", Phase1, D(2023, 2, 6), new Attendance(Students, 120), new Attendance(Teachers, 30)),
            Workshop("w2", Phase1, D(2023, 2, 7), new Attendance(Students, 120)),
            Workshop("w3", Phase2, D(2024, 3, 1), new Attendance(Parents, 50)),
        ]);

    private static Activity Workshop(string id, Id<Phase> phase, NodaTime.LocalDate date, params Attendance[] attendance) =>
        new(new Id<Activity>(id), phase, ActivityKind.Workshop, DeliveryMode.InPerson, date, attendance: attendance);

    [Fact]
    public void For_Phase_SumsAttendancesByRole()
    {
        var summary = AttendanceSummary.For(WithWorkshops(), new ProgressScope(PartnershipId, Phase1), ThreeYears);

        Assert.Equal(270, summary.Attendances);
        Assert.Equal(2, summary.ActivityCount);
        Assert.Equal([new RoleAttendance(BeneficiaryRole.Student, 240), new RoleAttendance(BeneficiaryRole.Teacher, 30)], summary.ByRole);
        Assert.Equal(CountingBasis.Attendances, summary.Basis);
        Assert.Equal(D(2023, 2, 7), summary.LastActivity);
    }

    [Fact]
    public void For_Partnership_CoversAllItsPhases()
    {
        var summary = AttendanceSummary.For(WithWorkshops(), Programme, ThreeYears);

        Assert.Equal(320, summary.Attendances);
        Assert.Equal(3, summary.ActivityCount);
    }

    [Fact]
    public void For_Window_OnlyActivitiesInside()
    {
        var summary = AttendanceSummary.For(WithWorkshops(), Programme, Interval(2023, 2, 7, 2023, 12, 31));

        Assert.Equal(120, summary.Attendances);
        Assert.Equal(1, summary.ActivityCount);
    }

    [Fact]
    public void ToFigure_CarriesTheAttendanceBasis()
    {
        var figure = AttendanceSummary.For(WithWorkshops(), Programme, ThreeYears).ToFigure();

        Assert.Equal(320m, figure.Value);
        Assert.Equal(CountingBasis.Attendances, figure.Basis);
        Assert.Equal(Accumulation.Incremental, figure.Accumulation);
    }

    [Fact]
    public void Series_AgainstAUniquePeopleTarget_RefusedNeverReportedAsPeople()
    {
        var trained = Trained();
        var dataset = WithWorkshops([trained], [TargetFor(trained, 750_000m)]);
        var source = new AttendanceActualsSource(dataset, [trained.Id]);

        var refused = Assert.Single(new ProgressCalculator().CalculateAll(dataset, MidPoint, source).Refused);

        Assert.Equal(AggregationRefusal.MixedCountingBases, refused.Refusal!.Reason);
    }

    [Fact]
    public void Series_AgainstAnAttendanceTarget_CountsEveryAttendance()
    {
        var attendances = Attendances();
        var dataset = WithWorkshops([attendances], [TargetFor(attendances, 1_000m)]);
        var source = new AttendanceActualsSource(dataset, [attendances.Id]);

        var progress = Assert.Single(new ProgressCalculator().CalculateAll(dataset, MidPoint, source).EnsureComplete());

        Assert.Equal(270m, progress.ActualToDate);
        Assert.Equal(CountingBasis.Attendances, progress.Basis);
        Assert.Equal(D(2023, 2, 7), progress.DataThrough);
    }

    [Fact]
    public void Series_RoleFilter_OnlyThatRolesAttendances()
    {
        var series = AttendanceSummary.Series(WithWorkshops(), Programme, BeneficiaryRole.Student);

        Assert.Equal(240m, series.Summarise(ThreeYears).Value);
        Assert.Equal(2, series.Points.Count);
    }

    [Fact]
    public void Series_TwoActivitiesOnOneDay_OnePointNotAnOverlap()
    {
        var dataset = Dataset(
            cohorts: [new Cohort(Students, Phase1, BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14, 40)],
            activities: [Workshop("a", Phase1, D(2023, 2, 6), new Attendance(Students, 40)), Workshop("b", Phase1, D(2023, 2, 6), new Attendance(Students, 38))]);

        var series = AttendanceSummary.Series(dataset, Programme);

        Assert.Equal(78m, Assert.Single(series.Points).Value);
    }

    [Fact]
    public void For_UnknownCohort_Refused()
    {
        var dataset = Dataset(activities: [Workshop("a", Phase1, D(2023, 2, 6), new Attendance(new Id<Cohort>("missing"), 40))]);

        var ex = Assert.Throws<AggregationRefusedException>(() => AttendanceSummary.For(dataset, Programme, ThreeYears));

        Assert.Equal(AggregationRefusal.UnresolvedReference, ex.Reason);
        Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_UnknownPhase_Refused()
    {
        var ex = Assert.Throws<AggregationRefusedException>(
            () => AttendanceSummary.For(WithWorkshops(), new ProgressScope(PartnershipId, new Id<Phase>("phase-9")), ThreeYears));

        Assert.Equal(AggregationRefusal.UnresolvedReference, ex.Reason);
    }
}
