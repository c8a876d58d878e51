using System.CommandLine;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Spreadsheets;

namespace SafetyPrograms.Cli.Commands;

/// <summary><c>template</c>: writes an Excel workbook for data entry, with drop-down lists built from the dataset.</summary>
internal static class TemplateCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "The dataset JSON file whose activities, schools and cohorts fill the lists.", DefaultValueFactory = _ => Inputs.SampleDataset };
        var kind = new Option<string>("--kind") { Description = "participations (one row a person a session) or attendance (a count a cohort an activity).", DefaultValueFactory = _ => "participations" };
        kind.AcceptOnlyFromAmong("participations", "attendance");
        var output = new Option<string>("--out") { Description = "The .xlsx file to write.", Required = true };
        var command = new Command("template", "Write an Excel workbook for entering participation records or summary attendance: drop-down lists from the dataset, a note on each column, a Codes sheet.")
        {
            dataset, kind, output,
        };
        command.SetAction(parse =>
        {
            var datasetPath = parse.GetValue(dataset)!;
            var data = Inputs.ReadDataset(datasetPath);
            var path = parse.GetValue(output)!;
            var participations = parse.GetValue(kind) == "participations";
            OutputFile.Write(path, [datasetPath], stream =>
            {
                if (participations)
                {
                    SpreadsheetTemplates.WriteParticipationRecords(stream, data);
                }
                else
                {
                    SpreadsheetTemplates.WriteSummaryAttendance(stream, data);
                }
            });
            parse.InvocationConfiguration.Output.WriteLine($"wrote {path}");
            return ExitCodes.Success;
        });
        return command;
    }
}
