using BenchmarkDotNet.Attributes;
using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Benchmarks.Serialization;

/// <summary>
/// Reading participation records into typed records from CSV and JSON Lines held in memory (so the figure is the
/// parser's, not the disk's). Divide <see cref="Records"/> by the mean time for records per second.
/// </summary>
[MemoryDiagnoser]
public class ParticipationReadBenchmarks
{
    private byte[] _csv = [];
    private byte[] _jsonLines = [];

    [Params(100_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var activities = Enumerable.Range(0, 1000).Select(i => new Id<Activity>($"act-{i:D4}")).ToArray();
        var schools = Enumerable.Range(0, 200).Select(i => new Id<School>($"sch-{i:D3}")).ToArray();
        var records = Enumerable.Range(0, Records).Select(i => new ParticipationRecord(
            new BeneficiaryKey($"k-{random.Next():x8}"), activities[random.Next(activities.Length)],
            new LocalDate(2023, 1, 1).PlusDays(random.Next(900)), (BeneficiaryRole)random.Next(5), (Sex)random.Next(4),
            (AgeBand)random.Next(7), (DeliveryMode)random.Next(3), random.Next(2) == 0,
            random.Next(3) == 0 ? null : schools[random.Next(schools.Length)],
            random.Next(2) == 0 ? null : random.Next(0, 100) / 10m, random.Next(2) == 0 ? null : random.Next(0, 100) / 10m)).ToList();
        using var csv = new MemoryStream();
        ParticipationCsv.Write(csv, records);
        _csv = csv.ToArray();
        using var jsonLines = new MemoryStream();
        ParticipationJsonLines.Write(jsonLines, records);
        _jsonLines = jsonLines.ToArray();
    }

    [Benchmark(Baseline = true)]
    public int Csv() => Count(ParticipationCsv.Read(new MemoryStream(_csv, writable: false)));

    [Benchmark]
    public int JsonLines() => Count(ParticipationJsonLines.Read(new MemoryStream(_jsonLines, writable: false)));

    private static int Count(IEnumerable<ParticipationReadResult> results)
    {
        var read = 0;
        foreach (var result in results)
        {
            read += result.IsSuccess ? 1 : 0;
        }
        return read;
    }
}
