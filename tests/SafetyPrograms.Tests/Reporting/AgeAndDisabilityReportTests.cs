using System.Text.RegularExpressions;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Reporting;

namespace SafetyPrograms.Tests.Reporting;

/// <summary>The report's disability and age breakdowns: one band per person, the cut-off and the age rule stated.</summary>
public sealed class AgeAndDisabilityReportTests
{
    private static readonly ProgrammeDataset Sample = RepositoryPaths.SampleDataset();
    private static readonly LocalDate AsOf = new(2025, 12, 31);

    private static ParticipationRecord Attend(string child, LocalDate date, Sex sex, int? age, FunctioningAnswer? seeing = null)
    {
        var activity = Sample.Activities.First(a => a.Phase.Value == "ph-cop-1" && a.Kind == ActivityKind.TrainingSession);
        FunctioningAnswer? rest = seeing is null ? null : FunctioningAnswer.NoDifficulty;
        return new(new BeneficiaryKey(child), activity.Id, date, BeneficiaryRole.Student, sex, AgeBand.NotRecorded, DeliveryMode.Hybrid, true, activity.School,
            age: age, seeing: seeing, hearing: rest, walking: rest, cognition: rest, selfCare: rest, communication: rest);
    }

    private static readonly Lazy<ProgrammeReport> Report = new(() =>
    {
        var store = new ParticipationStore(Sample);
        Assert.Equal(0, store.Append(
        [
            // child-a turns ten between the two sessions: counted once, at nine.
            Attend("child-a", new LocalDate(2024, 3, 10), Sex.Female, 9), Attend("child-a", new LocalDate(2024, 5, 10), Sex.Female, 10),
            Attend("child-b", new LocalDate(2024, 3, 10), Sex.Male, 12, FunctioningAnswer.NoDifficulty),
            Attend("child-c", new LocalDate(2024, 4, 10), Sex.Female, 16, FunctioningAnswer.ALotOfDifficulty),
            Attend("child-d", new LocalDate(2024, 4, 10), Sex.Male, null),
        ]).Rejected);
        return ProgrammeReport.Create(Sample, store, AsOf);
    });

    [Fact]
    public void EveryTable_HasItsOwnKind_AndIsFoundByIt()
    {
        var report = Report.Value;

        Assert.Equal(Enum.GetValues<ReportTableKind>(), report.Tables.Select(t => t.Kind).Order());
        Assert.All(Enum.GetValues<ReportTableKind>(), kind => Assert.Equal(kind, report.Table(kind).Kind));
        Assert.Equal("Unique beneficiaries by province and sex", report.Table(ReportTableKind.ProvinceBySex).Caption);
    }

    [Fact]
    public void AgeBySex_PutsEachPersonInOneBand_TheirAgeAtFirstParticipation()
    {
        var table = Report.Value.Table(ReportTableKind.AgeBySex).Table;
        var (ages, sexes) = (table.Dimensions[0], table.Dimensions[1]);

        Assert.Equal("age", ages.Name);
        Assert.Equal(4, table[ages.Total, sexes.Total].Value);
        Assert.Equal(1, table["5-9", "female"].Value);
        Assert.Equal(0, table["10-14", "female"].Value); // not child-a a second time
        Assert.Equal(1, table["10-14", "male"].Value);
        Assert.Equal(1, table["15-17", "female"].Value);
        Assert.Equal(1, table["notRecorded", "male"].Value);
        Assert.Equal(table[ages.Total, sexes.Total].Value, ages.Categories.Where(ages.IsLeaf).Sum(a => table[a, sexes.Total].Value));
    }

    [Fact]
    public void DisabilityBySex_CountsByTheWashingtonGroupCutoff_NeverMissingAnswersAsNoDisability()
    {
        var table = Report.Value.Table(ReportTableKind.DisabilityBySex).Table;
        var sexes = table.Dimensions[1];

        Assert.Equal(1, table["disability", sexes.Total].Value);
        Assert.Equal(1, table["noDisability", sexes.Total].Value);
        Assert.Equal(2, table["notRecorded", sexes.Total].Value);
    }

    [Fact]
    public void ThePage_ShowsTheAgeAndDisabilityTablesAndCharts_WithTheRuleAndTheCutoffStated()
    {
        var html = Report.Value.ToHtml();

        Assert.Contains("<caption>Unique beneficiaries by age and sex (UN child age bands, age at first participation)</caption>", html, StringComparison.Ordinal);
        Assert.Matches(new Regex("<title id='c\\d+t'>Unique people reached by age and sex"), html);
        Assert.Matches(new Regex("<title id='c\\d+t'>Unique people reached by disability and sex \\(Washington Group cut-off"), html);
        Assert.Contains("<th scope='row'>5–9 years</th>", html, StringComparison.Ordinal);
        Assert.Contains("UN child age bands (0–4 years, 5–9 years, 10–14 years, 15–17 years, 18 years and over)", html, StringComparison.Ordinal);
        Assert.Contains("in the band of their age at their first participation", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(DisabilityCutoff.WashingtonGroup.Description), html, StringComparison.Ordinal);
        Assert.Contains("never counted as having no disability", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherSchemeAndCutoff_CountTheTablesByThem_AndThePageStatesBoth()
    {
        var store = new ParticipationStore(Sample);
        Assert.Equal(0, store.Append(
        [
            Attend("child-b", new LocalDate(2024, 3, 10), Sex.Male, 12, FunctioningAnswer.NoDifficulty),
            Attend("child-c", new LocalDate(2024, 4, 10), Sex.Female, 16, FunctioningAnswer.ALotOfDifficulty),
            Attend("child-e", new LocalDate(2024, 4, 10), Sex.Female, 30, FunctioningAnswer.SomeDifficulty),
        ]).Rejected);
        var cutoff = new DisabilityCutoff(FunctioningAnswer.SomeDifficulty);
        var report = ProgrammeReport.Create(Sample, store, AsOf, new ProgrammeReportOptions { AgeScheme = AgeBandScheme.UnChildAdults, DisabilityCutoff = cutoff });

        var ages = report.Table(ReportTableKind.AgeBySex).Table;
        Assert.Equal(1, ages["25-49", "female"].Value);
        Assert.DoesNotContain("18+", ages.Dimensions[0].Categories);
        var disability = report.Table(ReportTableKind.DisabilityBySex);
        Assert.Equal(2, disability.Table["disability", "female"].Value); // "some difficulty" counts under this cut-off
        Assert.Contains(cutoff.Description, disability.Caption, StringComparison.Ordinal);
        var html = report.ToHtml();
        Assert.Contains(System.Net.WebUtility.HtmlEncode(cutoff.Description), html, StringComparison.Ordinal);
        Assert.Contains("age scheme un-child-adults", html, StringComparison.Ordinal);
        Assert.DoesNotContain(System.Net.WebUtility.HtmlEncode(DisabilityCutoff.WashingtonGroup.Description), html, StringComparison.Ordinal);
    }
}
