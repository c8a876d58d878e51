using System.Text;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Serialization;

/// <summary>The one RFC 4180 tokenizer, case by case, then against a reference written from the rules and the older char-based reader.</summary>
public sealed class Utf8CsvRecordsTests
{
    private sealed record Row(string[] Fields, string? Error, int RecordLineEnds);

    private static List<Row> Read(string text, out int lineEnds)
    {
        var data = Encoding.UTF8.GetBytes(text);
        var records = new Utf8CsvRecords();
        var rows = new List<Row>();
        while (records.Read(data))
        {
            rows.Add(new Row(CsvTokens.Fields(records, data), records.Error, records.RecordLineEnds));
        }
        Assert.Equal(data.Length, records.Position);
        lineEnds = records.LineEnds;
        return rows;
    }

    /// <summary>Input; its records, fields joined by <c>|</c> and records by <c> / </c>.</summary>
    [Theory]
    [InlineData("a,b,c\n", "a|b|c")]
    [InlineData(",,\n", "||")]
    [InlineData("a,b,\n", "a|b|")]
    [InlineData("a,b,", "a|b|")]
    [InlineData(",", "|")]
    [InlineData("\"\",x\n", "|x")]
    [InlineData("x,\"\"", "x|")]
    [InlineData("\"\"\"a\",x", "\"a|x")]
    [InlineData("\"a\"\"b\"\n", "a\"b")]
    [InlineData("\"a\"\"\"\n", "a\"")]
    [InlineData("\"\"\"\"\n", "\"")]
    [InlineData("\"a,b\",c\r\n", "a,b|c")]
    [InlineData("\"a\"\"b\",\"c\"\"d\"\"\",e\n", "a\"b|c\"d\"|e")]
    [InlineData("\"x\ny\r\nz\",w\nq\n", "x\ny\r\nz|w / q")]
    [InlineData(" a , b \n", " a | b ")]
    [InlineData("a\rb\r", "a / b")]
    [InlineData("a\r\nb\r\n", "a / b")]
    [InlineData("a\nb", "a / b")]
    [InlineData("\"a\"", "a")]
    [InlineData("é,\"ü\"\"\"\n", "é|ü\"")]
    public void Read_WellFormedRecords_FieldsUnquoted(string input, string expected)
    {
        var rows = Read(input, out _);

        Assert.All(rows, row => Assert.Null(row.Error));
        Assert.Equal(expected, string.Join(" / ", rows.Select(row => string.Join('|', row.Fields))));
    }

