using BenchmarkDotNet.Attributes;
using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Benchmarks.Validation;

/// <summary>
/// Validation of a seed-shaped dataset (2 phases, 100 schools in all provinces, 600 activities) and of a
/// 1,000,000-record participation stream against it. Records per second = 1,000,000 / mean time of the stream benchmarks.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private const int RecordCount = 1_000_000;

    private ProgrammeDataset _dataset = null!;
    private ProgrammeDataset _shippedSample = null!;
    private ParticipationValidator _validator = null!;
    private ParticipationReadResult[] _cleanStream = null!;
    private ParticipationReadResult[] _streamWithErrors = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dataset = SeedShapedDataset();
        _shippedSample = ShippedSample();
        _validator = new ParticipationValidator(_dataset);
        _cleanStream = Stream(errorEvery: 0);
        _streamWithErrors = Stream(errorEvery: 1000);
    }

    [Benchmark]
    public ValidationReport ValidateDataset() => ProgrammeValidator.Validate(_dataset);

    /// <summary>The sample the repository ships (samples/data/programmes.json: 5 partnerships, 160 schools, 1,186 activities).</summary>
    [Benchmark]
    public ValidationReport ValidateShippedSample() => ProgrammeValidator.Validate(_shippedSample);

    [Benchmark(Baseline = true)]
    public ValidationReport ValidateMillionRecordStream() => _validator.Validate(_cleanStream);

    [Benchmark]
    public ValidationReport ValidateMillionRecordStreamOneInThousandBad() => _validator.Validate(_streamWithErrors);

    private static ProgrammeDataset ShippedSample()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "samples", "data", "programmes.json");
            if (File.Exists(path))
            {
                using var stream = File.OpenRead(path);
                return ProgrammeDatasetJson.Read(stream, path);
            }
        }
        throw new FileNotFoundException("samples/data/programmes.json was not found above " + AppContext.BaseDirectory);
    }

    private static readonly string[] Provinces = ["PK-PB", "PK-SD", "PK-KP", "PK-BA", "PK-IS", "PK-GB", "PK-JK"];

    private static LocalDate Day(int year, int month, int day) => new(year, month, day);

    internal static ProgrammeDataset SeedShapedDataset()
    {
        var schools = Enumerable.Range(0, 100)
            .Select(i => new School(
                new($"school-{i:000}"), $"Government School {i}", SchoolSector.Public,
                new AdministrativeLocation(CountryCode.Pakistan, new(Provinces[i % Provinces.Length]), $"District {i % Provinces.Length}-{i / 20}"),
                $"EMIS-{i:00000}", "illustrative"))
            .ToList();
        var phase1 = new Phase(new("phase-1"), 1, "Launch", new DatePeriod(Day(2024, 2, 1), Day(2024, 12, 31)), ProgrammeStatus.Completed,
            [schools[0].Id, schools[1].Id], [new(new("reach"), new DateInterval(Day(2024, 2, 1), Day(2024, 12, 31)), 1800)]);
        var phase2 = new Phase(new("phase-2"), 2, "Extension", new DatePeriod(Day(2025, 1, 1), Day(2026, 12, 31)), ProgrammeStatus.Active,
            [.. schools.Select(s => s.Id)], [new(new("reach"), new DateInterval(Day(2025, 1, 1), Day(2026, 12, 31)), 50_000)]);
        var partnership = new Partnership(
            new("platform-ngo"), "Safer Internet in Schools", new DatePeriod(Day(2024, 2, 1), Day(2026, 12, 31)), ProgrammeStatus.Active,
            [new(new("platform"), PartnershipRole.Lead), new(new("ngo"), PartnershipRole.Implementing), new(new("ministry"), PartnershipRole.Endorsing)],
            [phase1, phase2],
            [new(new("reach"), new DateInterval(Day(2024, 2, 1), Day(2026, 12, 31)), 51_800)],
            [new(new("signing"), "Extension signed", Day(2025, 1, 15), MilestoneStatus.Achieved, Day(2025, 1, 10))],
            CountryCode.Pakistan, source: "illustrative");
        var cohorts = new List<Cohort>();
        var activities = new List<Activity>();
        BeneficiaryRole[] roles = [BeneficiaryRole.Student, BeneficiaryRole.Teacher, BeneficiaryRole.Parent];
        for (var s = 0; s < schools.Count; s++)
        {
            var phase = s < 2 ? phase1 : phase2;
            foreach (var role in roles)
            {
                cohorts.Add(new(new($"c-{s:000}-{role}"), phase.Id, role, Sex.NotRecorded, AgeBand.NotRecorded, role == BeneficiaryRole.Student ? 400 : 40, schools[s].Id));
            }
            for (var a = 0; a < 6; a++)
            {
                activities.Add(new(
                    new($"a-{s:000}-{a}"), phase.Id, ActivityKind.Workshop, a % 3 == 0 ? DeliveryMode.Hybrid : DeliveryMode.InPerson,
                    phase.Period.Start.PlusDays(10 + (a * 30)), schools[s].Id, new("ngo"), 90, "Safer Internet workshop",
                    [new(new($"c-{s:000}-Student"), 350), new(new($"c-{s:000}-Teacher"), 30)]));
            }
        }
        Indicator[] indicators =
        [
            new(new("reach"), "Children and adults trained", IndicatorUnit.Count, ResultLevel.Output, CountingBasis.UniquePeople, Accumulation.Cumulative),
            new(new("knowledge"), "Knowledge score", IndicatorUnit.Score, ResultLevel.Outcome, CountingBasis.UniquePeople, Accumulation.LastValue, minimum: 0, maximum: 10),
        ];
        var actuals = Enumerable.Range(0, 8)
            .Select(q => new ReportedActual(
                new("reach"), partnership.Id, new DateInterval(Day(2025, 1, 1), Day(2025, 1, 1).PlusMonths(3 * (q + 1)).PlusDays(-1)), 5000m * (q + 1), phase2.Id,
                disaggregations: [new(DisaggregationDimension.Sex, [new("female", 2400m * (q + 1)), new("male", 2500m * (q + 1)), new("notRecorded", 100m * (q + 1))])]))
            .ToList();
        return new ProgrammeDataset(
            ProgrammeDataset.CurrentSchemaVersion,
            [new(new("platform"), "Video Platform", OrganisationKind.Platform), new(new("ngo"), "Education NGO", OrganisationKind.Ngo),
             new(new("ministry"), "IT Ministry", OrganisationKind.Ministry, CountryCode.Pakistan)],
            [partnership], indicators, schools, cohorts, activities, actuals, "Illustrative, seed-shaped benchmark dataset.");
    }

    private ParticipationReadResult[] Stream(int errorEvery)
    {
        var random = new Random(20251203);
        var activities = _dataset.Activities;
        var keys = Enumerable.Range(0, 50_000).Select(i => new BeneficiaryKey($"k{i:x8}")).ToArray();
        var stream = new ParticipationReadResult[RecordCount];
        for (var i = 0; i < stream.Length; i++)
        {
            var activity = activities[random.Next(activities.Count)];
            var bad = errorEvery > 0 && i % errorEvery == errorEvery - 1;
            var record = new ParticipationRecord(
                keys[random.Next(keys.Length)], activity.Id, bad ? activity.Date.PlusYears(5) : activity.Date,
                random.Next(10) == 0 ? BeneficiaryRole.Teacher : BeneficiaryRole.Student, (Sex)random.Next(4), AgeBand.Age10To14,
                DeliveryMode.InPerson, random.Next(5) != 0, activity.School, random.Next(0, 6), random.Next(4, 11));
            stream[i] = ParticipationReadResult.Success(i + 2, record);
        }
        return stream;
    }
}
