using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Spreadsheets.Templates;

/// <summary>How a template column is formatted and checked.</summary>
internal enum ColumnKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>An identifier or key, kept as text so leading zeros stay.</summary>
    Key,

    /// <summary>A code from a list.</summary>
    Code,

    /// <summary>A date, formatted yyyy-mm-dd.</summary>
    Date,

    /// <summary>A score, a decimal number.</summary>
    Score,

    /// <summary>A whole number, 0 or more.</summary>
    Count,
}

/// <summary>
/// One column of a template's data sheet: its header, whether it is required, its note, and its drop-down list; with
/// <paramref name="PhaseOf"/>, a cohort list that offers only the cohorts of the phase of the activity in that column.
/// </summary>
internal sealed record TemplateColumn(string Name, bool Required, string Note, ColumnKind Kind, CodeList? List, string? PhaseOf = null);

/// <summary>The participation columns as a template shows them: each column's note, format and list.</summary>
internal static class ParticipationSheetColumns
{
    internal static TemplateColumn Describe(string column, CodeLists codes) => column switch
    {
        "beneficiary" => new(column, true, "The person's pseudonymous key (never a name or a raw learner id): the same key each time the same person attends.", ColumnKind.Key, null),
        "activity" => new(column, true, "The activity attended, by id: pick it from the list (the Codes sheet gives each one's title and date).", ColumnKind.Key, codes.Activities),
        "date" => new(column, true, "The day the person attended, as a date (shown yyyy-mm-dd).", ColumnKind.Date, null),
        "role" => new(column, true, $"The role in which the person took part: {EnumNames<BeneficiaryRole>.Alternatives}.", ColumnKind.Code, codes.Roles),
        "sex" => new(column, true, $"The person's sex as recorded: {EnumNames<Sex>.Alternatives}.", ColumnKind.Code, codes.Sexes),
        "ageBand" => new(column, true, $"The person's age band in completed years: {EnumNames<AgeBand>.Alternatives}.", ColumnKind.Code, codes.AgeBands),
        "mode" => new(column, true, $"How the person took part: {EnumNames<DeliveryMode>.Alternatives}.", ColumnKind.Code, codes.Modes),
        "completed" => new(column, true, "Whether the person completed the activity: true or false.", ColumnKind.Code, codes.Completed),
        "school" => new(column, false, "The school, by id, when the activity is at a school: pick it from the list; leave empty to use the activity's school.", ColumnKind.Key, codes.Schools),
        "preScore" => new(column, false, "The assessment score before the activity, where one was taken: a number with at most 4 decimal places.", ColumnKind.Score, null),
        "postScore" => new(column, false, "The assessment score after the activity, where one was taken: a number with at most 4 decimal places.", ColumnKind.Score, null),
        _ when EnumNames<FunctioningDomain>.TryParse(column, out var domain) && FunctioningAnswers.IsAskedAsFrequency(domain) => new(column, false,
            $"How often the person seemed {column} (the Child Functioning Module's question), where it was asked: {EnumNames<FunctioningFrequency>.Alternatives}.",
            ColumnKind.Code, codes.FunctioningFrequencies),
        _ when EnumNames<FunctioningDomain>.TryParse(column, out _) => new(column, false,
            $"The person's answer to the Washington Group question on {column}, where it was asked: {EnumNames<FunctioningAnswer>.Alternatives}.",
            ColumnKind.Code, codes.FunctioningAnswers),
        _ => new(column, false, $"The {column} column of a participation record, written as in the participation CSV.", ColumnKind.Text, codes.ForColumn(column)),
    };
}
