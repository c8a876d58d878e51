using SafetyPrograms.Aggregation;
using SafetyPrograms.Cli.Commands;
using SafetyPrograms.Cli.Generation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Cli;

/// <summary>
/// The demo's generated log agrees with the articles: phase 1 of the digital-safety programme reaches about 1,800
/// students, teachers and parents in its two schools through 22 workshops, and completion and scores differ between
/// provinces, schools and modes as real data does.
/// </summary>
public sealed class DemoFiguresTests
{
    private static readonly ProgrammeDataset Sample = RepositoryPaths.SampleDataset();
    private static readonly Lazy<ParticipationStore> Log = new(() => Generate(60_000, seed: 2026));


    private static ParticipationStore Generate(long records, int seed)
    {
        var store = new ParticipationStore(Sample);
        Assert.Equal(0, store.Append(new ParticipationGenerator(Sample, GenerateCommand.SyntheticKey).Generate(records, seed)).Rejected);
        Assert.Equal(records, store.Count);
        return store;
    }

    private static AggregationQuery PhaseOne(ParticipationStore store) => store.Query().Where(Dimension.Phase, "ph-ds-1");

    [Theory]
    [InlineData(2026)]
    [InlineData(7)]
    public void PhaseOne_RecountsWithinAFewPercentOf1800_ThroughItsTwentyTwoWorkshops(int seed)
    {
        var store = seed == 2026 ? Log.Value : Generate(60_000, seed);
        var row = PhaseOne(store).Measure(Measure.UniqueBeneficiaries, Measure.Participations, Measure.Activities, Measure.Schools).Run().Rows.Single();

        var unique = row.Count(Measure.UniqueBeneficiaries);
        Assert.InRange(unique, 1_800 * 0.96, 1_800 * 1.0);
        Assert.Equal(22, row.Count(Measure.Activities));
        Assert.Equal(2, row.Count(Measure.Schools));
        // The workshops' stated attendances (4,856 seats), not a share of the log's size.
        Assert.Equal(4_856, row.Count(Measure.Participations));
    }

