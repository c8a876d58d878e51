using System.CommandLine;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Cli.Generation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Cli.Commands;

/// <summary><c>generate</c>: a seeded synthetic participation log for a dataset's activities, as CSV or JSON Lines.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "The dataset JSON file.", DefaultValueFactory = _ => Inputs.SampleDataset };
        var records = new Option<long>("--records") { Description = "How many records to generate.", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<int>("--seed") { Description = "The random seed; the same seed gives the same file.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "The file to write: .csv, .jsonl for JSON Lines, or .parquet.", Required = true };
        var command = new Command("generate", "Generate synthetic, pseudonymous participation records for a dataset's activities.")
        {
            dataset, records, seed, output,
        };
        command.SetAction(CliAction.Background((parse, cancellationToken) =>
        {
            var count = parse.GetValue(records);
            if (count < 0)
            {
                throw new ArgumentException("--records must not be negative.");
            }
            var datasetPath = parse.GetValue(dataset)!;
            var data = Inputs.ReadDataset(datasetPath);
            var path = parse.GetValue(output)!;
            if (count > 0 && !ParticipationGenerator.CanGenerate(data))
            {
                // Said before anything is written: a file of no records would look like a run that worked.
                parse.InvocationConfiguration.Error.WriteLine(
                    $"error: the dataset has no activity that people attend (a training session, workshop or community session; "
                    + $"ceremonies and other kinds have no participation records), so no records can be generated. Nothing was written to {path}.");
                return ExitCodes.Invalid;
            }
            using var progress = new ProgressDisplay("generating", count);
            var written = Inputs.WriteParticipations(path, [datasetPath], Generate(data, count, parse.GetValue(seed), progress, cancellationToken));
            parse.InvocationConfiguration.Output.WriteLine($"wrote {written:N0} records to {path}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>A synthetic beneficiary key, <c>syn-</c> and a hexadecimal counter: plainly made up, never a real identifier.</summary>
    public static BeneficiaryKey SyntheticKey(long beneficiary) => new($"syn-{beneficiary:x8}");

    internal static IEnumerable<ParticipationRecord> Generate(
        ProgrammeDataset dataset, long count, int seed, ProgressDisplay? progress, CancellationToken cancellationToken)
    {
        long done = 0;
        foreach (var record in new ParticipationGenerator(dataset, SyntheticKey).Generate(count, seed))
        {
            if ((++done & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(done);
            }
            yield return record;
        }
    }
}
