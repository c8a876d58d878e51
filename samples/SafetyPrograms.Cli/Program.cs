using SafetyPrograms.Cli;

return await CliApp.RunAsync(args, System.Console.Out, System.Console.Error);
