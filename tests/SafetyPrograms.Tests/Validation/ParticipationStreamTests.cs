using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;
using static SafetyPrograms.Tests.Validation.TestData;

namespace SafetyPrograms.Tests.Validation;

public sealed class ParticipationStreamTests
{
    private static readonly ProgrammeDataset Sample = Dataset(activities:
    [
        .. Activities(),
        Activity("a3", school: null, date: "2024-03-01", attendance: []),
    ]);

    private static ParticipationRecord Record(
        string activity = "a1", string date = "2024-02-10", BeneficiaryRole role = BeneficiaryRole.Student, DeliveryMode mode = DeliveryMode.InPerson,
        string? school = "school-1", decimal? preScore = 4, decimal? postScore = 8, string beneficiary = "k-001") =>
        new(new(beneficiary), new(activity), D(date), role, Sex.Female, AgeBand.Age10To14, mode, true,
            school is null ? null : new Id<School>(school), preScore, postScore);

    private static ParticipationReadResult Line(long line, ParticipationRecord record) => ParticipationReadResult.Success(line, record);

    /// <summary>Each broken record, the code and column its finding must name, and whether it rejects the line.</summary>
    public static TheoryData<string, string, string, bool> Cases => new()
    {
        { "unknown activity", "SP8002", "activity", true },
        { "outside phase", "SP8003", "date", true },
        { "unknown school", "SP8004", "school", true },
        { "other school than the activity's", "SP8005", "school", true },
        { "school not enrolled in the phase", "SP8005", "school", true },
        { "role without cohort", "SP8006", "role", false },
        { "post score above range", "SP8007", "postScore", true },
        { "pre score below range", "SP8007", "preScore", true },
        { "before the activity", "SP8008", "date", false },
        { "online at in-person activity", "SP8009", "mode", false },
        { "key is a phone number", "SP5001", "beneficiary", false },
        { "key is a national identity number", "SP5001", "beneficiary", false },
    };

