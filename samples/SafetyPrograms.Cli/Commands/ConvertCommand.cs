using System.CommandLine;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Ingest;
using SafetyPrograms.Parquet;

namespace SafetyPrograms.Cli.Commands;

/// <summary>
/// <c>convert</c>: turns participation records (CSV, JSON Lines, an Excel sheet, a Parquet file or a database query) into
/// a Parquet file of the documented schema, through the one row pipeline: refused rows are reported, never written. By
/// default it streams (a row group in memory at a time) and keeps the input's order; <c>--store-order</c> reads the whole
/// input into a store first and writes it in the store's query order, so a store reading the file skips its first sort.
/// </summary>
/// <remarks>
/// The file is written through <see cref="OutputFile"/>: never over an input, under a temporary name renamed into place
/// when whole, so an error or Ctrl-C leaves no half file (and an existing file as it was).
/// </remarks>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "The dataset JSON file the records refer to.", DefaultValueFactory = _ => Inputs.SampleDataset };
        var participations = new Option<string>("--participations")
        {
            Description = "The records: .csv, .jsonl, .xlsx (its first sheet, or --sheet) or .parquet, with --mapping a Kobo/ODK export (.xlsx or .csv), or with --database the query.",
            Required = true,
        };
        var database = Inputs.DatabaseOption();
        var output = new Option<string>("--out") { Description = "The Parquet file to write (.parquet); never one of the inputs.", Required = true };
        var storeOrder = new Option<bool>("--store-order")
        {
            Description = "Read every record into memory first and write them in the store's query order (by beneficiary), "
                + "so a store reading the file skips its first sort; the records must fit in memory. "
                + "Without it the conversion streams, in the input's order, and the reader sorts once.",
        };
        var command = new Command("convert", "Convert participation records to a Parquet file; refused rows are reported and not written.")
        {
            dataset, participations, database, output, storeOrder,
        };
        var inputOptions = new ParticipationInputOptions();
        inputOptions.AddTo(command);
        command.SetAction(CliAction.Background((parse, cancellationToken) =>
        {
            var datasetPath = parse.GetValue(dataset)!;
            var input = parse.GetValue(participations)!;
            var databaseValue = parse.GetValue(database);
            var outPath = parse.GetValue(output)!;
            if (!Inputs.IsParquet(outPath))
            {
                throw new ArgumentException("--out: the file to write is Parquet: give it the .parquet extension.");
            }
            // Refused before anything is read: an output that is an input would be destroyed by the rename.
            string[] inputs = [datasetPath, .. Inputs.ParticipationFiles(input, databaseValue), .. inputOptions.Files(parse)];
            OutputFile.Check(outPath, inputs);
            var data = Inputs.ReadDataset(datasetPath);
            var sorted = parse.GetValue(storeOrder);
            IngestReport? report = null;
            long written = 0;
            var existed = File.Exists(outPath);
            using var opened = inputOptions.Open(parse, input, databaseValue);
            try
            {
                if (sorted)
                {
                    var store = new ParticipationStore(data);
                    report = opened.Append(store, dryRun: false, cancellationToken);
                    OutputFile.Write(outPath, inputs, stream => written = ParticipationParquet.WriteStore(stream, store, cancellationToken));
                }
                else
                {
                    OutputFile.Write(outPath, inputs, stream =>
                    {
                        report = opened.ConvertToParquet(data, stream, cancellationToken);
                        written = report.Accepted;
                    });
                }
            }
            catch (ParticipationSourceException)
            {
                // The source's message speaks of a store; a conversion has a file to account for.
                parse.InvocationConfiguration.Error.WriteLine($"nothing written: {outPath} {(existed ? "is as it was" : "was not created")}.");
                throw;
            }
            var name = opened.Name;
            var w = parse.InvocationConfiguration.Output;
            w.WriteLine($"{name}: read {report!.Read:N0} = accepted {report.Accepted:N0} + rejected {report.Rejected:N0}");
            AggregateCommand.WriteReport(parse.InvocationConfiguration.Error, name, report);
            w.WriteLine($"wrote {outPath}: {written:N0} records, {(sorted ? "in store order" : "in the input's order")}");
            return report.IsClean ? ExitCodes.Success : ExitCodes.Invalid;
        }));
        return command;
    }
}
