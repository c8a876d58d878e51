using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>Age in any scheme and disability under any cut-off, as a programme officer reads them.</summary>
public class PersonDimensionTests
{
    private static readonly TestProgramme Programme = TestProgramme.Build(seed: 5, records: 10, beneficiaries: 5);

    private static ParticipationRecord At(string beneficiary, AgeBand band = AgeBand.NotRecorded, int? age = null, int? born = null,
        FunctioningAnswer? seeing = null, bool allAnswered = false)
    {
        var template = Programme.Records[0];
        FunctioningAnswer? rest = allAnswered ? FunctioningAnswer.NoDifficulty : null;
        return new ParticipationRecord(
            new(beneficiary), template.Activity, template.Date, BeneficiaryRole.Student, Sex.Female, band, DeliveryMode.InPerson, true,
            template.School, age: age, yearOfBirth: born, seeing: seeing, hearing: rest, walking: rest, cognition: rest, selfCare: rest,
            communication: rest);
    }

    private static ParticipationStore Store(params ParticipationRecord[] records)
    {
        var store = new ParticipationStore(Programme.Dataset);
        Assert.Equal(0, store.Append(records).Rejected);
        return store;
    }

    private static Dictionary<string, double> Counts(AggregationResult result, Measure measure = Measure.Participations) =>
        result.Rows.ToDictionary(r => r.Key(0) ?? "*", r => r[measure]!.Value);

    [Fact]
    public void Disability_AnswersOnOneRow_CountForEveryRowOfThePerson()
    {
        // The answers ride on the first record only: the store keeps them once per beneficiary.
        var store = Store(
            At("b1", seeing: FunctioningAnswer.ALotOfDifficulty, allAnswered: true), At("b1"), At("b1"),
            At("b2", seeing: FunctioningAnswer.NoDifficulty, allAnswered: true), At("b2"),
            At("b3", seeing: FunctioningAnswer.Refused, allAnswered: true),
            At("b4"));
        var result = store.Query().GroupBy(Dimension.Disability).Measure(Measure.Participations, Measure.UniqueBeneficiaries).Run();
        Assert.Equal(new Dictionary<string, double> { ["disability"] = 3, ["noDisability"] = 2, ["notRecorded"] = 2 }, Counts(result));
        Assert.Equal(new Dictionary<string, double> { ["disability"] = 1, ["noDisability"] = 1, ["notRecorded"] = 2 }, Counts(result, Measure.UniqueBeneficiaries));
        Assert.Equal(DisabilityCutoff.WashingtonGroup, result.DisabilityCutoff);
        Assert.Null(result.AgeScheme);
        Assert.Contains("\"disabilityCutoff\":\"Washington Group cut-off: at least one domain \\u0022a lot of difficulty\\u0022", result.ToJson(), StringComparison.Ordinal);
        Assert.Equal(16, ParticipationStore.BytesPerRecord);
    }

    [Fact]
    public void Disability_FilterAndAnotherCutoff_ChangeWhoCounts()
    {
        var store = Store(
            At("b1", seeing: FunctioningAnswer.SomeDifficulty, allAnswered: true),
            At("b2", seeing: FunctioningAnswer.CannotDoAtAll, allAnswered: true));
        var published = store.Query().Where(Dimension.Disability, DisabilityStatus.Disability).Run();
        Assert.Equal(1, Assert.Single(published.Rows)[Measure.Participations]);
        var wide = store.Query().DisabilityCutoff(new DisabilityCutoff(FunctioningAnswer.SomeDifficulty)).Where(Dimension.Disability, "disability").Run();
        Assert.Equal(2, Assert.Single(wide.Rows)[Measure.Participations]);
        Assert.Equal("wg-some", wide.DisabilityCutoff!.Code);
    }

