using System.Text;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Aggregation;
using SafetyPrograms.Tests.Support;

namespace SafetyPrograms.Tests.Exchange;

/// <summary>The standards' own files in <c>../shared/interop</c>, and the tools that check against them.</summary>
internal static class Interop
{
    public static string Folder { get; } = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "interop"));

    public static string? MissingReason => Directory.Exists(Folder)
        ? null
        : "needs ../shared/interop beside the repository (the IATI, ADX, HXL and SDMX schemas, code lists and rules)";

    public static string IatiSchema => Path.Combine(Folder, "iati", "iati-activities-schema.xsd");

    public static string AdxLooseSchema => Path.Combine(Folder, "adx", "schema", "adx_loose.xsd");

    public static string SdmxMessageSchema => Path.Combine(Folder, "sdmx", "sdmx-ml-2.1", "schemas", "SDMXMessage.xsd");

    /// <summary>Runs <c>xmllint --nonet --noout --schema</c>; the result says whether the file is valid.</summary>
    public static ProcessResult Xmllint(string schema, string file) =>
        ProcessRunner.Run(ExternalTool.Find("xmllint")!, ["--nonet", "--noout", "--schema", schema, file], Path.GetDirectoryName(file)!, TimeSpan.FromMinutes(2));

    /// <summary>
    /// The strict ADX schema for a structure, made by the IHE stylesheet, in a folder where its import of the SDMX common
    /// schema resolves (the loose schema's own copy).
    /// </summary>
    public static string StrictAdxSchema(string structureFile, string folder)
    {
        var schemaFolder = Path.Combine(folder, "strict");
        Directory.CreateDirectory(schemaFolder);
        var sdmx = Path.Combine(schemaFolder, "sdmx");
        if (!Directory.Exists(sdmx))
        {
            Directory.CreateSymbolicLink(sdmx, Path.Combine(Folder, "adx", "schema", "sdmx"));
        }
        var result = ProcessRunner.Run(ExternalTool.Find("xsltproc")!, ["--nonet", "-o", Path.Combine(schemaFolder, "strict.xsd"), Path.Combine(Folder, "adx", "xslt", "dsd2adx2.xsl"), structureFile],
            folder, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.ToString());
        return Path.Combine(schemaFolder, "strict.xsd");
    }
}

/// <summary>A fact that needs <c>../shared/interop</c> and, optionally, programs: skipped with the reason when one is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class InteropFactAttribute : FactAttribute
{
    /// <summary>Skips the test unless the interop folder and every one of <paramref name="tools"/> are there.</summary>
    public InteropFactAttribute(params string[] tools) => Skip = Interop.MissingReason ?? ExternalTool.MissingReason(tools);
}

/// <summary>A theory that needs <c>../shared/interop</c> and, optionally, programs: skipped with the reason when one is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class InteropTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips the test unless the interop folder and every one of <paramref name="tools"/> are there.</summary>
    public InteropTheoryAttribute(params string[] tools) => Skip = Interop.MissingReason ?? ExternalTool.MissingReason(tools);
}

/// <summary>The data the export tests run over: the sample programmes, and generated ones.</summary>
internal static class ExchangeSamples
{
    public static readonly Instant Exported = Instant.FromUtc(2026, 2, 1, 0, 0);

    public static readonly LocalDate AsOf = new(2026, 1, 31);

    public static ProgrammeDataset SampleDataset()
    {
        using var stream = File.OpenRead(Path.Combine(RepositoryPaths.SamplesData, "programmes.json"));
        return ProgrammeDatasetJson.Read(stream, "programmes.json");
    }

    /// <summary>The sample programmes with the sample participation log, under <paramref name="policy"/> (the default policy when null).</summary>
    public static ExchangeData Sample(PublicationPolicy? policy = null)
    {
        var dataset = SampleDataset();
        var store = new ParticipationStore(dataset);
        using (var log = File.OpenRead(Path.Combine(RepositoryPaths.SamplesData, "participations.csv")))
        {
            Assert.True(store.AppendCsv(log, "participations.csv").IsClean);
        }
        return ExchangeData.Publish(dataset, policy ?? PublicationPolicy.Default, AsOf, Exported, store);
    }

    public static AdxMapping SampleMapping()
    {
        using var stream = File.OpenRead(Path.Combine(RepositoryPaths.SamplesData, "adx-mapping.json"));
        return AdxMapping.Read(stream, "adx-mapping.json");
    }