    [Fact]
    public void PhaseOne_RolesFollowTheCohorts_StudentsTeachersAndParents()
    {
        var rows = PhaseOne(Log.Value).GroupBy(Dimension.Role).Measure(Measure.UniqueBeneficiaries).Run().Rows
            .ToDictionary(r => r.Key(0)!, r => r.Count(Measure.UniqueBeneficiaries));

        Assert.Equal(["parent", "student", "teacher"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(rows["student"], 1_500 * 0.94, 1_500);
        Assert.InRange(rows["teacher"], 60 * 0.9, 60);
        Assert.InRange(rows["parent"], 240 * 0.94, 240);
    }

    [Fact]
    public void CompletionRate_DiffersAcrossProvinces()
    {
        var rates = Log.Value.Query().GroupBy(Dimension.Province).Measure(Measure.CompletionRate).Run().Rows
            .Where(r => r.Key(0) is not null)
            .Select(r => r[Measure.CompletionRate]!.Value)
            .ToList();

        Assert.True(rates.Count >= 7, $"{rates.Count} provinces");
        // Every province at one rate is what a constant generator gives; real programmes differ by several points.
        Assert.True(rates.Max() - rates.Min() >= 0.05, $"completion ranges only {rates.Min():P1} to {rates.Max():P1}");
    }

    [Fact]
    public void CompletionAndGain_DifferAcrossSchoolsAndModes()
    {
        var bySchool = Log.Value.Query().GroupBy(Dimension.School).Measure(Measure.CompletionRate, Measure.MeanGain, Measure.Participations).Run().Rows
            .Where(r => r.Key(0) is not null && r.Count(Measure.Participations) >= 300)
            .ToList();
        var completion = bySchool.Select(r => r[Measure.CompletionRate]!.Value).ToList();
        var gain = bySchool.Where(r => r[Measure.MeanGain] is not null).Select(r => r[Measure.MeanGain]!.Value).ToList();
        Assert.True(completion.Max() - completion.Min() >= 0.08, $"school completion {completion.Min():P1} to {completion.Max():P1}");
        Assert.True(gain.Max() - gain.Min() >= 1.5, $"school mean gain {gain.Min():F2} to {gain.Max():F2}");

        var byMode = Log.Value.Query().GroupBy(Dimension.Mode).Measure(Measure.CompletionRate).Run().Rows
            .Where(r => r.Key(0) is not null)
            .ToDictionary(r => r.Key(0)!, r => r[Measure.CompletionRate]!.Value);
        Assert.True(byMode["inPerson"] > byMode["hybrid"], $"in person {byMode["inPerson"]:P1}, hybrid {byMode["hybrid"]:P1}");
    }

    [Fact]
    public void Ages_AreRealisticPerRole_StudentsEightToSeventeen_AdultsOtherwise()
    {
        var byRole = Log.Value.Query().AgeScheme(AgeBandScheme.UnChild).GroupBy(Dimension.Role, Dimension.Age).Measure(Measure.Participations).Run().Rows
            .ToDictionary(r => (Role: r.Key(0)!, Band: r.Key(1)!), r => r.Count(Measure.Participations));

        // Students are 8 to 17 (a few turn 18 during a long programme); nobody is under five.
        Assert.DoesNotContain(byRole.Keys, k => k.Band == "0-4");
        Assert.True(byRole[("student", "10-14")] > byRole.GetValueOrDefault(("student", "18+")) * 20);
        Assert.True(byRole[("student", "5-9")] > 0 && byRole[("student", "15-17")] > 0);
        foreach (var adult in new[] { "teacher", "parent" })
        {
            Assert.DoesNotContain(byRole.Keys, k => k.Role == adult && k.Band is "5-9" or "10-14" or "15-17");
            Assert.True(byRole[(adult, "18+")] > 0);
        }
        // Ages come as years for most, a year of birth for some (straddling a band edge: not comparable), a band or nothing for a few.
        var total = byRole.Values.Sum();
        var notComparable = byRole.Where(k => k.Key.Band == "notComparable").Sum(k => k.Value);
        var notRecorded = byRole.Where(k => k.Key.Band == "notRecorded").Sum(k => k.Value);
        Assert.InRange(notComparable, 1, total / 10);
        Assert.InRange(notRecorded, 1, total / 20);
    }

    [Fact]
    public void Disability_PrevalenceAndRecording_DifferAcrossProvinces()
    {
        var rows = Log.Value.Query().GroupBy(Dimension.Province, Dimension.Disability).Measure(Measure.UniqueBeneficiaries).Run().Rows
            .ToDictionary(r => (Province: r.Key(0)!, Status: r.Key(1)!), r => r.Count(Measure.UniqueBeneficiaries));
        var provinces = rows.Keys.Select(k => k.Province).Distinct().ToList();
        double Share(string province, string status) =>
            (double)rows.GetValueOrDefault((province, status)) / rows.Where(k => k.Key.Province == province).Sum(k => k.Value);

        Assert.True(provinces.Count >= 7, $"{provinces.Count} provinces");
        var disability = provinces.Select(p => Share(p, "disability")).ToList();
        var notRecorded = provinces.Select(p => Share(p, "notRecorded")).ToList();
        // Each status is present everywhere; prevalence and unrecorded answers differ by province, as surveys do.
        Assert.All(disability, d => Assert.InRange(d, 0.005, 0.2));
        Assert.True(disability.Max() - disability.Min() >= 0.02, $"disability {disability.Min():P1} to {disability.Max():P1}");
        Assert.True(notRecorded.Max() - notRecorded.Min() >= 0.05, $"not recorded {notRecorded.Min():P1} to {notRecorded.Max():P1}");
        // A wider cut-off counts more people with a disability, never fewer.
        var some = Log.Value.Query().DisabilityCutoff(new DisabilityCutoff(FunctioningAnswer.SomeDifficulty)).Where(Dimension.Disability, "disability")
            .Measure(Measure.UniqueBeneficiaries).Run().Rows.Single().Count(Measure.UniqueBeneficiaries);
        Assert.True(some > rows.Where(k => k.Key.Status == "disability").Sum(k => k.Value) * 2);
    }

    [Fact]
    public void PersonAttributes_AreOncePerBeneficiary_AndTheLogIsDeterministic()
    {
        var records = new ParticipationGenerator(Sample, GenerateCommand.SyntheticKey).Generate(20_000, 11).ToList();
        var again = new ParticipationGenerator(Sample, GenerateCommand.SyntheticKey).Generate(20_000, 11).ToList();
        Assert.Equal(records, again);
        // The answers are asked once: on one line of each person at most; a year of birth is the same on every line.
        foreach (var person in records.GroupBy(r => r.Beneficiary))
        {
            Assert.True(person.Count(r => !r.Functioning().IsEmpty) <= 1);
            Assert.True(person.Select(r => r.YearOfBirth).Distinct().Count() == 1);
            Assert.True(person.Select(r => r.Age is null).Distinct().Count() == 1);
        }
        // Children answer the Child Functioning Module, adults the Short Set.
        var asked = records.Where(r => !r.Functioning().IsEmpty).ToList();
        Assert.All(asked.Where(r => r.Role == BeneficiaryRole.Teacher), r => Assert.Same(FunctioningAnswers.ShortSet, r.Functioning().QuestionSet));
        Assert.All(asked.Where(r => r.Role == BeneficiaryRole.Student && r.AgeAtDate() is <= 16), r => Assert.Same(FunctioningAnswers.ChildFunctioning, r.Functioning().QuestionSet));
        // The module's children answer anxiety and depression as a frequency; some daily, some refused or "don't know".
        var children = asked.Where(r => r.Functioning().QuestionSet == FunctioningAnswers.ChildFunctioning).ToList();
        Assert.NotEmpty(children);
        Assert.All(children, r => Assert.True(r.Anxiety is not null || r.Depression is not null));
        Assert.Contains(children, r => r.Anxiety == FunctioningFrequency.Daily);
        Assert.Contains(children, r => r.Depression is FunctioningFrequency.Refused or FunctioningFrequency.DontKnow
            || r.Anxiety is FunctioningFrequency.Refused or FunctioningFrequency.DontKnow);
        Assert.DoesNotContain(asked.Where(r => r.Functioning().QuestionSet == FunctioningAnswers.ShortSet), r => r.Anxiety is not null);
        Assert.Contains(asked, r => r.Functioning()[FunctioningDomain.Seeing] is FunctioningAnswer.Refused or FunctioningAnswer.DontKnow
            || r.Functioning()[FunctioningDomain.Hearing] is FunctioningAnswer.Refused or FunctioningAnswer.DontKnow
            || r.Functioning()[FunctioningDomain.Walking] is FunctioningAnswer.Refused or FunctioningAnswer.DontKnow);
    }
}
