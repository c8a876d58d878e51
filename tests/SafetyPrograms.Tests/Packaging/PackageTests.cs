using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Xml.Linq;

namespace SafetyPrograms.Tests.Packaging;

/// <summary>
/// The package works as a package: packed, referenced by version from a folder by a fresh project that has no way to
/// reach the source tree, built and run. The fresh project's code is the README's quick start.
/// </summary>
[Trait("Category", "Packaging")]
public sealed class PackageTests : IClassFixture<PackageTests.PackedPackage>
{
    private readonly PackedPackage _package;

    public PackageTests(PackedPackage package) => _package = package;

    [Fact]
    public void Package_HasMetadataReadmeDocsAndSymbols()
    {
        using var zip = ZipFile.OpenRead(_package.NupkgPath);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("README.md", names);
        Assert.Contains("lib/net10.0/SafetyPrograms.dll", names);
        Assert.Contains("lib/net10.0/SafetyPrograms.xml", names);
        Assert.True(File.Exists(Path.ChangeExtension(_package.NupkgPath, ".snupkg")), "symbols package");

        using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal("SafetyPrograms", Element("id"));
        Assert.Equal(_package.Version, Element("version"));
        Assert.Equal("MIT", Element("license"));
        Assert.Equal("README.md", Element("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Element("description")));
        Assert.Contains("child-online-safety", Element("tags"), StringComparison.Ordinal);
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
    }

    [Fact]
    public void Package_EmbedsTheJsonSchemas()
    {
        using var zip = ZipFile.OpenRead(_package.NupkgPath);
        using var dll = new MemoryStream();
        using (var entry = zip.GetEntry("lib/net10.0/SafetyPrograms.dll")!.Open())
        {
            entry.CopyTo(dll);
        }
        dll.Position = 0;
        using var pe = new PEReader(dll);
        var reader = pe.GetMetadataReader();
        var resources = reader.ManifestResources.Select(h => reader.GetString(reader.GetManifestResource(h).Name)).ToList();
        Assert.Contains(resources, r => r.EndsWith("programme-dataset.schema.json", StringComparison.Ordinal));
        Assert.Contains(resources, r => r.EndsWith("participation-record.schema.json", StringComparison.Ordinal));
    }

    [Fact]
    public void FreshProject_ReferencingThePackageByVersion_RunsTheQuickStart()
    {
        var consumer = Path.Combine(_package.WorkDirectory, "consumer");
        Directory.CreateDirectory(consumer);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RestorePackagesPath>{Path.Combine(_package.WorkDirectory, "packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SafetyPrograms" Version="{_package.Version}" />
              </ItemGroup>
            </Project>
            """);
        // A local folder as an extra source; the machine's own sources still serve NodaTime and FluentValidation.
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="packed" value="{_package.FeedDirectory}" />
              </packageSources>
            </configuration>
            """);
        File.Copy(Path.Combine(RepositoryPaths.Root, "samples", "QuickStart", "Program.cs"), Path.Combine(consumer, "Program.cs"));

        var run = ProcessRunner.Run(
            "dotnet",
            ["run", "-c", "Release", "--", Path.Combine(RepositoryPaths.SamplesData, "programmes.json"), Path.Combine(RepositoryPaths.SamplesData, "participations.csv")],
            consumer,
            TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("valid: 0 error(s)", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("read 5000, accepted 5000, rejected 0", run.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"total\s+\d+ children\s+5000 participations", run.StandardOutput);

        // The library came from the package, not from a project reference.
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(consumer, "obj", "project.assets.json")));
        var library = assets.RootElement.GetProperty("libraries").GetProperty($"SafetyPrograms/{_package.Version}");
        Assert.Equal("package", library.GetProperty("type").GetString());
    }

    /// <summary>
    /// Packs the library once for all the tests in this class, at the project's own version (so the pack reuses the
    /// build). The consumer restores into its own empty packages folder, so no cached copy of that version can stand in.
    /// </summary>
    public sealed class PackedPackage : IDisposable
    {
        public PackedPackage()
        {
            WorkDirectory = Path.Combine(Path.GetTempPath(), "safetyprograms-package-" + Guid.NewGuid().ToString("N"));
            FeedDirectory = Path.Combine(WorkDirectory, "feed");
            var pack = ProcessRunner.Run(
                "dotnet",
                ["pack", Path.Combine(RepositoryPaths.Root, "src", "SafetyPrograms", "SafetyPrograms.csproj"), "-c", ProcessRunner.Configuration, "-o", FeedDirectory],
                RepositoryPaths.Root,
                TimeSpan.FromMinutes(5));
            if (pack.ExitCode != 0)
            {
                throw new InvalidOperationException("dotnet pack failed: " + pack);
            }
            NupkgPath = Directory.GetFiles(FeedDirectory, "SafetyPrograms.*.nupkg").Single(p => !p.EndsWith(".symbols.nupkg", StringComparison.Ordinal));
            Version = Path.GetFileNameWithoutExtension(NupkgPath)["SafetyPrograms.".Length..];
        }

        public string WorkDirectory { get; }

        public string FeedDirectory { get; }

        public string Version { get; }

        public string NupkgPath { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(WorkDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; failing the run over it is not.
            }
        }
    }
}
