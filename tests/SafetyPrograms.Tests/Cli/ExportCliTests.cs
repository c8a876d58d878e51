namespace SafetyPrograms.Tests.Cli;

/// <summary><c>export</c>: each format written through the tool's output rules, never over an input, and the demo's exports.</summary>
public sealed class ExportCliTests : IDisposable
{
    private static readonly string Dataset = Path.Combine(RepositoryPaths.SamplesData, "programmes.json");
    private static readonly string Participations = Path.Combine(RepositoryPaths.SamplesData, "participations.csv");
    private static readonly string Mapping = Path.Combine(RepositoryPaths.SamplesData, "adx-mapping.json");
    private readonly string _temp = Directory.CreateTempSubdirectory("safetyprograms-export-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData("iati", "<iati-activities version=\"2.03\"")]
    [InlineData("adx", "urn:ihe:qrph:adx:2015")]
    [InlineData("hxl", "#activity+code,#indicator+code")]
    [InlineData("sdmx-csv", "STRUCTURE,STRUCTURE_ID,ACTION,PROGRAMME")]
    [InlineData("sdmx-ml", "<message:GenericData")]
    public async Task Export_WritesTheFormat_UnderThePolicy(string format, string start)
    {
        var path = Path.Combine(_temp, "out." + format);
        var (code, output, error) = await CliRunner.Run(
            ["export", "--format", format, "--dataset", Dataset, "--participations", Participations, "--mapping", Mapping, "--out", path, "--as-of", "2026-01-31",
                "--iati-unidentified", "leave-out"]);
        Assert.True(code == 0, output + error);
        Assert.Contains("publication policy applied: cells under 10 suppressed", output, StringComparison.Ordinal);
        Assert.Contains(start, File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_temp, "*.partial"));
    }

    [Fact]
    public async Task Export_AnotherSchemeAndCutoff_AreUsedAndStated_InTheFileAndOnTheConsole()
    {
        var path = Path.Combine(_temp, "out.csv");
        var (code, output, error) = await CliRunner.Run(
            ["export", "--format", "sdmx-csv", "--dataset", Dataset, "--participations", Participations, "--out", path, "--as-of", "2026-01-31",
                "--age-scheme", "un-child-adults", "--disability-cutoff", "wg-cannot"]);
        Assert.True(code == 0, output + error);
        var cutoff = new SafetyPrograms.Domain.DisabilityCutoff(SafetyPrograms.Domain.FunctioningAnswer.CannotDoAtAll);
        Assert.Contains("age scheme: un-child-adults (0-4, 5-9, 10-14, 15-17, 18-24, 25-49, 50+); disability: " + cutoff.Description, output, StringComparison.Ordinal);
        var written = File.ReadAllText(path);
        Assert.Contains("AGE_UN_CHILD_ADULTS", written, StringComparison.Ordinal);
        Assert.Contains("wg-cannot", written, StringComparison.Ordinal);
        Assert.DoesNotContain("wg-a-lot", written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SdmxExport_WithPrimaryAndSecondaryMarks_StatesThem_AndMarksHiddenFiguresCOrD()
    {
        var uniform = Path.Combine(_temp, "uniform.csv");
        var marked = Path.Combine(_temp, "marked.csv");
        string[] common = ["export", "--format", "sdmx-csv", "--dataset", Dataset, "--participations", Participations, "--as-of", "2026-01-31"];
        var (code, output, error) = await CliRunner.Run([.. common, "--out", uniform]);
        Assert.True(code == 0, output + error);
        (code, output, error) = await CliRunner.Run([.. common, "--out", marked, "--sdmx-marks", "primary-secondary"]);
        Assert.True(code == 0, output + error);
        Assert.Contains("primary and secondary suppression marked", output, StringComparison.Ordinal);

        static List<string> Statuses(string path)
        {
            var rows = File.ReadAllLines(path).Select(l => l.Split(',')).ToList();
            var conf = Array.IndexOf(rows[0], "CONF_STATUS");
            return [.. rows.Skip(1).Select(r => r[conf])];
        }
        var (plain, both) = (Statuses(uniform), Statuses(marked));
        Assert.DoesNotContain("D", plain);
        Assert.Contains("C", both);
        Assert.Contains("D", both);
    }

    [Fact]
    public async Task IatiExport_OfAProgrammeWithNoIatiIdentifier_IsRefusedByDefault_NamingTheOrganisationToFix()
    {
        // Two seed partnerships (ps-digital-safety, ps-educational-content) have no member with an IATI identifier.
        var path = Path.Combine(_temp, "out.xml");
        var (code, output, error) = await CliRunner.Run(["export", "--format", "iati", "--dataset", Dataset, "--out", path, "--as-of", "2026-01-31"]);
        Assert.True(code != 0, output + error);
        Assert.Contains("ps-digital-safety", error, StringComparison.Ordinal);
        Assert.Contains("(org-tiktok)", error, StringComparison.Ordinal);
        Assert.Contains("ps-educational-content", error, StringComparison.Ordinal);
        Assert.Contains("--iati-unidentified leave-out", error, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task IatiExport_LeavingUnidentifiedProgrammesOut_WritesTheRest_AndNotesEachOneLeftOut()
    {
        var path = Path.Combine(_temp, "out.xml");
        var (code, output, error) = await CliRunner.Run(
            ["export", "--format", "iati", "--dataset", Dataset, "--out", path, "--as-of", "2026-01-31", "--iati-unidentified", "leave-out"]);
        Assert.True(code == 0, output + error);
        Assert.Contains("note: ps-digital-safety: left out of IATI", output, StringComparison.Ordinal);
        Assert.Contains("note: ps-educational-content: left out of IATI", output, StringComparison.Ordinal);
        var xml = File.ReadAllText(path);
        Assert.Contains("XM-DAC-41122-ps-child-online-protection", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("ps-digital-safety", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_NeverWritesOverAnInput()
    {
        var copy = Path.Combine(_temp, "programmes.json");
        File.Copy(Dataset, copy);
        var before = File.ReadAllText(copy);
        var (code, _, error) = await CliRunner.Run(["export", "--format", "iati", "--dataset", copy, "--out", copy]);
        Assert.NotEqual(0, code);
        Assert.Contains("is the input", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(copy));
    }

    [Fact]
    public async Task AdxExport_WithoutAMapping_SaysWhatIsMissing_AndWritesNothing()
    {
        var path = Path.Combine(_temp, "out.adx");
        var (code, _, error) = await CliRunner.Run(["export", "--format", "adx", "--dataset", Dataset, "--out", path]);
        Assert.NotEqual(0, code);
        Assert.Contains("--mapping", error, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Demo_WritesEveryExport_BesideItsReport()
    {
        var (code, output, error) = await CliRunner.Run(["demo", "--records", "20000", "--out", _temp, "--as-of", "2025-12-31"]);
        Assert.True(code == 0, output + error);
        foreach (var name in new[] { "iati-activities.xml", "dhis2.adx.xml", "hxl-reach.csv", "hxl-reach-3w.csv", "sdmx.csv", "sdmx.xml", "sdmx-structure.xml", "report.html" })
        {
            Assert.True(new FileInfo(Path.Combine(_temp, name)).Length > 0, name);
        }
    }
}
