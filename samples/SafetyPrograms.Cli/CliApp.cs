using System.CommandLine;
using SafetyPrograms.Cli.Commands;
using SafetyPrograms.Cli.Console;

namespace SafetyPrograms.Cli;

/// <summary>The tool's commands, and the one place where failures become messages and exit codes.</summary>
internal static class CliApp
{
    public static RootCommand CreateRoot() => new("SafetyPrograms: validate, aggregate and report on child-online-safety programme data.")
    {
        DemoCommand.Create(),
        ValidateCommand.Create(),
        SchemaCommand.Create(),
        GenerateCommand.Create(),
        ProgressCommand.Create(),
        AggregateCommand.Create(),
        ReportCommand.Create(),
        PseudonymiseCommand.Create(),
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        // Ctrl-C cancels the token every command checks; the process then ends through the command's own clean-up
        // (a half-written file removed) rather than being cut off after a timeout.
        var configuration = new InvocationConfiguration
        {
            Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
        };
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        System.Console.CancelKeyPress += onCancel;
        try
        {
            return await CreateRoot().Parse(args).InvokeAsync(configuration, cancellation.Token).ConfigureAwait(false);
        }
        catch (Exception failure) when (CliFailure.Report(failure, error) is var code && code >= 0)
        {
            return code;
        }
        finally
        {
            System.Console.CancelKeyPress -= onCancel;
        }
    }
}
