using System.Diagnostics;
using System.Globalization;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Benchmarks.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Benchmarks.Exchange;

/// <summary>
/// The main job's exports, timed one by one: <c>export --dataset samples/data/programmes.json --data LOG.csv
/// [--mapping samples/data/adx-mapping.json] [--as-of yyyy-MM-dd] [--runs 5]</c>. LOG.csv is the log <c>demo</c> writes
/// (or the CLI's <c>generate --seed 2026</c>, the same generator and seed). The log is loaded, the aggregate published
/// once per suppression-mark setting (the recount and the publication audit, timed on their own), then each format is
/// written from that one <see cref="ExchangeData"/> to a file, as the main job writes it, <c>--runs</c> times: wall
/// and CPU time of each write, bytes allocated by it and the file's size. Writing is what "exporting the aggregate"
/// times; the recount and the audit are the publication's.
/// </summary>
internal static class ExportTiming
{
    internal static int Run(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }
        var runs = int.Parse(options.GetValueOrDefault("runs", "5"), CultureInfo.InvariantCulture);
        var asOf = options.TryGetValue("as-of", out var date)
            ? NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value
            : SystemClock.Instance.GetCurrentInstant().InUtc().Date;
        ProgrammeDataset dataset;
        using (var file = File.OpenRead(options["dataset"]))
        {
            dataset = ProgrammeDatasetJson.Read(file, options["dataset"]);
        }
        AdxMapping mapping;
        using (var file = File.OpenRead(options.GetValueOrDefault("mapping", Path.Combine(Path.GetDirectoryName(options["dataset"])!, "adx-mapping.json"))))
        {
            mapping = AdxMapping.Read(file);
        }
        var store = new ParticipationStore(dataset);
        var load = Stopwatch.StartNew();
        using (var file = File.OpenRead(options["data"]))
        {
            store.AppendCsv(file);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store.Count:N0} records, {store.BeneficiaryCount:N0} beneficiaries loaded in {load.Elapsed.TotalSeconds:F1} s; as of {asOf:uuuu-MM-dd}; {runs} runs a format; load average {LoadAverage()}"));
        var folder = Directory.CreateTempSubdirectory("export-timing-");
        try
        {
            foreach (var marks in new[] { SuppressionMarks.Uniform, SuppressionMarks.PrimaryAndSecondary })
            {
                ExchangeData? data = null;
                var (wall, cpu, _) = Measure(() => data = ExchangeData.Publish(dataset, PublicationPolicy.Default with { Marks = marks }, asOf, Instant.FromUtc(2026, 1, 1, 0, 0), store));
                var figures = data!.Series.Sum(s => s.Figures.Count + s.AgeGroups.Count);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"marks {marks}: published {data.Series.Count} series, {figures} figures ({data.Series.Sum(s => s.Figures.Count(f => f.IsSuppressed))} suppressed) in {wall:F0} ms wall, {cpu:F0} ms CPU (recount and audit, not timed below)"));
                foreach (var (format, write) in Formats(mapping))
                {
                    var path = Path.Combine(folder.FullName, format);
                    var walls = new double[runs];
                    var cpus = new double[runs];
                    var allocated = new double[runs];
                    ExportSummary? summary = null;
                    for (var r = 0; r < runs; r++)
                    {
                        (walls[r], cpus[r], allocated[r]) = Measure(() =>
                        {
                            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                            summary = write(data, stream);
                        });
                    }
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {format,-9} wall {SideBySide.Median(walls),7:F1} ms median (first {walls[0]:F1}, max {walls.Max():F1}), CPU {SideBySide.Median(cpus),6:F0} ms median, "
                        + $"{SideBySide.Median(allocated) / 1024:N0} KiB allocated, file {SideBySide.FileBytes(path) / 1024.0:N0} KiB; {summary}"));
                }
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
        Console.WriteLine($"load average {LoadAverage()}");
        return 0;
    }

    /// <summary>The formats as the main job writes them (<c>ExportCommand.Write</c>): IATI leaving out unidentified programmes, HXL both tables.</summary>
    private static IEnumerable<(string Format, Func<ExchangeData, Stream, ExportSummary> Write)> Formats(AdxMapping mapping) =>
    [
        ("iati", (data, stream) => IatiActivities.Write(data, stream, IatiUnidentifiedProgrammes.LeaveOut)),
        ("adx", (data, stream) => Adx.Write(data, mapping, stream)),
        ("hxl", (data, stream) => Text(stream, text =>
        {
            Hxl.WriteWhoWhatWhere(data, text);
            return Hxl.WriteReach(data, text);
        })),
        ("sdmx-csv", (data, stream) => Text(stream, text => Sdmx.WriteCsv(data, text))),
        ("sdmx-ml", (data, stream) => Sdmx.WriteGenericData(data, stream)),
    ];

    private static ExportSummary Text(Stream stream, Func<TextWriter, ExportSummary> write)
    {
        using var text = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
        return write(text);
    }

    private static (double WallMs, double CpuMs, double Allocated) Measure(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        var wall = watch.Elapsed.TotalMilliseconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalMilliseconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