    [Fact]
    public void Age_ByScheme_FromAgeYearOfBirthOrBand_NotComparableNeverDropped()
    {
        var year = Programme.Records[0].Date.Year;
        var store = Store(
            At("b1", age: 3), At("b2", born: year - 16), At("b3", band: AgeBand.Age18To24), At("b4", band: AgeBand.Age18Plus),
            At("b5"));
        var child = store.Query().GroupBy(Dimension.Age).Run();
        Assert.Equal(new Dictionary<string, double> { ["0-4"] = 1, ["15-17"] = 1, ["18+"] = 2, ["notRecorded"] = 1 }, Counts(child));
        Assert.Equal(AgeBandScheme.UnChild, child.AgeScheme);
        Assert.Contains("\"ageScheme\":\"un-child (0-4, 5-9, 10-14, 15-17, 18\\u002B)\"", child.ToJson(), StringComparison.Ordinal);

        // 18+ straddles the adults' bands: it is counted, as "not comparable", never re-banded or dropped.
        var adults = store.Query().AgeScheme(AgeBandScheme.UnChildAdults).GroupBy(Dimension.Age).Run();
        Assert.Equal(
            new Dictionary<string, double> { ["0-4"] = 1, ["15-17"] = 1, ["18-24"] = 1, ["notComparable"] = 1, ["notRecorded"] = 1 }, Counts(adults));
        Assert.Equal(5, Counts(adults).Values.Sum());
    }

    [Fact]
    public void Age_FromYearOfBirth_CountsWhereBothPossibleAgesNest_ElseNotComparable()
    {
        // A year of birth alone says the age at the date is the age reached that year, or one less before the birthday.
        var year = Programme.Records[0].Date.Year;
        var store = Store(At("b1", born: year - 12), At("b2", born: year - 18), At("b3", born: year - 15), At("b4", born: year), At("b5", age: 18, born: year - 18));
        var child = store.Query().GroupBy(Dimension.Age).Run();
        // 11 or 12: 10-14. 17 or 18 and 14 or 15 straddle a boundary: not comparable, never guessed. Newborn: 0-4.
        // An age recorded beside the year of birth is exact.
        Assert.Equal(new Dictionary<string, double> { ["0-4"] = 1, ["10-14"] = 1, ["18+"] = 1, ["notComparable"] = 2 }, Counts(child));

        var wide = new AgeBandScheme("wide", [new AgeRange(0, 9), new AgeRange(10, 19), new AgeRange(20)]);
        var nested = store.Query().AgeScheme(wide).GroupBy(Dimension.Age).Run();
        Assert.Equal(new Dictionary<string, double> { ["0-9"] = 1, ["10-19"] = 4 }, Counts(nested));

        // Today's list has no "not comparable": it takes the age reached that year.
        var list = store.Query().GroupBy(Dimension.AgeBand).Run();
        Assert.Equal(new Dictionary<string, double> { ["0-4"] = 1, ["10-14"] = 1, ["15-17"] = 1, ["18-24"] = 2 }, Counts(list));
    }

    [Fact]
    public void AgeBand_TodaysList_IsDerivedFromTheAgeWhereRecorded()
    {
        var store = Store(At("b1", age: 3), At("b2", band: AgeBand.Age10To14, age: 12), At("b3", band: AgeBand.Age10To14));
        var result = store.Query().GroupBy(Dimension.AgeBand).Run();
        Assert.Equal(new Dictionary<string, double> { ["0-4"] = 1, ["10-14"] = 2 }, Counts(result));
    }

    [Fact]
    public void Age_FilterByBandOfTheScheme()
    {
        var store = Store(At("b1", age: 3), At("b2", age: 40), At("b3", band: AgeBand.Age0To4));
        var custom = new AgeBandScheme("under-five", [new AgeRange(0, 4), new AgeRange(5)]);
        var result = store.Query().AgeScheme(custom).Where(Dimension.Age, "0-4").Run();
        Assert.Equal(2, Assert.Single(result.Rows)[Measure.Participations]);
        Assert.Equal(custom, result.AgeScheme);
    }

    [Fact]
    public void AgeScheme_ChangedAfterAnAgeFilter_IsRefused()
    {
        var query = Store(At("b1", age: 3)).Query().Where(Dimension.Age, "0-4");
        Assert.Throws<InvalidOperationException>(() => query.AgeScheme(AgeBandScheme.UnChildAdults));
        Assert.Throws<ArgumentException>(() => query.Where(Dimension.Age, "0-5"));
    }
}
