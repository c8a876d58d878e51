using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>Attendances by one role.</summary>
/// <param name="Role">The role.</param>
/// <param name="Attendances">How many attendances by people in that role.</param>
public sealed record RoleAttendance(BeneficiaryRole Role, long Attendances);

/// <summary>
/// The attendance figures of partners who do not track people (<see cref="Activity.Attendance"/>), summed over a scope
/// and window. These are attendances: a child at three workshops counts three times. They are never people.
/// </summary>
/// <remarks>
/// Activities belong to phases, and attendances add across phases, so a partnership scope covers the activities of all its
/// phases. An activity counts when its date is inside the window. Immutable and thread-safe.
/// </remarks>
public sealed class AttendanceSummary
{
    private AttendanceSummary(
        ProgressScope scope, DateInterval window, long attendances, int activityCount, LocalDate? lastActivity, IReadOnlyList<RoleAttendance> byRole)
    {
        LastActivity = lastActivity;
        Scope = scope;
        Window = window;
        Attendances = attendances;
        ActivityCount = activityCount;
        ByRole = byRole;
    }

    /// <summary>The partnership or phase.</summary>
    public ProgressScope Scope { get; }

    /// <summary>The window.</summary>
    public DateInterval Window { get; }

    /// <summary>The basis of every figure here: always <see cref="CountingBasis.Attendances"/>.</summary>
    public CountingBasis Basis { get; } = CountingBasis.Attendances;

    /// <summary>The total attendances. Not a number of people.</summary>
    public long Attendances { get; }

    /// <summary>How many activities were held in the window.</summary>
    public int ActivityCount { get; }

    /// <summary>The date of the last activity counted; <c>null</c> when none was.</summary>
    public LocalDate? LastActivity { get; }

    /// <summary>Attendances by role, in role order, for the roles that attended.</summary>
    public IReadOnlyList<RoleAttendance> ByRole { get; }

    /// <summary>The summary as a figure, carrying its basis.</summary>
    /// <returns>An incremental count of attendances.</returns>
    public SummaryFigure ToFigure() =>
        new(Attendances, Basis, Accumulation.Incremental, IndicatorUnit.Count, Window, ActivityCount, LastActivity);

