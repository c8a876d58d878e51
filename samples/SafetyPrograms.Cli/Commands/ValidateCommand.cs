using System.CommandLine;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Cli.Commands;

/// <summary>
/// <c>validate FILE</c>: every finding of the file in one pass, in the order of the file, as text or JSON; exit 0 valid,
/// 1 readable with findings, 2 only when a file is not JSON (or CSV) at all, not UTF-8, over the size cap or cannot be opened.
/// The participations are read as every reading command reads them (<see cref="ParticipationInputOptions"/>): any format,
/// a database query, and a raw identifier column keyed with the programme's secret as each row is read, so a partner
/// can validate a file of raw ids and no raw id reaches a finding.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The dataset JSON file." };
        var participations = new Option<string?>("--participations")
        {
            Description = "A participation file (.csv, .jsonl, .parquet or .xlsx), with --mapping a Kobo/ODK export, or with --database the query, to validate against the dataset.",
        };
        var database = Inputs.DatabaseOption();
        var format = new Option<string>("--format") { Description = "Output format: text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var warningsAsErrors = new Option<bool>("--warnings-as-errors") { Description = "Treat warnings as errors for the exit code." };
        var structural = new Option<bool>("--structural-only") { Description = "Run only identity, reference and codelist rules." };
        var stopAtFirst = new Option<bool>("--stop-at-first-error") { Description = "Stop reading participations at the first rejected line." };
        var maxFindings = new Option<int>("--max-findings")
        {
            Description = "List at most N findings of each file (the first in the file); the report says how many more were left out.",
            DefaultValueFactory = _ => ParticipationValidationOptions.DefaultMaxFindings,
        };
        maxFindings.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--max-findings must be 1 or more.");
            }
        });

        var command = new Command("validate", "Validate a dataset (and optionally a participation file) and print every finding.")
        {
            file, participations, database, format, warningsAsErrors, structural, stopAtFirst, maxFindings,
        };
        var recount = new RecountOption();
        recount.AddTo(command);
        var input = new ParticipationInputOptions();
        input.AddTo(command);
        command.SetAction(CliAction.Background((parse, cancellationToken) =>
        {
            var options = new ValidationOptions
            {
                TreatWarningsAsErrors = parse.GetValue(warningsAsErrors),
                StructuralOnly = parse.GetValue(structural),
                MaxFindings = parse.GetValue(maxFindings),
            };
            var json = parse.GetValue(format) == "json";
            var output = parse.InvocationConfiguration.Output;
            var datasetPath = parse.GetValue(file)!;
            ValidationReport report;
            using (var stream = File.OpenRead(datasetPath))
            {
                report = ProgrammeValidator.Validate(stream, datasetPath, options);
            }
            if (parse.GetValue(participations) is not { } participationPath)
            {
                Write(output, report, json);
                return ExitCode(report);
            }
            Write(output, report, json);
            if (report.Findings.Any(IsContractProblem) || report.FindingsOmitted > 0)
            {
                // Records are checked against the dataset's activities, schools and cohorts: against a dataset that could
                // not be read whole, every record of a lost activity would be a finding that only repeats the cause.
                parse.InvocationConfiguration.Error.WriteLine(
                    "The participation file was not validated: correct the dataset's findings above so that it can be read, then validate again.");
                return ExitCode(report);
            }
            var dataset = Inputs.ReadDataset(datasetPath);
            ValidationReport streamReport;
            using (var opened = input.Open(parse, participationPath, parse.GetValue(database)))
            {
                streamReport = ProgrammeValidator.ValidateParticipation(
                    dataset,
                    opened.Records(cancellationToken),
                    new ParticipationValidationOptions
                    {
                        TreatWarningsAsErrors = options.TreatWarningsAsErrors,
                        Policy = parse.GetValue(stopAtFirst) ? IngestPolicy.StopAtFirstError : IngestPolicy.SkipAndReport,
                        MaxFindings = options.MaxFindings,
                    });
            }
            if (ExitCode(streamReport) != ExitCodes.Unreadable)
            {
                // A log that could not be read to its end (SP0001) has no recount to compare: its finding says why.
                streamReport = WithRecount(streamReport, dataset, () => input.Open(parse, participationPath, parse.GetValue(database)), recount.Options(parse), cancellationToken);
            }
            Write(output, streamReport, json);
            return Math.Max(ExitCode(report), ExitCode(streamReport));
        }));
        return command;
    }

    /// <summary>Whether a finding is one of the reading's (SP0001-SP0009) rather than a business rule's.</summary>
    private static bool IsContractProblem(ValidationFinding finding) =>
        ValidationRules.Find(finding.Code) is { Category: RuleCategory.Input } || finding.Code == ValidationRules.UnknownCode.Code;

    /// <summary>2 when the input could not be read at all (SP0001), 1 when it has findings that make it invalid, else 0.</summary>
    private static int ExitCode(ValidationReport report) =>
        report.Findings.Any(f => f.Code == ValidationRules.UnreadableInput.Code) ? ExitCodes.Unreadable
        : report.IsValid ? ExitCodes.Success
        : ExitCodes.Invalid;

    /// <summary>
    /// The stream's report with the reported-against-recounted findings (SP6008) added: the records are loaded into the
    /// store (rows the stream refused are refused there too, silently: the stream's findings already name them).
    /// </summary>
    /// <remarks>The input is opened again (<paramref name="open"/>), read as the validation read it: a raw identifier keyed by the same secret gives the same key.</remarks>
    private static ValidationReport WithRecount(
        ValidationReport stream, Domain.ProgrammeDataset dataset, Func<ParticipationInput> open, Progress.RecountOptions options, CancellationToken cancellationToken)
    {
        var store = new Aggregation.ParticipationStore(dataset);
        using (var input = open())
        {
            input.Append(store, dryRun: false, cancellationToken);
        }
        var findings = Progress.ReportedRecount.Findings(Progress.ReportedRecount.Compare(dataset, store, options));
        return findings.Count == 0
            ? stream
            : new ValidationReport([.. stream.Findings, .. findings], stream.TreatWarningsAsErrors, stream.Participation, stream.FindingsOmitted);
    }

    private static void Write(TextWriter output, ValidationReport report, bool json) =>
        output.WriteLine(json ? report.ToJson(indented: true) : report.ToText());
}
