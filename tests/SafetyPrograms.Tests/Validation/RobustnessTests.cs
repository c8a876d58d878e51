using System.Text.RegularExpressions;
using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;
using static SafetyPrograms.Tests.Validation.TestData;

namespace SafetyPrograms.Tests.Validation;

public sealed partial class RobustnessTests
{
    [Fact]
    public void Validate_EmptyDataset_HasNoFindings()
    {
        var report = ProgrammeValidator.Validate(new ProgrammeDataset(ProgrammeDataset.CurrentSchemaVersion, [], []));

        Assert.Empty(report.Findings);
    }

    [Fact]
    public void Validate_DefaultIds_ReportsInsteadOfThrowing()
    {
        var dataset = Dataset(activities: [new Activity(default, default, ActivityKind.Workshop, DeliveryMode.Online, D("2024-02-01"))]);

        var report = ProgrammeValidator.Validate(dataset);

        Assert.Contains(report.Findings, f => f.Code == "SP1103" && f.Path == "activities[0].phase");
    }

    [Fact]
    public void Validate_SeededRandomDatasets_NeverThrowAndEveryFindingIsACatalogueRuleWithAPath()
    {
        var random = new Random(424242);
        var seen = new HashSet<string>();
        for (var run = 0; run < 200; run++)
        {
            var dataset = RandomDataset(random);

            var report = ProgrammeValidator.Validate(dataset);

            seen.UnionWith(report.Findings.Select(f => f.Code));

            Assert.All(report.Findings, f =>
            {
                Assert.NotNull(ValidationRules.Find(f.Code));
                Assert.Matches(PathPattern(), f.Path);
            });
        }
        Assert.True(seen.Count >= 25, $"The random datasets exercised only {seen.Count} rules: {string.Join(", ", seen.Order())}.");
    }

    [Fact]
    public void Validate_CleanStream_AllocatesNothingPerRecord()
    {
        var validator = new ParticipationValidator(Dataset());
        var record = new ParticipationRecord(
            new("k-1"), new("a1"), D("2024-02-10"), BeneficiaryRole.Student, Sex.Male, AgeBand.Age10To14, DeliveryMode.InPerson, true, new("school-1"), 3, 9);
        var small = Enumerable.Range(0, 10).Select(i => ParticipationReadResult.Success(i + 2, record)).ToArray();
        var large = Enumerable.Range(0, 100_000).Select(i => ParticipationReadResult.Success(i + 2, record)).ToArray();
        SettleTiering(() =>
        {
            validator.Validate(small);
            validator.Validate(large);
        });

        // Only this thread's allocations are counted, so other tests running beside this one add nothing. What is left
        // beside the records' own is the runtime's, made once while a method still changes tier (a call count reached,
        // a loop moved to optimised code); under load the background compiler falls behind and such a change can land in
        // a measured run. A per-record allocation shows in every run (24 B a record is 2.4 MB here): the least of three
        // runs must be under 1 KB, as a single run had to be.
        var runs = new List<(long Small, long Large)>();
        for (var attempt = 0; attempt < 3 && (runs.Count == 0 || runs.Min(r => r.Large - r.Small) >= 1024); attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            validator.Validate(small);
            var forSmall = GC.GetAllocatedBytesForCurrentThread() - before;
            before = GC.GetAllocatedBytesForCurrentThread();
            var report = validator.Validate(large);
            var forLarge = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(100_000, report.Participation!.Accepted);
            runs.Add((forSmall, forLarge));
        }

        Assert.True(
            runs.Min(r => r.Large - r.Small) < 1024,
            "10 records then 100,000 allocated " + string.Join("; ", runs.Select(r => $"{r.Small} B then {r.Large} B")) + ".");
    }

