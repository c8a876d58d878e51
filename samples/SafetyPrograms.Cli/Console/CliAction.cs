using System.CommandLine;

namespace SafetyPrograms.Cli.Console;

/// <summary>
/// Runs a command's work on the thread pool, so the invocation awaits a real task: on Ctrl-C, System.CommandLine
/// cancels the token, the work stops at its next check and its <c>finally</c> blocks run (a half-written file is
/// removed) before the process exits with code 130.
/// </summary>
internal static class CliAction
{
    public static Func<ParseResult, CancellationToken, Task<int>> Background(Func<ParseResult, CancellationToken, int> work) =>
        (parse, cancellationToken) => Task.Run(() => work(parse, cancellationToken), CancellationToken.None);
}
