using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Domain;

/// <summary>The Washington Group status: the published cut-off, other cut-offs, and "not recorded" that is never "no disability".</summary>
public class DisabilityTests
{
    private static FunctioningAnswers ShortSet(params FunctioningAnswer?[] answers)
    {
        var result = FunctioningAnswers.None;
        for (var i = 0; i < answers.Length; i++)
        {
            result = result.With(FunctioningAnswers.ShortSet[i], answers[i]);
        }
        return result;
    }

    private const FunctioningAnswer No = FunctioningAnswer.NoDifficulty, Some = FunctioningAnswer.SomeDifficulty,
        ALot = FunctioningAnswer.ALotOfDifficulty, Cannot = FunctioningAnswer.CannotDoAtAll, Refused = FunctioningAnswer.Refused,
        DontKnow = FunctioningAnswer.DontKnow;

    [Fact]
    public void PublishedCutoff_OneDomainALotOfDifficulty_IsDisability()
    {
        var cutoff = DisabilityCutoff.WashingtonGroup;
        Assert.Equal(DisabilityStatus.Disability, cutoff.StatusOf(ShortSet(No, No, ALot, No, No, No)));
        Assert.Equal(DisabilityStatus.Disability, cutoff.StatusOf(ShortSet(No, No, No, No, No, Cannot)));
        Assert.Equal(DisabilityStatus.NoDisability, cutoff.StatusOf(ShortSet(Some, Some, Some, Some, Some, Some)));
        Assert.Equal("wg-a-lot", cutoff.Code);
        Assert.Equal("Washington Group cut-off: at least one domain \"a lot of difficulty\" or \"cannot do at all\" (anxiety or depression: daily)", cutoff.Description);
    }

    [Fact]
    public void ChangedCutoff_ChangesTheStatusOfTheSameAnswers()
    {
        var someDifficulty = ShortSet(Some, No, No, No, No, No);
        Assert.Equal(DisabilityStatus.Disability, new DisabilityCutoff(Some).StatusOf(someDifficulty));
        Assert.Equal(DisabilityStatus.NoDisability, DisabilityCutoff.WashingtonGroup.StatusOf(someDifficulty));
        var aLot = ShortSet(ALot, No, No, No, No, No);
        Assert.Equal(DisabilityStatus.NoDisability, new DisabilityCutoff(Cannot).StatusOf(aLot));
        Assert.True(DisabilityCutoff.TryParse("wg-cannot", out var parsed));
        Assert.Equal(new DisabilityCutoff(Cannot), parsed);
    }

    [Fact]
    public void MissingRefusedOrDontKnow_WithNoDomainAtTheCutoff_IsNotRecorded_NeverNoDisability()
    {
        var cutoff = DisabilityCutoff.WashingtonGroup;
        Assert.Equal(DisabilityStatus.NotRecorded, cutoff.StatusOf(FunctioningAnswers.None));
        Assert.Equal(DisabilityStatus.NotRecorded, cutoff.StatusOf(ShortSet(No, No, No, No, No, Refused)));
        Assert.Equal(DisabilityStatus.NotRecorded, cutoff.StatusOf(ShortSet(No, No, No, No, No, DontKnow)));
        Assert.Equal(DisabilityStatus.NotRecorded, cutoff.StatusOf(ShortSet(No, No, No, No, No)));
        // A domain at the cut-off decides, whatever else is missing.
        Assert.Equal(DisabilityStatus.Disability, cutoff.StatusOf(ShortSet(Refused, null, ALot)));
    }

    [Fact]
    public void ChildFunctioningModule_AnswersJudgedOnTheModulesDomains()
    {
        var child = Child(FunctioningFrequency.Never, FunctioningFrequency.AFewTimesAYear);
        Assert.Same(FunctioningAnswers.ChildFunctioning, child.QuestionSet);
        // The module asks remembering and concentrating apart: no Short Set cognition answer is needed.
        Assert.Equal(DisabilityStatus.NoDisability, DisabilityCutoff.WashingtonGroup.StatusOf(child));
        Assert.Equal(DisabilityStatus.Disability, DisabilityCutoff.WashingtonGroup.StatusOf(child.With(FunctioningDomain.MakingFriends, ALot)));
        Assert.Equal(DisabilityStatus.NotRecorded, DisabilityCutoff.WashingtonGroup.StatusOf(child.With(FunctioningDomain.Learning, (FunctioningAnswer?)null)));
    }

