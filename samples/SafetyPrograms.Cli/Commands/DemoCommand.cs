using System.CommandLine;
using SafetyPrograms.Cli.Console;

namespace SafetyPrograms.Cli.Commands;

/// <summary><c>demo</c>: the main job. The programmes in the seed articles, end to end, on the data the repository ships.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Run the seed programmes end to end: validate, generate a participation log, aggregate, report.");
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine("demo: under construction");
            return ExitCodes.Success;
        });
        return command;
    }
}