    /// <summary>
    /// A generated programme (<see cref="TestProgramme"/>: beneficiaries at several schools, skewed records) with what an
    /// export needs: a lead with an IATI identifier, a country, unique-reach targets on partnerships and phases, and
    /// reported attendance and percentage figures with random breakdowns by sex, role, age band and province.
    /// </summary>
    public static (ProgrammeDataset Dataset, ParticipationStore Store) Generated(int seed, int records = 2500)
    {
        var programme = TestProgramme.Build(seed, records: records, beneficiaries: 300);
        var source = programme.Dataset;
        var rng = new Random(seed);
        var lead = new Organisation(new Id<Organisation>("org-lead"), "A UN agency", OrganisationKind.UnAgency, CountryCode.Pakistan, "UN", new IatiIdentifier("XM-DAC-41122"));
        Indicator[] indicators =
        [
            new(new Id<Indicator>("REACH"), "People reached", IndicatorUnit.Count, ResultLevel.Output, CountingBasis.UniquePeople, Accumulation.Cumulative),
            new(new Id<Indicator>("SEATS"), "Attendances", IndicatorUnit.Count, ResultLevel.Output, CountingBasis.Attendances, Accumulation.Incremental),
            new(new Id<Indicator>("SKILL"), "Share able to report abuse", IndicatorUnit.Percent, ResultLevel.Outcome, CountingBasis.UniquePeople, Accumulation.LastValue,
                baseline: new Baseline(new LocalDate(2023, 1, 15), 20m)),
        ];
        var partnerships = new List<Partnership>();
        var actuals = new List<ReportedActual>();
        foreach (var p in source.Partnerships)
        {
            var phases = p.Phases.Select(ph => new Phase(ph.Id, ph.Sequence, ph.Name, ph.Period, ph.Status, ph.Schools,
                [new Target(indicators[0].Id, ph.Period.ToInterval(AsOf), 100 + rng.Next(1000))])).ToList();
            partnerships.Add(new Partnership(
                p.Id, p.Name, p.Period, p.Status, [new PartnershipMember(lead.Id, PartnershipRole.Lead), .. p.Members], phases,
                [new Target(indicators[0].Id, p.Period.ToInterval(AsOf), 2000)], country: CountryCode.Pakistan, description: "Generated for the export tests."));
            for (var year = 2023; year <= 2025; year++)
            {
                var period = new DateInterval(new LocalDate(year, 1, 1), new LocalDate(year, 12, 31));
                actuals.Add(Reported(rng, indicators[1].Id, p.Id, period, count: true));
                actuals.Add(Reported(rng, indicators[2].Id, p.Id, period, count: false));
            }
        }
        var dataset = new ProgrammeDataset(
            ProgrammeDataset.CurrentSchemaVersion, [lead, .. source.Organisations], partnerships, indicators, source.Schools, source.Cohorts,
            source.Activities, actuals, "generated");
        var store = new ParticipationStore(dataset);
        Assert.Equal(0, store.Append(programme.Records).Rejected);
        return (dataset, store);
    }

    private static ReportedActual Reported(Random rng, Id<Indicator> indicator, Id<Partnership> partnership, DateInterval period, bool count)
    {
        var total = count ? rng.Next(0, 400) : rng.Next(0, 101);
        var breakdowns = new List<Disaggregation>();
        foreach (var (dimension, categories) in new[]
        {
            (DisaggregationDimension.Sex, new[] { "female", "male", "notRecorded" }),
            (DisaggregationDimension.Role, ["student", "teacher", "parent"]),
            (DisaggregationDimension.AgeBand, ["10-14", "15-17", "18-24"]),
            (DisaggregationDimension.Province, ["PK-PB", "PK-SD", "PK-KP"]),
        })
        {
            if (rng.Next(3) == 0)
            {
                continue;
            }
            // Counts add up to the total; levels are each their own figure.
            var cuts = count ? Split(rng, total, categories.Length) : [.. categories.Select(_ => rng.Next(0, 101))];
            breakdowns.Add(new Disaggregation(dimension, [.. categories.Select((c, i) => new DisaggregationCell(c, cuts[i]))]));
        }
        return new ReportedActual(indicator, partnership, period, total, disaggregations: breakdowns, source: "generated");
    }

    private static int[] Split(Random rng, int total, int parts)
    {
        var cuts = Enumerable.Range(0, parts - 1).Select(_ => rng.Next(0, total + 1)).Append(0).Append(total).Order().ToArray();
        return [.. Enumerable.Range(0, parts).Select(i => cuts[i + 1] - cuts[i])];
    }

