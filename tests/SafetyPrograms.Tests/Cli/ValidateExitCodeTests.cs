using System.Text;
using System.Text.Json;

namespace SafetyPrograms.Tests.Cli;

/// <summary>
/// <c>validate</c>'s exit codes and <c>--max-findings</c>: 1 for a readable file with findings (all of them, in the order
/// of the file), 2 only for a file that is not JSON at all, not UTF-8, over the size cap or that cannot be opened.
/// </summary>
public sealed class ValidateExitCodeTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("safetyprograms-validate-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static string Several(string file) => Path.Combine(Corpus.Corpus.Folder, "several", file);

    [Fact]
    public async Task Validate_ReadableFileWithSeveralProblems_ExitsOne_ListingEveryOneInFileOrder()
    {
        var (code, output, _) = await CliRunner.Run(["validate", Several("issue-example.json"), "--format", "json"]);

        Assert.Equal(1, code);
        using var report = JsonDocument.Parse(output);
        var findings = report.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(["SP0003", "SP1001", "SP0007", "SP0008"], findings.Select(f => f.GetProperty("code").GetString()));
        var lines = findings.Select(f => f.GetProperty("line").GetInt64()).ToList();
        Assert.Equal(lines.Order(), lines);
        Assert.All(findings, f => Assert.True(f.GetProperty("column").GetInt64() >= 1));
    }

    [Theory]
    [InlineData("comment.json")]
    [InlineData("truncated.json")]
    [InlineData("empty.json")]
    public async Task Validate_NotJson_ExitsTwo(string file)
    {
        var (code, output, _) = await CliRunner.Run(["validate", Corpus.Corpus.PathOf(file)]);

        Assert.Equal(2, code);
        Assert.Contains("SP0001", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_NotUtf8_ExitsTwo()
    {
        var path = Path.Combine(_temp, "latin1.json");
        var text = File.ReadAllBytes(Corpus.Corpus.PathOf("base.json"));
        var latin1 = Encoding.Latin1.GetBytes(Encoding.UTF8.GetString(text).Replace("School 1", "Ecole été", StringComparison.Ordinal));
        File.WriteAllBytes(path, latin1);

        var (code, output, _) = await CliRunner.Run(["validate", path]);

        Assert.Equal(2, code);
        Assert.Contains("SP0001", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Utf16File_ExitsTwo()
    {
        var path = Path.Combine(_temp, "utf16.json");
        File.WriteAllText(path, File.ReadAllText(Corpus.Corpus.PathOf("base.json")), Encoding.Unicode);

        var (code, output, _) = await CliRunner.Run(["validate", path]);

        Assert.Equal(2, code);
        Assert.Contains("SP0001", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingFile_ExitsTwo()
    {
        var (code, _, error) = await CliRunner.Run(["validate", Path.Combine(_temp, "nope.json")]);

        Assert.Equal(2, code);
        Assert.Contains("nope.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnsupportedSchemaVersionAndOtherProblems_ExitsOne()
    {
        var (code, output, _) = await CliRunner.Run(["validate", Several("numbers-and-structure.json")]);

        Assert.Equal(1, code);
        Assert.Contains("SP0002 line 2:", output, StringComparison.Ordinal);
        Assert.Contains("SP3001", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MaxFindings_CapsTheListAndSaysHowManyWereLeftOut()
    {
        var (code, output, _) = await CliRunner.Run(["validate", Several("types-and-references.json"), "--max-findings", "2"]);

        Assert.Equal(1, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Count(l => l.StartsWith("error ", StringComparison.Ordinal) || l.StartsWith("warning ", StringComparison.Ordinal)));
        Assert.StartsWith("error SP0009 line 7:", lines[0], StringComparison.Ordinal);
        Assert.Contains("6 more finding(s) not kept", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MaxFindings_JsonSaysHowManyWereLeftOut()
    {
        var (_, output, _) = await CliRunner.Run(["validate", Several("types-and-references.json"), "--max-findings", "3", "--format", "json"]);

        using var report = JsonDocument.Parse(output);
        Assert.Equal(3, report.RootElement.GetProperty("findings").GetArrayLength());
        Assert.Equal(5, report.RootElement.GetProperty("findingsOmitted").GetInt64());
    }

    [Fact]
    public async Task Validate_MaxFindingsBelowOne_IsRefused()
    {
        var (code, _, error) = await CliRunner.Run(["validate", Several("types-and-references.json"), "--max-findings", "0"]);

        Assert.NotEqual(0, code);
        Assert.Contains("--max-findings", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DatasetWithContractProblems_DoesNotValidateParticipations()
    {
        var participations = Corpus.Corpus.PathOf("participation-bad-values.csv");

        var (code, output, error) = await CliRunner.Run(["validate", Several("types-and-references.json"), "--participations", participations]);

        Assert.Equal(1, code);
        Assert.DoesNotContain("SP8", output, StringComparison.Ordinal);
        Assert.Contains("participation file was not validated", error, StringComparison.Ordinal);
    }
}
