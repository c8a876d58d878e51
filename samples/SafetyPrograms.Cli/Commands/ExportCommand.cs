using System.CommandLine;
using NodaTime;
using SafetyPrograms.Cli.Console;
using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Cli.Commands;

/// <summary><c>export</c>: a dataset's figures, through the publication policy, as IATI, ADX, HXL, SDMX-CSV or SDMX-ML.</summary>
internal static class ExportCommand
{
    private static readonly string[] Formats = ["iati", "adx", "hxl", "sdmx-csv", "sdmx-ml"];

    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "The dataset JSON file.", DefaultValueFactory = _ => Inputs.SampleDataset };
        var participations = new Option<string?>("--participations") { Description = "The participation file (.csv, .jsonl, .parquet or .xlsx): unique reach is recounted from it; reported figures are used without it." };
        var format = new Option<string>("--format") { Description = string.Join(", ", Formats) + ".", Required = true };
        format.AcceptOnlyFromAmong(Formats);
        var output = new Option<string>("--out") { Description = "The file to write (for hxl: the reach table; the 3W table goes beside it as NAME-3w.csv).", Required = true };
        var mapping = new Option<string?>("--mapping") { Description = "For adx: the mapping of indicators, programmes, places and categories to DHIS2 codes (JSON; its schema is adx-mapping.schema.json, written by `schema`)." };
        var structure = new Option<string?>("--structure") { Description = "For sdmx-csv, sdmx-ml and adx: also write the SDMX data structure definition to this file." };
        var asOf = new Option<string?>("--as-of") { Description = "The last day to count (yyyy-MM-dd); today when omitted." };
        var unidentified = new Option<string>("--iati-unidentified")
        {
            Description = "For iati: what to do with a programme none of whose organisations has an IATI organisation identifier: "
                + "refuse (the default: nothing is written, and the error names the organisation to give one) or leave-out (noted).",
            DefaultValueFactory = _ => "refuse",
        };
        unidentified.AcceptOnlyFromAmong("refuse", "leave-out");
        var marks = new Option<string>("--sdmx-marks")
        {
            Description = "For sdmx-csv and sdmx-ml: uniform (the default: CONF_STATUS C on every hidden figure) or primary-secondary "
                + "(C for small figures, D for those hidden to protect them; the audit then assumes the reader knows the marks and hides more).",
            DefaultValueFactory = _ => "uniform",
        };
        marks.AcceptOnlyFromAmong("uniform", "primary-secondary");
        var command = new Command("export", "Export figures for funders and ministries: IATI activity XML 2.03, DHIS2 ADX, HXL 3W and reach tables, SDMX-CSV 2.0 or SDMX-ML 2.1; every figure through the publication policy.")
        {
            dataset, participations, format, output, mapping, structure, asOf, unidentified, marks,
        };
        var publish = new PublishOptions(always: true);
        publish.AddTo(command);
        var person = new PersonOptions();
        person.AddTo(command);
        var input = new ParticipationInputOptions(submissions: false);
        input.AddTo(command);
        command.SetAction(CliAction.Background((parse, cancellationToken) =>
        {
            var datasetPath = parse.GetValue(dataset)!;
            var participationPath = parse.GetValue(participations);
            string[] inputs = [datasetPath, .. participationPath is null ? [] : new[] { participationPath }, .. parse.GetValue(mapping) is { } m ? [m] : Array.Empty<string>()];
            var path = parse.GetValue(output)!;
            var kind = parse.GetValue(format)!;
            // Refused before anything is read: an export must never replace the data it comes from.
            OutputFile.Check(path, inputs);
            var adx = kind == "adx" ? ReadMapping(parse.GetValue(mapping) ?? throw new ArgumentException("--format adx needs --mapping FILE: the DHIS2 codes of indicators, programmes, places and categories.")) : null;
            var data = Inputs.ReadDataset(datasetPath);
            var scheme = person.Scheme(parse, data);
            var refused = false;
            Aggregation.ParticipationStore? store = null;
            if (participationPath is not null)
            {
                (store, refused) = AggregateCommand.Ingest(data, input, parse, participationPath, null, cancellationToken);
            }
            cancellationToken.ThrowIfCancellationRequested();
            var policy = publish.Policy(parse)! with
            {
                Marks = parse.GetValue(marks) == "primary-secondary" ? SuppressionMarks.PrimaryAndSecondary : SuppressionMarks.Uniform,
            };
            var figures = ExchangeData.Publish(
                data, policy, ProgressCommand.ParseDate(parse.GetValue(asOf)), SystemClock.Instance.GetCurrentInstant(), store,
                scheme, person.Cutoff(parse));
            var leaveOut = parse.GetValue(unidentified) == "leave-out" ? IatiUnidentifiedProgrammes.LeaveOut : IatiUnidentifiedProgrammes.Refuse;
            var summary = Write(kind, path, figures, adx, inputs, parse.GetValue(structure), leaveOut);
            var w = parse.InvocationConfiguration.Output;
            w.WriteLine($"wrote {path} ({kind}): {summary}; publication policy applied: {figures.Policy}");
            w.WriteLine(PersonOptions.Stated(figures.AgeScheme, figures.DisabilityCutoff));
            foreach (var note in summary.Notes)
            {
                w.WriteLine($"  note: {note}");
            }
            return refused ? ExitCodes.Invalid : ExitCodes.Success;
        }));
        return command;
    }

    public static AdxMapping ReadMapping(string path)
    {
        using var stream = File.OpenRead(path);
        return AdxMapping.Read(stream, path);
    }

    /// <summary>Writes one format through <see cref="OutputFile"/>; the structure definition too when asked.</summary>
    public static ExportSummary Write(
        string format, string path, ExchangeData figures, AdxMapping? mapping, IReadOnlyList<string> inputs, string? structure = null,
        IatiUnidentifiedProgrammes unidentified = IatiUnidentifiedProgrammes.Refuse)
    {
        ExportSummary? summary = null;
        switch (format)
        {
            case "iati":
                OutputFile.Write(path, inputs, stream => summary = IatiActivities.Write(figures, stream, unidentified));
                break;
            case "adx":
                OutputFile.Write(path, inputs, stream => summary = Adx.Write(figures, mapping!, stream));
                if (structure is not null)
                {
                    OutputFile.Write(structure, inputs, stream => Adx.WriteStructure(mapping!, figures.Exported, stream));
                }
                break;
            case "hxl":
                OutputFile.WriteText(path, inputs, text => summary = Hxl.WriteReach(figures, text));
                OutputFile.WriteText(WhoWhatWherePath(path), inputs, text => Hxl.WriteWhoWhatWhere(figures, text));
                break;
            default:
                OutputFile.Write(path, inputs, stream =>
                {
                    if (format == "sdmx-ml")
                    {
                        summary = Sdmx.WriteGenericData(figures, stream);
                    }
                    else
                    {
                        using var text = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
                        summary = Sdmx.WriteCsv(figures, text);
                    }
                });
                if (structure is not null)
                {
                    OutputFile.Write(structure, inputs, stream => Sdmx.WriteStructure(figures, stream));
                }
                break;
        }
        return summary!;
    }

    public static string WhoWhatWherePath(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? ".", Path.GetFileNameWithoutExtension(path) + "-3w" + Path.GetExtension(path));

    /// <summary>
    /// The main job's exports beside its report: IATI, ADX (with the sample mapping), HXL and SDMX (CSV, ML and the
    /// structure), all from one <see cref="ExchangeData"/> under the report's policy. Seed programmes whose organisations
    /// have no IATI identifier are left out of IATI, each with its note.
    /// </summary>
    public static IEnumerable<string> WriteAll(string folder, ProgrammeDataset dataset, Aggregation.ParticipationStore store, PublicationPolicy policy, LocalDate asOf, IReadOnlyList<string> inputs)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var figures = ExchangeData.Publish(dataset, policy, asOf, SystemClock.Instance.GetCurrentInstant(), store);
        yield return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{figures.Series.Count} series published (recounted, protected together) in {clock.Elapsed.TotalSeconds:F1} s");
        var mapping = ReadMapping(Inputs.SampleAdxMapping);
        foreach (var (format, name) in new[] { ("iati", "iati-activities.xml"), ("adx", "dhis2.adx.xml"), ("hxl", "hxl-reach.csv"), ("sdmx-csv", "sdmx.csv"), ("sdmx-ml", "sdmx.xml") })
        {
            var path = Path.Combine(folder, name);
            clock.Restart();
            var summary = Write(
                format, path, figures, mapping, [.. inputs, Inputs.SampleAdxMapping], format == "sdmx-ml" ? Path.Combine(folder, "sdmx-structure.xml") : null,
                IatiUnidentifiedProgrammes.LeaveOut);
            yield return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{format}: {path} ({summary}; {clock.Elapsed.TotalMilliseconds:F0} ms)");
            foreach (var note in summary.Notes)
            {
                yield return $"  note: {note}";
            }
        }
    }
}
