using System.Text;
using BenchmarkDotNet.Attributes;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Parquet;

namespace SafetyPrograms.Benchmarks.Aggregation;

/// <summary>
/// Ingest of the same seeded records from Parquet (written by our writer) and from CSV, both held in memory; and file to
/// first answer from each: ingest, the first query's sort and Q1.
/// </summary>
[MemoryDiagnoser]
public class ParquetIngestBenchmarks
{
    private ProgrammeDataset _dataset = null!;
    private byte[] _csv = [];
    private byte[] _parquet = [];

    [Params(1_000_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var generator = new ProgrammeGenerator(42, Records);
        _dataset = generator.Dataset;
        _csv = Encoding.UTF8.GetBytes("beneficiary,activity,date,role,sex,ageBand,mode,completed,school,preScore,postScore\n"
            + string.Join('\n', generator.CsvLines()) + "\n");
        var parquet = new MemoryStream();
        ParticipationParquet.Write(parquet, generator.ParticipationRecords());
        _parquet = parquet.ToArray();
    }

    [Benchmark(Baseline = true)]
    public int Csv()
    {
        var store = new ParticipationStore(_dataset);
        store.AppendCsv(new MemoryStream(_csv));
        return store.Count;
    }

    [Benchmark]
    public int Parquet()
    {
        var store = new ParticipationStore(_dataset);
        store.AppendParquet(new MemoryStream(_parquet));
        return store.Count;
    }

    [Benchmark]
    public object CsvToFirstAnswer()
    {
        var store = new ParticipationStore(_dataset);
        store.AppendCsv(new MemoryStream(_csv));
        return BenchmarkQueries.Engine(store, 0);
    }

    [Benchmark]
    public object ParquetToFirstAnswer()
    {
        var store = new ParticipationStore(_dataset);
        store.AppendParquet(new MemoryStream(_parquet));
        return BenchmarkQueries.Engine(store, 0);
    }
}