    /// <summary>A mapping of a generated dataset to made-up DHIS2 codes, as JSON (so it goes through the reader's checks).</summary>
    public static AdxMapping GeneratedMapping(ProgrammeDataset dataset, IEnumerable<string>? disability = null, bool withAge = false)
    {
        var json = new StringBuilder();
        json.Append("{\"dataSet\":\"SP_TEST\",\"dataElements\":{");
        json.AppendJoin(',', dataset.Indicators.Select(i => $"\"{i.Id}\":\"DE_{i.Id}\""));
        json.Append("},\"orgUnits\":{\"PK\":\"OU_PK\",");
        json.AppendJoin(',', Subdivisions.Pakistan.Select(s => $"\"{s.Code}\":\"OU_{s.Code.Value.Replace('-', '_')}\""));
        json.Append("},\"programmes\":{");
        json.AppendJoin(',', dataset.Partnerships.SelectMany(p => p.Phases.Select(ph => ph.Id.Value).Prepend(p.Id.Value)).Select(id => $"\"{id}\":\"PR_{id.Replace('-', '_')}\""));
        json.Append("},\"categories\":{");
        json.Append("\"sex\":{\"attribute\":\"sex\",\"options\":{\"female\":\"F\",\"male\":\"M\",\"other\":\"O\",\"notRecorded\":\"U\"}},");
        json.Append("\"role\":{\"attribute\":\"role\",\"options\":{\"student\":\"S\",\"youth\":\"Y\",\"teacher\":\"T\",\"parent\":\"P\",\"community\":\"C\"}},");
        json.Append("\"ageBand\":{\"attribute\":\"ageGroup\",\"options\":{\"0-4\":\"A0\",\"5-9\":\"A1\",\"10-14\":\"A2\",\"15-17\":\"A3\",\"18-24\":\"A4\",\"25-49\":\"A5\",\"50+\":\"A6\",\"18+\":\"A7\",\"notRecorded\":\"AU\"}}");
        if (withAge)
        {
            json.Append(",\"age\":{\"attribute\":\"ageUnChild\",\"options\":{\"0-4\":\"U0\",\"5-9\":\"U1\",\"10-14\":\"U2\",\"15-17\":\"U3\",\"18+\":\"U4\",\"notComparable\":\"UN\",\"notRecorded\":\"UU\"}}");
        }
        if (disability is not null)
        {
            json.Append(",\"disability\":{\"attribute\":\"disability\",\"options\":{");
            json.AppendJoin(',', disability.Select((c, i) => $"\"{c}\":\"D{i}\""));
            json.Append("}}");
        }
        json.Append("}}");
        return AdxMapping.Read(new MemoryStream(Encoding.UTF8.GetBytes(json.ToString())), "generated.json");
    }

    /// <summary>Writes one export to a file in <paramref name="folder"/> and returns its path.</summary>
    public static string WriteFile(string folder, string name, Action<Stream> write)
    {
        var path = Path.Combine(folder, name);
        using (var stream = File.Create(path))
        {
            write(stream);
        }
        return path;
    }

    /// <summary>The reported actuals an export of <paramref name="data"/> must give back: each published total, with its published one-dimension breakdowns our model carries.</summary>
    public static List<string> ExpectedActuals(ExchangeData data, Func<ExchangeSeries, bool>? include = null, ISet<string>? dimensions = null) =>
    [
        .. data.Series.Where(s => s.Total.Value is not null && (include?.Invoke(s) ?? true)).Select(s => Describe(
            s.Indicator.Id, s.Partnership, s.Phase, s.Period, s.Total.Value!.Value,
            s.Figures.Where(f => f.Breakdown.Count == 1 && f.Value is not null && EnumNames<DisaggregationDimension>.TryParse(f.Breakdown[0].Dimension, out _)
                    && (dimensions?.Contains(f.Breakdown[0].Dimension) ?? true))
                .Select(f => (f.Breakdown[0].Dimension, f.Breakdown[0].Category, f.Value!.Value)))),
    ];

    public static List<string> Describe(IEnumerable<ReportedActual> actuals) =>
    [
        .. actuals.Select(a => Describe(a.Indicator, a.Partnership, a.Phase, a.Period, a.Value,
            a.Disaggregations.SelectMany(d => d.Cells.Select(c => (EnumNames<DisaggregationDimension>.NameOf(d.Dimension), c.Category, c.Value))))),
    ];

    private static string Describe(
        Id<Indicator> indicator, Id<Partnership> partnership, Id<Phase>? phase, DateInterval period, decimal value, IEnumerable<(string Dimension, string Category, decimal Value)> cells) =>
        $"{indicator} {partnership}/{phase} {period.Start:uuuu-MM-dd}..{period.End:uuuu-MM-dd} = {ExchangeText.Number(value)}: "
        + string.Join("; ", cells.Select(c => $"{c.Dimension} {c.Category} {ExchangeText.Number(c.Value)}").Order(StringComparer.Ordinal));
}
