using BenchmarkDotNet.Attributes;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Benchmarks.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Benchmarks.Exchange;

/// <summary>
/// Exporting a generated 1.5M-record aggregate (<see cref="ProgrammeGenerator"/>'s programmes, unique reach per target
/// and phase with every breakdown, through the default policy; the main job's own seed programmes and log are timed by
/// the <c>export</c> verb, <see cref="ExportTiming"/>) in each format: publishing through one publication session, then writing the format,
/// streamed to a null sink. <see cref="Publish"/> alone shows what the writing adds; <see cref="PublishWithMarks"/> what
/// SDMX's primary and secondary marks add to the audit.
/// </summary>
[MemoryDiagnoser]
public class ExportBenchmarks
{
    private ProgrammeDataset _dataset = null!;
    private ParticipationStore _store = null!;
    private AdxMapping _mapping = null!;
    private readonly LocalDate _asOf = new(2025, 6, 30);

    [Params(1_500_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var generator = new ProgrammeGenerator(42, Records);
        var source = generator.Dataset;
        var reach = new Indicator(new Id<Indicator>("REACH"), "People reached", IndicatorUnit.Count, ResultLevel.Output, CountingBasis.UniquePeople, Accumulation.Cumulative);
        var asOf = _asOf;
        var partnerships = source.Partnerships.Select(p => new Partnership(
            p.Id, p.Name, p.Period, p.Status, p.Members,
            [.. p.Phases.Select(ph => new Phase(ph.Id, ph.Sequence, ph.Name, ph.Period, ph.Status, ph.Schools, [new Target(reach.Id, ph.Period.ToInterval(asOf), 100_000)]))],
            [new Target(reach.Id, p.Period.ToInterval(asOf), 300_000)], country: p.Country)).ToList();
        var organisations = source.Organisations.Select((o, i) => new Organisation(o.Id, o.Name, o.Kind, o.Country, o.ShortName, new IatiIdentifier($"XM-DAC-4112{i}"))).ToList();
        var dataset = new ProgrammeDataset(source.SchemaVersion, organisations, partnerships, [reach], source.Schools, source.Cohorts, source.Activities, source.Actuals);
        _dataset = dataset;
        _store = new ParticipationStore(dataset);
        _store.Append(generator.ParticipationRecords());
        var codes = dataset.Partnerships.SelectMany(p => p.Phases.Select(ph => ph.Id.Value).Prepend(p.Id.Value));
        var json = "{\"dataSet\":\"SP\",\"dataElements\":{\"REACH\":\"DE_REACH\"},\"orgUnits\":{\"PK\":\"OU_PK\","
            + string.Join(',', Subdivisions.Pakistan.Select(s => $"\"{s.Code}\":\"OU_{s.Code.Value.Replace('-', '_')}\""))
            + "},\"programmes\":{" + string.Join(',', codes.Select(c => $"\"{c}\":\"PR_{c.Replace('-', '_')}\"")) + "},\"categories\":{"
            + "\"sex\":{\"attribute\":\"sex\",\"options\":{\"female\":\"F\",\"male\":\"M\",\"other\":\"O\",\"notRecorded\":\"U\"}}}}";
        _mapping = AdxMapping.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    private ExchangeData Published(SuppressionMarks marks = SuppressionMarks.Uniform) =>
        ExchangeData.Publish(_dataset, PublicationPolicy.Default with { Marks = marks }, _asOf, Instant.FromUtc(2025, 7, 1, 0, 0), _store);

    [Benchmark(Baseline = true)]
    public ExchangeData Publish() => Published();

    [Benchmark]
    public ExportSummary Iati() => IatiActivities.Write(Published(), Stream.Null);

    [Benchmark]
    public ExportSummary Adx() => SafetyPrograms.Exchange.Adx.Write(Published(), _mapping, Stream.Null);

    [Benchmark]
    public ExportSummary HxlReach() => Hxl.WriteReach(Published(), TextWriter.Null);

    [Benchmark]
    public ExportSummary SdmxCsv() => Sdmx.WriteCsv(Published(), TextWriter.Null);

    [Benchmark]
    public ExportSummary SdmxMl() => Sdmx.WriteGenericData(Published(), Stream.Null);

    /// <summary>
    /// Publishing with SDMX's primary and secondary marks (<c>C</c> and <c>D</c>), whose audit also bounds each hidden
    /// figure by its mark; it may refuse (<see cref="Progress.AggregationRefusal.PublicationMarksDisclose"/>) where the marks alone would pin a figure.
    /// </summary>
    [Benchmark]
    public ExchangeData PublishWithMarks() => Published(SuppressionMarks.PrimaryAndSecondary);

    [Benchmark]
    public ExportSummary SdmxCsvWithMarks() => Sdmx.WriteCsv(Published(SuppressionMarks.PrimaryAndSecondary), TextWriter.Null);
}
