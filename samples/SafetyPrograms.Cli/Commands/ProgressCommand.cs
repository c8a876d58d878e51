using System.CommandLine;
using System.Globalization;
using NodaTime;
using NodaTime.Text;
using SafetyPrograms.Progress;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Cli.Reporting;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Cli.Commands;

/// <summary><c>progress</c>: progress to every target and the standing of every milestone, as of a date.</summary>
internal static class ProgressCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "The dataset JSON file.", DefaultValueFactory = _ => Inputs.SampleDataset };
        var participations = new Option<string?>("--participations") { Description = "A participation file: unique reach is then recounted from it for the unique-people targets it measures (with --database, the query)." };
        var database = Inputs.DatabaseOption();
        var asOf = new Option<string?>("--as-of") { Description = "The date to measure progress on (yyyy-MM-dd); today when omitted." };
        var command = new Command("progress", "Progress to every target (status, plan, projection) and the standing of every milestone.")
        {
            dataset, participations, database, asOf,
        };
        var recount = new RecountOption();
        recount.AddTo(command);
        var input = new ParticipationInputOptions();
        input.AddTo(command);
        command.SetAction(CliAction.Background((parse, cancellationToken) =>
        {
            var data = Inputs.ReadDataset(parse.GetValue(dataset)!);
            var date = ParseDate(parse.GetValue(asOf));
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(database) is not null && parse.GetValue(participations) is null)
            {
                throw new ArgumentException("--database needs --participations: the query to run.");
            }
            ProgressReport progress;
            ProgrammeAnalysis? analysed = null;
            var ingestRefused = false;
            if (parse.GetValue(participations) is { } path)
            {
                var (store, refused) = AggregateCommand.Ingest(data, input, parse, path, parse.GetValue(database), cancellationToken);
                ingestRefused = refused;
                var analysis = ProgrammeAnalysis.Run(data, store, date, recount.Options(parse));
                output.WriteLine($"Unique reach recounted from {(parse.GetValue(database) is null ? path : "the database query")} for: {string.Join(", ", analysis.Recounted.Order())}");
                progress = analysis.Progress;
                analysed = analysis;
            }
            else
            {
                progress = new ProgressCalculator().CalculateAll(data, date);
            }
            WriteTargets(output, data, progress);
            if (analysed is not null)
            {
                RecountOption.Write(output, analysed.Recount, analysed.RecountOptions);
            }
            WriteMilestones(output, data, MilestoneProgress.ForAll(data, date));
            // Every other target is still shown; a refused one means the data asks for a sum the library will not make.
            foreach (var refused in progress.Refused)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {refused.Refusal!.Message}");
            }
            return progress.IsComplete && !ingestRefused ? ExitCodes.Success : ExitCodes.Invalid;
        }));
        return command;
    }

    public static LocalDate ParseDate(string? text)
    {
        if (text is null)
        {
            return SystemClock.Instance.GetCurrentInstant().InUtc().Date;
        }
        var result = LocalDatePattern.Iso.Parse(text);
        return result.Success ? result.Value : throw new ArgumentException($"--as-of '{text}' is not a date: use yyyy-MM-dd, such as 2025-12-03.");
    }

    public static void WriteTargets(TextWriter output, ProgrammeDataset dataset, ProgressReport progress)
    {
        output.WriteLine("Progress to targets");
        output.WriteLine(Row("scope", "indicator", "target", "actual", "achieved", "plan", "status", "projected"));
        foreach (var outcome in progress.Targets)
        {
            var indicator = outcome.Target.Indicator.Value + (outcome.Target.Role is { } role ? $" ({role})" : "")
                + (outcome.Target.Kind == TargetKind.LifeOfProgramme ? " LOP" : "");
            if (outcome.Progress is not { } p)
            {
                output.WriteLine(Row(Scope(dataset, outcome.Scope), indicator, Number(outcome.Target.Value), "-", "-", "-", "refused", "-"));
                continue;
            }
            output.WriteLine(Row(
                Scope(dataset, p.Scope),
                indicator,
                Number(p.TargetValue),
                Number(p.ActualToDate),
                Percent(p.PercentAchieved),
                Percent(p.PlannedPercent),
                p.Status.ToString(),
                p.ProjectedAtEnd is { } projected ? Number(projected) : "-"));
        }
        foreach (var refused in progress.Refused)
        {
            output.WriteLine($"  refused ({refused.Refusal!.Reason}): {refused.Refusal.Message}");
        }
        output.WriteLine();
    }

    public static void WriteMilestones(TextWriter output, ProgrammeDataset dataset, IReadOnlyList<MilestoneProgress> milestones)
    {
        output.WriteLine("Milestones");
        var byId = dataset.Partnerships.SelectMany(p => p.Milestones).ToDictionary(m => m.Id);
        foreach (var m in milestones)
        {
            var milestone = byId[m.Milestone];
            output.WriteLine($"  {milestone.DueDate:uuuu-MM-dd}  {m.Standing,-18} {Scope(dataset, m.Scope)}: {milestone.Title}");
        }
        output.WriteLine();
    }

    private static string Scope(ProgrammeDataset dataset, ProgressScope scope)
    {
        var partnership = dataset.Partnerships.FirstOrDefault(p => p.Id == scope.Partnership);
        var name = partnership?.Name ?? scope.Partnership.Value;
        if (name.Length > 38)
        {
            name = name[..37] + "…";
        }
        return scope.Phase is { } phase ? $"{name} / phase {partnership?.Phases.FirstOrDefault(p => p.Id == phase)?.Sequence}" : name;
    }

    private static string Row(params string[] cells) =>
        $"  {cells[0],-50} {cells[1],-22} {cells[2],12} {cells[3],12} {cells[4],9} {cells[5],9} {cells[6],-10} {cells[7],12}";

    private static string Number(decimal value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(decimal? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";
}
