using System.Text;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Serialization;

public class ParticipationCsvTests
{
    private const string Header = "beneficiary,activity,date,role,sex,ageBand,mode,completed,school,preScore,postScore";
    private const string Row = "b1,a1,2024-02-29,student,female,10-14,inPerson,true,s1,1.5,-2";

    private static readonly ParticipationRecord Expected = new(
        new("b1"), new("a1"), new(2024, 2, 29), BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14, DeliveryMode.InPerson, true,
        new Id<School>("s1"), 1.5m, -2m);

    private static List<ParticipationReadResult> Read(string text) =>
        [.. ParticipationCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "p.csv")];

    private static DataFormatException HeaderFails(string text)
    {
        var ex = Assert.Throws<DataFormatException>(() => Read(text));
        Assert.Equal(1, ex.LineNumber);
        Assert.Contains(Header, ex.Reason, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void Read_ValuesAsInJson_Reads() => Assert.Equal(Expected, Assert.Single(Read(Header + "\n" + Row + "\n")).Record);

    [Fact]
    public void Read_ColumnsInAnyOrder_Reads() =>
        Assert.Equal(Expected, Assert.Single(Read(
            "postScore,preScore,school,completed,mode,ageBand,sex,role,date,activity,beneficiary\n-2,1.5,s1,true,inPerson,10-14,female,student,2024-02-29,a1,b1")).Record);

    [Fact]
    public void Read_OptionalColumnsAbsent_AreNull()
    {
        var record = Assert.Single(Read("beneficiary,activity,date,role,sex,ageBand,mode,completed\nb1,a1,2024-02-29,student,female,50+,online,false")).Record!;
        Assert.Null(record.School);
        Assert.Null(record.PreScore);
        Assert.Equal(AgeBand.Age50Plus, record.AgeBand);
    }

    [Fact]
    public void Read_EmptyOptionalCells_AreNull()
    {
        var record = Assert.Single(Read(Header + "\nb1,a1,2024-02-29,student,female,10-14,inPerson,true,,,")).Record!;
        Assert.Null(record.School);
        Assert.Null(record.PreScore);
        Assert.Null(record.PostScore);
    }

    [Fact]
    public void Read_QuotedFields_AreUnquoted() =>
        Assert.Equal(Expected, Assert.Single(Read(Header + "\n\"b1\",\"a1\",2024-02-29,student,female,\"10-14\",inPerson,true,\"s1\",1.5,-2")).Record);

    [Fact]
    public void Read_QuotedNewlines_RecordKeepsTheLineItStartsOn()
    {
        var results = Read(Header + "\n" + "\"b\n1\",\"a\"\"1\",2024-02-29,student,female,10-14,inPerson,true,s1,,\n" + Row + "\n");
        Assert.Equal([2L, 4], results.Select(r => r.LineNumber));
        Assert.False(results[0].IsSuccess);
        Assert.Equal("beneficiary", results[0].Error!.Path);
        Assert.Equal(2, results[0].Error!.LineNumber);
        Assert.True(results[1].IsSuccess);
    }

    [Fact]
    public void Read_BadRows_AreEachReported_AndReadingContinues()
    {
        var results = Read(string.Join('\n',
            Header,
            Row,
            "b2,a1,2025-02-30,student,female,10-14,inPerson,true,s1,,",
            "b3,a1,2024-01-01,pupil,female,10-14,inPerson,true,s1,,",
            "b4,a1,2024-01-01,student,female,10-14,inPerson,yes,s1,,",
            "b5,a1,2024-01-01,student,female,10-14,inPerson,true",
            "b6,a1,2024-01-01,student,female,10-14,inPerson,true,s1,,,extra",
            "b7,a1,2024-01-01,student,female,10-14,inPerson,true,s1,one,",
            ",a1,2024-01-01,student,female,10-14,inPerson,true,s1,,",
            "b9,a1,2024-01-01,student,female,10-14,inPerson,true,s 1,,",
            "b10,a\"1,2024-01-01,student,female,10-14,inPerson,true,s1,,",
            "\"b11\"x,a1,2024-01-01,student,female,10-14,inPerson,true,s1,,",
            Row));

        Assert.Equal(Enumerable.Range(2, 12).Select(i => (long)i), results.Select(r => r.LineNumber));
        Assert.True(results[0].IsSuccess);
        Assert.True(results[^1].IsSuccess);
        var failures = results.Skip(1).SkipLast(1).ToList();
        Assert.All(failures, r => Assert.Equal(r.LineNumber, r.Error!.LineNumber));
        Assert.Equal(["date", "role", "completed", "$", "$", "preScore", "beneficiary", "school", "$", "$"], failures.Select(r => r.Error!.Path));
    }

    [Fact]
    public void Read_UnterminatedQuote_IsOneFailureOnItsStartLine_AndTheNextLineIsRead()
    {
        var results = Read(Header + "\n" + Row + "\n\"b2,a1\n" + Row + "\n");
        Assert.Equal([2L, 3, 4], results.Select(r => r.LineNumber));
        Assert.Equal([true, false, true], results.Select(r => r.IsSuccess));
        Assert.Contains("not closed", results[1].Error!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CrLfAndBlankLines_AreHandled()
    {
        var results = Read(Header + "\r\n\r\n" + Row + "\r\n" + Row + "\r\n\r\n");
        Assert.Equal([3L, 4], results.Select(r => r.LineNumber));
        Assert.All(results, r => Assert.Equal(Expected, r.Record));
    }

    [Fact]
    public void Read_ByteOrderMark_IsAccepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Header + "\n" + Row)).ToArray();
        Assert.Equal(Expected, Assert.Single(ParticipationCsv.Read(new MemoryStream(bytes))).Record);
    }

    [Fact]
    public void Read_InvalidUtf8_IsARowFailure()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "\n" + Row).Select(b => b == (byte)'1' ? (byte)0xFF : b).ToArray();
        Assert.False(Assert.Single(ParticipationCsv.Read(new MemoryStream(bytes))).IsSuccess);
    }

    [Fact]
    public void Read_MissingRequiredColumn_FailsAtLine1NamingIt()
    {
        var ex = HeaderFails("beneficiary,activity,date,role,sex,mode,completed\n");
        Assert.Equal("ageBand", ex.Path);
        Assert.Contains("'ageBand'", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownColumn_FailsAtLine1NamingIt()
    {
        var ex = HeaderFails(Header + ",childName\n" + Row + ",x");
        Assert.Equal("childName", ex.Path);
    }

    [Fact]
    public void Read_DuplicateColumn_FailsAtLine1NamingIt()
    {
        var ex = HeaderFails(Header + ",school\n");
        Assert.Equal("school", ex.Path);
        Assert.Contains("more than once", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ColumnNamesAreCaseSensitive() => HeaderFails(Header.Replace("ageBand", "AgeBand", StringComparison.Ordinal));

    [Fact]
    public void Read_EmptyFile_FailsAtLine1() => HeaderFails("");

    [Fact]
    public void Read_HeaderOnly_HasNoRecords() => Assert.Empty(Read(Header + "\n"));

    [Fact]
    public void Read_IsLazy_NothingIsReadBeforeEnumeration()
    {
        var stream = new CountingStream(Encoding.UTF8.GetBytes("not,a,header"));
        var results = ParticipationCsv.Read(stream);
        Assert.Equal(0, stream.BytesRead);
        Assert.Throws<DataFormatException>(() => results.First());
    }

    [Fact]
    public void Read_LargeStream_ReadsInBoundedChunks()
    {
        var rows = Encoding.UTF8.GetBytes(Row + "\n");
        var stream = new CountingStream([.. Encoding.UTF8.GetBytes(Header + "\n"), .. Enumerable.Repeat(rows, 200_000).SelectMany(b => b)]);
        Assert.Equal(200_000, ParticipationCsv.Read(stream).Count(r => r.IsSuccess));
        Assert.True(stream.LargestRead <= 1 << 16, $"largest read {stream.LargestRead}");
    }

    [Fact]
    public void Write_HeaderThenValuesAsInJson()
    {
        using var stream = new MemoryStream();
        ParticipationCsv.Write(stream, [Expected, new ParticipationRecord(new("b2"), new("a1"), new(2025, 12, 3), BeneficiaryRole.Parent, Sex.NotRecorded, AgeBand.Age50Plus, DeliveryMode.Hybrid, false)]);
        // The person's columns follow the record's, empty where nothing was recorded.
        var person = new string(',', 16);
        Assert.Equal(
            Header + ",age,yearOfBirth,seeing,hearing,walking,cognition,selfCare,communication,learning,remembering,concentrating,acceptingChange,controllingBehaviour,makingFriends,anxiety,depression\n"
            + Row + person + "\n" + "b2,a1,2025-12-03,parent,notRecorded,50+,hybrid,false,,," + person + "\n",
            Encoding.UTF8.GetString(stream.ToArray()));
    }
}

public class CsvFieldWritingTests
{
    [Theory]
    [InlineData("plain", "plain,")]
    [InlineData(null, ",")]
    [InlineData("a,b", "\"a,b\",")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\",")]
    [InlineData("two\nlines", "\"two\nlines\",")]
    [InlineData("cr\r", "\"cr\r\",")]
    public void WriteField_QuotesOnlyWhatNeedsIt(string? value, string expected)
    {
        using var writer = new StringWriter();
        ParticipationCsv.WriteField(writer, value, ',');
        Assert.Equal(expected, writer.ToString());
    }

    [Fact]
    public void WriteField_ThenParse_GivesTheValueBack()
    {
        using var writer = new StringWriter();
        string[] values = ["a,b", "say \"hi\"", "two\r\nlines", ""];
        for (var i = 0; i < values.Length; i++)
        {
            ParticipationCsv.WriteField(writer, values[i], i == values.Length - 1 ? '\n' : ',');
        }
        var parser = new Utf8CsvReader(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(writer.ToString())), null);
        Assert.True(parser.ReadRecord());
        Assert.Null(parser.Error);
        Assert.Equal(values, Enumerable.Range(0, parser.FieldCount).Select(i => parser[i].ToString()));
        Assert.False(parser.ReadRecord());
    }
}
