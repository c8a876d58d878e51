using System.Diagnostics;

namespace SafetyPrograms.Tests.Cli;

/// <summary>Ctrl-C stops the tool cleanly: exit code 130, a message, and no half-written output left behind.</summary>
public sealed class CtrlCTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("safetyprograms-ctrlc-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Generate_Interrupted_ExitsWith130_AndLeavesNoPartialFile()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // Ctrl-C is sent as SIGINT with kill(1); Windows has no equivalent a test can send.
        }
        var output = Path.Combine(_temp, "log.csv");
        var cli = Path.Combine(Path.GetDirectoryName(typeof(SafetyPrograms.Cli.CliApp).Assembly.Location)!, "SafetyPrograms.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { cli, "generate", "--records", "200000000", "--out", output })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        // The tool writes to a uniquely named temporary file beside the output (.log.csv.<id>.partial).
        string[] Partial() => Directory.GetFiles(_temp, ".log.csv.*.partial");
        while (Partial().Length == 0 && deadline.Elapsed < TimeSpan.FromMinutes(1) && !process.HasExited)
        {
            await Task.Delay(50);
        }
        Assert.True(Partial().Length == 1, "the tool should be writing by now");

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill();
            Assert.Fail("the tool did not stop within a minute of Ctrl-C");
        }

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("cancelled", await stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output), "no output file from an interrupted run");
        Assert.Empty(Partial()); // the half-written file is removed
        Assert.Empty(Directory.GetFiles(_temp));
    }
}
