namespace SafetyPrograms.Cli.Console;

/// <summary>The tool's exit codes, the same for every command, so pipelines can branch on them.</summary>
internal static class ExitCodes
{
    /// <summary>Done; for <c>validate</c>, the input is valid.</summary>
    public const int Success = 0;

    /// <summary>The input was read but is invalid (validation errors, or warnings with --warnings-as-errors).</summary>
    public const int Invalid = 1;

    /// <summary>The input could not be read: missing file, malformed JSON or CSV, wrong arguments.</summary>
    public const int Unreadable = 2;

    /// <summary>Stopped by Ctrl-C.</summary>
    public const int Cancelled = 130;
}
