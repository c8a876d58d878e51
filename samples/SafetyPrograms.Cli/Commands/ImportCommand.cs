using System.CommandLine;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Ingest;
using SafetyPrograms.Privacy;
using SafetyPrograms.Spreadsheets;

namespace SafetyPrograms.Cli.Commands;

/// <summary>
/// <c>import</c>: reads participation records from where a partner keeps them (CSV, JSON Lines, an Excel sheet, or a
/// Kobo/ODK export through a mapping file) and reports what was accepted and refused; <c>--dry-run</c> reports without
/// building the store.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "The dataset JSON file.", DefaultValueFactory = _ => Inputs.SampleDataset };
        var participations = new Option<string>("--participations") { Description = "The input: .csv, .jsonl, .xlsx, or with --mapping a Kobo/ODK export (.xlsx or .csv).", Required = true };
        var records = new Option<string?>("--records") { Description = "With --mapping and a CSV export: the repeat group's CSV file (ODK Central's FORM-GROUP.csv)." };
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
        var command = new Command("import", "Read participation records from CSV, JSON Lines, Excel, or a Kobo/ODK export, and report what is accepted and refused.")
        {
            dataset, participations, records, mapping, sheet, headerRow, scheme, secretVariable, secretFile, dryRun,
        };
        command.SetAction(CliAction.Background((parse, cancellationToken) =>
        {
            var data = Inputs.ReadDataset(parse.GetValue(dataset)!);
            var path = parse.GetValue(participations)!;
            var store = new ParticipationStore(data);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var recordsStream = parse.GetValue(records) is { } recordsPath ? File.OpenRead(recordsPath) : null;
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
                    source = SourceInputs.IsWorkbook(path)
                        ? SubmissionExportSource.FromWorkbook(map, stream, path)
                        : SubmissionExportSource.FromCsv(map, stream, path, recordsStream, parse.GetValue(records));
                }
                else if (SourceInputs.IsWorkbook(path))
                {
                    source = new WorkbookParticipationSource(stream, path, parse.GetValue(sheet), parse.GetValue(headerRow));
                }
                var dry = parse.GetValue(dryRun);
                var report = source is null
                    ? (dry ? throw new ArgumentException("--dry-run reads a source with named columns: an .xlsx file or a Kobo/ODK export (--mapping).") : SourceInputs.Append(store, stream, path, cancellationToken))
                    : dry ? store.DryRun(source, options, cancellationToken) : store.Append(source, options, cancellationToken);
                var output = parse.InvocationConfiguration.Output;
                output.WriteLine($"{path}: read {report.Read:N0} = accepted {report.Accepted:N0} + rejected {report.Rejected:N0}{(dry ? " (dry run: nothing added)" : "")}");
                AggregateCommand.WriteReport(parse.InvocationConfiguration.Error, path, report);
                if (!dry)
                {
                    output.WriteLine($"held {store.Count:N0} records of {store.BeneficiaryCount:N0} beneficiaries");
                }
                return report.IsClean ? ExitCodes.Success : ExitCodes.Invalid;
            }
            finally
            {
                pseudonymiser?.Dispose();
            }
        }));
        return command;
    }
}
