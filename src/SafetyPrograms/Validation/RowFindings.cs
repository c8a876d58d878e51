using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Indexing;

namespace SafetyPrograms.Validation;

/// <summary>
/// The catalogue's words for a row fault (<see cref="RowFaults"/>): its rule, the column at fault and the message, the
/// same for the store's ingest report and the stream validator. Messages name ids, dates and scores, never the
/// beneficiary key.
/// </summary>
internal static class RowFindings
{
    /// <summary>The faults in the order they are reported: the store reports the first, the validator all of them.</summary>
    internal static ReadOnlySpan<RowFaults> Order =>
    [
        RowFaults.DateNotHeld, RowFaults.PreNotHeld, RowFaults.PostNotHeld, RowFaults.UnknownSchool, RowFaults.UnknownActivity,
        RowFaults.ActivityUnusable, RowFaults.OutsidePhase, RowFaults.BeforeActivity, RowFaults.SchoolNotEnrolled,
        RowFaults.SchoolNotActivitys, RowFaults.RoleNotInPhase, RowFaults.ModeMismatch, RowFaults.PreOutOfRange,
        RowFaults.PostOutOfRange, RowFaults.TooManyScores,
    ];

    /// <summary>The rule of a single fault.</summary>
    internal static ValidationRule Rule(RowFaults fault) => fault switch
    {
        RowFaults.DateNotHeld => ValidationRules.RecordDateNotHeld,
        RowFaults.PreNotHeld or RowFaults.PostNotHeld => ValidationRules.RecordScoreNotHeld,
        RowFaults.UnknownSchool => ValidationRules.RecordUnknownSchool,
        RowFaults.UnknownActivity => ValidationRules.RecordUnknownActivity,
        RowFaults.ActivityUnusable => ValidationRules.RecordActivityUnusable,
        RowFaults.OutsidePhase => ValidationRules.RecordOutsidePhase,
        RowFaults.SchoolNotEnrolled or RowFaults.SchoolNotActivitys => ValidationRules.RecordSchoolMismatch,
        RowFaults.PreOutOfRange or RowFaults.PostOutOfRange => ValidationRules.RecordScoreOutOfRange,
        RowFaults.TooManyScores => ValidationRules.RecordTooManyScores,
        RowFaults.BeforeActivity => ValidationRules.RecordBeforeActivity,
        RowFaults.RoleNotInPhase => ValidationRules.RecordRoleNotInPhase,
        RowFaults.ModeMismatch => ValidationRules.RecordModeMismatch,
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    /// <summary>The column or member at fault.</summary>
    internal static string Path(RowFaults fault) => fault switch
    {
        RowFaults.DateNotHeld or RowFaults.OutsidePhase or RowFaults.BeforeActivity => "date",
        RowFaults.PreNotHeld or RowFaults.PreOutOfRange or RowFaults.TooManyScores => "preScore",
        RowFaults.PostNotHeld or RowFaults.PostOutOfRange => "postScore",
        RowFaults.UnknownSchool or RowFaults.SchoolNotEnrolled or RowFaults.SchoolNotActivitys => "school",
        RowFaults.RoleNotInPhase => "role",
        RowFaults.ModeMismatch => "mode",
        _ => "activity",
    };

    /// <summary>The first fault to report of a set: the store reports this one.</summary>
    internal static RowFaults First(RowFaults faults)
    {
        foreach (var fault in Order)
        {
            if ((faults & fault) != 0)
            {
                return fault;
            }
        }
        return RowFaults.None;
    }

    /// <summary>A fault's message and the value at fault.</summary>
    /// <param name="fault">One fault.</param>
    /// <param name="row">The row's values; only <see cref="RowFaults.DateNotHeld"/>, <see cref="RowFaults.PreNotHeld"/>,
    /// <see cref="RowFaults.PostNotHeld"/> and <see cref="RowFaults.TooManyScores"/> word their message without them.</param>
    /// <param name="checker">The rules applied; may be <c>null</c> for those same four faults.</param>
    internal static (string Message, string? Attempted) Describe(RowFaults fault, in RowValues row, RowChecker? checker)
    {
        var activity = checker is not null && row.ActivityNumber >= 0 ? checker.Index.Dataset.Activities[row.ActivityNumber] : null;
        var phase = activity is not null && checker!.Index.Phases.TryGetValue(activity.Phase, out var entry) ? entry.Phase : null;
        return fault switch
        {
            RowFaults.DateNotHeld => ("The date is outside the days held, 2000-01-01 to 2179-06-06.", row.DayNumber == 0 ? null : DateText(row.DayNumber)),
            RowFaults.PreNotHeld => ("The pre score must have at most 4 decimal places and be at most 1e9 in size.", row.PreText),
            RowFaults.PostNotHeld => ("The post score must have at most 4 decimal places and be at most 1e9 in size.", row.PostText),
            RowFaults.UnknownSchool => ($"School '{row.School}' is not in the dataset's schools.", row.School),
            RowFaults.UnknownActivity => ($"Activity '{row.Activity}' is not in the dataset's activities.", row.Activity),
            RowFaults.ActivityUnusable => (
                $"Activity '{row.Activity}' refers to a phase, school or organisation that is not in the dataset.", row.Activity),
            RowFaults.OutsidePhase => (
                $"The record is dated {DateText(row.DayNumber)}, outside phase '{phase?.Id}' ({(phase is null ? "?" : JsonText.Of(phase.Period))}) of activity '{row.Activity}'.",
                DateText(row.DayNumber)),
            RowFaults.BeforeActivity => (
                $"The record is dated {DateText(row.DayNumber)}, before activity '{row.Activity}' on {(activity is null ? "?" : JsonText.Of(activity.Date))}.",
                DateText(row.DayNumber)),
            RowFaults.SchoolNotEnrolled => (
                $"School '{row.School}' is not enrolled in phase '{phase?.Id}' of activity '{row.Activity}'.", row.School),
            RowFaults.SchoolNotActivitys => (
                $"The record names school '{row.School}', but activity '{row.Activity}' was held at '{activity?.School}'.", row.School),
            RowFaults.RoleNotInPhase => (
                $"No cohort of phase '{activity?.Phase}' has role {JsonText.Of((BeneficiaryRole)row.Role)}.", JsonText.Of((BeneficiaryRole)row.Role)),
            RowFaults.ModeMismatch => (
                $"The record is {JsonText.Of((DeliveryMode)row.Mode)}, but activity '{row.Activity}' was {(activity is null ? "?" : JsonText.Of(activity.Mode))}.",
                JsonText.Of((DeliveryMode)row.Mode)),
            RowFaults.PreOutOfRange => (OutOfRange(row.PreText, checker!), row.PreText),
            RowFaults.PostOutOfRange => (OutOfRange(row.PostText, checker!), row.PostText),
            RowFaults.TooManyScores => (
                $"The record's scores would be distinct score value number {RowChecker.MaxDistinctScores + 1:N0}; at most {RowChecker.MaxDistinctScores:N0} are held.",
                null),
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };
    }

    private static string OutOfRange(string? score, RowChecker checker) =>
        $"{score} is outside the range {ValueChecks.RangeText(checker.Assessment!)} of assessment indicator '{checker.Assessment!.Id}'.";

    private static string DateText(int dayNumber) =>
        dayNumber < 0 ? "before 0001-01-01" : JsonText.Of(LocalDate.FromDateOnly(DateOnly.FromDayNumber(dayNumber)));
}

/// <summary>A row's values as the messages need them: ids as text, the activity's number (-1 when unknown), typed codes.</summary>
internal readonly record struct RowValues(
    string Activity, int ActivityNumber, string? School, int DayNumber, int Role, int Mode, string? PreText, string? PostText);
