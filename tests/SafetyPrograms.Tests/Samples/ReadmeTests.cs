using System.Text.RegularExpressions;

namespace SafetyPrograms.Tests.Samples;

/// <summary>The README shows code that runs: its quick start is the quick-start sample, which the package test runs.</summary>
public partial class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")).ReplaceLineEndings("\n");

    [Fact]
    public void QuickStart_IsTheQuickStartSample()
    {
        var section = Readme[Readme.IndexOf("\n## Quick start", StringComparison.Ordinal)..];
        var block = CSharpBlock().Match(section);
        Assert.True(block.Success, "README's Quick start has no ```csharp block.");
        var sample = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "QuickStart", "Program.cs")).ReplaceLineEndings("\n");
        Assert.Equal(sample.Trim(), block.Groups[1].Value.Trim());
    }

    [Fact]
    public void TwoCommands_AreTheOnesCiAndUsersRun()
    {
        var ci = File.ReadAllText(Path.Combine(RepositoryPaths.Root, ".ci", "run"));
        Assert.Contains("dotnet test SafetyPrograms.sln -c Release", Readme, StringComparison.Ordinal);
        Assert.Contains("dotnet test SafetyPrograms.sln -c Release", ci, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project samples/SafetyPrograms.Cli -c Release -- demo", Readme, StringComparison.Ordinal);
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
