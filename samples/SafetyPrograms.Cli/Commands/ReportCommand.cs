using System.CommandLine;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Reporting;

namespace SafetyPrograms.Cli.Commands;

/// <summary><c>report</c>: the self-contained HTML report for a dataset and its participation log.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "The dataset JSON file.", DefaultValueFactory = _ => Inputs.SampleDataset };
        var participations = new Option<string>("--participations") { Description = "The participation file (.csv, .jsonl, .parquet or .xlsx), or with --database the query.", Required = true };
        var database = Inputs.DatabaseOption();
        var html = new Option<string>("--html") { Description = "The HTML file to write.", Required = true };
        var asOf = new Option<string?>("--as-of") { Description = "The date to measure progress on (yyyy-MM-dd); today when omitted." };
        var title = new Option<string>("--title") { Description = "The report's title.", DefaultValueFactory = _ => "Programme reach and progress" };
        var command = new Command("report", "Write a self-contained HTML report: progress to targets with charts, reach by province and role, milestones.")
        {
            dataset, participations, database, html, asOf, title,
        };
        var publish = new PublishOptions();
        publish.AddTo(command);
        var person = new PersonOptions();
        person.AddTo(command);
        var input = new ParticipationInputOptions();
        input.AddTo(command);
        command.SetAction(CliAction.Background((parse, cancellationToken) =>
        {
            var datasetPath = parse.GetValue(dataset)!;
            var participationPath = parse.GetValue(participations)!;
            var databaseValue = parse.GetValue(database);
            var path = parse.GetValue(html)!;
            string[] inputs = [datasetPath, .. Inputs.ParticipationFiles(participationPath, databaseValue), .. input.Files(parse)];
            // Refused before the inputs are read: the report must never replace the data it reports on.
            OutputFile.Check(path, inputs);
            var data = Inputs.ReadDataset(datasetPath);
            var scheme = person.Scheme(parse, data);
            var (store, refused) = AggregateCommand.Ingest(data, input, parse, participationPath, databaseValue, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            var policy = publish.Policy(parse);
            var report = ProgrammeReport.Create(
                data, store, ProgressCommand.ParseDate(parse.GetValue(asOf)), new ProgrammeReportOptions
                {
                    Title = parse.GetValue(title)!, Policy = policy, AgeScheme = scheme, DisabilityCutoff = person.Cutoff(parse),
                });
            OutputFile.WriteText(path, inputs, report.WriteHtml);
            if (policy is not null)
            {
                publish.WriteAudit(parse, inputs, report.Tables.Select(t => (t.Caption, t.Table)));
            }
            parse.InvocationConfiguration.Output.WriteLine(policy is null
                ? $"wrote {path} (no publication policy applied: for use inside the programme)"
                : $"wrote {path}; publication policy applied: {policy}");
            parse.InvocationConfiguration.Output.WriteLine(PersonOptions.Stated(report.Options.AgeScheme, report.Options.DisabilityCutoff));
            var targetsRefused = report.Progress.Refused.Count;
            if (targetsRefused > 0)
            {
                // As `progress` does: a report missing a target's figures is not a clean run, though the page is written.
                parse.InvocationConfiguration.Error.WriteLine($"{targetsRefused:N0} target(s) could not be calculated; the report says why.");
            }
            return refused || targetsRefused > 0 ? ExitCodes.Invalid : ExitCodes.Success;
        }));
        return command;
    }
}
