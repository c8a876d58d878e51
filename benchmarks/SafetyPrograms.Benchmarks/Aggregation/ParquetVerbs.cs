using System.Diagnostics;
using System.Globalization;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Parquet;

namespace SafetyPrograms.Benchmarks.Aggregation;

/// <summary>
/// Parquet verbs of the side-by-side harness: <c>convert</c> turns a participation CSV into Parquet, streaming (or, with
/// <c>--store-order</c>, through a store, so that the file is in the store's query order); <c>parquet</c> times ingest
/// from a Parquet file and file to first answer (ingest, the first query's sort, Q1), wall and CPU.
/// </summary>
internal static class ParquetVerbs
{
    /// <summary><c>convert --records N --in X.csv --out Y.parquet [--store-order]</c>: the dataset is the generator's for N records.</summary>
    internal static void Convert(int seed, long records, string input, string output, bool storeOrder)
    {
        var dataset = new ProgrammeGenerator(seed, records).Dataset;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        Ingest.IngestReport report;
        if (storeOrder)
        {
            var store = new ParticipationStore(dataset);
            using (var csv = File.OpenRead(input))
            {
                report = store.AppendCsv(csv, Path.GetFileName(input));
            }
            var temporary = output + ".tmp";
            using (var file = File.Create(temporary))
            {
                ParticipationParquet.WriteStore(file, store);
            }
            File.Move(temporary, output, overwrite: true);
        }
        else
        {
            report = ParticipationParquet.ConvertCsvFile(input, output, dataset);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"converted {report.Read:N0} rows ({report.Accepted:N0} written, {report.Rejected:N0} refused{string.Concat(report.RejectedByCode.Select(c => $" {c.Key}:{c.Value:N0}"))}) " +
            $"in {seconds:F1} s ({cpuSeconds:F1} cpu-s); csv {SideBySide.FileBytes(input):N0} bytes, parquet {SideBySide.FileBytes(output):N0} bytes " +
            $"({SideBySide.FileBytes(output) / (double)SideBySide.FileBytes(input):F3} of the csv); peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20):N0} MiB"));
    }

    /// <summary><c>parquet --records N --file Y.parquet [--runs 3]</c>: each run from a cold store.</summary>
    internal static void Time(int seed, long records, string file, int runs)
    {
        var dataset = new ProgrammeGenerator(seed, records).Dataset;
        File.ReadAllBytes(file); // into the page cache
        var process = Process.GetCurrentProcess();
        for (var r = 0; r < runs; r++)
        {
            GC.Collect();
            var store = new ParticipationStore(dataset);
            var cpu = process.TotalProcessorTime;
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            var watch = Stopwatch.StartNew();
            Ingest.IngestReport report;
            using (var stream = File.OpenRead(file))
            {
                report = store.AppendParquet(stream, Path.GetFileName(file));
            }
            var ingest = watch.Elapsed.TotalMilliseconds;
            process.Refresh();
            var ingestCpu = (process.TotalProcessorTime - cpu).TotalMilliseconds;
            var gcs = string.Join('/', Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collections[g]));
            var sorted = store.IsSorted;
            int[] before = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            var pause = GC.GetTotalPauseDuration();
            BenchmarkQueries.Engine(store, 0);
            var first = watch.Elapsed.TotalMilliseconds;
            process.Refresh();
            var firstCpu = (process.TotalProcessorTime - cpu).TotalMilliseconds;
            var queryGcs = string.Join('/', Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - before[g]));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {r + 1}: {report.Accepted:N0} accepted, {report.Rejected:N0} refused; ingest {ingest:F0} ms ({ingestCpu:F0} cpu-ms, collections gen0/1/2 {gcs}), " +
                $"{report.Read / (ingest / 1000):N0} records/s; arrived in query order: {sorted}; file to first answer {first:F0} ms ({firstCpu:F0} cpu-ms; " +
                $"the first query {first - ingest:F0} ms, {firstCpu - ingestCpu:F0} cpu-ms, collections {queryGcs}, GC pauses {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms)"));
        }
    }
}
