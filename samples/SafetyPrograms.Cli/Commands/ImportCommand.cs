using System.CommandLine;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Ingest;
using SafetyPrograms.Privacy;
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
        var records = new Option<string[]>("--records")
        {
            Description = "With --mapping and a CSV export: a repeat group's CSV file (ODK Central's FORM-GROUP.csv); give it once for the records' group and once for each group it sits in.",
        };
        var mapping = new Option<string?>("--mapping") { Description = "A Kobo/ODK mapping file (JSON; see the schema submission-mapping.schema.json)." };
        var sheet = new Option<string?>("--sheet") { Description = "For an .xlsx input: the worksheet to read (the first by default)." };
        var headerRow = new Option<int?>("--header-row") { Description = "For an .xlsx input: the header's row number (the first row with a value by default)." };
        var scheme = new Option<string?>("--scheme") { Description = "For a mapping with a raw identifier: how it is normalised (phone, phone:CC, nationalId, learner:NAMESPACE)." };
        var secretVariable = new Option<string>("--secret-env")
        {
            Description = $"The environment variable holding the programme's secret; {PseudonymiseCommand.DefaultSecretVariable} by default.",
            DefaultValueFactory = _ => PseudonymiseCommand.DefaultSecretVariable,
        };
        var secretFile = new Option<string?>("--secret-file") { Description = "A file holding the programme's secret instead." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and report what would be accepted and refused, adding nothing." };
        var command = new Command("import", "Read participation records from CSV, JSON Lines, Excel, or a Kobo/ODK export, or summary attendance into the dataset, and report what is accepted and refused.")
        {
            dataset, participations, database, attendance, datasetOut, records, mapping, sheet, headerRow, scheme, secretVariable, secretFile, dryRun,
        };
        command.SetAction(CliAction.Background((parse, cancellationToken) =>
        {
            if (parse.GetValue(attendance) is { } attendancePath)
            {
                if (parse.GetValue(mapping) is not null || parse.GetValue(records) is { Length: > 0 } || parse.GetValue(headerRow) is not null)
                {
                    throw new ArgumentException("--attendance reads the attendance template's sheet or an activity,cohort,count CSV: --mapping, --records and --header-row do not apply.");
                }
                return parse.GetValue(participations) is null
                    ? ImportAttendance(parse, parse.GetValue(dataset)!, attendancePath, parse.GetValue(sheet), parse.GetValue(datasetOut), parse.GetValue(dryRun))
                    : throw new ArgumentException("--attendance and --participations: give one of them.");
            }
            var data = Inputs.ReadDataset(parse.GetValue(dataset)!);
            var path = parse.GetValue(participations) ?? throw new ArgumentException("--participations (or --attendance): say what to import.");
            var store = new ParticipationStore(data);
            var databaseValue = parse.GetValue(database);
            if (databaseValue is not null && parse.GetValue(mapping) is not null)
            {
                throw new ArgumentException("--database reads a query whose columns are named as the participation fields: --mapping does not apply.");
            }
            using var connection = databaseValue is null ? null : Inputs.OpenDatabase(databaseValue);
            using var stream = connection is null ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan) : null;
            var groupFiles = new Dictionary<string, Stream>(StringComparer.Ordinal);
            BeneficiaryPseudonymiser? pseudonymiser = null;
            try
            {
                ParticipationSource? source = null;
                ParticipationSourceOptions? options = null;
                if (parse.GetValue(mapping) is { } mappingPath)
                {
                    SubmissionMapping map;
                    using (var json = File.OpenRead(mappingPath))
                    {
                        map = SubmissionMapping.Read(json, mappingPath);
                    }
                    IRawIdentifierKeys? keys = null;
                    if (map.RawIdentifier is not null)
                    {
                        var schemeText = parse.GetValue(scheme) ?? throw new ArgumentException("--scheme: the mapping names a raw identifier; say how it is normalised (phone, phone:CC, nationalId, learner:NAMESPACE).");
                        pseudonymiser = new BeneficiaryPseudonymiser(PseudonymiseCommand.Secret(parse.GetValue(secretFile), parse.GetValue(secretVariable)!));
                        keys = new RawIdentifierKeys(pseudonymiser, PseudonymiseCommand.ParseScheme(schemeText));
                    }
                    options = map.SourceOptions(keys);
                    foreach (var group in parse.GetValue(records) ?? [])
                    {
                        groupFiles[group] = File.OpenRead(group);
                    }
                    // One file and no parents named: that file is the records' group, whatever its name.
                    source = SourceInputs.IsWorkbook(path) ? SubmissionExportSource.FromWorkbook(map, stream!, path)
                        : groupFiles.Count <= 1 && map.Parents is not { Count: > 0 }
                            ? SubmissionExportSource.FromCsv(map, stream!, path, groupFiles.Values.FirstOrDefault(), groupFiles.Keys.FirstOrDefault())
                        : SubmissionExportSource.FromCsv(map, stream!, path, groupFiles);
                }
                else if (connection is not null)
                {
                    source = new DatabaseQuerySource(connection, Inputs.Query(path));
                }
                else if (SourceInputs.IsWorkbook(path))
                {
                    source = new WorkbookParticipationSource(stream!, path, parse.GetValue(sheet), parse.GetValue(headerRow));
                }
                // The tool keeps no store after an import: a dry run of a file read by format (CSV, JSON Lines, Parquet)
                // reads it into this new one and, as DryRun does, reports what it would add.
                var dry = parse.GetValue(dryRun);
                var report = source is null
                    ? SourceInputs.Append(store, stream!, path, cancellationToken)
                    : dry ? store.DryRun(source, options, cancellationToken) : store.Append(source, options, cancellationToken);
                var name = connection is null ? path : "the database query";
                var output = parse.InvocationConfiguration.Output;
                output.WriteLine($"{name}: read {report.Read:N0} = accepted {report.Accepted:N0} + rejected {report.Rejected:N0}{(dry ? " (dry run: nothing added)" : "")}");
                AggregateCommand.WriteReport(parse.InvocationConfiguration.Error, name, report);
                if (!dry)
                {
                    output.WriteLine($"held {store.Count:N0} records of {store.BeneficiaryCount:N0} beneficiaries");
                }
                return report.IsClean ? ExitCodes.Success : ExitCodes.Invalid;
            }
            finally
            {
                pseudonymiser?.Dispose();
                foreach (var file in groupFiles.Values)
                {
                    file.Dispose();
                }
            }
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
