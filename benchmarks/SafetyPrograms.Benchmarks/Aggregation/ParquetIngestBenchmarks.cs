using BenchmarkDotNet.Attributes;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Parquet;

namespace SafetyPrograms.Benchmarks.Aggregation;

/// <summary>
/// Ingest of the same seeded records from Parquet (written by our writer) beside CSV and JSON Lines (inherited), all
/// held in memory; and file to first answer from Parquet and from CSV: ingest, the first query's sort and Q1.
/// </summary>
public class ParquetIngestBenchmarks : IngestBenchmarks
{
    private byte[] _parquet = [];

    private protected override void Setup(ProgrammeGenerator generator)
    {
        base.Setup(generator);
        var parquet = new MemoryStream();
        ParticipationParquet.Write(parquet, generator.ParticipationRecords());
        _parquet = parquet.ToArray();
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
