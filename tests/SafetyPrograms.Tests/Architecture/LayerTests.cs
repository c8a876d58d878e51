using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Architecture;

/// <summary>
/// The library's layers depend one way, as ARCHITECTURE.md draws them: each uses only itself and the layers below it.
/// Checked twice, on the compiled types (every type a member, attribute or method body names) and on the
/// <c>using</c> lines of the source, which also catch a constant the compiler inlined.
/// </summary>
public partial class LayerTests
{
    /// <summary>
    /// The layers, bottom up. A namespace belongs to the layer of its first segment after <c>SafetyPrograms</c>
    /// (<c>Privacy.Tables</c> would be in Privacy). Utility (argument checks, immutable lists) is under everything;
    /// Domain uses nothing else of ours.
    /// </summary>
    private static readonly string[] Layers =
        ["Utility", "Domain", "Serialization", "Schema", "Indexing", "Validation", "Ingest", "Aggregation", "Sql", "Progress", "Privacy", "Reporting", "Exchange"];

    private static readonly Type[] LibraryTypes = [.. typeof(ProgrammeDataset).Assembly.GetTypes().Where(t => LayerOf(t.Namespace) is not null)];

    public static TheoryData<string> EachLayer => [.. Layers];

    [Fact]
    public void EveryNamespace_IsInALayer()
    {
        var namespaces = typeof(ProgrammeDataset).Assembly.GetTypes()
            .Select(t => t.Namespace)
            .Where(n => n is not null && n.StartsWith("SafetyPrograms", StringComparison.Ordinal))
            .Distinct();

        Assert.All(namespaces, n => Assert.True(
            LayerOf(n) is { } layer && Layers.Contains(layer),
            $"{n} is in no layer: add it to LayerTests.Layers and ARCHITECTURE.md where its dependencies put it."));
    }

    [Theory]
    [MemberData(nameof(EachLayer))]
    public void CompiledTypes_UseOnlyTheirLayerAndLayersBelow(string layer)
    {
        var wrongWay = LibraryTypes
            .Where(t => LayerOf(t.Namespace) == layer)
            .SelectMany(t => TypeReferences.Of(t)
                .Where(used => !MayUse(layer, LayerOf(used.Namespace)))
                .Select(used => $"{t.FullName} uses {used.FullName}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(wrongWay.Count == 0, $"{layer} depends the wrong way:\n" + string.Join("\n", wrongWay));
    }

    [Theory]
    [MemberData(nameof(EachLayer))]
    public void UsingLines_NameOnlyTheirLayerAndLayersBelow(string layer)
    {
        var source = Path.Combine(RepositoryPaths.Root, "src", "SafetyPrograms");
        var wrongWay = new List<string>();
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            if (LayerOf(FileNamespace().Match(text).Groups[1].Value) != layer)
            {
                continue;
            }
            wrongWay.AddRange(UsingLine().Matches(text)
                .Where(m => !MayUse(layer, LayerOf(m.Groups[1].Value)))
                .Select(m => $"{Path.GetRelativePath(source, file)}: {m.Value.Trim()}"));
        }

        Assert.True(wrongWay.Count == 0, $"{layer} names a layer above it:\n" + string.Join("\n", wrongWay));
    }

    [Fact]
    public void Domain_UsesNothingOfOursButUtility()
    {
        var used = LibraryTypes
            .Where(t => LayerOf(t.Namespace) == "Domain")
            .SelectMany(TypeReferences.Of)
            .Select(t => LayerOf(t.Namespace))
            .OfType<string>()
            .Distinct();

        Assert.Empty(used.Except(["Domain", "Utility"]));
    }

    [Fact]
    public void Samples_SeeOnlyThePublicApi()
    {
        var friends = typeof(ProgrammeDataset).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName);

        // The Parquet and spreadsheet packages ship at the core's version and read or write rows through its field decoder
        // and one name table per enum; the Orleans package sends a query's terms and filters by label; no sample is a friend.
        Assert.Equal(
            ["SafetyPrograms.Benchmarks", "SafetyPrograms.Orleans", "SafetyPrograms.Parquet", "SafetyPrograms.Spreadsheets", "SafetyPrograms.Tests"],
            friends.Order(StringComparer.Ordinal));
    }

    /// <summary>Whether code in <paramref name="layer"/> may use <paramref name="used"/> (null: not ours, such as System).</summary>
    private static bool MayUse(string layer, string? used) =>
        used is null || Array.IndexOf(Layers, used) is var rank && rank >= 0 && rank <= Array.IndexOf(Layers, layer);

    private static string? LayerOf(string? ns) =>
        ns is not null && ns.StartsWith("SafetyPrograms.", StringComparison.Ordinal) ? ns["SafetyPrograms.".Length..].Split('.')[0] : null;

    [GeneratedRegex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(SafetyPrograms[\w.]*)", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
