using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Cli.Reporting;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Reporting;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Cli.Commands;

/// <summary><c>demo</c>: the main job. The programmes in the seed articles, end to end, on the data the repository ships.</summary>
internal static partial class DemoCommand
{
    public static Command Create()
    {
        var records = new Option<long>("--records") { Description = "How many participation records to generate.", DefaultValueFactory = _ => 1_500_000 };
        var seed = new Option<int>("--seed") { Description = "The random seed of the participation log.", DefaultValueFactory = _ => 2026 };
        var output = new Option<string>("--out") { Description = "The folder for the generated log and the HTML report.", DefaultValueFactory = _ => Path.Combine("out", "demo") };
        var asOf = new Option<string?>("--as-of") { Description = "The date to measure progress on (yyyy-MM-dd); today when omitted." };
        var command = new Command("demo", "Run the seed programmes end to end: validate, generate a participation log, aggregate, report.")
        {
            records, seed, output, asOf,
        };
        var person = new PersonOptions();
        person.AddTo(command);
        command.SetAction(CliAction.Background((parse, cancellationToken) =>
        {
            var w = parse.InvocationConfiguration.Output;
            var clock = Stopwatch.StartNew();
            var folder = parse.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var date = ProgressCommand.ParseDate(parse.GetValue(asOf));

            w.WriteLine("SafetyPrograms: the programmes in the seed articles, end to end");
            w.WriteLine();
            var datasetPath = Inputs.SampleDataset;
            var dataset = Inputs.ReadDataset(datasetPath);
            w.WriteLine($"1. Dataset samples/data/programmes.json (shipped beside the tool as {Path.GetRelativePath(Environment.CurrentDirectory, datasetPath)})");
            w.WriteLine($"   {dataset.Partnerships.Count} partnerships, {dataset.Organisations.Count} organisations, {dataset.Schools.Count} schools, "
                + $"{dataset.Activities.Count:N0} activities, {dataset.Indicators.Count} indicators");
            var report = ProgrammeValidator.Validate(dataset);
            w.WriteLine($"   validation: {report.ToText().Trim()}");
            w.WriteLine();

            var count = parse.GetValue(records);
            var logPath = Path.Combine(folder, "participations.csv");
            w.WriteLine($"2. Generating a seeded participation log: {count:N0} records (seed {parse.GetValue(seed)}) -> {logPath}");
            using (var progress = new ProgressDisplay("   generating", count))
            {
                Inputs.WriteParticipations(logPath, [datasetPath], GenerateCommand.Generate(dataset, count, parse.GetValue(seed), progress, cancellationToken));
            }
            w.WriteLine($"   {new FileInfo(logPath).Length / 1_000_000.0:N1} MB of CSV; beneficiaries are pseudonymous keys, never names or numbers");
            w.WriteLine();

            w.WriteLine("3. Validating the log against the dataset, line by line");
            var stream = ProgrammeValidator.ValidateParticipation(dataset, Inputs.ReadParticipations(logPath, cancellationToken));
            w.WriteLine($"   {stream}");
            w.WriteLine();

            w.WriteLine("4. Loading the log into the columnar store");
            var ingestClock = Stopwatch.StartNew();
            var (store, refused) = AggregateCommand.Ingest(dataset, logPath, parse.InvocationConfiguration.Error, cancellationToken);
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   {store.Count:N0} records, {store.BeneficiaryCount:N0} beneficiaries, {ingestClock.Elapsed.TotalSeconds:F1} s"));
            w.WriteLine();

            cancellationToken.ThrowIfCancellationRequested();
            var policy = PublicationPolicy.Default;
            // One report: its progress is what step 6 prints, its published tables what steps 7 and 8 write.
            var programmeReport = ProgrammeReport.Create(
                dataset, store, date, new ProgrammeReportOptions { Title = "Child online safety programmes: reach and progress", Notes = DemoNotes(count), Policy = policy });
            var analysis = ProgrammeAnalysis.Of(programmeReport, store);
            w.WriteLine("5. Unique reach by partnership and phase (subtotals recounted, never summed)");
            ResultWriter.Write(w, analysis.ReachByPartnershipAndPhase(), "text");
            w.WriteLine();
            w.WriteLine("   by province");
            ResultWriter.Write(w, analysis.ReachByProvince(), "text");
            w.WriteLine();
            w.WriteLine("   by role");
            ResultWriter.Write(w, analysis.ReachByRole(), "text");
            w.WriteLine();
            var cutoff = person.Cutoff(parse);
            w.WriteLine($"   by disability, from the Washington Group questions ({cutoff.Description})");
            ResultWriter.Write(w, analysis.ReachByDisability(cutoff), "text");
            w.WriteLine();
            var scheme = person.Scheme(parse, dataset);
            w.WriteLine($"   by age in the {(scheme.Equals(AgeBandScheme.UnChild) ? "UN/UNICEF child scheme" : "scheme")} {scheme.Describe()}, at each attendance "
                + "(a person who changed band counts in each, once in the total)");
            ResultWriter.Write(w, analysis.ReachByAge(scheme), "text");
            w.WriteLine();
            w.WriteLine("   by partnership and Pakistan fiscal year (July to June)");
            ResultWriter.Write(w, analysis.ReachByFiscalYear(), "text");
            w.WriteLine();

            w.WriteLine($"6. Progress as of {date:uuuu-MM-dd} (unique reach recounted from the log for {string.Join(", ", analysis.Recounted.Order())}; reported figures elsewhere)");
            ProgressCommand.WriteTargets(w, dataset, analysis.Progress);
            foreach (var target in analysis.Progress.Calculated.Where(p => analysis.Recounted.Contains(p.Indicator)))
            {
                w.WriteLine($"   {target.Indicator} in {analysis.ScopeName(target.Scope)}: {target.ActualToDate:N0} of {target.TargetValue:N0} unique, by phase, province and role");
                foreach (var dimension in new[] { Dimension.Phase, Dimension.Province, Dimension.Role })
                {
                    ResultWriter.Write(w, analysis.Breakdown(target, dimension), "text");
                }
                w.WriteLine();
            }
            RecountOption.Write(w, analysis.Recount, analysis.RecountOptions);
            ProgressCommand.WriteMilestones(w, dataset, analysis.Milestones);

            w.WriteLine($"7. Publication-safe tables ({policy}), protected together in one publication session");
            foreach (var table in programmeReport.Tables)
            {
                var (caption, published) = table;
                // Named by the table's kind, never its caption: a caption carries words such as the disability cut-off's,
                // with quotes and colons that no file name should hold.
                var csv = Path.Combine(folder, "published-" + KindPattern().Replace(table.Kind.ToString(), "-$1").ToLowerInvariant() + ".csv");
                OutputFile.WriteText(csv, [datasetPath, logPath], file => PublishedWriter.Write(file, published, "csv"));
                w.WriteLine($"   {caption}: {published.Figures.Count} figures, {published.SuppressedCount} suppressed "
                    + $"(under {policy.MinimumCellSize}, or hidden so that none can be worked out from this or any other table of the report) -> {csv}");
            }
            w.WriteLine();

            var htmlPath = Path.Combine(folder, "report.html");
            OutputFile.WriteText(htmlPath, [datasetPath, logPath], programmeReport.WriteHtml);
            w.WriteLine($"8. HTML report (self-contained, charts as inline SVG, publication policy applied): {htmlPath}");
            w.WriteLine("9. Exports for funders and ministries (IATI, DHIS2 ADX, HXL, SDMX), the same policy applied");
            foreach (var line in ExportCommand.WriteAll(folder, dataset, store, policy, date, [datasetPath, logPath]))
            {
                w.WriteLine($"   {line}");
            }
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done in {clock.Elapsed.TotalSeconds:F1} s"));
            return report.IsValid && stream.IsValid && !refused ? ExitCodes.Success : ExitCodes.Invalid;
        }));
        return command;
    }

    // The dataset's own description already says which figures are illustrative; this note says what it cannot.
    private static IReadOnlyList<string> DemoNotes(long records) =>
    [
        $"The participation log ({records:N0} records) is synthetic and seeded: the articles give programme totals, not individual records.",
    ];

    /// <summary>A capital letter after the first: where a kind's name takes a hyphen in a file name.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("(?<!^)([A-Z])")]
    private static partial System.Text.RegularExpressions.Regex KindPattern();
}
