using System.Text;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// The row rules, one case each: a row the store refuses is refused by the validator for the same code (and the
/// other way round), and a row that only warns is counted by the store as if the warning were not there.
/// </summary>
public sealed class RowRulesTests
{
    private static readonly Id<School> Sch1 = new("sch-1"), Sch2 = new("sch-2"), Sch3 = new("sch-3");

    /// <summary>
    /// One phase (2024) enrolling sch-1 and sch-2 with a student cohort, a 0..100 score indicator, act-1 in person at
    /// sch-1 on 2024-03-01, act-2 online at no one school, act-lost in a phase the dataset lacks.
    /// </summary>
    private static readonly ProgrammeDataset Dataset = new(
        ProgrammeDataset.CurrentSchemaVersion,
        [new Organisation(new Id<Organisation>("org-1"), "An NGO", OrganisationKind.Ngo)],
        [new Partnership(
            new Id<Partnership>("p1"), "Safer schools", new DatePeriod(new LocalDate(2024, 1, 1), new LocalDate(2024, 12, 31)), ProgrammeStatus.Active,
            [new PartnershipMember(new Id<Organisation>("org-1"), PartnershipRole.Implementing)],
            [new Phase(new Id<Phase>("ph-1"), 1, "Phase 1", new DatePeriod(new LocalDate(2024, 1, 1), new LocalDate(2024, 12, 31)), ProgrammeStatus.Active, [Sch1, Sch2])])],
        indicators: [new Indicator(
            new Id<Indicator>("ind-score"), "Knowledge score", IndicatorUnit.Score, ResultLevel.Outcome, CountingBasis.UniquePeople,
            Accumulation.LastValue, minimum: 0, maximum: 100)],
        schools: [School(Sch1), School(Sch2), School(Sch3)],
        cohorts: [new Cohort(new Id<Cohort>("coh-1"), new Id<Phase>("ph-1"), BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14, 30)],
        activities:
        [
            new Activity(new Id<Activity>("act-1"), new Id<Phase>("ph-1"), ActivityKind.Workshop, DeliveryMode.InPerson, new LocalDate(2024, 3, 1), Sch1),
            new Activity(new Id<Activity>("act-2"), new Id<Phase>("ph-1"), ActivityKind.Workshop, DeliveryMode.Online, new LocalDate(2024, 3, 1)),
            new Activity(new Id<Activity>("act-lost"), new Id<Phase>("ph-missing"), ActivityKind.Workshop, DeliveryMode.Online, new LocalDate(2024, 3, 1)),
        ]);

    private static School School(Id<School> id) =>
        new(id, id.Value, SchoolSector.Public, new AdministrativeLocation(CountryCode.Pakistan, new SubdivisionCode("PK-PB"), "Lahore"));

    private static ParticipationRecord Record(
        string activity = "act-1", LocalDate? date = null, Id<School>? school = null, decimal? pre = null, decimal? post = null,
        BeneficiaryRole role = BeneficiaryRole.Student, DeliveryMode mode = DeliveryMode.InPerson, string beneficiary = "ben-1") =>
        new(new BeneficiaryKey(beneficiary), new Id<Activity>(activity), date ?? new LocalDate(2024, 3, 1), role, Sex.Female, AgeBand.Age10To14, mode, true,
            school, pre, post);

    public static TheoryData<string, string, string> Refused() => new()
    {
        { "unknown activity", "SP8002", "activity" },
        { "dated outside its phase", "SP8003", "date" },
        { "unknown school", "SP8004", "school" },
        { "another school than the activity's", "SP8005", "school" },
        { "a school not enrolled in the phase", "SP8005", "school" },
        { "score outside the indicator's range", "SP8007", "preScore" },
        { "dated before 2000", "SP8011", "date" },
        { "score with five decimal places", "SP8012", "postScore" },
        { "score over 1e9", "SP8012", "preScore" },
        { "activity in a phase the dataset lacks", "SP8014", "activity" },
    };

