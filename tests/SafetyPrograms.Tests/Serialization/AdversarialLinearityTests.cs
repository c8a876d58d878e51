using System.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Tests.Serialization;

/// <summary>
/// Issue 11: a long run of spaces in a member name once made error handling quadratic (a regular expression over the
/// serializer's message). Each document here is 1 MiB of one hostile shape; each must be refused with a finding that
/// says where (with the few that follow from it, such as the members a junk root lacks), in work proportional to its size. Linearity is shown by memory, which is deterministic: the bytes
/// allocated stay within a fixed multiple of the input (a quadratic path over 1 MiB would allocate or scan about 10^12
/// units); the wall-clock limit only stops a regression from hanging the run, and is minutes away from the linear cost.
/// </summary>
public class AdversarialLinearityTests
{
    private const int MiB = 1 << 20;

    /// <summary>Input bytes × this bounds what a refusal may allocate: the text is copied a handful of times (name, path, message).</summary>
    private const long AllocationPerInputByte = 64;

    /// <summary>A path or message never carries the megabyte of the name: it is described, not echoed.</summary>
    private const int MaxShownPath = 200;

    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string, string, long> Shapes => new()
    {
        // shape, expected code, path prefix ("(" where the path holds the long name, which is described, not echoed), line
        { "root member name of spaces", "SP0003", "(", 1 },
        { "root member name of escaped spaces", "SP0003", "(", 1 },
        { "nested member name of spaces", "SP0003", "(", 2 },
        { "newlines before an unknown member", "SP0003", "bogus", MiB - 16 },
        { "spaces then a stray token", "SP0001", "$", 1 },
        { "a date of spaces", "SP0007", "partnerships[0].period.start", 1 },
        { "deep nesting", "SP0001", "description", 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Dataset_OneMebibyteHostileShape_RefusedWithAFindingInLinearWork(string shape, string code, string path, long line)
    {
        var document = Dataset(shape);
        Assert.InRange(document.Length, MiB - 64, MiB + 256);

        var (report, allocated) = Measure(() =>
            ProgrammeValidator.Validate(() => ProgrammeDatasetJson.Read(new MemoryStream(document), "hostile.json")));

        Assert.InRange(report.Findings.Count, 1, 5);
        var finding = Assert.Single(report.Findings, f => f.Code == code);
        Assert.StartsWith(path, finding.Path, StringComparison.Ordinal);
        Assert.InRange(finding.Path.Length, 1, MaxShownPath);
        Assert.Equal(line, finding.Line);
        Assert.InRange(allocated, 0, AllocationPerInputByte * document.Length);
    }

    [Theory]
    [InlineData("partial", "{\"format\":\"safetyprograms.aggregatePartial\",\"")]
    [InlineData("report", "{\"findings\":[],\"")]
    public void OtherDocument_MemberNameOfOneMebibyteOfSpaces_RefusedInLinearWork(string document, string head)
    {
        var json = head + new string(' ', MiB) + "\":1}";
        Action read = document == "partial" ? () => AggregatePartial.FromJson(json) : () => ValidationReport.FromJson(json);

        var (error, allocated) = Measure(() => Record.Exception(read));

        var refused = Assert.IsType<DataFormatException>(error);
        Assert.Equal(1L, refused.LineNumber);
        Assert.InRange(refused.Message.Length, 1, MaxShownPath * 4);
        Assert.InRange(allocated, 0, AllocationPerInputByte * json.Length);
    }

    private static byte[] Dataset(string shape)
    {
        const string Head = "{\"schemaVersion\":\"1.0\",";
        var spaces = new string(' ', MiB);
        var text = shape switch
        {
            "root member name of spaces" => Head + "\"" + spaces + "\":1}",
            "root member name of escaped spaces" => Head + "\"" + string.Concat(Enumerable.Repeat("\\u0020", MiB / 6)) + "\":1}",
            "nested member name of spaces" => Head + "\"organisations\":[\n{\"" + spaces + "\":1}]}",
            "newlines before an unknown member" => Head + new string('\n', MiB - 17) + "\"bogus\":1}",
            "spaces then a stray token" => Head + spaces + "x}",
            "a date of spaces" => Head + "\"partnerships\":[{\"id\":\"p1\",\"name\":\"P\",\"period\":{\"start\":\"" + spaces + "\"}}]}",
            "deep nesting" => Head + "\"description\":" + new string('[', MiB),
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Runs <paramref name="action"/> on this thread's allocation counter, failing rather than hanging past the guard.</summary>
    private static (T Result, long Allocated) Measure<T>(Func<T> action)
    {
        var run = Task.Run(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var result = action();
            return (result, GC.GetAllocatedBytesForCurrentThread() - before);
        });
        Assert.True(run.Wait(HangGuard), "The refusal did not finish: error handling is no longer linear in the input.");
        return run.Result;
    }
}
