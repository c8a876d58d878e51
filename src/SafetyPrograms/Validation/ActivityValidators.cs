using FluentValidation;
using SafetyPrograms.Domain;
using SafetyPrograms.Indexing;

namespace SafetyPrograms.Validation;

/// <summary>A school: its province is in its country's codelist.</summary>
internal sealed class SchoolValidator : AbstractValidator<School>
{
    internal static readonly SchoolValidator Instance = new();

    private SchoolValidator() =>
        RuleFor(s => s).Custom((school, context) =>
        {
            var location = school.Location;
            if (Subdivisions.HasCodelist(location.Country) && Subdivisions.Find(location.Province) is null)
            {
                var known = string.Join(", ", Subdivisions.For(location.Country).Select(s => s.Code.Value));
                context.Report(
                    ValidationRules.UnknownProvince, "location.province",
                    $"'{location.Province}' is not a province of {location.Country}; its codes are {known}.", location.Province.Value);
            }
        });
}

/// <summary>A cohort: its phase and school resolve, and the school is enrolled in the phase.</summary>
internal sealed class CohortValidator : AbstractValidator<Cohort>
{
    internal static readonly CohortValidator Instance = new();

    private CohortValidator() =>
        RuleFor(c => c).Custom((cohort, context) =>
        {
            var phase = References.Phase(context, cohort.Phase);
            References.School(context, cohort.School, phase);
        });
}

/// <summary>An activity: its references resolve, its date lies in its phase, and its attendance counts cohorts of that phase.</summary>
internal sealed class ActivityValidator : AbstractValidator<Activity>
{
    internal static readonly ActivityValidator Instance = new();

    private ActivityValidator()
    {
        RuleFor(a => a).Custom(Check);
        RuleForEach(a => a.Attendance).SetValidator(AttendanceValidator.Instance).OverridePropertyName("attendance");
    }

    private static void Check(Activity activity, ValidationContext<Activity> context)
    {
        var index = context.Session().Index;
        var phase = References.Phase(context, activity.Phase);
        References.School(context, activity.School, phase);
        if (activity.FacilitatedBy is { } organisation && !index.Organisations.Contains(organisation))
        {
            context.ReportUnresolved(
                ValidationRules.UnknownOrganisation, "facilitatedBy",
                $"Facilitating organisation '{organisation}' is not in organisations.", organisation);
        }
        if (phase is null)
        {
            return;
        }
        if (!phase.Phase.Period.Contains(activity.Date))
        {
            context.Report(
                ValidationRules.ActivityOutsidePhase, "date",
                $"Activity '{activity.Id}' is dated {JsonText.Of(activity.Date)}, outside phase '{phase.Phase.Id}' ({JsonText.Of(phase.Phase.Period)}).",
                JsonText.Of(activity.Date));
        }
        for (var i = 0; i < activity.Attendance.Count; i++)
        {
            if (index.Cohorts.TryGetValue(activity.Attendance[i].Cohort, out var cohort) && cohort.Phase != activity.Phase)
            {
                context.Report(
                    ValidationRules.CohortOfOtherPhase, $"attendance[{i}].cohort",
                    $"Cohort '{cohort.Id}' belongs to phase '{cohort.Phase}', but activity '{activity.Id}' is in phase '{activity.Phase}'.",
                    cohort.Id.Value);
            }
        }
    }
}

/// <summary>An attendance figure: its cohort resolves and the count fits the cohort.</summary>
internal sealed class AttendanceValidator : AbstractValidator<Attendance>
{
    internal static readonly AttendanceValidator Instance = new();

    private AttendanceValidator() =>
        RuleFor(a => a).Custom((attendance, context) =>
        {
            if (!context.Session().Index.Cohorts.TryGetValue(attendance.Cohort, out var cohort))
            {
                context.ReportUnresolved(
                    ValidationRules.UnknownCohort, "cohort",
                    $"Cohort '{attendance.Cohort}' is not in cohorts.", attendance.Cohort);
            }
            else if (attendance.Count > cohort.Size)
            {
                context.Report(
                    ValidationRules.AttendanceAboveCohort, "count",
                    $"{attendance.Count} attended, but cohort '{cohort.Id}' has {cohort.Size} members.", JsonText.Of(attendance.Count));
            }
        });
}

/// <summary>Reference checks shared by the validators of items that name a phase or a school.</summary>
internal static class References
{
    /// <summary>Resolves the phase, reporting SP1103 at <c>phase</c> when it does not.</summary>
    internal static PhaseEntry? Phase<T>(ValidationContext<T> context, Id<Phase> id)
    {
        if (context.Session().Index.Phases.TryGetValue(id, out var phase))
        {
            return phase;
        }
        context.ReportUnresolved(ValidationRules.UnknownPhase, "phase", $"Phase '{id}' is not a phase of any partnership.", id);
        return null;
    }

    /// <summary>Checks an optional school at <c>school</c>: it resolves (SP1102) and is enrolled in the phase (SP1109).</summary>
    internal static void School<T>(ValidationContext<T> context, Id<School>? id, PhaseEntry? phase)
    {
        if (id is not { } school)
        {
            return;
        }
        if (!context.Session().Index.Schools.ContainsKey(school))
        {
            context.ReportUnresolved(ValidationRules.UnknownSchool, "school", $"School '{school}' is not in schools.", school);
        }
        else if (phase is not null && !phase.Admits(school))
        {
            context.Report(
                ValidationRules.SchoolNotInPhase, "school",
                $"School '{school}' is not among the {phase.Schools.Count} school(s) of phase '{phase.Phase.Id}'.", school.Value);
        }
    }
}
