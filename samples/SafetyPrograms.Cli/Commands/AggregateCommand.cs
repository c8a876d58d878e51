using System.CommandLine;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Cli.Reporting;
using SafetyPrograms.Domain;
using SafetyPrograms.Ingest;
using SafetyPrograms.Validation;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Cli.Commands;

/// <summary><c>aggregate</c>: any grouping and measures over a participation file, as a table, CSV or JSON.</summary>
internal static class AggregateCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "The dataset JSON file.", DefaultValueFactory = _ => Inputs.SampleDataset };
        var participations = new Option<string>("--participations")
        {
            Description = "The participation file (.csv, .jsonl, .parquet or .xlsx), with --mapping a Kobo/ODK export, or with --database the query.", Required = true,
        };
        var database = Inputs.DatabaseOption();
        var by = new Option<string>("--by")
        {
            Description = "Comma-separated dimensions and time buckets: " + string.Join(", ", Dimensions.AllNames)
                + ", day, week, month, quarter, year, fiscalYear (July), fiscalYear:M.",
            DefaultValueFactory = _ => "",
        };
        var measures = new Option<string>("--measures")
        {
            Description = "Comma-separated measures: " + string.Join(", ", Measures.AllNames) + ".",
            DefaultValueFactory = _ => "participations,unique",
        };
        var where = new Option<string[]>("--where")
        {
            Description = "A filter DIMENSION=VALUE[|VALUE…], such as role=teacher or mode=hybrid; repeat for more.",
            AllowMultipleArgumentsPerToken = true,
        };
        var from = new Option<string?>("--from") { Description = "The first day to count (yyyy-MM-dd)." };
        var to = new Option<string?>("--to") { Description = "The last day to count (yyyy-MM-dd)." };
        var rollup = new Option<bool>("--rollup") { Description = "Add subtotals along the grouping, and a grand total, each recounted." };
        var format = new Option<string>("--format") { Description = "text, csv or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "csv", "json");

        var command = new Command("aggregate", "Aggregate participation records: unique reach, participations, completions, scores, by any dimension.")
        {
            dataset, participations, database, by, measures, where, from, to, rollup, format,
        };
        var publish = new PublishOptions();
        publish.AddTo(command);
        var person = new PersonOptions();
        person.AddTo(command);
        var input = new ParticipationInputOptions();
        input.AddTo(command);
        command.SetAction(CliAction.Background((parse, cancellationToken) =>
        {
            var data = Inputs.ReadDataset(parse.GetValue(dataset)!);
            var (store, refused) = Ingest(data, input, parse, parse.GetValue(participations)!, parse.GetValue(database), cancellationToken);
            var filter = Filter(person.Apply(parse, data), parse.GetValue(where) ?? [], parse.GetValue(from), parse.GetValue(to));
            var terms = ParseTerms(parse.GetValue(by)!).ToList();
            var wanted = ParseMeasures(parse.GetValue(measures)!).ToList();
            var output = parse.InvocationConfiguration.Output;
            cancellationToken.ThrowIfCancellationRequested();
            if (publish.Policy(parse) is { } policy)
            {
                if (wanted.Count != 1 || terms.Count == 0)
                {
                    throw new ArgumentException("--publish publishes one count measure (such as --measures unique) grouped by one to four dimensions (--by).");
                }
                var table = policy.Publish(store, terms, wanted[0], filter);
                PublishedWriter.Write(output, table, parse.GetValue(format)!);
                publish.WriteAudit(parse, [parse.GetValue(dataset)!, parse.GetValue(participations)!], [(string.Join(" by ", terms.Select(t => t.Name)), table)]);
                return refused ? ExitCodes.Invalid : ExitCodes.Success;
            }
            var query = filter(store.Query()).GroupBy([.. terms]).Measure([.. wanted]);
            if (parse.GetValue(rollup))
            {
                query = query.Rollup();
            }
            ResultWriter.Write(output, query.Run(), parse.GetValue(format)!);
            return refused ? ExitCodes.Invalid : ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// Reads a participation input into a store as the command's input options say (<see cref="ParticipationInputOptions"/>:
    /// a file by its format, a query when <paramref name="database"/> is given, a raw identifier keyed as read), reporting
    /// refused rows on standard error: the counts, the count per rule code, and the first refusals. Figures come from the
    /// accepted rows; <c>Refused</c> says the command must exit 1. Ctrl-C (<paramref name="cancellationToken"/>) stops the
    /// ingest between chunks.
    /// </summary>
    public static (ParticipationStore Store, bool Refused) Ingest(
        ProgrammeDataset dataset, ParticipationInputOptions input, ParseResult parse, string participations, string? database, CancellationToken cancellationToken)
    {
        var store = new ParticipationStore(dataset);
        using var opened = input.Open(parse, participations, database);
        var report = opened.Append(store, dryRun: false, cancellationToken);
        WriteReport(parse.InvocationConfiguration.Error, opened.Name, report);
        return (store, !report.IsClean);
    }

    /// <summary>Reads a participation file (CSV, JSON Lines, Parquet or a workbook, by its extension) into a store, reporting as <see cref="Ingest(ProgrammeDataset, ParticipationInputOptions, ParseResult, string, string?, CancellationToken)"/> does.</summary>
    public static (ParticipationStore Store, bool Refused) Ingest(ProgrammeDataset dataset, string path, TextWriter error, CancellationToken cancellationToken = default)
    {
        var store = new ParticipationStore(dataset);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var report = SourceInputs.Append(store, stream, path, cancellationToken);
        WriteReport(error, path, report);
        return (store, !report.IsClean);
    }

    /// <summary>A report on standard error when it is not clean: the counts, the count per rule code, and the first refusals.</summary>
    public static void WriteReport(TextWriter error, string path, IngestReport report)
    {
        if (!report.IsClean)
        {
            error.WriteLine($"{report.FileName ?? path}: read {report.Read:N0} = accepted {report.Accepted:N0} + rejected {report.Rejected:N0}");
            foreach (var (code, count) in report.RejectedByCode.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                error.WriteLine($"  {code} {ValidationRules.Find(code)?.Title}: {count:N0}");
            }
            foreach (var reject in report.Rejects.Take(20))
            {
                error.WriteLine($"  rejected: {reject}");
            }
            if (report.StoppedEarly)
            {
                error.WriteLine($"  reading stopped at {report.StoppedAt}: the rest of the input was not read");
            }
        }
    }

    /// <summary>The --age-scheme, --disability-cutoff, --where, --from and --to options as one filter, applied alike to every query of the command.</summary>
    private static Func<AggregationQuery, AggregationQuery> Filter(
        Func<AggregationQuery, AggregationQuery> person, string[] where, string? from, string? to)
    {
        var filters = where.Select(ParseFilter).ToList();
        LocalDate? first = from is null ? null : ProgressCommand.ParseDate(from);
        LocalDate? last = to is null ? null : ProgressCommand.ParseDate(to);
        return query =>
        {
            query = person(query);
            foreach (var (dimension, values) in filters)
            {
                query = query.Where(dimension, values);
            }
            return first is null && last is null ? query : query.Between(first ?? LocalDate.MinIsoValue, last ?? LocalDate.MaxIsoValue);
        };
    }

    public static IEnumerable<GroupingTerm> ParseTerms(string text)
    {
        foreach (var name in Split(text, ','))
        {
            yield return GroupingTerm.TryParse(name, out var term)
                ? term
                : throw new ArgumentException($"--by: '{name}' is not a dimension or time bucket. Use: {string.Join(", ", Dimensions.AllNames)}, day, week, month, quarter, year, fiscalYear, fiscalYear:M.");
        }
    }

    public static IEnumerable<Measure> ParseMeasures(string text)
    {
        foreach (var name in Split(text, ','))
        {
            yield return Measures.TryParse(name, out var measure)
                ? measure
                : throw new ArgumentException($"--measures: '{name}' is not a measure. Use: {string.Join(", ", Measures.AllNames)}.");
        }
    }

    private static (Dimension Dimension, string[] Values) ParseFilter(string filter)
    {
        var parts = filter.Split('=', 2);
        if (parts.Length != 2 || !Dimensions.TryParse(parts[0].Trim(), out var dimension))
        {
            throw new ArgumentException($"--where: '{filter}' is not DIMENSION=VALUE; dimensions are {string.Join(", ", Dimensions.AllNames)}.");
        }
        return (dimension, [.. Split(parts[1], '|')]);
    }

    private static string[] Split(string text, char separator) =>
        text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
