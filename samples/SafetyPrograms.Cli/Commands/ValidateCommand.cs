using System.CommandLine;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Cli.Commands;

/// <summary><c>validate FILE</c>: every finding, as text or JSON; exit 0 valid, 1 invalid, 2 unreadable.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The dataset JSON file." };
        var participations = new Option<string?>("--participations") { Description = "A participation file (.csv, or .jsonl) to validate against the dataset." };
        var format = new Option<string>("--format") { Description = "Output format: text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var warningsAsErrors = new Option<bool>("--warnings-as-errors") { Description = "Treat warnings as errors for the exit code." };
        var structural = new Option<bool>("--structural-only") { Description = "Run only identity, reference and codelist rules." };
        var stopAtFirst = new Option<bool>("--stop-at-first-error") { Description = "Stop reading participations at the first rejected line." };

        var command = new Command("validate", "Validate a dataset (and optionally a participation file) and print every finding.")
        {
            file, participations, format, warningsAsErrors, structural, stopAtFirst,
        };
        var recount = new RecountOption();
        recount.AddTo(command);
        command.SetAction(CliAction.Background((parse, cancellationToken) =>
        {
            var options = new ValidationOptions
            {
                TreatWarningsAsErrors = parse.GetValue(warningsAsErrors),
                StructuralOnly = parse.GetValue(structural),
            };
            var json = parse.GetValue(format) == "json";
            var output = parse.InvocationConfiguration.Output;
            ValidationReport report;
            try
            {
                var dataset = Inputs.ReadDataset(parse.GetValue(file)!);
                report = ProgrammeValidator.Validate(dataset, options);
                if (parse.GetValue(participations) is { } participationPath)
                {
                    var streamReport = ProgrammeValidator.ValidateParticipation(
                        dataset,
                        Inputs.ReadParticipations(participationPath, cancellationToken),
                        new ParticipationValidationOptions
                        {
                            TreatWarningsAsErrors = options.TreatWarningsAsErrors,
                            Policy = parse.GetValue(stopAtFirst) ? IngestPolicy.StopAtFirstError : IngestPolicy.SkipAndReport,
                        });
                    Write(output, report, json);
                    report = WithRecount(streamReport, dataset, participationPath, recount.Options(parse), cancellationToken);
                }
            }
            catch (DataFormatException error)
            {
                Write(output, ProgrammeValidator.FromReadError(error, options), json);
                return ExitCodes.Unreadable;
            }
            Write(output, report, json);
            return report.IsValid ? ExitCodes.Success : ExitCodes.Invalid;
        }));
        return command;
    }

    /// <summary>
    /// The stream's report with the reported-against-recounted findings (SP6008) added: the records are loaded into the
    /// store (rows the stream refused are refused there too, silently: the stream's findings already name them).
    /// </summary>
    private static ValidationReport WithRecount(
        ValidationReport stream, Domain.ProgrammeDataset dataset, string path, Progress.RecountOptions options, CancellationToken cancellationToken)
    {
        var (store, _) = AggregateCommand.Ingest(dataset, path, TextWriter.Null, cancellationToken);
        var findings = Progress.ReportedRecount.Findings(Progress.ReportedRecount.Compare(dataset, store, options));
        return findings.Count == 0
            ? stream
            : new ValidationReport([.. stream.Findings, .. findings], stream.TreatWarningsAsErrors, stream.Participation, stream.FindingsOmitted);
    }

    private static void Write(TextWriter output, ValidationReport report, bool json) =>
        output.WriteLine(json ? report.ToJson(indented: true) : report.ToText());
}
