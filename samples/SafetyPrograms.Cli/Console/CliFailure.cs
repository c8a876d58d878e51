using SafetyPrograms.Domain;
using SafetyPrograms.Ingest;
using SafetyPrograms.Progress;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Cli.Console;

/// <summary>Turns the documented failures of the library and the file system into one line a partner can act on.</summary>
internal static class CliFailure
{
    public static int Report(Exception error, TextWriter stderr)
    {
        // A library message quotes input values: each is shown only if the one display rule allows (a read error is
        // screened where it is made). The system's file messages name paths the user typed, and are only escaped.
        void Line(string text) => stderr.WriteLine(ValueText.ScreenMessage(text));
        switch (error)
        {
            case DataFormatException format:
                stderr.WriteLine($"error: {format.Message}");
                return ExitCodes.Unreadable;
            case FileNotFoundException or DirectoryNotFoundException:
                stderr.WriteLine($"error: {error.Message} Check the path.");
                return ExitCodes.Unreadable;
            case UnauthorizedAccessException or IOException:
                stderr.WriteLine($"error: {error.Message}");
                return ExitCodes.Unreadable;
            case ParticipationSourceException source:
                // A database or file that failed part way: the message names it and where, never a value or a password.
                Line($"error: {source.Message}");
                return ExitCodes.Unreadable;
            case AggregationRefusedException refused:
                // The data asks for a sum the library will not make (overlapping incremental periods, mixed bases):
                // the input is readable but wrong.
                Line($"error: {refused.Message}");
                return ExitCodes.Invalid;
            case OperationCanceledException:
                Line("cancelled.");
                return ExitCodes.Cancelled;
            case ArgumentException argument:
                Line($"error: {argument.Message}");
                return ExitCodes.Unreadable;
            default:
                return -1;
        }
    }
}
