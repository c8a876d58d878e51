using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

/// <summary>
/// Attacks published tables: for each suppressed figure, the reader derives from the published figures the range of
/// values it could take; no suppressed figure may be pinned to one value or to a range narrower than the minimum cell size.
/// </summary>
public class DisclosureAttackTests
{
    private static void AssertNoDisclosure(PublicationTable table, PublicationPolicy policy, bool wholeNumbers = false)
    {
        var published = policy.Apply(table);
        var ranges = TableAttacker.Attack(published, wholeNumbers);
        if (policy.ShowZeros)
        {
            // A reader who knows zeros are shown takes every hidden figure to be at least 1 (true of all but a zero
            // hidden as a last-resort complement); ranges under that belief must be as wide.
            foreach (var (figure, (low, high)) in TableAttacker.Attack(published, bounds: f => (table[[.. f.Coordinates]] > 0 ? 1 : 0, double.PositiveInfinity)))
            {
                Assert.True(
                    Math.Floor(high + 1e-6) - Math.Ceiling(low - 1e-6) >= policy.MinimumCellSize,
                    $"{figure} can be worked out to [{low}, {high}] by a reader who knows zeros are shown");
            }
        }
        Assert.Equal(published.PrimarySuppressions + published.SecondarySuppressions, ranges.Count);
        foreach (var (figure, (low, high)) in ranges)
        {
            var truth = table[[.. figure.Coordinates]];
            Assert.InRange(truth, low - 1e-6, high + 1e-6); // the reader's reasoning is sound
            // Counts are whole numbers: a reader rounds the bounds inwards.
            var (wholeLow, wholeHigh) = (Math.Ceiling(low - 1e-6), Math.Floor(high + 1e-6));
            Assert.True(
                wholeHigh - wholeLow >= policy.MinimumCellSize,
                $"{figure} (true {truth}) can be worked out to [{wholeLow}, {wholeHigh}] under '{policy}'");
        }
        foreach (var figure in published.Figures.Where(f => !f.IsSuppressed))
        {
            Assert.False(policy.IsTooSmall(table[[.. figure.Coordinates]]), $"{figure} is published but too small");
        }
    }

    [Fact]
    public void Apply_RandomTwoWayTables_NoSuppressedFigureCanBeWorkedOut()
    {
        var random = new Random(1001);
        for (var i = 0; i < 150; i++)
        {
            AssertNoDisclosure(SampleTables.Flat(random), PublicationPolicy.Default);
        }
    }

    [Fact]
    public void Apply_RandomGeographicRollups_NoSuppressedFigureCanBeWorkedOutAtAnyLevel()
    {
        var random = new Random(2002);
        for (var i = 0; i < 60; i++)
        {
            AssertNoDisclosure(SampleTables.Fill(random, SampleTables.Geography(random), SampleTables.Sex), PublicationPolicy.Default);
        }
    }

    [Fact]
    public void Apply_RandomOneWayGeography_NoSuppressedFigureCanBeWorkedOut()
    {
        var random = new Random(3003);
        for (var i = 0; i < 60; i++)
        {
            AssertNoDisclosure(SampleTables.Fill(random, SampleTables.Geography(random, 3, 3, 4)), PublicationPolicy.Default);
        }
    }

    [Fact]
    public void Apply_RandomThreeWayTables_NoSuppressedFigureCanBeWorkedOut()
    {
        var random = new Random(4004);
        for (var i = 0; i < 20; i++)
        {
            AssertNoDisclosure(
                SampleTables.Fill(random, SampleTables.Geography(random, 2, 2, 2), SampleTables.Sex, SampleTables.AgeBand), PublicationPolicy.Default);
        }
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(10, false)]
    [InlineData(20, true)]
    public void Apply_OtherPolicies_NoSuppressedFigureCanBeWorkedOut(int minimum, bool showZeros)
    {
        var random = new Random(5005 + minimum);
        var policy = new PublicationPolicy(minimum, showZeros: showZeros);
        for (var i = 0; i < 30; i++)
        {
            AssertNoDisclosure(SampleTables.Fill(random, SampleTables.Geography(random), SampleTables.Sex), policy);
        }
    }

    [Fact]
    public void Apply_RandomThreeWayTables_NoSuppressedFigureCanBeWorkedOutInWholeNumbers()
    {
        var random = new Random(4114);
        for (var i = 0; i < 10; i++)
        {
            AssertNoDisclosure(
                SampleTables.Fill(random, SampleTables.Geography(random, 1, 2, 2), SampleTables.Sex, SampleTables.AgeBand), PublicationPolicy.Default, wholeNumbers: true);
        }
    }

    [Fact]
    public void Apply_SampleShapedProgrammeTable_NoSuppressedFigureCanBeWorkedOut()
    {
        // Pakistan, 2 provinces, 3 districts each, 4 schools each, by sex: the shape of a school-workshop programme.
        var random = new Random(20251203);
        var table = SampleTables.Fill(random, SampleTables.Geography(new Random(1), 2, 3, 4), SampleTables.Sex);
        AssertNoDisclosure(table, PublicationPolicy.Default);
    }
}
