using System.Text;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Serialization;

public class ParticipationJsonLinesTests
{
    private const string Good = """{"beneficiary":"b1","activity":"a1","date":"2024-02-29","role":"student","sex":"female","ageBand":"10-14","mode":"inPerson","completed":true}""";

    private static List<ParticipationReadResult> Read(string text) =>
        [.. ParticipationJsonLines.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "p.jsonl")];

    [Fact]
    public void Read_EveryBadLineIsReported_AndReadingContinues()
    {
        var results = Read(string.Join('\n',
            Good,
            """{"beneficiary":"b2","activity":"a1","date":"2025-02-30","role":"student","sex":"female","ageBand":"10-14","mode":"inPerson","completed":true}""",
            "{not json",
            "",
            Good.Replace("\"completed\":true", "\"completed\":true,\"name\":\"Ayesha\"", StringComparison.Ordinal),
            Good.Replace(",\"completed\":true", "", StringComparison.Ordinal),
            Good));

        Assert.Equal([1L, 2, 3, 5, 6, 7], results.Select(r => r.LineNumber));
        Assert.Equal([true, false, false, false, false, true], results.Select(r => r.IsSuccess));
        Assert.All(results.Where(r => !r.IsSuccess), r =>
        {
            Assert.Equal(r.LineNumber, r.Error!.LineNumber);
            Assert.Equal("p.jsonl", r.Error.FileName);
        });
        Assert.Equal("date", results[1].Error!.Path);
        Assert.Equal("name", results[3].Error!.Path);
        Assert.Equal("completed", results[4].Error!.Path); // a missing member is reported at its name
    }

    [Fact]
    public void Read_BlankLinesAndCrLf_AreSkippedButCounted()
    {
        var results = Read("\r\n  \r\n" + Good + "\r\n\r\n" + Good + "\r\n");
        Assert.Equal([3L, 5], results.Select(r => r.LineNumber));
        Assert.All(results, r => Assert.True(r.IsSuccess));
    }

    [Fact]
    public void Read_ByteOrderMark_IsAccepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Good + "\n")).ToArray();
        var result = Assert.Single(ParticipationJsonLines.Read(new MemoryStream(bytes)));
        Assert.True(result.IsSuccess);
    }

    [Fact]
    public void Read_LastLineWithoutNewline_IsRead() =>
        Assert.True(Assert.Single(Read(Good)).IsSuccess);

    [Fact]
    public void Read_TwoValuesOnOneLine_Fails() =>
        Assert.False(Assert.Single(Read(Good + " " + Good)).IsSuccess);

    [Fact]
    public void Read_OverlongLine_StopsReading_WithAnErrorAtItsLine()
    {
        var lines = ParticipationJsonLines.Read(
            new MemoryStream(Encoding.UTF8.GetBytes(Good + "\n" + new string('x', RecordChunker.MaxRecordBytes + 10) + "\n" + Good)), "p.jsonl");
        var read = new List<ParticipationReadResult>();

        var error = Assert.Throws<DataFormatException>(() => read.AddRange(lines));

        Assert.Equal([1L, 2], read.Select(r => r.LineNumber));
        Assert.False(read[1].IsSuccess);
        Assert.Equal(2, error.LineNumber);
        Assert.Equal(RecordChunker.StoppedMessage, error.Reason);
    }

    [Fact]
    public void Read_IsLazy_NothingIsReadBeforeEnumeration()
    {
        var stream = new CountingStream(Encoding.UTF8.GetBytes(Good + "\n"));
        var results = ParticipationJsonLines.Read(stream);
        Assert.Equal(0, stream.BytesRead);
        Assert.Single(results);
    }

    [Fact]
    public void Read_LargeStream_ReadsInBoundedChunks()
    {
        // 200 000 lines (~30 MB) through a stream that refuses reads larger than 64 KiB... and counts them.
        var line = Encoding.UTF8.GetBytes(Good + "\n");
        var stream = new CountingStream(Enumerable.Repeat(line, 200_000).SelectMany(b => b).ToArray());
        var count = 0L;
        foreach (var result in ParticipationJsonLines.Read(stream))
        {
            Assert.True(result.IsSuccess);
            count++;
        }
        Assert.Equal(200_000, count);
        Assert.True(stream.LargestRead <= 1 << 16, $"largest read {stream.LargestRead}");
    }

    [Fact]
    public void Read_DomainErrorOnALine_NamesTheMember()
    {
        var result = Assert.Single(Read("\n" + Good.Replace("\"b1\"", "\"b 1\"", StringComparison.Ordinal)));
        Assert.Equal("beneficiary", result.Error!.Path);
        Assert.Equal(2, result.Error.LineNumber);
    }

    [Fact]
    public void Write_OneCompactObjectPerLine_NullsOmitted()
    {
        var record = new ParticipationRecord(new("b1"), new("a1"), new(2024, 2, 29), BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14, DeliveryMode.InPerson, true);
        using var stream = new MemoryStream();
        ParticipationJsonLines.Write(stream, [record, record]);
        Assert.Equal(Good + "\n" + Good + "\n", Encoding.UTF8.GetString(stream.ToArray()));
    }
}

/// <summary>A read-only stream over bytes that records how much was read and the largest single read.</summary>
internal sealed class CountingStream(byte[] bytes) : MemoryStream(bytes, writable: false)
{
    public long BytesRead { get; private set; }

    public int LargestRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = base.Read(buffer, offset, count);
        BytesRead += read;
        LargestRead = Math.Max(LargestRead, read);
        return read;
    }

    public override int Read(Span<byte> buffer)
    {
        var read = base.Read(buffer);
        BytesRead += read;
        LargestRead = Math.Max(LargestRead, read);
        return read;
    }
}
