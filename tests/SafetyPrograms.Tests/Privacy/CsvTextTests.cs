using System.Text;
using SafetyPrograms.Privacy;
using SafetyPrograms.Tests.Corpus;

namespace SafetyPrograms.Tests.Privacy;

/// <summary>Every CSV written for people to open neutralises formula cells (OWASP CSV injection), and keeps numbers numbers.</summary>
public class CsvTextTests
{
    public static TheoryData<string> Formulas => HostileValues.All(HostileValues.Formulas);

    public static TheoryData<string> Negatives => HostileValues.All(HostileValues.NegativeNumbers);

    [Theory]
    [MemberData(nameof(Formulas))]
    public void Neutralise_FormulaCell_GetsALeadingQuote(string cell) => Assert.Equal("'" + cell, CsvText.Neutralise(cell));

    [Theory]
    [MemberData(nameof(Negatives))]
    public void Neutralise_NegativeNumber_StaysANumber(string cell) => Assert.Equal(cell, CsvText.Neutralise(cell));

    [Theory]
    [InlineData("school-1")]
    [InlineData("")]
    [InlineData("1+1")]
    [InlineData("a=b")]
    public void Neutralise_OrdinaryCell_IsUnchanged(string cell) => Assert.Equal(cell, CsvText.Neutralise(cell));

    [Fact]
    public void WriteRecord_NeutralisesThenQuotes()
    {
        var output = new StringWriter();
        CsvText.WriteRecord(output, ["=cmd|' /C calc'!A0", "-2-3", "-5", "a,b", null]);
        Assert.Equal("'=cmd|' /C calc'!A0,'-2-3,-5,\"a,b\",\n", output.ToString());
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public void Pseudonymise_FormulaInAnyColumn_IsWrittenAsText(string formula)
    {
        var mapper = new CsvColumnPseudonymiser(new BeneficiaryPseudonymiser("a-test-secret-that-is-long-enough-to-be-accepted-0123456789"), IdentifierScheme.PakistanPhoneNumber, "phone");
        var output = new StringWriter();
        var input = new StringBuilder("phone,note\n0300-1234567,");
        input.Append('"').Append(formula.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\"\n");

        var summary = mapper.Pseudonymise(new StringReader(input.ToString()), output);

        Assert.Equal(1, summary.RowsWritten);
        var written = output.ToString().Split('\n')[1];
        var note = written[(written.IndexOf(',', StringComparison.Ordinal) + 1)..];
        Assert.StartsWith(note.StartsWith('"') ? "\"'" : "'", note, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishedTableCsv_CategoryStartingWithAMinus_IsText()
    {
        var table = new PublicationTable(
            [new TableDimension("school", [new("-a1"), new("=b2")])],
            [new(40, "-a1"), new(50, "=b2")]);
        var output = new StringWriter();
        PublishedTableWriter.WriteCsv(PublicationPolicy.Default.Apply(table), output);
        var lines = output.ToString().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("'-a1,40", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("'=b2,50", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith('-') || l.StartsWith('='));
    }
}
