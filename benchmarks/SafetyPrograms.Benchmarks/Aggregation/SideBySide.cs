using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Benchmarks.Aggregation;

/// <summary>
/// The side-by-side harness behind benchmarks/compare.sh: <c>generate</c> writes the seeded data, <c>run</c> times our
/// engine (after 40 warm-up runs, past tiered compilation) and LINQ (after one), takes the median of N runs and writes
/// timings and answers as JSON, <c>ingest</c> and <c>query</c> time one thing alone, <c>hll-error</c> measures the
/// HyperLogLog error over many seeds.
/// </summary>
internal static class SideBySide
{
    internal static int Execute(string verb, string[] args)
    {
        var options = Options(args);
        var seed = int.Parse(options.GetValueOrDefault("seed", "42"), CultureInfo.InvariantCulture);
        var records = long.Parse(options.GetValueOrDefault("records", "1000000"), CultureInfo.InvariantCulture);
        switch (verb)
        {
            case "generate":
                Generate(seed, records, options["out"], options.ContainsKey("jsonl"));
                return 0;
            case "run":
                Run(seed, records, options["data"], options["out"],
                    int.Parse(options.GetValueOrDefault("runs", "21"), CultureInfo.InvariantCulture),
                    int.Parse(options.GetValueOrDefault("linq-runs", "3"), CultureInfo.InvariantCulture));
                return 0;
            case "ingest":
                Ingest(seed, records, options["data"], int.Parse(options.GetValueOrDefault("runs", "3"), CultureInfo.InvariantCulture));
                return 0;
            case "scale":
                OneStoreScale.Run(seed, records, options["data"], int.Parse(options.GetValueOrDefault("runs", "5"), CultureInfo.InvariantCulture),
                    options.GetValueOrDefault("from") == "parquet");
                return 0;
            case "query":
                RepeatQuery(seed, records, options["data"], int.Parse(options["q"], CultureInfo.InvariantCulture),
                    int.Parse(options.GetValueOrDefault("runs", "100"), CultureInfo.InvariantCulture));
                return 0;
            case "convert":
                ParquetVerbs.Convert(seed, records, options["in"], options["out"], options.ContainsKey("store-order"));
                return 0;
            case "parquet":
                ParquetVerbs.Time(seed, records, options["file"], int.Parse(options.GetValueOrDefault("runs", "3"), CultureInfo.InvariantCulture));
                return 0;
            case "hll-error":
                HllError(int.Parse(options.GetValueOrDefault("seeds", "100"), CultureInfo.InvariantCulture),
                    int.Parse(options.GetValueOrDefault("distinct", "100000"), CultureInfo.InvariantCulture));
                return 0;
            default:
                return 1;
        }
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                options[args[i][2..]] = hasValue ? args[++i] : "true";
            }
        }
        return options;
    }

    private static void Generate(int seed, long records, string directory, bool jsonl)
    {
        Directory.CreateDirectory(directory);
        var watch = Stopwatch.StartNew();
        var generator = new ProgrammeGenerator(seed, records);
        generator.WriteDimensions(directory);
        using (var w = new StreamWriter(Path.Combine(directory, "participations.csv"), false, new System.Text.UTF8Encoding(false), 1 << 20))
        {
            w.Write("beneficiary,activity,date,role,sex,ageBand,mode,completed,school,preScore,postScore\n");
            foreach (var line in generator.CsvLines())
            {
                w.Write(line);
                w.Write('\n');
            }
        }
        // The Parquet file is the store's, as WriteStore writes it: in query order, which a store reading it keeps.
        ParquetVerbs.Convert(seed, records, Path.Combine(directory, "participations.csv"), Path.Combine(directory, "participations.parquet"), storeOrder: true);
        if (jsonl)
        {
            using var w = new StreamWriter(Path.Combine(directory, "participations.jsonl"), false, new System.Text.UTF8Encoding(false), 1 << 20);
            foreach (var line in generator.JsonLines())
            {
                w.Write(line);
                w.Write('\n');
            }
        }
        Console.Error.WriteLine($"generated {records:N0} records, {generator.Beneficiaries:N0} beneficiaries, {generator.Dataset.Schools.Count:N0} schools, " +
            $"{generator.Dataset.Activities.Count:N0} activities in {watch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Runs one query many times over loaded data, for a profiler: <c>query --records N --data DIR --q 1..6 [--runs 100]</c>.</summary>
    private static void RepeatQuery(int seed, long records, string directory, int q, int runs)
    {
        var store = new ParticipationStore(new ProgrammeGenerator(seed, records).Dataset);
        using (var stream = File.OpenRead(Path.Combine(directory, "participations.csv")))
        {
            store.AppendCsv(stream);
        }
        store.Query().Run();
        var times = new double[runs];
        var cpuTimes = new double[runs];
        using var process = Process.GetCurrentProcess();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var gen2 = GC.CollectionCount(2);
        for (var i = 0; i < runs; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            BenchmarkQueries.Engine(store, q - 1);
            times[i] = watch.Elapsed.TotalMilliseconds;
            process.Refresh();
            cpuTimes[i] = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        }
        // Allocation and gen-2 collections per run: a query that allocates large arrays brings collections whose cost
        // lands on other threads (finalizer, pool trimming), outside the timed call but inside the process's CPU time.
        var perRun = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / runs;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Q{q}: median {Median(times):F2} ms, cpu {Median(cpuTimes):F2} ms over {runs} runs; {perRun:N0} bytes allocated a run; {GC.CollectionCount(2) - gen2} gen-2 collections"));
    }

    /// <summary>Times ingest alone: <c>ingest --records N --data DIR [--runs 3]</c>.</summary>
    private static void Ingest(int seed, long records, string directory, int runs)
    {
        var dataset = new ProgrammeGenerator(seed, records).Dataset;
        var (store, csv, csvCpu, jsonl, jsonlCpu) = MeasureIngest(
            dataset, Path.Combine(directory, "participations.csv"), Path.Combine(directory, "participations.jsonl"), runs);
        var sort = Stopwatch.StartNew();
        store.Query().Run(); // orders the columns by beneficiary once, as the first query after a load does
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first-query sort {sort.Elapsed.TotalMilliseconds:F0} ms; {store.Count:N0} records: csv {Median([.. csv]):N0}/s ({Median([.. csvCpu]):N0}/cpu-s), " +
            $"jsonl {(jsonl.Count > 0 ? Median([.. jsonl]) : 0):N0}/s ({(jsonlCpu.Count > 0 ? Median([.. jsonlCpu]) : 0):N0}/cpu-s); " +
            $"runs csv [{string.Join(", ", csv.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}] " +
            $"jsonl [{string.Join(", ", jsonl.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}]"));
    }

    /// <summary>Ingest throughput, from files already in the page cache (read once first): records a second, wall and CPU.</summary>
    private static (ParticipationStore Store, List<double> Csv, List<double> CsvCpu, List<double> Jsonl, List<double> JsonlCpu) MeasureIngest(
        ProgrammeDataset dataset, string csv, string jsonl, int runs)
    {
        ParticipationStore? store = null;
        var csvRates = new List<double>();
        var csvCpuRates = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            store = null;
            GC.Collect();
            store = new ParticipationStore(dataset);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            using (var stream = File.OpenRead(csv))
            {
                var report = store.AppendCsv(stream, "participations.csv");
                if (report.Rejected > 0)
                {
                    throw new InvalidOperationException($"{report.Rejected} rejected: {report.Rejects[0].Message}");
                }
            }
            csvRates.Add(store.Count / watch.Elapsed.TotalSeconds);
            csvCpuRates.Add(store.Count / (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        }
        var jsonlRates = new List<double>();
        var jsonlCpuRates = new List<double>();
        if (File.Exists(jsonl))
        {
            for (var i = 0; i < runs; i++)
            {
                GC.Collect();
                var s = new ParticipationStore(dataset);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                using var stream = File.OpenRead(jsonl);
                var report = s.AppendJsonLines(stream, "participations.jsonl");
                if (report.Rejected > 0)
                {
                    throw new InvalidOperationException($"{report.Rejected} rejected: {report.Rejects[0].Message}");
                }
                jsonlRates.Add(s.Count / watch.Elapsed.TotalSeconds);
                jsonlCpuRates.Add(s.Count / (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
            }
        }
        return (store!, csvRates, csvCpuRates, jsonlRates, jsonlCpuRates);
    }

    /// <summary>Milliseconds from a file to the first answer: ingest into a fresh store, then Q1 (whose run sorts the store).</summary>
    private static double FirstAnswer(ProgrammeDataset dataset, string file, Func<ParticipationStore, Ingest.IngestReport> append)
    {
        GC.Collect();
        var store = new ParticipationStore(dataset);
        var watch = Stopwatch.StartNew();
        var report = append(store);
        BenchmarkQueries.Engine(store, 0);
        var ms = watch.Elapsed.TotalMilliseconds;
        if (report.Rejected > 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)}: {report.Rejected} rejected: {report.Rejects[0].Message}");
        }
        return ms;
    }

    private const int EngineWarmUps = 40;

    private static void Run(int seed, long records, string directory, string output, int runs, int linqRuns)
    {
        var generator = new ProgrammeGenerator(seed, records);
        var dataset = generator.Dataset;
        var csv = Path.Combine(directory, "participations.csv");
        var jsonl = Path.Combine(directory, "participations.jsonl");

        var (store, csvRates, csvCpuRates, jsonlRates, jsonlCpuRates) = MeasureIngest(dataset, csv, jsonl, 3);
        var sortWatch = Stopwatch.StartNew();
        store.Query().Run(); // orders the columns by beneficiary once, as the first query after a load does
        var sortMs = sortWatch.Elapsed.TotalMilliseconds;

        var engineTimes = new Dictionary<string, double[]>();
        var engineCpu = new Dictionary<string, double[]>();
        var engineAnswers = new Dictionary<string, SortedDictionary<string, double?[]>>();
        for (var q = 0; q < 6; q++)
        {
            // Warm up past tiered compilation: .NET recompiles hot library code (CoreLib's vectorised searches among it) after
            // about 30 calls; with 3 warm-ups, Q6 at 10M measured 10-15 ms, against 4 ms from the 25th call on.
            for (var w = 0; w < EngineWarmUps; w++)
            {
                BenchmarkQueries.Engine(store, q);
            }
            var times = new double[runs];
            var cpuTimes = new double[runs];
            AggregationResult? last = null;
            var process = Process.GetCurrentProcess();
            var gen2 = GC.CollectionCount(2);
            for (var r = 0; r < runs; r++)
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                last = BenchmarkQueries.Engine(store, q);
                times[r] = watch.Elapsed.TotalMilliseconds;
                process.Refresh();
                cpuTimes[r] = (process.TotalProcessorTime - cpu).TotalMilliseconds;
            }
            engineTimes[BenchmarkQueries.Names[q]] = times;
            engineCpu[BenchmarkQueries.Names[q]] = cpuTimes;
            engineAnswers[BenchmarkQueries.Names[q]] = BenchmarkQueries.Answer(last!);
            Console.Error.WriteLine($"engine {BenchmarkQueries.Names[q]}: median {Median(times):F2} ms (cpu {Median(cpuTimes):F2} ms), {last!.Rows.Count} rows; {GC.CollectionCount(2) - gen2} gen-2 collections");
        }
        // File to first answer, from a cold store: ingest, the first query's sort and Q1; and Parquet ingest alone. After the
        // query timings, as before Parquet came: the fresh stores these build leave gigabytes of garbage at 10M records,
        // whose collection would otherwise fall inside the timed queries.
        var parquet = Path.Combine(directory, "participations.parquet");
        var firstCsv = Median([.. Enumerable.Range(0, 3).Select(_ => FirstAnswer(dataset, csv, s => { using var f = File.OpenRead(csv); return s.AppendCsv(f); }))]);
        var parquetRates = File.Exists(parquet) ? Enumerable.Range(0, 3).Select(_ =>
        {
            var fresh = new ParticipationStore(dataset);
            using var stream = File.OpenRead(parquet);
            var watch = Stopwatch.StartNew();
            SafetyPrograms.Parquet.ParticipationParquet.AppendParquet(fresh, stream);
            return fresh.Count / watch.Elapsed.TotalSeconds;
        }).ToArray() : [];
        var firstParquet = File.Exists(parquet)
            ? Median([.. Enumerable.Range(0, 3).Select(_ => FirstAnswer(dataset, parquet, s => { using var f = File.OpenRead(parquet); return SafetyPrograms.Parquet.ParticipationParquet.AppendParquet(s, f); }))])
            : 0;
        Console.Error.WriteLine($"file to first answer (ingest, sort, Q1): csv {firstCsv:F0} ms, parquet {firstParquet:F0} ms; parquet ingest {(parquetRates.Length > 0 ? Median(parquetRates) : 0):N0} records/s");

        // Exact unique by school, to measure the sketches' error against.
        var exactBySchool = BenchmarkQueries.Answer(store.Query().GroupBy(Dimension.School).Measure(Measure.UniqueBeneficiaries).Run());

        var linqTimes = new Dictionary<string, double[]>();
        var linqAnswers = new Dictionary<string, SortedDictionary<string, double?[]>>();
        if (linqRuns > 0)
        {
            var list = generator.ParticipationRecords().ToList();
            var linq = new BenchmarkQueries.Linq(dataset, list);
            for (var q = 0; q < 6; q++)
            {
                linq.Run(q);
                var times = new double[linqRuns];
                SortedDictionary<string, double?[]>? answer = null;
                for (var r = 0; r < linqRuns; r++)
                {
                    var watch = Stopwatch.StartNew();
                    answer = linq.Run(q);
                    times[r] = watch.Elapsed.TotalMilliseconds;
                }
                linqTimes[BenchmarkQueries.Names[q]] = times;
                linqAnswers[BenchmarkQueries.Names[q]] = answer!;
                Console.Error.WriteLine($"linq {BenchmarkQueries.Names[q]}: median {Median(times):F1} ms");
            }
        }

        var doc = new Dictionary<string, object>
        {
            ["records"] = store.Count,
            ["beneficiaries"] = store.BeneficiaryCount,
            ["bytesPerRecord"] = (double)store.ColumnBytes / store.Count,
            ["dictionaryBytesPerRecord"] = (double)store.DictionaryBytes / store.Count,
            ["csvRecordsPerSecond"] = Median([.. csvRates]),
            ["jsonlRecordsPerSecond"] = jsonlRates.Count > 0 ? Median([.. jsonlRates]) : 0,
            ["csvRecordsPerCpuSecond"] = Median([.. csvCpuRates]),
            ["jsonlRecordsPerCpuSecond"] = jsonlCpuRates.Count > 0 ? Median([.. jsonlCpuRates]) : 0,
            ["loadAverage"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a",
            ["firstQuerySortMs"] = sortMs,
            ["parquetRecordsPerSecond"] = parquetRates.Length > 0 ? Median(parquetRates) : 0,
            ["parquetBytes"] = File.Exists(parquet) ? FileBytes(parquet) : 0,
            ["csvBytes"] = FileBytes(csv),
            ["firstAnswerMs"] = new Dictionary<string, double> { ["csv"] = firstCsv, ["parquet"] = firstParquet },
            ["processors"] = Environment.ProcessorCount,
            ["engine"] = engineTimes,
            ["engineCpu"] = engineCpu,
            ["linq"] = linqTimes,
            ["answers"] = new Dictionary<string, object> { ["engine"] = engineAnswers, ["linq"] = linqAnswers, ["exactBySchool"] = exactBySchool },
        };
        File.WriteAllText(output, JsonSerializer.Serialize(doc));
        Console.Error.WriteLine(FormattableString.Invariant(
            $"csv ingest {Median([.. csvRates]):N0}/s ({Median([.. csvCpuRates]):N0}/cpu-s), jsonl {(jsonlRates.Count > 0 ? Median([.. jsonlRates]) : 0):N0}/s, {(double)store.ColumnBytes / store.Count} B/record columns + {(double)store.DictionaryBytes / store.Count:F1} B/record dictionaries, first-query sort {sortMs:F0} ms"));
    }

    private static void HllError(int seeds, int distinct)
    {
        var generator = new ProgrammeGenerator(1, 0, schools: 10, districts: 2);
        var activity = generator.Dataset.Activities[0];
        var errors = new double[seeds];
        for (var seed = 0; seed < seeds; seed++)
        {
            var store = new ParticipationStore(generator.Dataset);
            store.Append(Enumerable.Range(0, distinct).Select(i => new ParticipationRecord(
                new BeneficiaryKey(string.Create(CultureInfo.InvariantCulture, $"s{seed}-b{i}")), activity.Id, activity.Date, BeneficiaryRole.Student,
                Sex.Female, AgeBand.Age10To14, DeliveryMode.InPerson, true)));
            var estimate = store.Query().Measure(Measure.ApproximateUniqueBeneficiaries).Run().Rows[0][Measure.ApproximateUniqueBeneficiaries]!.Value;
            errors[seed] = (estimate - distinct) / distinct;
        }
        var rms = Math.Sqrt(errors.Average(e => e * e));
        var result = new Dictionary<string, object>
        {
            ["seeds"] = seeds,
            ["distinct"] = distinct,
            ["documentedRelativeError"] = Measures.ApproximateUniqueRelativeError,
            ["rmsRelativeError"] = rms,
            ["meanRelativeError"] = errors.Average(),
            ["maxAbsRelativeError"] = errors.Max(Math.Abs),
            ["withinTwiceBound"] = errors.Count(e => Math.Abs(e) <= 2 * Measures.ApproximateUniqueRelativeError),
        };
        Console.WriteLine(JsonSerializer.Serialize(result));
    }

    /// <summary>
    /// A file's size in bytes; for a symbolic link, its target's (a data folder of links to shared files is common, and
    /// <see cref="FileInfo.Length"/> of a link is the length of the path it holds).
    /// </summary>
    internal static long FileBytes(string path)
    {
        var info = new FileInfo(path);
        return (info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info).Length;
    }

    internal static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