    /// <summary>
    /// Runs <paramref name="work"/> until the methods it calls have stopped being compiled: twice in a row, a run and a
    /// pause for the background compiler compile nothing new (at most 10 runs: other tests compile beside it), so a measurement after it meets
    /// optimised code rather than the tier changes on the way there.
    /// </summary>
    private static void SettleTiering(Action work)
    {
        var quiet = 0;
        for (var run = 0; run < 10 && quiet < 2; run++)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            work();
            Thread.Sleep(200); // the tiering delay (100 ms) passes and queued tier-1 compilations can run
            quiet = System.Runtime.JitInfo.GetCompiledMethodCount() == compiled ? quiet + 1 : 0;
        }
    }

    private static ProgrammeDataset RandomDataset(Random random)
    {
        string Pick(string prefix, int pool) => $"{prefix}-{random.Next(pool)}";
        LocalDate Date() => new LocalDate(2023, 1, 1).PlusDays(random.Next(1200));
        DatePeriod Span() { var start = Date(); return new(start, random.Next(5) == 0 ? null : start.PlusDays(random.Next(400))); }
        DateInterval Closed() { var start = Date(); return new(start, start.PlusDays(random.Next(400))); }
        T One<T>(T[] values) => values[random.Next(values.Length)];
        var units = Enum.GetValues<IndicatorUnit>();

        var indicators = Enumerable.Range(0, random.Next(4)).Select(_ => new Indicator(
            new(Pick("i", 4)), "Indicator", One(units), ResultLevel.Output, One(Enum.GetValues<CountingBasis>()), One(Enum.GetValues<Accumulation>()),
            One(Enum.GetValues<Direction>()), random.Next(3) == 0 ? new Baseline(Date(), random.Next(-5, 200)) : null,
            random.Next(2) == 0 ? random.Next(-10, 5) : null, random.Next(2) == 0 ? random.Next(5, 150) : null)).ToList();
        var schools = Enumerable.Range(0, random.Next(5)).Select(_ => new School(
            new(Pick("s", 5)), "School", SchoolSector.Public,
            new AdministrativeLocation(CountryCode.Pakistan, new(One(["PK-PB", "PK-SD", "PK-XX", "PK-IS"])), One(["Lahore", "lahore", "Quetta"])),
            random.Next(2) == 0 ? Pick("E", 3) : null)).ToList();
        List<Target> Targets() => [.. Enumerable.Range(0, random.Next(3)).Select(_ => new Target(new(Pick("i", 5)), Closed(), random.Next(0, 120)))];
        var partnerships = Enumerable.Range(0, random.Next(1, 3)).Select(_ => new Partnership(
            new(Pick("p", 3)), "Programme", Span(), ProgrammeStatus.Active,
            [.. Enumerable.Range(0, random.Next(3)).Select(_ => new PartnershipMember(new(Pick("o", 4)), One(Enum.GetValues<PartnershipRole>())))],
            [.. Enumerable.Range(0, random.Next(3)).Select(_ => new Phase(new(Pick("ph", 4)), random.Next(1, 3), "Phase", Span(), ProgrammeStatus.Active,
                [.. Enumerable.Range(0, random.Next(3)).Select(_ => new Id<School>(Pick("s", 6)))], Targets()))],
            Targets(),
            [.. Enumerable.Range(0, random.Next(2)).Select(_ => new Milestone(new(Pick("m", 2)), "Milestone", Date(), One(Enum.GetValues<MilestoneStatus>()),
                random.Next(2) == 0 ? Date() : null))],
            random.Next(3) == 0 ? new CountryCode("BD") : CountryCode.Pakistan)).ToList();
        var cohorts = Enumerable.Range(0, random.Next(4)).Select(_ => new Cohort(
            new(Pick("c", 4)), new(Pick("ph", 5)), One(Enum.GetValues<BeneficiaryRole>()), Sex.NotRecorded, AgeBand.NotRecorded, random.Next(50),
            random.Next(2) == 0 ? new Id<School>(Pick("s", 6)) : null)).ToList();
        var activities = Enumerable.Range(0, random.Next(4)).Select(_ => new Activity(
            new(Pick("a", 4)), new(Pick("ph", 5)), ActivityKind.Workshop, One(Enum.GetValues<DeliveryMode>()), Date(),
            random.Next(2) == 0 ? new Id<School>(Pick("s", 6)) : null, random.Next(2) == 0 ? new Id<Organisation>(Pick("o", 5)) : null,
            attendance: [.. Enumerable.Range(0, random.Next(3)).Select(_ => new Attendance(new(Pick("c", 5)), random.Next(60)))])).ToList();
        var categories = new[] { "female", "male", "notRecorded", "girls", "PK-PB", "PK-XX", "IN-MH", "10-14", "student", "x" };
        var actuals = Enumerable.Range(0, random.Next(6)).Select(_ => new ReportedActual(
            new(Pick("i", 5)), new(Pick("p", 4)), Closed(), random.Next(0, 300) + (random.Next(4) == 0 ? 0.5m : 0),
            random.Next(2) == 0 ? new Id<Phase>(Pick("ph", 5)) : null, One(Enum.GetValues<FigureDerivation>()),
            [.. Enumerable.Range(0, random.Next(3)).Select(_ => new Disaggregation(One(Enum.GetValues<DisaggregationDimension>()),
                [.. Enumerable.Range(0, random.Next(4)).Select(_ => new DisaggregationCell(One(categories), random.Next(100)))]))],
            random.Next(2) == 0 ? new Id<Organisation>(Pick("o", 5)) : null)).ToList();
        var organisations = Enumerable.Range(0, random.Next(4)).Select(_ => new Organisation(new(Pick("o", 4)), "Org", OrganisationKind.Ngo)).ToList();
        return new ProgrammeDataset(random.Next(10) == 0 ? "2.0" : "1.0", organisations, partnerships, indicators, schools, cohorts, activities, actuals);
    }

    [GeneratedRegex(@"^(\$|schemaVersion|[a-z]+\[\d+\](\.[a-zA-Z]+(\[\d+\])?)*)$")]
    private static partial Regex PathPattern();
}
