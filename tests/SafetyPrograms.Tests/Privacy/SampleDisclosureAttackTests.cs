using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Privacy;

/// <summary>The attack of <see cref="DisclosureAttackTests"/>, on tables published from the shipped sample log.</summary>
public class SampleDisclosureAttackTests
{
    public static TheoryData<string, Dimension, Dimension, BeneficiaryRole?> Tables => new()
    {
        { "teachers by district and sex", Dimension.District, Dimension.Sex, BeneficiaryRole.Teacher },
        { "parents by province and age band", Dimension.Province, Dimension.AgeBand, BeneficiaryRole.Parent },
        { "everyone by district and role", Dimension.District, Dimension.Role, null },
        { "teachers by school and sex", Dimension.School, Dimension.Sex, BeneficiaryRole.Teacher },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void SampleTable_NoSuppressedFigureCanBeWorkedOut(string name, Dimension rows, Dimension columns, BeneficiaryRole? role)
    {
        var dataset = Read(Path.Combine(RepositoryPaths.SamplesData, "programmes.json"));
        var store = new ParticipationStore(dataset);
        using (var log = File.OpenRead(Path.Combine(RepositoryPaths.SamplesData, "participations.csv")))
        {
            store.AppendCsv(log);
        }
        // Unique people by age band: each in the band of their age at first participation (ages advance in the log).
        Func<AggregationQuery, AggregationQuery> filter = role is { } r ? q => q.Where(Dimension.Role, r).AgeAtFirstParticipation() : q => q;
        var policy = PublicationPolicy.Default;

        var published = policy.Publish(store, [rows, columns], Measure.UniqueBeneficiaries, filter);

        Assert.True(published.PrimarySuppressions > 0, $"{name}: the sample should have small cells to protect");
        if (rows is Dimension.District or Dimension.School)
        {
            // The geographic rollup levels are published, and protected, too.
            Assert.Contains(published.Figures, f => f.Coordinates[0] == "PK-SD" && f.IsMargin);
        }
        var leaves = filter(store.Query()).GroupBy(rows, columns).Measure(Measure.UniqueBeneficiaries).Run().Rows
            .Select(row => (Row: Key(row.Key(0)), Column: Key(row.Key(1)), Count: row.Count(Measure.UniqueBeneficiaries)))
            .ToList();
        foreach (var (figure, (low, high)) in TableAttacker.Attack(published))
        {
            // The adapter checked that margins are sums, so a figure's true value is the sum of the leaves under it.
            var truth = leaves
                .Where(l => Matches(figure.Coordinates[0], l.Row, published.Dimensions[0]) && Matches(figure.Coordinates[1], l.Column, published.Dimensions[1]))
                .Sum(l => l.Count);
            Assert.InRange(truth, low - 1e-6, high + 1e-6);
            Assert.True(
                Math.Floor(high + 1e-6) - Math.Ceiling(low - 1e-6) >= policy.MinimumCellSize,
                $"{name}: {figure} (true {truth}) can be worked out to [{low}, {high}]");
        }
    }

    /// <summary>Whether the figure at <paramref name="coordinate"/> counts <paramref name="leaf"/>: it is the leaf, one of its ancestors (district, province, country) or the total.</summary>
    private static bool Matches(string coordinate, string leaf, PublishedDimension dimension)
    {
        for (string? node = leaf; node is not null; node = dimension.Categories.Contains(node) ? dimension.ParentOf(node) : null)
        {
            if (node == coordinate)
            {
                return true;
            }
        }
        return coordinate == dimension.Total;
    }

    private static string Key(string? key) => key is { Length: > 0 } k ? k : AggregationPublishing.MissingKey;

    private static ProgrammeDataset Read(string path)
    {
        using var stream = File.OpenRead(path);
        return ProgrammeDatasetJson.Read(stream, path);
    }
}
