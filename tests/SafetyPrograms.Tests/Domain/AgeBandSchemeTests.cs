using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Domain;

/// <summary>Band schemes: what makes a valid one, the built-in schemes, and where a band of another scheme counts.</summary>
public class AgeBandSchemeTests
{
    private static AgeRange R(int from, int? to = null) => new(from, to);

    [Fact]
    public void UnChild_IsTheUnicefChildBands()
    {
        Assert.Equal("un-child", AgeBandScheme.UnChild.Code);
        Assert.Equal(["0-4", "5-9", "10-14", "15-17", "18+"], AgeBandScheme.UnChild.Bands.Select(b => b.Label));
        Assert.Equal(["0-4", "5-9", "10-14", "15-17", "18-24", "25-49", "50+"], AgeBandScheme.UnChildAdults.Bands.Select(b => b.Label));
        Assert.Equal("un-child (0-4, 5-9, 10-14, 15-17, 18+)", AgeBandScheme.UnChild.Describe());
    }

    [Fact]
    public void AgeBandList_HoldsEveryBandOfTodaysList()
    {
        // Today's list as a scheme: every band of the enum (but 18+, which spans two of its bands) is one of its bands.
        foreach (var band in Enum.GetValues<AgeBand>().Where(b => b is not (AgeBand.NotRecorded or AgeBand.Age18Plus)))
        {
            Assert.Contains(band.Range()!.Value, AgeBandScheme.AgeBandList.Bands);
        }
        Assert.Null(AgeBand.NotRecorded.Range());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 0)]
    [InlineData(5, 1)]
    [InlineData(17, 3)]
    [InlineData(18, 4)]
    [InlineData(120, 4)]
    public void BandOf_AnAge_IsTheBandThatHoldsIt(int age, int band) => Assert.Equal(band, AgeBandScheme.UnChild.BandOf(age));

    [Fact]
    public void BandContaining_ABandOfAnotherScheme_CountsWhereItNests_ElseNotComparable()
    {
        var unChild = AgeBandScheme.UnChild;
        Assert.Equal(4, unChild.BandContaining(R(18, 24)));       // 18-24 nests in 18+
        Assert.Equal(4, unChild.BandContaining(R(50)));           // 50+ nests in 18+
        Assert.Equal(-1, AgeBandScheme.UnChildAdults.BandContaining(R(18))); // 18+ straddles 18-24, 25-49 and 50+
        var humanitarian = new AgeBandScheme("humanitarian", [R(0, 5), R(6, 11), R(12, 17), R(18)]);
        Assert.Equal(-1, humanitarian.BandContaining(R(5, 9)));   // 5-9 straddles 0-5 and 6-11
        Assert.Equal(2, humanitarian.BandContaining(R(15, 17)));
    }

    [Fact]
    public void Construction_ContiguousFromZeroToTheTop_IsAScheme()
    {
        var scheme = new AgeBandScheme("school-age", [R(0, 5), R(6, 17), R(18, 120)]);
        Assert.Equal(3, scheme.Bands.Count);
        Assert.Equal(new AgeBandScheme("school-age", [R(0, 5), R(6, 17), R(18, 120)]), scheme);
    }

    public static TheoryData<string, AgeRange[]> Invalid => new()
    {
        { "gap", [R(0, 4), R(6, 17), R(18)] },
        { "overlap", [R(0, 5), R(5, 17), R(18)] },
        { "first band", [R(1, 4), R(5)] },
        { "top", [R(0, 4), R(5, 60)] },
        { "open above but is not the last", [R(0), R(5)] },
        { "at least one band", [] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Construction_GapOverlapOrNotFromZeroToTheTop_IsRefusedSayingWhy(string reason, AgeRange[] bands)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new AgeBandScheme("custom", bands));
        Assert.Equal("bands", ex.ParamName);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0-4", 0, 4)]
    [InlineData("18+", 18, null)]
    [InlineData("120+", 120, null)]
    public void AgeRange_TryParse_ReadsLabels(string label, int from, int? to)
    {
        Assert.True(AgeRange.TryParse(label, out var range));
        Assert.Equal(new AgeRange(from, to), range);
        Assert.Equal(label, range.Label);
    }

    [Theory]
    [InlineData("4-0")]
    [InlineData("0-121")]
    [InlineData("05-9")]
    [InlineData("-4")]
    [InlineData("18")]
    [InlineData("a-b")]
    [InlineData("")]
    public void AgeRange_TryParse_RefusesWhatIsNoBand(string label) => Assert.False(AgeRange.TryParse(label, out _));
}