    private static ParticipationRecord Broken(string name) => name switch
    {
        "unknown activity" => Record(activity: "a9"),
        "outside phase" => Record(date: "2024-08-01"),
        "unknown school" => Record(school: "school-9"),
        "other school than the activity's" => Record(school: "school-2"),
        "school not enrolled in the phase" => Record(activity: "a3", date: "2024-03-01", school: "school-3"),
        "role without cohort" => Record(role: BeneficiaryRole.Parent),
        "post score above range" => Record(postScore: 11),
        "pre score below range" => Record(preScore: -1),
        "before the activity" => Record(date: "2024-02-01"),
        "online at in-person activity" => Record(mode: DeliveryMode.Online),
        "key is a phone number" => Record(beneficiary: "0300-1234567"),
        "key is a national identity number" => Record(beneficiary: "3520212345671"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Fact]
    public void Validate_GoodRecords_AcceptsAll()
    {
        var report = ProgrammeValidator.ValidateParticipation(Sample, [Line(2, Record()), Line(3, Record(activity: "a3", date: "2024-03-02", school: "school-2"))]);

        Assert.Empty(report.Findings);
        Assert.Equal(new ParticipationCounts(2, 0), report.Participation);
        Assert.True(report.IsValid);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_BrokenRecord_ReportsCodeColumnAndLine(string name, string code, string path, bool rejects)
    {
        var report = ProgrammeValidator.ValidateParticipation(Sample, [Line(2, Record()), Line(7, Broken(name)), Line(8, Record())]);

        var finding = Assert.Single(report.Findings);
        Assert.Equal((code, path, 7L), (finding.Code, finding.Path, finding.Line));
        Assert.Equal(rejects ? new ParticipationCounts(2, 1) : new ParticipationCounts(3, 0), report.Participation);
    }

    [Fact]
    public void Validate_KeyLooksLikeAPhoneNumber_NeverEchoesTheNumber()
    {
        var report = ProgrammeValidator.ValidateParticipation(Sample, [Line(4, Record(beneficiary: "tel:03001234567"))]);

        var finding = Assert.Single(report.Findings);
        Assert.Equal("SP5001", finding.Code);
        Assert.DoesNotContain("1234567", finding.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("1234567", report.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnreadableLine_RejectsItWithTheReadersReasonAndColumn()
    {
        var error = new DataFormatException("'maybe' is not true or false.", "records.csv", "completed", 5, null);

        var report = ProgrammeValidator.ValidateParticipation(Sample, [Line(2, Record()), ParticipationReadResult.Failure(5, error)]);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("SP8001", "completed", 5L), (finding.Code, finding.Path, finding.Line));
        Assert.Contains("'maybe' is not true or false.", finding.Message, StringComparison.Ordinal);
        Assert.Equal(new ParticipationCounts(1, 1), report.Participation);
        Assert.False(report.IsValid);
    }

    [Fact]
    public void Validate_SkipAndReport_AccountsForEveryLine()
    {
        var lines = Enumerable.Range(0, 100)
            .Select(i => Line(i + 2, i % 10 == 3 ? Record(activity: "a9") : i % 10 == 5 ? Record(mode: DeliveryMode.Online) : Record()))
            .ToList();

        var report = ProgrammeValidator.ValidateParticipation(Sample, lines);

        Assert.Equal(new ParticipationCounts(90, 10), report.Participation);
        Assert.Equal(100, report.Participation!.Read);
        Assert.Equal(10, report.ErrorCount);
        Assert.Equal(10, report.WarningCount);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)(i * 10 + 3 + 2)), report.Findings.Where(f => f.Code == "SP8002").Select(f => f.Line!.Value));
    }

    [Fact]
    public void Validate_StopAtFirstError_StopsAndDoesNotReadFurther()
    {
        var options = new ParticipationValidationOptions { Policy = IngestPolicy.StopAtFirstError };
        var read = 0;
        IEnumerable<ParticipationReadResult> Lines()
        {
            for (var i = 0; i < 10; i++)
            {
                read++;
                yield return Line(i + 2, i == 4 ? Record(date: "2030-01-01") : Record(mode: DeliveryMode.Online));
            }
        }

        var report = ProgrammeValidator.ValidateParticipation(Sample, Lines(), options);

        Assert.Equal(new ParticipationCounts(4, 1, stoppedEarly: true), report.Participation);
        Assert.Equal(5, read);
        Assert.Equal("SP8003", report.Findings[^1].Code);
        Assert.Contains("stopped before the end of the stream", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WarningsAsErrors_RejectsLinesWithWarnings()
    {
        var options = new ParticipationValidationOptions { TreatWarningsAsErrors = true };

        var report = ProgrammeValidator.ValidateParticipation(Sample, [Line(2, Record(mode: DeliveryMode.Online)), Line(3, Record())], options);

        Assert.Equal(new ParticipationCounts(1, 1), report.Participation);
        Assert.False(report.IsValid);
    }

    [Fact]
    public void Validate_MaxFindings_KeepsTheFirstAndCountsTheRest()
    {
        var options = new ParticipationValidationOptions { MaxFindings = 3 };
        var lines = Enumerable.Range(0, 10).Select(i => Line(i + 2, Record(activity: "a9"))).ToList();

        var report = ProgrammeValidator.ValidateParticipation(Sample, lines, options);

        Assert.Equal(3, report.Findings.Count);
        Assert.Equal(7, report.FindingsOmitted);
        Assert.Equal(new ParticipationCounts(0, 10), report.Participation);
    }

    [Fact]
    public void Validate_OnAccepted_ReceivesOnlyAcceptedRecords()
    {
        var accepted = new List<ParticipationRecord>();
        var good = Record(beneficiary: "k-002");

        new ParticipationValidator(Sample).Validate([Line(2, Record(activity: "a9")), Line(3, good)], accepted.Add);

        Assert.Equal([good], accepted);
    }

    [Fact]
    public void Construction_UnknownAssessmentIndicator_Throws()
    {
        var options = new ParticipationValidationOptions { AssessmentIndicator = new Id<Indicator>("ghost") };

        Assert.Throws<ArgumentException>(() => new ParticipationValidator(Sample, options));
    }

    [Fact]
    public void Validate_TwoScoreIndicatorsAndNoneChosen_DoesNotCheckScores()
    {
        Indicator second = new(new("attitude"), "Attitude", IndicatorUnit.Score, ResultLevel.Outcome, CountingBasis.UniquePeople, Accumulation.LastValue, minimum: 0, maximum: 5);
        var dataset = Dataset(indicators: [.. Indicators(), second], activities: Sample.Activities);

        var unchecked_ = ProgrammeValidator.ValidateParticipation(dataset, [Line(2, Record(postScore: 9))]);
        var chosen = ProgrammeValidator.ValidateParticipation(
            dataset, [Line(2, Record(postScore: 9))], new ParticipationValidationOptions { AssessmentIndicator = new Id<Indicator>("attitude") });

        Assert.Empty(unchecked_.Findings);
        Assert.Equal("SP8007", Assert.Single(chosen.Findings).Code);
    }

    [Fact]
    public void Validate_ReaderCannotGoOn_EndsWithUnreadableInputAndStopsEarly()
    {
        IEnumerable<ParticipationReadResult> Lines()
        {
            yield return Line(2, Record());
            yield return Line(3, Record(activity: "a9"));
            throw new DataFormatException("The file ends inside a quoted field.", "records.csv", "school", 4, 17);
        }
        var options = new ParticipationValidationOptions { MaxFindings = 1 };

        var report = ProgrammeValidator.ValidateParticipation(Sample, Lines(), options);

        Assert.Equal(["SP8002", "SP0001"], report.Findings.Select(f => f.Code));
        Assert.Equal(4L, report.Findings[^1].Line);
        Assert.Equal(new ParticipationCounts(1, 1, stoppedEarly: true), report.Participation);
        Assert.False(report.IsValid);
    }

    [Fact]
    public void Validate_RepeatedRecord_IsReportedOnlyWhenAskedFor()
    {
        ParticipationReadResult[] lines = [Line(2, Record()), Line(3, Record(beneficiary: "k-002")), Line(4, Record())];

        var plain = ProgrammeValidator.ValidateParticipation(Sample, lines);
        var detecting = ProgrammeValidator.ValidateParticipation(Sample, lines, new ParticipationValidationOptions { DetectRepeatedRecords = true });

        Assert.Empty(plain.Findings);
        var finding = Assert.Single(detecting.Findings);
        Assert.Equal(("SP8010", "beneficiary", 4L), (finding.Code, finding.Path, finding.Line));
        Assert.Contains("line 2", finding.Message, StringComparison.Ordinal);
        Assert.Equal(new ParticipationCounts(3, 0), detecting.Participation);
    }

    [Fact]
    public void Validate_PersonsAnswersDifferingFromTheirFirstLine_WarnNamingTheColumnAndLine_NeverTheKey()
    {
        static ParticipationRecord With(ParticipationRecord r, FunctioningAnswer? seeing, int? born = null) => new(
            r.Beneficiary, r.Activity, r.Date, r.Role, r.Sex, r.AgeBand, r.Mode, r.Completed, r.School, r.PreScore, r.PostScore,
            yearOfBirth: born, seeing: seeing);

        ParticipationReadResult[] lines =
        [
            Line(2, With(Record(), FunctioningAnswer.NoDifficulty, 2014)),
            Line(3, With(Record(), null)),                                  // no answers: nothing to compare
            Line(4, With(Record(), FunctioningAnswer.ALotOfDifficulty)),
            Line(5, With(Record(), FunctioningAnswer.NoDifficulty, 2013)),
            Line(6, With(Record(beneficiary: "k-002"), FunctioningAnswer.CannotDoAtAll)),
        ];

        var report = ProgrammeValidator.ValidateParticipation(Sample, lines);

        Assert.Equal([("SP8017", "seeing", 4L), ("SP8017", "yearOfBirth", 5L)], report.Findings.Select(f => (f.Code, f.Path, f.Line)));
        Assert.All(report.Findings, f => Assert.Contains("line 2", f.Message, StringComparison.Ordinal));
        Assert.All(report.Findings, f => Assert.DoesNotContain("k-001", f.Message, StringComparison.Ordinal));
        Assert.Equal(new ParticipationCounts(5, 0), report.Participation);
    }

    [Fact]
    public void Validate_PersonsDepressionDifferingFromTheirFirstLine_WarnsNamingTheFrequencyColumn()
    {
        static ParticipationRecord With(ParticipationRecord r, FunctioningFrequency depression) => new(
            r.Beneficiary, r.Activity, r.Date, r.Role, r.Sex, r.AgeBand, r.Mode, r.Completed, r.School, r.PreScore, r.PostScore,
            learning: FunctioningAnswer.NoDifficulty, anxiety: FunctioningFrequency.Never, depression: depression);

        var report = ProgrammeValidator.ValidateParticipation(Sample, [
            Line(2, With(Record(), FunctioningFrequency.Monthly)),
            Line(3, With(Record(), FunctioningFrequency.Monthly)),
            Line(4, With(Record(), FunctioningFrequency.Daily)),
        ]);

        Assert.Equal([("SP8017", "depression", 4L)], report.Findings.Select(f => (f.Code, f.Path, f.Line)));
    }
}
