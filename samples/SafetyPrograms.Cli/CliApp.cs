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
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await CreateRoot().Parse(args).InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception failure) when (CliFailure.Report(failure, error) is var code && code >= 0)
        {
            return code;
        }
    }
}
