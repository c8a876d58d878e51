using System.Text.RegularExpressions;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Tests.Validation;

public sealed partial class CatalogueTests
{
    [Fact]
    public void Catalogue_CodesAreUniqueAndWellFormed()
    {
        Assert.Equal(ValidationRules.All.Count, ValidationRules.All.Select(r => r.Code).Distinct().Count());
        Assert.All(ValidationRules.All, r => Assert.Matches(CodePattern(), r.Code));
        Assert.All(ValidationRules.All, r => Assert.Same(r, ValidationRules.Find(r.Code)));
    }

    [Fact]
    public void Catalogue_CodesAreInOrderAndGroupedByStage()
    {
        var codes = ValidationRules.All.Select(r => r.Code).ToList();

        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
        Assert.All(ValidationRules.All.Where(r => r.Category == RuleCategory.Participation), r => Assert.StartsWith("SP8", r.Code, StringComparison.Ordinal));
    }

    [Fact]
    public void Catalogue_PrivacyRuleIsAnActiveWarning()
    {
        var rule = ValidationRules.Find("SP5001");

        Assert.NotNull(rule);
        Assert.False(rule.IsReserved);
        Assert.Equal(FindingSeverity.Warning, rule.Severity);
    }

    [Fact]
    public void Readme_ValidationRulesTable_ListsExactlyTheCatalogue()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## Validation rules", StringComparison.Ordinal)..];
        var next = section.IndexOf("\n## ", 3, StringComparison.Ordinal);
        section = next < 0 ? section : section[..next];
        var documented = section.Split('\n').Where(l => l.StartsWith("| SP", StringComparison.Ordinal)).Select(l => l.TrimEnd()).ToList();

        Assert.Equal(ReadmeRows(), documented);
    }

    /// <summary>The README rows the catalogue calls for; copy them into the README when a rule is added.</summary>
    internal static IReadOnlyList<string> ReadmeRows() =>
        [.. ValidationRules.All.Select(r => $"| {r.Code} | {r.Severity.ToString().ToLowerInvariant()} | {r.Title} | {r.Fix} |")];

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafetyPrograms.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (with SafetyPrograms.sln) was not found above the test binaries.");
    }

    [GeneratedRegex("^SP[0-9]{4}$")]
    private static partial Regex CodePattern();
}