    /// <summary>Sums the attendance figures for a scope and window.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="scope">The partnership or phase.</param>
    /// <param name="window">The dates of the activities to count.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="AggregationRefusedException">The partnership, a phase or a cohort does not resolve (<see cref="AggregationRefusal.UnresolvedReference"/>).</exception>
    public static AttendanceSummary For(ProgrammeDataset dataset, ProgressScope scope, DateInterval window)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(window);
        var roles = new long[Enum.GetValues<BeneficiaryRole>().Length];
        var total = 0L;
        var activities = 0;
        LocalDate? last = null;
        var cohorts = CohortRoles(dataset);
        foreach (var activity in ActivitiesIn(dataset, scope))
        {
            if (!window.Contains(activity.Date))
            {
                continue;
            }
            activities++;
            last = last is { } l && l > activity.Date ? l : activity.Date;
            foreach (var attendance in activity.Attendance)
            {
                roles[(int)RoleOf(cohorts, attendance, activity)] += attendance.Count;
                total += attendance.Count;
            }
        }
        var byRole = new List<RoleAttendance>();
        for (var i = 0; i < roles.Length; i++)
        {
            if (roles[i] > 0)
            {
                byRole.Add(new RoleAttendance((BeneficiaryRole)i, roles[i]));
            }
        }
        return new AttendanceSummary(scope, window, total, activities, last, byRole.AsReadOnly());
    }

    /// <summary>The attendances of a scope as a daily incremental series, for progress against an attendance target.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="scope">The partnership or phase.</param>
    /// <param name="role">Only attendances by this role, or <c>null</c> for all.</param>
    /// <returns>A series on the <see cref="CountingBasis.Attendances"/> basis: a target counted in unique people will refuse it.</returns>
    /// <exception cref="AggregationRefusedException">The partnership, a phase or a cohort does not resolve.</exception>
    public static ActualSeries Series(ProgrammeDataset dataset, ProgressScope scope, BeneficiaryRole? role = null)
    {
        Preconditions.CheckNotNull(dataset);
        var cohorts = CohortRoles(dataset);
        var byDay = new SortedDictionary<LocalDate, decimal>();
        foreach (var activity in ActivitiesIn(dataset, scope))
        {
            foreach (var attendance in activity.Attendance)
            {
                if (role is null || RoleOf(cohorts, attendance, activity) == role)
                {
                    byDay[activity.Date] = byDay.GetValueOrDefault(activity.Date) + attendance.Count;
                }
            }
        }
        return new ActualSeries(
            CountingBasis.Attendances, Accumulation.Incremental, IndicatorUnit.Count, byDay.Select(kv => ActualPoint.On(kv.Key, kv.Value)));
    }

    private static Dictionary<Id<Cohort>, Cohort> CohortRoles(ProgrammeDataset dataset) => Indexing.ProgrammeIndex.For(dataset).Cohorts;

    private static BeneficiaryRole RoleOf(Dictionary<Id<Cohort>, Cohort> cohorts, Attendance attendance, Activity activity) =>
        cohorts.TryGetValue(attendance.Cohort, out var cohort)
            ? cohort.Role
            : throw new AggregationRefusedException(
                AggregationRefusal.UnresolvedReference,
                $"Activity {activity.Id} names cohort {attendance.Cohort}, which is not in the dataset.");

    private static IEnumerable<Activity> ActivitiesIn(ProgrammeDataset dataset, ProgressScope scope)
    {
        var partnership = dataset.Partnerships.FirstOrDefault(p => p.Id == scope.Partnership)
            ?? throw new AggregationRefusedException(
                AggregationRefusal.UnresolvedReference, $"Partnership {scope.Partnership} is not in the dataset.");
        HashSet<Id<Phase>> phases = scope.Phase is { } only
            ? partnership.Phases.Any(p => p.Id == only)
                ? [only]
                : throw new AggregationRefusedException(
                    AggregationRefusal.UnresolvedReference, $"Phase {only} is not a phase of partnership {scope.Partnership}.")
            : [.. partnership.Phases.Select(p => p.Id)];
        return dataset.Activities.Where(a => phases.Contains(a.Phase));
    }
}

/// <summary>
/// Serves attendance series (<see cref="AttendanceSummary.Series"/>) for the indicators a programme measures in attendances.
/// </summary>
/// <remarks>
/// Only the indicators named at construction are served. Naming an indicator that counts unique people does not turn
/// attendances into people: the calculator refuses the series (<see cref="AggregationRefusal.MixedCountingBases"/>).
/// Immutable and thread-safe.
/// </remarks>
public sealed class AttendanceActualsSource : IActualsSource
{
    private readonly ProgrammeDataset _dataset;
    private readonly HashSet<Id<Indicator>> _indicators;

    /// <summary>Creates a source.</summary>
    /// <param name="dataset">The dataset whose activities hold the attendance figures.</param>
    /// <param name="indicators">The indicators measured by attendance.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public AttendanceActualsSource(ProgrammeDataset dataset, IEnumerable<Id<Indicator>> indicators)
    {
        _dataset = Preconditions.CheckNotNull(dataset);
        _indicators = [.. Preconditions.CheckNotNull(indicators)];
    }

    /// <inheritdoc />
    /// <exception cref="AggregationRefusedException">A reference does not resolve.</exception>
    public ActualSeries? Find(Indicator indicator, ProgressScope scope, BeneficiaryRole? role) =>
        _indicators.Contains(Preconditions.CheckNotNull(indicator).Id) ? AttendanceSummary.Series(_dataset, scope, role) : null;
}
