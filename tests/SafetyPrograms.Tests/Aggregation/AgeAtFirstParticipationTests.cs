using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>One age band per person: the age at their first participation in the period counted.</summary>
public class AgeAtFirstParticipationTests
{
    private static readonly TestProgramme Programme = TestProgramme.Build(seed: 5, records: 10, beneficiaries: 5);
    private static readonly LocalDate Day = Programme.Records[0].Date;

    private static ParticipationRecord At(string beneficiary, int days, int? age, Sex sex = Sex.Female)
    {
        var template = Programme.Records[0];
        return new ParticipationRecord(
            new(beneficiary), template.Activity, Day.PlusDays(days), BeneficiaryRole.Student, sex, AgeBand.NotRecorded, DeliveryMode.InPerson, true,
            template.School, age: age);
    }

    private static ParticipationStore Store(params ParticipationRecord[] records)
    {
        var store = new ParticipationStore(Programme.Dataset);
        Assert.Equal(0, store.Append(records).Rejected);
        return store;
    }

    private static Dictionary<string, double> Unique(AggregationResult result) =>
        result.Rows.ToDictionary(r => r.Key(0) ?? "*", r => r[Measure.UniqueBeneficiaries]!.Value);

    // b1 turns ten between two sessions; b2 is twelve; b3's age is missing at the first session and recorded at the second.
    private static ParticipationStore Birthdays() => Store(
        At("b1", 0, 9), At("b1", 1, 10), At("b1", 2, 10),
        At("b2", 0, 12), At("b2", 2, 12),
        At("b3", 0, null), At("b3", 1, 16));

    [Fact]
    public void EachRecordsOwnAge_PutsTheChildWithABirthdayInTwoBands()
    {
        var byRecord = Unique(Birthdays().Query().GroupBy(Dimension.Age).Measure(Measure.UniqueBeneficiaries).Run());

        Assert.Equal(new Dictionary<string, double> { ["5-9"] = 1, ["10-14"] = 2, ["15-17"] = 1, ["notRecorded"] = 1 }, byRecord);
        Assert.Equal(5, byRecord.Values.Sum()); // three people
    }

    [Fact]
    public void AtFirstParticipation_EachPersonIsInOneBand_TheirFirstRecordedAge()
    {
        var result = Birthdays().Query().AgeAtFirstParticipation().GroupBy(Dimension.Age).Measure(Measure.UniqueBeneficiaries, Measure.Participations).Run();

        Assert.Equal(new Dictionary<string, double> { ["5-9"] = 1, ["10-14"] = 1, ["15-17"] = 1 }, Unique(result));
        // Every record of a person follows them into their band: b1's three sessions are all counted at nine.
        Assert.Equal(3, result.Rows.Single(r => r.Key(0) == "5-9")[Measure.Participations]);
    }

    [Fact]
    public void AtFirstParticipation_ReadsTheFirstParticipationInTheQuerysPeriod()
    {
        var fromTheSecondDay = Birthdays().Query().AgeAtFirstParticipation().Between(Day.PlusDays(1), Day.PlusDays(2))
            .GroupBy(Dimension.Age).Measure(Measure.UniqueBeneficiaries).Run();

        // From the second day b1 is ten: their first participation in this period is at ten.
        Assert.Equal(new Dictionary<string, double> { ["10-14"] = 2, ["15-17"] = 1 }, Unique(fromTheSecondDay));
    }

    [Fact]
    public void AtFirstParticipation_TheSameOnEveryPathOfTheEngine()
    {
        var store = Birthdays();
        var run = Unique(store.Query().AgeAtFirstParticipation().GroupBy(Dimension.Age, Dimension.Sex).Measure(Measure.UniqueBeneficiaries).Run());
        var partial = Unique(store.Query().AgeAtFirstParticipation().GroupBy(Dimension.Age, Dimension.Sex).Measure(Measure.UniqueBeneficiaries).RunPartial().ToResult());
        var filtered = store.Query().AgeAtFirstParticipation().Where(Dimension.Age, "10-14").Measure(Measure.UniqueBeneficiaries).Run();

        Assert.Equal(run, partial);
        Assert.Equal(1, Assert.Single(filtered.Rows)[Measure.UniqueBeneficiaries]);
    }

    [Fact]
    public void AUniqueCountByAgeAndSex_CanBePublished_OnlyWithOneBandPerPerson()
    {
        var store = Birthdays();
        var session = new PublicationSession(new PublicationPolicy(minimumCellSize: 1), store);

        Assert.Throws<ArgumentException>(() => session.Add([Dimension.Age, Dimension.Sex], Measure.UniqueBeneficiaries));
        var index = session.Add([Dimension.Age, Dimension.Sex], Measure.UniqueBeneficiaries, q => q.AgeAtFirstParticipation());
        var table = session.Publish()[index];

        Assert.Equal(3, table[table.Dimensions[0].Total, table.Dimensions[1].Total].Value);
        Assert.Equal(1, table["5-9", table.Dimensions[1].Total].Value);
    }
}
