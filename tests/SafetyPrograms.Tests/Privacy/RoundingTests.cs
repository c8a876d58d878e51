using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

public class RoundingTests
{
    [Fact]
    public void Apply_Rounding_SuppressesExactlyWhatTheUnroundedPolicyDoes()
    {
        // Rounding happens after suppression on the true values, so a reader of the rounded table knows less than a
        // reader of the unrounded one, whom the attack tests defeat: the suppression pattern must be the same.
        var random = new Random(6006);
        for (var i = 0; i < 30; i++)
        {
            var table = SampleTables.Fill(random, SampleTables.Geography(random), SampleTables.Sex);
            var exact = PublicationPolicy.Default.Apply(table);
            var rounded = new PublicationPolicy(roundingBase: 5).Apply(table);
            Assert.Equal(exact.Figures.Select(f => f.Suppression), rounded.Figures.Select(f => f.Suppression));
            Assert.All(rounded.Figures.Where(f => f.Value is not null), f => Assert.Equal(0, f.Value!.Value % 5));
        }
    }
}
