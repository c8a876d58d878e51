using SafetyPrograms.Validation;

namespace SafetyPrograms.Ingest;

/// <summary>Why a row was refused: the catalogue rule's code, the message, and the column or member at fault.</summary>
internal sealed record RowError(string Code, string Message, string Column)
{
    /// <summary>A line that could not be read (SP8001).</summary>
    internal static RowError Unreadable(string message, string column) => new(ValidationRules.UnreadableRecord.Code, message, column);
}
