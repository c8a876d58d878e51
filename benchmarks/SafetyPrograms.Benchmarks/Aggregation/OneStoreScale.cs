using System.Diagnostics;
using System.Globalization;
using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Benchmarks.Aggregation;

/// <summary>
/// How far one store goes on one machine: <c>scale --records N --data DIR [--runs 5] [--from parquet]</c> loads the
/// generated CSV (or the Parquet file beside it) once
/// and prints the ingest time and rate, the bytes a record takes (columns and dictionaries), the process's peak working
/// set, the first query's sort and the median of each benchmark query. One load, no peers: sized for 100M records.
/// </summary>
internal static class OneStoreScale
{
    internal static void Run(int seed, long records, string directory, int runs, bool fromParquet)
    {
        var dataset = new ProgrammeGenerator(seed, records).Dataset;
        var store = new ParticipationStore(dataset);
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        long rejected;
        var file = fromParquet ? "participations.parquet" : "participations.csv";
        using (var stream = File.OpenRead(Path.Combine(directory, file)))
        {
            // Logs from older generators hold a few rows today's row rules refuse: they are counted, not fatal.
            rejected = (fromParquet ? SafetyPrograms.Parquet.ParticipationParquet.AppendParquet(store, stream, file) : store.AppendCsv(stream, file)).Rejected;
        }
        var ingest = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var ingestCpu = (process.TotalProcessorTime - cpu).TotalSeconds;
        watch.Restart();
        store.Query().Run(); // the first query orders the columns by beneficiary once
        var sort = watch.Elapsed.TotalSeconds;
        Print($"records {store.Count:N0} ({rejected:N0} refused), beneficiaries {store.BeneficiaryCount:N0}");
        Print($"{(fromParquet ? "parquet" : "csv")} ingest {ingest:F1} s ({store.Count / ingest:N0}/s, {store.Count / ingestCpu:N0}/cpu-s); first-query sort {sort:F1} s");
        Print($"bytes/record: columns {(double)store.ColumnBytes / store.Count:F1}, dictionaries {(double)store.DictionaryBytes / store.Count:F1}");
        for (var q = 0; q < BenchmarkQueries.Names.Length; q++)
        {
            for (var w = 0; w < 3; w++)
            {
                BenchmarkQueries.Engine(store, q);
            }
            var times = new double[runs];
            for (var r = 0; r < runs; r++)
            {
                watch.Restart();
                BenchmarkQueries.Engine(store, q);
                times[r] = watch.Elapsed.TotalMilliseconds;
            }
            Print($"{BenchmarkQueries.Names[q]} median {SideBySide.Median(times):F1} ms over {runs} runs");
        }
        process.Refresh();
        Print($"peak working set {process.PeakWorkingSet64 / (1 << 20):N0} MiB; load {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a")}");
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
