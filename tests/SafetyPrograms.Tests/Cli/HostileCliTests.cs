using System.Diagnostics;
using SafetyPrograms.Tests.Corpus;

namespace SafetyPrograms.Tests.Cli;

/// <summary>
/// The tool attacked as a hostile user would: raw identifiers, formulas, escape sequences and binary files as input, and
/// outputs that are an input, a device, a directory or shared by two runs. Nothing raw comes back out; nothing is lost.
/// </summary>
public sealed class HostileCliTests : IDisposable
{
    private const string Secret = "a-test-secret-that-is-long-enough-to-be-accepted-0123456789";
    private static readonly string BaseDataset = Path.Combine(Corpus.Corpus.Folder, "base.json");
    private readonly string _temp = Directory.CreateTempSubdirectory("safetyprograms-hostile-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    public static TheoryData<string> RawKeys => HostileValues.All(HostileValues.RawIdentifiers, HostileValues.NeverShown);

    public static TheoryData<string> Escapes => HostileValues.All(HostileValues.EscapeSequences);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_temp, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string CsvField(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // Raw identifiers are never echoed -----------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(RawKeys))]
    public async Task Validate_RawIdentifierAsKey_IsNeverEchoed_InTextOrJson(string key)
    {
        var csv = Write("p.csv", Hostile.CsvHeader + Hostile.CsvRow("k-1") + CsvField(key) + Hostile.CsvRowTail);
        var jsonl = Write("p.jsonl", Hostile.JsonRecord("k-1") + "{\"beneficiary\":" + System.Text.Json.JsonSerializer.Serialize(key) + Hostile.JsonRecordTail);

        // A key the grammar accepts (tel:03001234567) is only warned about; either way the finding names the line, not the key.
        foreach (var (file, line) in new[] { (csv, 3), (jsonl, 2) })
        {
            foreach (var format in new[] { "text", "json" })
            {
                var (_, output, error) = await Run("validate", BaseDataset, "--participations", file, "--format", format);
                Assert.DoesNotContain(key, output + error, StringComparison.Ordinal);
                if (output.Contains("SP8", StringComparison.Ordinal))
                {
                    Assert.Contains(format == "json" ? $"\"line\": {line}" : $"line {line} beneficiary", output, StringComparison.Ordinal);
                }
            }
            var (_, aggregated, rejected) = await Run("aggregate", "--dataset", BaseDataset, "--participations", file);
            Assert.DoesNotContain(key, aggregated + rejected, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Validate_KeyThatIsAName_IsNotEchoed()
    {
        var file = Write("p.csv", Hostile.CsvHeader + Hostile.CsvRow("Ayesha Siddiqui"));
        var (code, output, _) = await Run("validate", BaseDataset, "--participations", file, "--format", "json");
        Assert.Equal(1, code);
        Assert.DoesNotContain("Ayesha", output, StringComparison.Ordinal);
        Assert.Contains("\"path\": \"beneficiary\"", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RawKeys))]
    public async Task HeaderlessCsv_FirstRowOfIdentifiers_IsNotEchoedAsTheHeader(string key)
    {
        var file = Write("headerless.csv", CsvField(key) + Hostile.CsvRowTail + Hostile.CsvRow("k-2"));
        var runs = new[]
        {
            await Run("validate", BaseDataset, "--participations", file),
            await Run("aggregate", "--dataset", BaseDataset, "--participations", file),
            await Run("progress", "--dataset", BaseDataset, "--participations", file),
        };
        foreach (var (code, output, error) in runs)
        {
            Assert.NotEqual(0, code);
            Assert.Contains("line 1", output + error, StringComparison.Ordinal);
            Assert.DoesNotContain(key, output + error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pseudonymise_HeaderlessFile_DoesNotPrintTheFirstRow()
    {
        var input = Write("partner.csv", "+923001234567,Ayesha Siddiqui,=1+1\n03001234568,Bilal,2\n");
        var output = Path.Combine(_temp, "out.csv");
        var secretFile = Write("secret.txt", Secret + "\n");
        var (code, text, error) = await Run("pseudonymise", "--in", input, "--out", output, "--column", "phone", "--scheme", "phone", "--secret-file", secretFile);
        Assert.Equal(2, code);
        Assert.DoesNotContain("923001234567", text + error, StringComparison.Ordinal);
        Assert.DoesNotContain("Ayesha", text + error, StringComparison.Ordinal);
        Assert.Contains("header", error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Equal(["partner.csv", "secret.txt"], Directory.GetFiles(_temp).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
    }

    // Terminal escape sequences and binary files ---------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task Progress_DatasetNameWithEscapes_ReachesTheTerminalEscaped(string name)
    {
        var json = File.ReadAllText(BaseDataset).Replace("\"Safer Internet in Schools\"", System.Text.Json.JsonSerializer.Serialize(name), StringComparison.Ordinal);
        var dataset = Write("d.json", json);
        var (code, output, error) = await Run("progress", "--dataset", dataset, "--as-of", "2024-03-31");
        Assert.Equal(0, code);
        Assert.False(HostileValues.HasRawControl(output + error), output);
        Assert.DoesNotContain('\r', output + error);
    }

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task Validate_ParticipationValuesWithEscapes_AreEscaped(string value)
    {
        var row = "k-1," + CsvField(value) + ",2024-02-10," + CsvField(value) + ",female,10-14,inPerson,true,school-1,,\n";
        var file = Write("p.csv", Hostile.CsvHeader + row);
        foreach (var args in new[] { new[] { "validate", BaseDataset, "--participations", file }, ["aggregate", "--dataset", BaseDataset, "--participations", file] })
        {
            var (code, output, error) = await Run(args);
            Assert.Equal(1, code);
            Assert.False(HostileValues.HasRawControl(output + error), output + error);
        }
    }

    [Fact]
    public async Task BinaryFileGivenAsCsv_ItsBytesAreNeverPrinted()
    {
        foreach (var bytes in HostileValues.BinaryFiles.Append(Hostile.RandomBytes(11, 4096)))
        {
            var file = Path.Combine(_temp, "data.csv");
            File.WriteAllBytes(file, bytes);
            foreach (var args in new[] { new[] { "validate", BaseDataset, "--participations", file }, ["aggregate", "--dataset", BaseDataset, "--participations", file] })
            {
                var (code, output, error) = await Run(args);
                Assert.NotEqual(0, code);
                Assert.False(HostileValues.HasRawControl(output + error), output + error);
                Assert.DoesNotContain('\uFFFD', output + error);
                Assert.DoesNotContain("PAR1", output + error, StringComparison.Ordinal);
            }
        }
    }

    // CSV formula injection ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Pseudonymise_FormulasInTheFile_AreWrittenAsText()
    {
        var rows = HostileValues.Formulas.Select((f, i) => $"0300-12345{i:00},{CsvField(f)}\n");
        var input = Write("partner.csv", "phone,note\n" + string.Concat(rows));
        var output = Path.Combine(_temp, "keyed.csv");
        Environment.SetEnvironmentVariable("SAFETYPROGRAMS_HOSTILE_SECRET", Secret);
        try
        {
            var (code, _, _) = await Run("pseudonymise", "--in", input, "--out", output, "--column", "phone", "--scheme", "phone", "--secret-env", "SAFETYPROGRAMS_HOSTILE_SECRET");
            Assert.Equal(0, code);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SAFETYPROGRAMS_HOSTILE_SECRET", null);
        }
        var notes = File.ReadAllText(output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l[(l.IndexOf(',', StringComparison.Ordinal) + 1)..].TrimStart('"')).ToList();
        Assert.Equal(HostileValues.Formulas.Length, notes.Count);
        Assert.All(notes, n => Assert.StartsWith("'", n, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Aggregate_Csv_IdsStartingWithAMinus_AreText()
    {
        var json = File.ReadAllText(BaseDataset).Replace("\"school-1\"", "\"-s1-1\"", StringComparison.Ordinal);
        var dataset = Write("d.json", json);
        var log = Write("p.csv", Hostile.CsvHeader + "k-1,a1,2024-02-10,student,female,10-14,inPerson,true,-s1-1,,\n");
        var (code, output, _) = await Run("aggregate", "--dataset", dataset, "--participations", log, "--by", "school", "--measures", "participations", "--format", "csv");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("'-s1-1,1,0", lines[1]);
    }

    // Outputs: never an input, a device or a directory; unique temporary files ---------------------------------------------

    [Fact]
    public async Task Pseudonymise_OutputIsTheInput_ByNameLinkOrHardLink_IsRefusedAndTheInputKept()
    {
        var input = Write("partner.csv", "phone,activity\n0300-1234567,act-1\n");
        var before = File.ReadAllBytes(input);
        var symlink = Path.Combine(_temp, "link.csv");
        File.CreateSymbolicLink(symlink, input);
        var outputs = new List<string> { input, symlink, Path.Combine(_temp, ".", "partner.csv") };
        if (OperatingSystem.IsLinux())
        {
            var hardLink = Path.Combine(_temp, "hard.csv");
            Process.Start("ln", [input, hardLink])!.WaitForExit();
            outputs.Add(hardLink);
        }
        var secretFile = Write("secret.txt", Secret);
        foreach (var output in outputs)
        {
            var (code, _, error) = await Run("pseudonymise", "--in", input, "--out", output, "--column", "phone", "--scheme", "phone", "--secret-file", secretFile);
            Assert.Equal(2, code);
            Assert.Contains("is the input", error, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(input));
        }
        // And the other way round: the input reached through a link.
        var (again, _, _) = await Run("pseudonymise", "--in", symlink, "--out", input, "--column", "phone", "--scheme", "phone", "--secret-file", secretFile);
        Assert.Equal(2, again);
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public async Task Report_HtmlOntoTheDataset_IsRefused()
    {
        var dataset = Write("d.json", File.ReadAllText(BaseDataset));
        var log = Write("p.csv", Hostile.CsvHeader + Hostile.CsvRow());
        foreach (var target in new[] { dataset, log })
        {
            var before = File.ReadAllBytes(target);
            var (code, _, error) = await Run("report", "--dataset", dataset, "--participations", log, "--html", target, "--as-of", "2024-03-31");
            Assert.Equal(2, code);
            Assert.Contains("is the input", error, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(target));
        }
    }

    [Fact]
    public async Task Generate_OntoADeviceDirectoryOrPipe_IsRefusedWithoutTouchingIt()
    {
        var targets = new List<string> { _temp, "/dev/null" };
        if (OperatingSystem.IsLinux())
        {
            var fifo = Path.Combine(_temp, "pipe.csv");
            Process.Start("mkfifo", [fifo])!.WaitForExit();
            targets.Add(fifo);
        }
        foreach (var target in targets.Where(t => t == _temp || Path.Exists(t)))
        {
            var (code, _, error) = await Run("generate", "--dataset", BaseDataset, "--records", "10", "--out", target);
            Assert.Equal(2, code);
            Assert.Contains(target == _temp ? "is a directory" : "is not a regular file", error, StringComparison.Ordinal);
        }
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(SafetyPrograms.Cli.Console.FileIdentity.Kinds.Special, SafetyPrograms.Cli.Console.FileIdentity.Of("/dev/null")!.Kind);
        }
        Assert.DoesNotContain(Directory.GetFiles(_temp), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generate_TwoRunsToOneOutput_BothFinish_AndTheFileIsWhole()
    {
        var output = Path.Combine(_temp, "log.csv");
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => Run("generate", "--dataset", BaseDataset, "--records", "20000", "--seed", "3", "--out", output))));
        Assert.All(runs, r => Assert.Equal(0, r.Code));
        Assert.Equal(20001, File.ReadAllLines(output).Length);
        Assert.Equal([output], Directory.GetFiles(_temp));
    }

    [Fact]
    public async Task Generate_DatasetWhoseOnlyActivityIsACeremony_ExitsOne_AndWritesNothing()
    {
        var json = File.ReadAllText(BaseDataset).Replace("\"kind\": \"workshop\"", "\"kind\": \"ceremony\"", StringComparison.Ordinal);
        var dataset = Write("ceremony.json", json);
        var output = Path.Combine(_temp, "log.csv");
        var (code, text, error) = await Run("generate", "--dataset", dataset, "--records", "1000", "--out", output);
        Assert.Equal(1, code);
        Assert.DoesNotContain("wrote", text, StringComparison.Ordinal);
        Assert.Contains("no activity that people attend", error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Pseudonymise_SecretFromAFile_GivesTheSameKeysAsFromTheEnvironment()
    {
        var input = Write("partner.csv", "phone,activity\n0300-1234567,act-1\n");
        var secretFile = Write("secret.txt", Secret + "\r\n");
        var fromFile = Path.Combine(_temp, "a.csv");
        var fromEnvironment = Path.Combine(_temp, "b.csv");
        Environment.SetEnvironmentVariable("SAFETYPROGRAMS_HOSTILE_SECRET2", Secret);
        try
        {
            Assert.Equal(0, (await Run("pseudonymise", "--in", input, "--out", fromFile, "--column", "phone", "--scheme", "phone", "--secret-file", secretFile)).Code);
            Assert.Equal(0, (await Run("pseudonymise", "--in", input, "--out", fromEnvironment, "--column", "phone", "--scheme", "phone", "--secret-env", "SAFETYPROGRAMS_HOSTILE_SECRET2")).Code);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SAFETYPROGRAMS_HOSTILE_SECRET2", null);
        }
        Assert.Equal(File.ReadAllText(fromEnvironment), File.ReadAllText(fromFile));
        var (_, help, _) = await Run("pseudonymise", "--help");
        Assert.Contains("--secret-file", help, StringComparison.Ordinal);
        Assert.Contains("SAFETYPROGRAMS_SECRET", help, StringComparison.Ordinal);
    }
}