    /// <summary>
    /// Records without quotes, long enough to be split many bytes at a time: fields of every length from 0 to 40, so that
    /// commas fall at every place of a block and on its edges, ended by each kind of line end and by the end of the data.
    /// </summary>
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    [InlineData("")]
    public void Read_LongRecordsWithoutQuotes_SplitAtEveryComma(string lineEnd)
    {
        var fields = Enumerable.Range(0, 41).Select(n => new string((char)('a' + (n % 26)), n)).ToArray();
        var first = string.Join(',', fields);
        var second = string.Join(',', fields.Reverse()) + ",";
        var rows = Read(first + "\n" + second + lineEnd, out var lineEnds);

        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Null(row.Error));
        Assert.Equal(fields, rows[0].Fields);
        Assert.Equal([.. fields.Reverse(), ""], rows[1].Fields);
        Assert.Equal([0, 1], rows.Select(row => row.RecordLineEnds));
        Assert.Equal(lineEnd.Length == 0 ? 1 : 2, lineEnds);
    }

    [Theory]
    [InlineData("a\"b,c\nok\n", "A quote inside an unquoted field")]
    [InlineData("a,b\"\nok\n", "A quote inside an unquoted field")]
    [InlineData("\"a\"b,c\nok\n", "Text after a closing quote")]
    [InlineData("\"a\" ,c\nok\n", "Text after a closing quote")]
    [InlineData("\"a\"b\"c\nok\n", "Text after a closing quote")]
    [InlineData("\"a\"b\"c,\"d\ne\"\r\nok\n", "Text after a closing quote")]
    public void Read_MalformedRecord_ErrorThenTheNextRecordReadsClean(string input, string error)
    {
        var rows = Read(input, out var lineEnds);

        Assert.Equal(2, rows.Count);
        Assert.StartsWith(error, rows[0].Error, StringComparison.Ordinal);
        Assert.Null(rows[1].Error);
        Assert.Equal(["ok"], rows[1].Fields);
        Assert.Equal(lineEnds - 1, rows[1].RecordLineEnds);
    }

    [Fact]
    public void Read_UnclosedQuote_ErrorOnItsOwnLine_AndTheLinesAfterAreRecords()
    {
        var rows = Read("ok\na,\"b\nc\r\nd,e", out var lineEnds);

        Assert.Equal(4, rows.Count);
        Assert.Equal(Utf8CsvRecords.BrokenQuoteMessage, rows[1].Error);
        Assert.Equal(1, rows[1].RecordLineEnds);
        Assert.Equal([null, null], rows.Skip(2).Select(r => r.Error));
        Assert.Equal([2, 3], rows.Skip(2).Select(r => r.RecordLineEnds));
        Assert.Equal(3, lineEnds);
    }

    [Fact]
    public void Read_QuoteOpenAtALineEndPast64KiB_ErrorOnItsOwnLine_EvenIfItClosesLater()
    {
        var text = "a,\"b\n" + new string('x', Utf8CsvRecords.MaxQuotedFieldBytes) + "\n\",c\nd\n";

        var rows = Read(text, out _);

        Assert.Equal(Utf8CsvRecords.BrokenQuoteMessage, rows[0].Error);
        Assert.Equal(0, rows[0].RecordLineEnds);
        Assert.Equal(1, rows[1].RecordLineEnds); // the line of x's is a record of its own
    }

    [Fact]
    public void Read_QuotedLineBreaksWithin64KiB_OneRecord()
    {
        var text = "a,\"b\n" + new string('x', Utf8CsvRecords.MaxQuotedFieldBytes - 10) + "\n\",c\nd\n";

        var rows = Read(text, out _);

        Assert.Null(rows[0].Error);
        Assert.Equal(3, rows[0].Fields.Length);
        Assert.Equal(3, rows[1].RecordLineEnds);
    }

    [Fact]
    public void Read_1024Fields_Accepted()
    {
        var row = Assert.Single(Read(new string(',', Utf8CsvRecords.MaxFields - 1) + "\n", out _));

        Assert.Null(row.Error);
        Assert.Equal(Utf8CsvRecords.MaxFields, row.Fields.Length);
    }

    [Fact]
    public void Read_MoreThan1024Fields_ErrorThenTheNextRecordReadsClean()
    {
        var rows = Read(new string(',', Utf8CsvRecords.MaxFields) + "\nok\n", out _);

        Assert.Equal($"The record has more than {Utf8CsvRecords.MaxFields} fields.", rows[0].Error);
        Assert.Null(rows[1].Error);
        Assert.Equal(1, rows[1].RecordLineEnds);
    }

    [Fact]
    public void Read_BlankLinesOfEveryKind_SkippedButCounted()
    {
        var rows = Read("\n\r\n\ra\n\n\nb\r\r\n\n", out var lineEnds);

        Assert.Equal(["a", "b"], rows.Select(r => r.Fields[0]));
        Assert.Equal([3, 6], rows.Select(r => r.RecordLineEnds));
        Assert.Equal(9, lineEnds);
    }

    [Fact]
    public void Read_OnlyBlankLines_NoRecordAndEveryLineCounted()
    {
        Assert.Empty(Read("\r\n\n\r\r", out var lineEnds));
        Assert.Equal(4, lineEnds);
    }

    [Fact]
    public void Read_LineBreaksInsideQuotes_CountedInLineEnds()
    {
        var rows = Read("\"x\ny\r\nz\",w\r\nq,\"\n\"\nr", out var lineEnds);

        Assert.Equal([0, 3, 5], rows.Select(r => r.RecordLineEnds));
        Assert.Equal(5, lineEnds);
    }

    [Fact]
    public void Reset_StartsLinesAndPositionAgain()
    {
        var records = new Utf8CsvRecords();
        Assert.True(records.Read("a\n\nb\n"u8));
        Assert.True(records.Read("a\n\nb\n"u8));
        Assert.Equal(2, records.RecordLineEnds);

        records.Reset();

        Assert.Equal(0, records.Position);
        Assert.Equal(0, records.LineEnds);
        Assert.True(records.Read("c\n"u8));
        Assert.Equal(0, records.RecordLineEnds);
        Assert.Equal(2, records.Position);
    }

    [Theory]
    [InlineData(RecordChunker.MaxRecordBytes, false)]
    [InlineData(RecordChunker.MaxRecordBytes + 1, true)]
    public void Read_RecordOver1MiBWithItsLineEnd_TooLong(int recordBytes, bool tooLong)
    {
        var rows = Read("\"" + new string('x', recordBytes - 4) + "\"\r\nok\n", out _);

        Assert.Equal(tooLong ? RecordChunker.TooLongMessage : null, rows[0].Error);
        Assert.Null(rows[1].Error);
    }

    [Fact]
    public void Read_SeededRandomText_AgreesWithAReferenceWrittenFromTheRules()
    {
        var rng = new Random(4301);
        for (var run = 0; run < 3000; run++)
        {
            var text = CsvTokens.RandomText(rng, 80);
            Assert.True(Reference(text).SequenceEqual(CsvTokens.Records(Encoding.UTF8.GetBytes(text))), $"differs on {Escaped(text)}");
        }
    }

    /// <summary>
    /// The fields a reader slices from the data by their bounds are the fields read one by one, and the bounds are offered
    /// exactly when no field of the record had a doubled quote: a flag left from one record must not reach the next.
    /// </summary>
    [Fact]
    public void InPlace_SeededRandomText_SameFieldsAsOneByOne_OfferedExactlyWhenNoFieldWasUnescaped()
    {
        var rng = new Random(4302);
        var offered = 0;
        var withheld = 0;
        for (var run = 0; run < 3000; run++)
        {
            var data = Encoding.UTF8.GetBytes(CsvTokens.RandomText(rng, 80));
            var records = new Utf8CsvRecords();
            while (records.Read(data))
            {
                var fields = CsvTokens.Fields(records, data);
                var inPlace = records.InPlace;
                if (records.Error is null)
                {
                    // A well-formed record's field holds a quote only if it was a doubled quote, unescaped into scratch.
                    Assert.Equal(fields.Any(f => f.Contains('"', StringComparison.Ordinal)), inPlace.IsEmpty);
                }
                if (inPlace.IsEmpty)
                {
                    withheld++;
                    continue;
                }
                offered++;
                Assert.Equal(fields, inPlace.ToArray().Select(f => Encoding.UTF8.GetString(data, f.Start, f.Length)));
            }
        }
        Assert.True(offered > 1000 && withheld > 100, $"{offered} records offered bounds, {withheld} withheld: the text should give many of both");
    }

    [Theory]
    [InlineData("\"a\"\"b\",c\nd,e\n", "a\"b|c / d|e")]
    [InlineData("\"a\"\"b\",c\nd,\"e\"\"\"\nf,g\n", "a\"b|c / d|e\" / f|g")]
    public void InPlace_RecordAfterADoubledQuote_OfferedAgain(string input, string expected)
    {
        var data = Encoding.UTF8.GetBytes(input);
        var records = new Utf8CsvRecords();
        var described = new List<string>();
        while (records.Read(data))
        {
            var inPlace = records.InPlace;
            described.Add(inPlace.IsEmpty
                ? string.Join('|', CsvTokens.Fields(records, data))
                : string.Join('|', inPlace.ToArray().Select(f => Encoding.UTF8.GetString(data, f.Start, f.Length))));
        }
        Assert.Equal(expected, string.Join(" / ", described));
        Assert.True(records.InPlace.Length == 2, "the last record has no doubled quote: its bounds are offered");
    }

    /// <summary>
    /// Long lines where quotes and line ends are rare, so that most records are split 32 bytes at a time and a quote or line
    /// end often falls inside a block after some of its commas: the records still agree with the reference.
    /// </summary>
    [Fact]
    public void Read_SeededRandomLongLines_AgreesWithAReferenceWrittenFromTheRules()
    {
        var alphabet = new string('a', 40) + new string(',', 15) + "  \"\r\n";
        var rng = new Random(4303);
        for (var run = 0; run < 2000; run++)
        {
            var chars = new char[rng.Next(301)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[rng.Next(alphabet.Length)];
            }
            var text = new string(chars);
            Assert.True(Reference(text).SequenceEqual(CsvTokens.Records(Encoding.UTF8.GetBytes(text))), $"differs on {Escaped(text)}");
        }
    }

    private static string Escaped(string text) =>
        text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>
    /// RFC 4180 as the readers define it, written for clarity: records end at <c>\n</c>, <c>\r\n</c> or <c>\r</c> outside
    /// quotes; empty lines are skipped; a field that starts with a quote is quoted, <c>""</c> inside it is a quote, and it
    /// must end at a comma or line end; a quote in an unquoted field, an unclosed quote and more than 1024 fields are
    /// errors; line breaks inside quotes count as lines (<c>\r\n</c>, <c>\n</c> and a lone <c>\r</c> each one); a quote
    /// still open at the end of the text is an error whose record ends at the first line break after it (a broken quote).
    /// </summary>
    private static List<string> Reference(string text)
    {
        var records = new List<string>();
        var i = 0;
        var line = 1L;
        while (true)
        {
            while (i < text.Length && text[i] is '\r' or '\n')
            {
                i += text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                line++;
            }
            if (i == text.Length)
            {
                return records;
            }
            var start = line;
            var fields = new List<string>();
            var error = false;
            while (true)
            {
                var field = new StringBuilder();
                var quoted = i < text.Length && text[i] == '"';
                if (quoted)
                {
                    var (open, lineAtOpen) = (i, line);
                    for (i++; ; i++)
                    {
                        if (i == text.Length)
                        {
                            error = true;
                            var firstBreak = text.IndexOfAny(['\r', '\n'], open);
                            if (firstBreak >= 0)
                            {
                                (i, line) = (firstBreak, lineAtOpen); // the record ends at its own line end
                            }
                            break;
                        }
                        if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i++;
                            continue;
                        }
                        if (text[i] == '"')
                        {
                            i++;
                            break;
                        }
                        line += text[i] == '\n' || (text[i] == '\r' && !(i + 1 < text.Length && text[i + 1] == '\n')) ? 1 : 0;
                        field.Append(text[i]);
                    }
                }
                while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    error |= quoted || text[i] == '"'; // text after a closing quote, or a quote in an unquoted field
                    field.Append(text[i++]);
                }
                fields.Add(field.ToString());
                if (i == text.Length)
                {
                    break;
                }
                if (text[i++] == ',')
                {
                    continue;
                }
                line++;
                i += text[i - 1] == '\r' && i < text.Length && text[i] == '\n' ? 1 : 0;
                break;
            }
            records.Add(CsvTokens.Describe(start, error || fields.Count > Utf8CsvRecords.MaxFields, [.. fields]));
        }
    }
}
