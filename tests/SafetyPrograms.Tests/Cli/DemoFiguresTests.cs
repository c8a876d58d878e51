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
}
