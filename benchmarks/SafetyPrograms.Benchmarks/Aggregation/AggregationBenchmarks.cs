using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Benchmarks.Aggregation;

/// <summary>Q1–Q6 on the seeded programme: our engine against LINQ as a user would write it (the baseline).</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AggregationBenchmarks
{
    private ParticipationStore _store = null!;
    private BenchmarkQueries.Linq _linq = null!;

    [Params(1_000_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var generator = new ProgrammeGenerator(42, Records);
        _store = new ParticipationStore(generator.Dataset);
        _store.Append(generator.ParticipationRecords());
        _store.Query().Run();
        _linq = new BenchmarkQueries.Linq(generator.Dataset, generator.ParticipationRecords().ToList());
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Q1")]
    public object Q1Linq() => _linq.Run(0);

    [Benchmark, BenchmarkCategory("Q1")]
    public object Q1Engine() => BenchmarkQueries.Engine(_store, 0);

    [Benchmark(Baseline = true), BenchmarkCategory("Q2")]
    public object Q2Linq() => _linq.Run(1);

    [Benchmark, BenchmarkCategory("Q2")]
    public object Q2Engine() => BenchmarkQueries.Engine(_store, 1);

    [Benchmark(Baseline = true), BenchmarkCategory("Q3")]
    public object Q3Linq() => _linq.Run(2);

    [Benchmark, BenchmarkCategory("Q3")]
    public object Q3Engine() => BenchmarkQueries.Engine(_store, 2);

    [Benchmark(Baseline = true), BenchmarkCategory("Q4")]
    public object Q4Linq() => _linq.Run(3);

    [Benchmark, BenchmarkCategory("Q4")]
    public object Q4Engine() => BenchmarkQueries.Engine(_store, 3);

    [Benchmark(Baseline = true), BenchmarkCategory("Q5")]
    public object Q5Linq() => _linq.Run(4);

    [Benchmark, BenchmarkCategory("Q5")]
    public object Q5Engine() => BenchmarkQueries.Engine(_store, 4);

    [Benchmark(Baseline = true), BenchmarkCategory("Q6")]
    public object Q6Linq() => _linq.Run(5);

    [Benchmark, BenchmarkCategory("Q6")]
    public object Q6Engine() => BenchmarkQueries.Engine(_store, 5);
}

/// <summary>Ingest of the seeded records from CSV and JSON Lines held in memory, and from record objects.</summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    private protected ProgrammeDataset _dataset = null!;
    private protected byte[] _csv = [];
    private byte[] _jsonl = [];

    [Params(1_000_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup() => Setup(new ProgrammeGenerator(42, Records));

    /// <summary>The data, from the seeded generator.</summary>
    private protected virtual void Setup(ProgrammeGenerator generator)
    {
        _dataset = generator.Dataset;
        _csv = Encoding.UTF8.GetBytes("beneficiary,activity,date,role,sex,ageBand,mode,completed,school,preScore,postScore\n"
            + string.Join('\n', generator.CsvLines()) + "\n");
        _jsonl = Encoding.UTF8.GetBytes(string.Join('\n', generator.JsonLines()) + "\n");
    }

    [Benchmark]
    public int Csv()
    {
        var store = new ParticipationStore(_dataset);
        store.AppendCsv(new MemoryStream(_csv));
        return store.Count;
    }

    [Benchmark]
    public int JsonLines()
    {
        var store = new ParticipationStore(_dataset);
        store.AppendJsonLines(new MemoryStream(_jsonl));
        return store.Count;
    }
}
