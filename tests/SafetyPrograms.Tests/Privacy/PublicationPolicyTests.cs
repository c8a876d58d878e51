using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

public class PublicationPolicyTests
{
    private static readonly TableDimension Sex = SampleTables.Sex;

    private static PublicationTable BySex(long girl, long boy, long notRecorded) =>
        new([Sex], [new(girl, "girl"), new(boy, "boy"), new(notRecorded, "notRecorded")]);

    [Fact]
    public void Default_IsMinimumTenNoRoundingZerosShown()
    {
        Assert.Equal(10, PublicationPolicy.Default.MinimumCellSize);
        Assert.Null(PublicationPolicy.Default.RoundingBase);
        Assert.True(PublicationPolicy.Default.ShowZeros);
        Assert.Equal(new PublicationPolicy(), PublicationPolicy.Default);
        Assert.Equal("cells under 10 suppressed, rounded to 5, zeros suppressed", new PublicationPolicy(10, 5, false).ToString());
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(-3, null)]
    [InlineData(10, 1)]
    [InlineData(10, 0)]
    public void Construction_InvalidValues_Throw(int minimum, int? roundingBase) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PublicationPolicy(minimum, roundingBase));

    [Fact]
    public void Apply_OneSmallCell_IsPrimaryAndTheSmallestOtherPartIsSecondary()
    {
        var published = PublicationPolicy.Default.Apply(BySex(3, 40, 12));
        Assert.Equal(SuppressionReason.Primary, published["girl"].Suppression);
        Assert.Equal(SuppressionReason.Secondary, published["notRecorded"].Suppression);
        Assert.Equal(40, published["boy"].Value);
        Assert.Equal(55, published["total"].Value);
        Assert.Null(published["girl"].Value);
        Assert.Null(published["notRecorded"].Value);
        Assert.Equal(1, published.PrimarySuppressions);
        Assert.Equal(1, published.SecondarySuppressions);
    }

    [Fact]
    public void Apply_SuppressedPartsAddingUpToLessThanTheMinimum_SuppressMore()
    {
        // 3 + 4 = 7: publishing the other two figures would show that girl and boy together are 7.
        var published = PublicationPolicy.Default.Apply(BySex(3, 4, 30));
        Assert.True(published["notRecorded"].IsSuppressed);
        Assert.Equal(37, published["total"].Value);
    }

    [Fact]
    public void Apply_SmallTotal_IsSuppressedToo()
    {
        var published = PublicationPolicy.Default.Apply(BySex(2, 3, 1));
        Assert.All(published.Figures, f => Assert.Equal(SuppressionReason.Primary, f.Suppression));
    }

    [Fact]
    public void Apply_Zeros_AreShownByDefaultAndSuppressedOnRequest()
    {
        var table = BySex(0, 40, 12);
        Assert.Equal(0, PublicationPolicy.Default.Apply(table)["girl"].Value);
        var hidden = new PublicationPolicy(showZeros: false).Apply(table);
        Assert.Equal(SuppressionReason.Primary, hidden["girl"].Suppression);
        Assert.True(hidden["notRecorded"].IsSuppressed);
    }

    [Fact]
    public void Apply_ZerosAreNotChosenAsComplements()
    {
        // Hiding the zero would not protect the 3: the complement must be a figure that can absorb it.
        var published = PublicationPolicy.Default.Apply(BySex(3, 0, 30));
        Assert.Equal(0, published["boy"].Value);
        Assert.True(published["notRecorded"].IsSuppressed);
    }

    [Fact]
    public void Apply_Rounding_RoundsPublishedFiguresToTheBase()
    {
        var published = new PublicationPolicy(roundingBase: 5).Apply(BySex(12, 13, 40));
        Assert.Equal(10, published["girl"].Value);
        Assert.Equal(15, published["boy"].Value);
        Assert.Equal(40, published["notRecorded"].Value);
        Assert.Equal(65, published["total"].Value);
    }

    [Fact]
    public void Apply_NothingSmall_PublishesEverything()
    {
        var published = PublicationPolicy.Default.Apply(BySex(10, 11, 0));
        Assert.All(published.Figures, f => Assert.False(f.IsSuppressed));
    }

    [Fact]
    public void Apply_GeographicRollup_SuppressesSmallSubtotalsAtEveryLevel()
    {
        var geography = new TableDimension("geography",
        [
            new("PK"), new("PK-PB", "PK"), new("PK-SD", "PK"),
            new("lahore", "PK-PB"), new("s1", "lahore"), new("s2", "lahore"),
            new("karachi", "PK-SD"), new("s3", "karachi"), new("s4", "karachi"),
        ]);
        var table = new PublicationTable([geography], [new(2, "s1"), new(3, "s2"), new(50, "s3"), new(60, "s4")]);
        Assert.Equal(5, table["PK-PB"]);
        Assert.Equal(115, table["PK"]);
        var published = PublicationPolicy.Default.Apply(table);
        Assert.Equal(SuppressionReason.Primary, published["lahore"].Suppression);
        Assert.Equal(SuppressionReason.Primary, published["PK-PB"].Suppression);
        Assert.True(published["PK-SD"].IsSuppressed, "PK-SD = PK − PK-PB would disclose PK-PB");
        Assert.Equal(115, published["PK"].Value);
        Assert.Equal("PK", geography.Total);
    }
}
