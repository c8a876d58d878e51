using System.Text;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Serialization;

/// <summary>A person's age, year of birth and functioning answers through CSV, JSON Lines and the dataset's JSON, and how bad ones are refused.</summary>
public class PersonAttributesTests
{
    private static ParticipationRecord Record(int seed)
    {
        var rng = new Random(seed);
        var domains = Enum.GetValues<FunctioningDomain>();
        var answers = domains.Select(_ => rng.Next(8) is var a && a < 6 ? (FunctioningAnswer?)a : null).ToArray();
        FunctioningFrequency? Feeling() => rng.Next(9) is var f && f < 7 ? (FunctioningFrequency)f : null;
        var withAge = rng.Next(3);
        var date = new NodaTime.LocalDate(2024, 1, 1).PlusDays(rng.Next(700));
        return new ParticipationRecord(
            new($"b{seed}"), new("a1"), date, BeneficiaryRole.Student, Sex.Female, (AgeBand)rng.Next(9), DeliveryMode.InPerson,
            rng.Next(2) == 0, null, null, null,
            age: withAge == 0 ? rng.Next(121) : null, yearOfBirth: withAge == 1 ? date.Year - rng.Next(121) : null,
            answers[0], answers[1], answers[2], answers[3], answers[4], answers[5], answers[6], answers[7], answers[8], answers[9],
            answers[10], answers[11], Feeling(), Feeling());
    }

    [Fact]
    public void Records_ThroughCsvAndJsonLines_KeepAgeYearOfBirthAndAnswers()
    {
        var records = Enumerable.Range(1, 200).Select(Record).ToList();
        using var csv = new MemoryStream();
        ParticipationCsv.Write(csv, records);
        csv.Position = 0;
        Assert.Equal(records, ParticipationCsv.Read(csv).Select(r => r.Record));
        using var lines = new MemoryStream();
        ParticipationJsonLines.Write(lines, records);
        lines.Position = 0;
        Assert.Equal(records, ParticipationJsonLines.Read(lines).Select(r => r.Record));
        Assert.Contains(records, r => r.Age is not null);
        Assert.Contains(records, r => r.YearOfBirth is not null);
        Assert.Contains(records, r => r.Functioning()[FunctioningDomain.MakingFriends] == FunctioningAnswer.ALotOfDifficulty);
        Assert.Contains(records, r => r.Anxiety == FunctioningFrequency.Daily);
        Assert.Contains(records, r => r.Depression == FunctioningFrequency.AFewTimesAYear);
    }

    [Fact]
    public void JsonLine_NamesMembersAsTheCsvColumns()
    {
        var record = new ParticipationRecord(
            new("b1"), new("a1"), new(2025, 3, 1), BeneficiaryRole.Student, Sex.Male, AgeBand.NotRecorded, DeliveryMode.Online, true,
            yearOfBirth: 2014, seeing: FunctioningAnswer.ALotOfDifficulty, selfCare: FunctioningAnswer.DontKnow,
            anxiety: FunctioningFrequency.AFewTimesAYear, depression: FunctioningFrequency.Daily);
        using var lines = new MemoryStream();
        ParticipationJsonLines.Write(lines, [record]);
        var line = Encoding.UTF8.GetString(lines.ToArray());
        Assert.Contains("\"yearOfBirth\":2014,\"seeing\":\"aLotOfDifficulty\",\"selfCare\":\"dontKnow\",\"anxiety\":\"aFewTimesAYear\",\"depression\":\"daily\"", line, StringComparison.Ordinal);
        Assert.Equal(11, record.AgeAtDate());
    }

    [Theory]
    [InlineData("age", "121", "age")]
    [InlineData("age", "4.5", "age")]
    [InlineData("yearOfBirth", "2026", "yearOfBirth")]
    [InlineData("yearOfBirth", "1890", "yearOfBirth")]
    [InlineData("seeing", "blind", "seeing")]
    [InlineData("makingFriends", "lots", "makingFriends")]
    [InlineData("anxiety", "noDifficulty", "anxiety")]
    [InlineData("depression", "often", "depression")]
    [InlineData("seeing", "daily", "seeing")]
    public void Csv_AValueOutsideItsRangeOrCodeList_IsRefusedNamingTheColumn_NotTheValue(string column, string value, string path)
    {
        var text = $"beneficiary,activity,date,role,sex,ageBand,mode,completed,{column}\nb1,a1,2025-03-01,student,male,notRecorded,online,true,{value}\n";
        var result = Assert.Single(ParticipationCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(text))));
        Assert.False(result.IsSuccess);
        Assert.Equal(path, result.Error!.Path);
        Assert.Equal(2, result.Error.LineNumber);
        Assert.DoesNotContain(value, result.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_AgeAndYearOfBirthThatDisagree_AreRefused()
    {
        const string text = "beneficiary,activity,date,role,sex,ageBand,mode,completed,age,yearOfBirth\nb1,a1,2025-03-01,student,male,notRecorded,online,true,30,2014\n";
        var result = Assert.Single(ParticipationCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(text))));
        Assert.Equal("age", result.Error!.Path);
    }

    [Fact]
    public void Dataset_AgeSchemes_RoundTripAsBandLabels()
    {
        var scheme = new AgeBandScheme("humanitarian", [new AgeRange(0, 5), new AgeRange(6, 17), new AgeRange(18, 59), new AgeRange(60)]);
        var dataset = new ProgrammeDataset(
            ProgrammeDataset.CurrentSchemaVersion, [new Organisation(new("o1"), "N", OrganisationKind.TelecomOperator)], [], ageSchemes: [scheme]);
        var json = ProgrammeDatasetJson.ToJson(dataset, indented: false);
        Assert.Contains("\"ageSchemes\":[{\"code\":\"humanitarian\",\"bands\":[\"0-5\",\"6-17\",\"18-59\",\"60+\"]}]", json, StringComparison.Ordinal);
        Assert.Equal(scheme, Assert.Single(ProgrammeDatasetJson.Parse(json).AgeSchemes));
    }

    [Theory]
    [InlineData("[\"0-5\",\"7-17\",\"18+\"]", "gap")]
    [InlineData("[\"0-5\",\"5-17\",\"18+\"]", "overlap")]
    [InlineData("[\"0-5\",\"6-17\"]", "top")]
    [InlineData("[\"0-5\",\"six\",\"18+\"]", "such as 0-4 or 18+")]
    public void Dataset_AnInvalidScheme_IsRefusedAtItsPath(string bands, string reason)
    {
        var json = $$"""{"schemaVersion":"1.0","organisations":[{"id":"o1","name":"N","kind":"telecomOperator"}],"partnerships":[],"ageSchemes":[{"code":"x","bands":{{bands}}}]}""";
        var ex = Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Parse(json));
        Assert.StartsWith("ageSchemes[0]", ex.Path, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
    }
}
