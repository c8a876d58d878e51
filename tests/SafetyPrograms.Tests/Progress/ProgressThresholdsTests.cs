using SafetyPrograms.Progress;

namespace SafetyPrograms.Tests.Progress;

public class ProgressThresholdsTests
{
    [Fact]
    public void Default_IsTheDocumentedValues()
    {
        var thresholds = ProgressThresholds.Default;

        Assert.Equal(110m, thresholds.AheadFrom);
        Assert.Equal(95m, thresholds.OnTrackFrom);
        Assert.Equal(80m, thresholds.BehindFrom);
    }

    [Theory]
    [InlineData(150, ProgressStatus.Ahead)]
    [InlineData(110, ProgressStatus.Ahead)]
    [InlineData(109.99, ProgressStatus.OnTrack)]
    [InlineData(95, ProgressStatus.OnTrack)]
    [InlineData(94.99, ProgressStatus.Behind)]
    [InlineData(80, ProgressStatus.Behind)]
    [InlineData(79.99, ProgressStatus.AtRisk)]
    [InlineData(-10, ProgressStatus.AtRisk)]
    public void Classify_BoundariesBelongToTheBetterStatus(double percentOfPlan, ProgressStatus expected)
    {
        Assert.Equal(expected, ProgressThresholds.Default.Classify((decimal)percentOfPlan));
    }

    [Fact]
    public void Construction_OnTrackNotAboveBehind_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ProgressThresholds(110m, 80m, 80m));
        Assert.Equal("onTrackFrom", ex.ParamName);
    }

    [Fact]
    public void Construction_AheadNotAboveOnTrack_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ProgressThresholds(90m, 95m, 80m));
        Assert.Equal("aheadFrom", ex.ParamName);
    }

    [Fact]
    public void Construction_BehindNotAboveZero_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ProgressThresholds(110m, 95m, 0m));
        Assert.Equal("behindFrom", ex.ParamName);
    }

    [Fact]
    public void Options_Defaults()
    {
        var options = new ProgressOptions();

        Assert.Same(ProgressThresholds.Default, options.Thresholds);
        Assert.Same(PacingCurve.Linear, options.Pacing);
    }
}
