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
        Assert.Equal("Washington Group cut-off: at least one domain \"a lot of difficulty\" or \"cannot do at all\"", cutoff.Description);
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
        var child = FunctioningAnswers.None;
        foreach (var domain in FunctioningAnswers.ChildFunctioning)
        {
            child = child.With(domain, No);
        }
        Assert.Same(FunctioningAnswers.ChildFunctioning, child.QuestionSet);
        // The module asks remembering and concentrating apart: no Short Set cognition answer is needed.
        Assert.Equal(DisabilityStatus.NoDisability, DisabilityCutoff.WashingtonGroup.StatusOf(child));
        Assert.Equal(DisabilityStatus.Disability, DisabilityCutoff.WashingtonGroup.StatusOf(child.With(FunctioningDomain.MakingFriends, ALot)));
        Assert.Equal(DisabilityStatus.NotRecorded, DisabilityCutoff.WashingtonGroup.StatusOf(child.With(FunctioningDomain.Learning, null)));
    }

    [Theory]
    [InlineData(FunctioningAnswer.NoDifficulty)]
    [InlineData(FunctioningAnswer.Refused)]
    [InlineData(FunctioningAnswer.DontKnow)]
    public void Cutoff_OnlyADifficultyCanBeOne(FunctioningAnswer threshold) =>
        Assert.Throws<ArgumentException>(() => new DisabilityCutoff(threshold));
}
