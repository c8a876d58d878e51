using SafetyPrograms.Tests.Support;

namespace SafetyPrograms.Tests.Architecture;

public class ExternalToolTests
{
    [Fact]
    public void A_program_that_does_not_exist_makes_the_test_skipped_with_its_name_and_where_it_comes_from()
    {
        var fact = new FactWhenInstalledAttribute("no-such-program-sp");

        Assert.Equal(
            "needs no-such-program-sp, which is not installed (.ci/run installs it from Debian's packages)", fact.Skip);
    }

    [Fact]
    public void A_program_on_the_path_leaves_the_test_to_run()
    {
        Assert.NotNull(ExternalTool.Find("sh"));
        Assert.Null(new FactWhenInstalledAttribute("sh").Skip);
    }
}