    private static ParticipationRecord Case(string name) => name switch
    {
        "unknown activity" => Record(activity: "act-nope"),
        "dated outside its phase" => Record(date: new LocalDate(2025, 1, 2)),
        "unknown school" => Record(school: new Id<School>("sch-nope")),
        "another school than the activity's" => Record(school: Sch2),
        "a school not enrolled in the phase" => Record(activity: "act-2", school: Sch3, mode: DeliveryMode.Online),
        "score outside the indicator's range" => Record(pre: 100.5m, post: 50),
        "dated before 2000" => Record(date: new LocalDate(1999, 12, 31)),
        "score with five decimal places" => Record(pre: 50, post: 50.00001m),
        "score over 1e9" => Record(pre: 2_000_000_000m),
        _ => Record(activity: "act-lost", mode: DeliveryMode.Online),
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Append_RowBreakingARule_RefusedWithItsCodeAndPath_AsTheValidatorRefusesIt(string name, string code, string path)
    {
        var store = new ParticipationStore(Dataset);

        var report = store.Append([Record(beneficiary: "ben-0"), Case(name)]);
        var validated = new ParticipationValidator(Dataset).Validate([ParticipationReadResult.Success(1, Record(beneficiary: "ben-0")), ParticipationReadResult.Success(2, Case(name))]);

        var reject = Assert.Single(report.Rejects);
        Assert.Equal((2L, code, path), (reject.LineNumber, reject.Code, reject.Path));
        Assert.Equal(1L, report.RejectedByCode[code]);
        Assert.Equal(1, store.Count);
        Assert.Contains(validated.Findings, f => f.Code == code && f.Path == path && f.Line == 2 && f.Severity == FindingSeverity.Error);
        Assert.Equal((1L, 1L), (validated.Participation!.Accepted, validated.Participation.Rejected));
    }

    [Fact]
    public void AppendCsv_RowBreakingARule_RefusedAsTheValidatorRefusesIt()
    {
        var records = Refused().Select(row => Case((string)row[0])).Prepend(Record(beneficiary: "ben-0")).ToList();
        var csv = Encoding.UTF8.GetBytes(ToCsv(records));

        var report = new ParticipationStore(Dataset).AppendCsv(new MemoryStream(csv), "rows.csv");
        var validated = ProgrammeValidator.ValidateParticipation(Dataset, ParticipationCsv.Read(new MemoryStream(csv), "rows.csv"));

        Assert.Equal(Enumerable.Range(3, records.Count - 1).Select(n => (long)n), report.RejectedLines);
        Assert.Equal(Refused().Select(row => (string)row[1]), report.Rejects.Select(r => r.Code));
        Assert.Equal(report.RejectedLines, validated.Findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.Line!.Value).Distinct());
        Assert.All(report.Rejects, r => Assert.Contains(validated.Findings, f => f.Line == r.LineNumber && f.Code == r.Code));
        Assert.All(report.Rejects, r => Assert.DoesNotContain("ben-", r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Append_WarningOnlyRows_ChangeNoFigure()
    {
        // A teacher (no teacher cohort: SP8006), online at an in-person activity (SP8009), dated before the activity
        // (SP8008), and a key that looks like a phone number (SP5001): warnings, so counted as if they were clean.
        ParticipationRecord[] warned =
        [
            Record(role: BeneficiaryRole.Teacher, beneficiary: "ben-2"),
            Record(mode: DeliveryMode.Online, beneficiary: "ben-3"),
            Record(date: new LocalDate(2024, 2, 1), beneficiary: "ben-4"),
            Record(beneficiary: "03001234567"),
        ];
        var clean = warned.Select(r => Record(beneficiary: r.Beneficiary.Value)).ToArray();

        var validated = new ParticipationValidator(Dataset).Validate(warned.Select((r, i) => ParticipationReadResult.Success(i + 1, r)));
        var report = new ParticipationStore(Dataset).Append(warned);

        Assert.Equal(["SP5001", "SP8006", "SP8008", "SP8009"], validated.Findings.Select(f => f.Code).Order(StringComparer.Ordinal));
        Assert.All(validated.Findings, f => Assert.Equal(FindingSeverity.Warning, f.Severity));
        Assert.Equal(4L, validated.Participation!.Accepted);
        Assert.True(report.IsClean);
        Assert.Equal(Figures(clean), Figures(warned));
    }

    private static (long Participations, long Unique, long Completed) Figures(IEnumerable<ParticipationRecord> records)
    {
        var store = new ParticipationStore(Dataset);
        store.Append(records);
        var total = Assert.Single(store.Query().Measure(Measure.Participations, Measure.UniqueBeneficiaries, Measure.Completions).Run().Rows);
        return (total.Count(Measure.Participations), total.Count(Measure.UniqueBeneficiaries), total.Count(Measure.Completions));
    }

    [Fact]
    public void AppendAndValidate_The65536thDistinctScore_RefusedByBothAsSP8013()
    {
        // 0.0001 to 6.5535 are 65,535 distinct scores (pre = post); the next distinct value is one too many, a repeat is fine.
        var records = Enumerable.Range(1, ushort.MaxValue + 1).Select(i => Record(pre: i / 10_000m, post: i / 10_000m, beneficiary: $"b-{i}"))
            .Append(Record(pre: 0.0001m, post: 0.0001m, beneficiary: "b-again")).ToList();

        var report = new ParticipationStore(Dataset).Append(records);
        var validated = new ParticipationValidator(Dataset).Validate(records.Select((r, i) => ParticipationReadResult.Success(i + 1, r)));

        Assert.Equal([(long)ushort.MaxValue + 1], report.RejectedLines);
        Assert.Equal("SP8013", Assert.Single(report.Rejects).Code);
        var finding = Assert.Single(validated.Findings);
        Assert.Equal(("SP8013", (long?)ushort.MaxValue + 1), (finding.Code, finding.Line));
    }

    private static string ToCsv(IEnumerable<ParticipationRecord> records)
    {
        var csv = new StringBuilder("beneficiary,activity,date,role,sex,ageBand,mode,completed,school,preScore,postScore\n");
        foreach (var r in records)
        {
            csv.Append(r.Beneficiary.Value).Append(',').Append(r.Activity.Value).Append(',').Append(r.Date.ToString("uuuu-MM-dd", null)).Append(',')
                .Append(Name(r.Role)).Append(",female,10-14,").Append(Name(r.Mode)).Append(",true,")
                .Append(r.School?.Value).Append(',').Append(Score(r.PreScore)).Append(',').Append(Score(r.PostScore)).Append('\n');
        }
        return csv.ToString();
    }

    private static string Name<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static string Score(decimal? score) => score?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
}
