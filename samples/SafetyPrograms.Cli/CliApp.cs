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
        TemplateCommand.Create(),
        ImportCommand.Create(),
        ConvertCommand.Create(),
        ExportCommand.Create(),
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        // Every line the tool prints goes through one escaping writer: input values reach the terminal as text only.
        output = new EscapingWriter(output);
        error = new EscapingWriter(error);
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
        // No response files: an argument starting with @ is ours (--participations @query.sql), not a file of arguments.
        var parse = CreateRoot().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            // Wrong arguments are unusable input, exit code 2, like an unreadable file; the help says what is accepted.
            foreach (var problem in parse.Errors)
            {
                error.WriteLine($"error: {problem.Message}");
            }
            error.WriteLine("Run with --help to see the commands and their options.");
            return ExitCodes.Unreadable;
        }
        System.Console.CancelKeyPress += onCancel;
        try
        {
            return await parse.InvokeAsync(configuration, cancellation.Token).ConfigureAwait(false);
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
