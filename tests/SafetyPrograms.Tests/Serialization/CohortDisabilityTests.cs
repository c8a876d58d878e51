using SafetyPrograms.Aggregation;
using SafetyPrograms.Cli.Commands;
using SafetyPrograms.Cli.Generation;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Serialization;

/// <summary>A cohort may state its people's disability status; the code list is checked, and the generator honours it.</summary>
public class CohortDisabilityTests
{
    private static string WithCohortDisability(string code)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.SamplesData, "programmes.json"));
        var cohort = "\"id\": \"coh-ds1-smb-fatima-jinnah-student\",";
        Assert.Contains(cohort, text, StringComparison.Ordinal);
        return text.Replace(cohort, cohort + $" \"disability\": \"{code}\",", StringComparison.Ordinal);
    }

    [Fact]
    public void Cohort_Disability_DefaultsToNotRecorded_AndRoundTrips()
    {
        Assert.All(RepositoryPaths.SampleDataset().Cohorts, c => Assert.Equal(DisabilityStatus.NotRecorded, c.Disability));
        var dataset = ProgrammeDatasetJson.Parse(WithCohortDisability("disability"));
        var cohort = dataset.Cohorts.Single(c => c.Id.Value == "coh-ds1-smb-fatima-jinnah-student");
        Assert.Equal(DisabilityStatus.Disability, cohort.Disability);
        var json = ProgrammeDatasetJson.ToJson(dataset, indented: false);
        Assert.Contains("\"disability\":\"disability\"", json, StringComparison.Ordinal);
        Assert.Equal(DisabilityStatus.Disability, ProgrammeDatasetJson.Parse(json).Cohorts.Single(c => c.Id == cohort.Id).Disability);
    }

    [Fact]
    public void Cohort_Disability_OutsideTheCodeList_IsRefusedAtItsPath()
    {
        var ex = Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Parse(WithCohortDisability("disabled")));
        Assert.StartsWith("cohorts[0].disability", ex.Path, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cohort(new("c"), new("p"), BeneficiaryRole.Student, Sex.Female, AgeBand.NotRecorded, 5, null, (DisabilityStatus)9));
    }

    [Fact]
    public void Generator_GivesACohortsPeopleItsStatedStatus()
    {
        var dataset = ProgrammeDatasetJson.Parse(WithCohortDisability("disability"));
        var store = new ParticipationStore(dataset);
        Assert.Equal(0, store.Append(new ParticipationGenerator(dataset, GenerateCommand.SyntheticKey).Generate(20_000, 3)).Rejected);
        var rows = store.Query().Where(Dimension.Phase, "ph-ds-1").Where(Dimension.School, "sch-zt-smb-fatima-jinnah").Where(Dimension.Role, "student")
            .GroupBy(Dimension.Disability).Measure(Measure.UniqueBeneficiaries).Run().Rows;
        // Every student of that cohort has a disability by the published cut-off.
        Assert.Equal("disability", Assert.Single(rows).Key(0));
        Assert.InRange(rows[0].Count(Measure.UniqueBeneficiaries), 700, 750);
    }
}