    /// <summary>A child with no difficulty in any domain of the module and the given anxiety and depression.</summary>
    private static FunctioningAnswers Child(FunctioningFrequency? anxiety, FunctioningFrequency? depression)
    {
        var child = FunctioningAnswers.None;
        foreach (var domain in FunctioningAnswers.ChildFunctioning.Where(d => !FunctioningAnswers.IsAskedAsFrequency(d)))
        {
            child = child.With(domain, No);
        }
        return child.With(FunctioningDomain.Anxiety, anxiety).With(FunctioningDomain.Depression, depression);
    }

    [Theory]
    [InlineData(FunctioningFrequency.Daily, FunctioningFrequency.Never, "Disability", "Disability", "Disability")]
    [InlineData(FunctioningFrequency.Never, FunctioningFrequency.Daily, "Disability", "Disability", "Disability")]
    [InlineData(FunctioningFrequency.Weekly, FunctioningFrequency.Never, "Disability", "NoDisability", "NoDisability")]
    [InlineData(FunctioningFrequency.Monthly, FunctioningFrequency.AFewTimesAYear, "NoDisability", "NoDisability", "NoDisability")]
    [InlineData(FunctioningFrequency.Refused, FunctioningFrequency.Never, "NotRecorded", "NotRecorded", "NotRecorded")]
    [InlineData(FunctioningFrequency.DontKnow, FunctioningFrequency.Weekly, "Disability", "NotRecorded", "NotRecorded")]
    [InlineData(null, FunctioningFrequency.Never, "NotRecorded", "NotRecorded", "NotRecorded")]
    public void AnxietyAndDepression_DailyCountsUnderThePublishedCutoff_MissingOrRefusedIsNotRecorded(
        FunctioningFrequency? anxiety, FunctioningFrequency? depression, string some, string published, string cannot)
    {
        var child = Child(anxiety, depression);
        Assert.Equal(Enum.Parse<DisabilityStatus>(some), new DisabilityCutoff(Some).StatusOf(child));
        Assert.Equal(Enum.Parse<DisabilityStatus>(published), DisabilityCutoff.WashingtonGroup.StatusOf(child));
        Assert.Equal(Enum.Parse<DisabilityStatus>(cannot), new DisabilityCutoff(Cannot).StatusOf(child));
    }

    [Fact]
    public void AnxietyAndDepression_AreAnsweredAsAFrequency_NeverAsADifficulty()
    {
        var answers = FunctioningAnswers.None.With(FunctioningDomain.Anxiety, FunctioningFrequency.Weekly);
        Assert.Equal(FunctioningFrequency.Weekly, answers.Frequency(FunctioningDomain.Anxiety));
        Assert.Null(answers.Frequency(FunctioningDomain.Depression));
        Assert.Same(FunctioningAnswers.ChildFunctioning, answers.QuestionSet);
        Assert.Throws<ArgumentException>(() => answers[FunctioningDomain.Anxiety]);
        Assert.Throws<ArgumentException>(() => answers.With(FunctioningDomain.Depression, FunctioningAnswer.NoDifficulty));
        Assert.Throws<ArgumentException>(() => answers.Frequency(FunctioningDomain.Seeing));
        Assert.Throws<ArgumentException>(() => answers.With(FunctioningDomain.Seeing, FunctioningFrequency.Daily));
        Assert.Equal(FunctioningFrequency.Weekly, new DisabilityCutoff(Some).FrequencyThreshold);
        Assert.Equal(FunctioningFrequency.Daily, DisabilityCutoff.WashingtonGroup.FrequencyThreshold);
    }

    [Theory]
    [InlineData(FunctioningAnswer.NoDifficulty)]
    [InlineData(FunctioningAnswer.Refused)]
    [InlineData(FunctioningAnswer.DontKnow)]
    public void Cutoff_OnlyADifficultyCanBeOne(FunctioningAnswer threshold) =>
        Assert.Throws<ArgumentException>(() => new DisabilityCutoff(threshold));
}
