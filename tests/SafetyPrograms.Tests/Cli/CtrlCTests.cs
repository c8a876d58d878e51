using System.Diagnostics;

namespace SafetyPrograms.Tests.Cli;

/// <summary>Ctrl-C stops the tool cleanly: exit code 130, a message, and no half-written output left behind.</summary>
[Collection(ChildProcessSignalCollection.Name)]
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

    [Theory]
    [InlineData("aggregate")]
    [InlineData("convert")]
    public async Task EndlessParticipationStream_Interrupted_ExitsWith130_NoFileLeft(string verb)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // a FIFO and SIGINT, as above
        }
        // An endless stream through a named pipe: the ingest must stop between chunks when Ctrl-C comes.
        var fifo = Path.Combine(_temp, "endless.csv");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }
        var dataset = Path.Combine(AppContext.BaseDirectory, "data", "programmes.json");
        var cli = Path.Combine(Path.GetDirectoryName(typeof(SafetyPrograms.Cli.CliApp).Assembly.Location)!, "SafetyPrograms.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        // convert streams the records into a temporary file beside its output: Ctrl-C must remove it.
        var output = Path.Combine(_temp, "endless.parquet");
        foreach (var a in new[] { cli, verb, "--dataset", dataset, "--participations", fifo }.Concat(verb == "convert" ? ["--out", output] : []))
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        long written = 0;
        var writer = Task.Run(() =>
        {
            var row = System.Text.Encoding.ASCII.GetBytes("k-1,a1,2024-02-10,student,female,10-14,inPerson,true,,,\n");
            try
            {
                using var pipe = new FileStream(fifo, FileMode.Open, FileAccess.Write);
                pipe.Write("beneficiary,activity,date,role,sex,ageBand,mode,completed,school,preScore,postScore\n"u8);
                while (!process.HasExited)
                {
                    pipe.Write(row);
                    Interlocked.Increment(ref written);
                }
            }
            catch (IOException)
            {
                // the reader has gone: the pipe is broken
            }
        });
        var deadline = Stopwatch.StartNew();
        while (Interlocked.Read(ref written) < 100_000 && deadline.Elapsed < TimeSpan.FromMinutes(1) && !process.HasExited)
        {
            await Task.Delay(50);
        }
        Assert.False(process.HasExited, "the tool should still be reading the endless stream");

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill();
            Assert.Fail("the tool did not stop within a minute of Ctrl-C");
        }
        await writer.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("cancelled", await stderr, StringComparison.Ordinal);
        Assert.Equal(["endless.csv"], Directory.GetFiles(_temp).Select(Path.GetFileName)); // the pipe only: no output, no half file
    }
}

/// <summary>
/// Tests that give a child process a minute to answer a signal run alone, after the parallel ones: on a 2-core machine the
/// CPU-heavy tests beside them (the browser renders of the main job's report among them) starved the child past its minute.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChildProcessSignalCollection
{
    public const string Name = "Child-process signal tests";
}
