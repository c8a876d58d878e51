using System.CommandLine;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets;

namespace SafetyPrograms.Cli.Commands;

/// <summary>
/// <c>import</c>: reads participation records from where a partner keeps them (CSV, JSON Lines, Parquet, an Excel sheet, a database, or a
/// Kobo/ODK export through a mapping file), or summary attendance into the dataset (<c>--attendance</c>, written with
/// <c>--out</c>), and reports what was accepted and refused; <c>--dry-run</c> reports without keeping anything or
/// writing the dataset. With <c>--database</c>, the records come from a query.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "The dataset JSON file.", DefaultValueFactory = _ => Inputs.SampleDataset };
        var participations = new Option<string?>("--participations")
        {
            Description = "The input: .csv, .jsonl, .xlsx, .parquet, or with --mapping a Kobo/ODK export (.xlsx or .csv), or with --database the query.",
        };
        var database = Inputs.DatabaseOption();
        var attendance = new Option<string?>("--attendance")
        {
            Description = "Instead of participations: summary attendance (the attendance template's .xlsx, or a .csv with activity,cohort,count) set on the dataset's activities; write the dataset with --out.",
        };
        var datasetOut = new Option<string?>("--out") { Description = "With --attendance: the dataset JSON file to write, the figures set on its activities." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and report what would be accepted and refused, adding nothing." };
        var command = new Command("import", "Read participation records from CSV, JSON Lines, Excel, or a Kobo/ODK export, or summary attendance into the dataset, and report what is accepted and refused.")
        {
            dataset, participations, database, attendance, datasetOut, dryRun,
        };
        var input = new ParticipationInputOptions();
        input.AddTo(command);
        command.SetAction(CliAction.Background((parse, cancellationToken) =>
        {
            if (parse.GetValue(attendance) is { } attendancePath)
            {
                if (parse.GetValue(input.Mapping) is not null || parse.GetValue(input.Records) is { Length: > 0 } || parse.GetValue(input.HeaderRow) is not null)
                {
                    throw new ArgumentException("--attendance reads the attendance template's sheet or an activity,cohort,count CSV: --mapping, --records and --header-row do not apply.");
                }
                return parse.GetValue(participations) is null
                    ? ImportAttendance(parse, parse.GetValue(dataset)!, attendancePath, parse.GetValue(input.Sheet), parse.GetValue(datasetOut), parse.GetValue(dryRun))
                    : throw new ArgumentException("--attendance and --participations: give one of them.");
            }
            var data = Inputs.ReadDataset(parse.GetValue(dataset)!);
            var path = parse.GetValue(participations) ?? throw new ArgumentException("--participations (or --attendance): say what to import.");
            var store = new ParticipationStore(data);
            using var opened = input.Open(parse, path, parse.GetValue(database));
            // The tool keeps no store after an import: a dry run of a file read by format (CSV, JSON Lines, Parquet)
            // reads it into this new one and, as DryRun does, reports what it would add.
            var dry = parse.GetValue(dryRun);
            var report = opened.Append(store, dry, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"{opened.Name}: read {report.Read:N0} = accepted {report.Accepted:N0} + rejected {report.Rejected:N0}{(dry ? " (dry run: nothing added)" : "")}");
            AggregateCommand.WriteReport(parse.InvocationConfiguration.Error, opened.Name, report);
            if (!dry)
            {
                output.WriteLine($"held {store.Count:N0} records of {store.BeneficiaryCount:N0} beneficiaries");
            }
            return report.IsClean ? ExitCodes.Success : ExitCodes.Invalid;
        }));
        return command;
    }

    /// <summary>Summary attendance set on the dataset's activities: reported as participations are; written with --out.</summary>
    private static int ImportAttendance(ParseResult parse, string datasetPath, string path, string? sheet, string? outPath, bool dry)
    {
        if (!dry && outPath is null)
        {
            throw new ArgumentException("--attendance: give --out (the dataset file to write, the figures set) or --dry-run.");
        }
        var data = Inputs.ReadDataset(datasetPath);
        if (outPath is not null)
        {
            OutputFile.Check(outPath, [datasetPath, path]);
        }
        SummaryAttendanceImport import;
        using (var stream = File.OpenRead(path))
        {
            import = SourceInputs.IsWorkbook(path)
                ? SummaryAttendanceImport.FromWorkbook(data, stream, path, sheet)
                : SummaryAttendanceImport.FromCsv(data, stream, path);
        }
        var report = import.Report;
        var output = parse.InvocationConfiguration.Output;
        output.WriteLine($"{path}: read {report.Read:N0} = accepted {report.Accepted:N0} + rejected {report.Rejected:N0}{(dry ? " (dry run: nothing written)" : "")}");
        AggregateCommand.WriteReport(parse.InvocationConfiguration.Error, path, report);
        if (!dry)
        {
            OutputFile.Write(outPath!, [datasetPath, path], stream => ProgrammeDatasetJson.Write(stream, import.Dataset));
            output.WriteLine($"wrote {outPath}: {report.Accepted:N0} attendance figures set on its activities");
        }
        return report.IsClean ? ExitCodes.Success : ExitCodes.Invalid;
    }
}
