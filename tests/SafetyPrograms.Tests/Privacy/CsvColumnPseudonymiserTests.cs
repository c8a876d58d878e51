using SafetyPrograms.Privacy;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Privacy;

public class CsvColumnPseudonymiserTests
{
    private static readonly BeneficiaryPseudonymiser Pseudonymiser = new(PseudonymiserTests.Secret);
    private static readonly CsvColumnPseudonymiser Phones = new(Pseudonymiser, IdentifierScheme.PakistanPhoneNumber, "phone");

    private static (string Output, CsvPseudonymisationSummary Summary) Run(string csv, CsvColumnPseudonymiser? columns = null)
    {
        using var output = new StringWriter();
        var summary = (columns ?? Phones).Pseudonymise(new StringReader(csv), output);
        return (output.ToString(), summary);
    }

    private static string Key(string phone) => Pseudonymiser.Pseudonymise(phone, IdentifierScheme.PakistanPhoneNumber).Value;

    [Fact]
    public void Pseudonymise_ReplacesTheRawColumnInPlace()
    {
        var (output, summary) = Run("activity,phone,date\nact-1,0300-1234567,2025-01-10\nact-2,+92 301 7654321,2025-01-11\n");
        Assert.Equal(
            $"activity,beneficiary,date\nact-1,{Key("03001234567")},2025-01-10\nact-2,{Key("03017654321")},2025-01-11\n", output);
        Assert.Equal(new CsvPseudonymisationSummary(2, 2, []).RowsRead, summary.RowsRead);
        Assert.Equal(2, summary.RowsWritten);
        Assert.Empty(summary.Rejections);
    }

    [Fact]
    public void Pseudonymise_QuotedFieldsWithCommasQuotesAndLineBreaks_AreKeptAndRequoted()
    {
        var csv = "note,phone\r\n\"said \"\"hi\"\", then left\",\"0300 1234567\"\r\n\"two\r\nlines\",03001234567\r\nplain,03001234567";
        var (output, summary) = Run(csv);
        var key = Key("03001234567");
        Assert.Equal($"note,beneficiary\n\"said \"\"hi\"\", then left\",{key}\n\"two\r\nlines\",{key}\nplain,{key}\n", output);
        Assert.Equal(3, summary.RowsWritten);
    }

    [Fact]
    public void Pseudonymise_InvalidRows_AreRejectedByLineAndNeverWritten()
    {
        var csv = string.Join('\n',
            "phone,school",
            "03001234567,s1",          // line 2: fine
            ",s2",                     // line 3: empty identifier
            "\"multi",                 // line 4: a quoted field spanning lines 4-5
            "line\",s3",               //         not a phone number
            "12345,s4",                // line 6: too short
            "03001234567",             // line 7: too few fields
            "03001234567,s\"5",        // line 8: stray quote
            "",                        // line 9: blank, skipped
            "\"03009999999\"x,s6",     // line 10: text after closing quote
            "03001234567,s7");         // line 11: fine
        var (output, summary) = Run(csv);
        Assert.Equal(8, summary.RowsRead);
        Assert.Equal(2, summary.RowsWritten);
        Assert.Equal(summary.RowsRead, summary.RowsWritten + summary.Rejections.Count);
        Assert.Equal([3L, 4, 6, 7, 8, 10], summary.Rejections.Select(r => r.LineNumber));
        Assert.All(summary.Rejections, r => Assert.StartsWith("phone: ", r.Reason, StringComparison.Ordinal));
        Assert.Equal(2, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);
        foreach (var raw in new[] { "12345", "0300999", "multi", "s2", "s4", "s6" })
        {
            Assert.DoesNotContain(raw, output, StringComparison.Ordinal);
        }
        Assert.All(summary.Rejections, r => Assert.DoesNotContain("12345", r.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Pseudonymise_UnterminatedQuoteAtEnd_IsRejectedWithItsStartLine_AndTheNextLineIsARow()
    {
        var (_, summary) = Run("phone\n03001234567\n\"0300\n1234567\n");
        Assert.Equal(3, summary.RowsRead);
        var rejection = Assert.Single(summary.Rejections);
        Assert.Equal(3, rejection.LineNumber);
        Assert.Contains("not closed", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pseudonymise_LearnerIdsWithACustomOutputColumn()
    {
        var scheme = IdentifierScheme.PartnerLearnerId("org-ngo");
        var columns = new CsvColumnPseudonymiser(Pseudonymiser, scheme, "learner_id", "beneficiary");
        var (output, _) = Run("learner_id\nlrn-7\n", columns);
        Assert.Equal($"beneficiary\n{Pseudonymiser.Pseudonymise("LRN-7", scheme).Value}\n", output);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("school,date\ns1,2025-01-01\n", "no column 'phone'")]
    [InlineData("phone,school,phone\n", "twice")]
    [InlineData("phone,beneficiary\n", "already has a column 'beneficiary'")]
    public void Pseudonymise_BadHeader_ThrowsNamingLineOne(string csv, string expected)
    {
        var ex = Assert.Throws<DataFormatException>(() => Run(csv));
        Assert.Equal(1, ex.LineNumber);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pseudonymise_ManyRows_StreamsAndAccountsForEveryRow()
    {
        var random = new Random(7);
        using var input = new StringWriter();
        input.Write("phone,school\n");
        var invalid = 0;
        for (var i = 0; i < 20_000; i++)
        {
            if (random.Next(50) == 0)
            {
                input.Write("bad,s\n");
                invalid++;
            }
            else
            {
                input.Write($"03{random.Next(0, 1_000_000_000):D9},s{i}\n");
            }
        }
        var (output, summary) = Run(input.ToString());
        Assert.Equal(20_000, summary.RowsRead);
        Assert.Equal(invalid, summary.Rejections.Count);
        Assert.Equal(20_000 - invalid, summary.RowsWritten);
        Assert.DoesNotContain(",03", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Pseudonymise_Streams_SkipsTheByteOrderMarkAndWritesUtf8()
    {
        using var input = new MemoryStream([.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes("phone,note\n03001234567,Müller\n")]);
        using var output = new MemoryStream();
        var summary = Phones.Pseudonymise(input, output);
        Assert.Equal(1, summary.RowsWritten);
        Assert.Equal($"beneficiary,note\n{Key("03001234567")},Müller\n", System.Text.Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void Pseudonymise_RecordLongerThanAMegabyte_IsARejectedRowWhereReadingStops()
    {
        var csv = "phone,note\n03001234567,\"" + new string('x', RecordChunker.MaxRecordBytes) + "\"\n03001234567,after\n";
        var (output, summary) = Run(csv);
        Assert.Equal(1, summary.RowsRead);
        Assert.Equal(0, summary.RowsWritten);
        var rejection = Assert.Single(summary.Rejections);
        Assert.Equal(2, rejection.LineNumber);
        Assert.Contains("longer than 1 MiB", rejection.Reason, StringComparison.Ordinal);
        Assert.Contains("reading stopped", rejection.Reason, StringComparison.Ordinal);
        Assert.Equal("beneficiary,note\n", output);
    }

    [Fact]
    public void Pseudonymise_Utf16Stream_IsRefusedAtLineOne()
    {
        using var input = new MemoryStream([.. System.Text.Encoding.Unicode.GetPreamble(), .. System.Text.Encoding.Unicode.GetBytes("phone\n03001234567\n")]);
        using var output = new MemoryStream();
        var ex = Assert.Throws<DataFormatException>(() => Phones.Pseudonymise(input, output));
        Assert.Equal(1, ex.LineNumber);
        Assert.Contains("UTF-16", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
    }
}
