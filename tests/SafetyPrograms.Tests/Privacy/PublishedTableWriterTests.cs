using System.Text;
using System.Text.Json;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

public class PublishedTableWriterTests
{
    // Small values with distinctive digits, so that a leak would be visible.
    private static readonly PublicationTable Table = new(
        [new TableDimension("school", [new("s1"), new("s2"), new("s3")]), SampleTables.Sex],
        [
            new(7, "s1", "girl"), new(48, "s1", "boy"), new(23, "s1", "notRecorded"),
            new(31, "s2", "girl"), new(3, "s2", "boy"), new(44, "s2", "notRecorded"),
            new(26, "s3", "girl"), new(35, "s3", "boy"), new(0, "s3", "notRecorded"),
        ]);

    private static readonly PublishedTable Published = PublicationPolicy.Default.Apply(Table);

    private static string Json()
    {
        using var stream = new MemoryStream();
        PublishedTableWriter.WriteJson(Published, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void WriteJson_SuppressedFiguresHaveOneMarkAndNoValue()
    {
        using var document = JsonDocument.Parse(Json());
        var root = document.RootElement;
        Assert.Equal(10, root.GetProperty("publicationPolicy").GetProperty("minimumCellSize").GetInt32());
        Assert.Equal("cells under 10 suppressed, zeros shown", root.GetProperty("publicationPolicy").GetProperty("applied").GetString());
        var figures = root.GetProperty("figures").EnumerateArray().ToList();
        Assert.Equal(Published.Figures.Count, figures.Count);
        Assert.True(Published.PrimarySuppressions >= 2 && Published.SecondarySuppressions >= 2);
        foreach (var figure in figures)
        {
            var at = figure.GetProperty("at");
            string[] coordinates = [at.GetProperty("school").GetString()!, at.GetProperty("sex").GetString()!];
            var truth = Table[coordinates];
            if (figure.TryGetProperty("suppressed", out var mark))
            {
                Assert.False(figure.TryGetProperty("value", out _));
                Assert.True(mark.GetBoolean());
                Assert.DoesNotContain(truth.ToString(System.Globalization.CultureInfo.InvariantCulture), figure.GetRawText(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(truth, figure.GetProperty("value").GetInt64());
            }
        }
        Assert.Equal(Published.SuppressedCount, root.GetProperty("suppressedFigures").GetInt32());
        AssertNoReason(Json());
    }

    /// <summary>Whether a hidden figure was small or hidden to protect one is the owner's secret: no rendering says it.</summary>
    private static void AssertNoReason(string output)
    {
        Assert.DoesNotContain("primary", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secondary", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("linked", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void WriteCsv_SuppressedFiguresHaveAnEmptyValueAndOneMark()
    {
        using var writer = new StringWriter();
        PublishedTableWriter.WriteCsv(Published, writer, statePolicy: true);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("# publication policy: cells under 10 suppressed, zeros shown", lines[0]);
        Assert.Equal("school,sex,value,suppressed", lines[1]);
        Assert.Equal(Published.Figures.Count, lines.Length - 2);
        foreach (var line in lines.Skip(2))
        {
            var fields = line.Split(',');
            var figure = Published[fields[0], fields[1]];
            if (figure.IsSuppressed)
            {
                Assert.Equal("", fields[2]);
                Assert.Equal(PublishedTableWriter.SuppressedMark, fields[3]);
            }
            else
            {
                Assert.Equal(Table[fields[0], fields[1]].ToString(System.Globalization.CultureInfo.InvariantCulture), fields[2]);
                Assert.Equal("", fields[3]);
            }
        }
        Assert.Contains("s1,girl,,suppressed", lines);
        Assert.Contains("s2,boy,,suppressed", lines);
        AssertNoReason(writer.ToString());
    }

    [Fact]
    public void PublicationAudit_WriteCsv_GivesTheOwnerEachReason()
    {
        using var writer = new StringWriter();
        PublicationAudit.WriteCsv(Published, writer);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("# private audit", lines[0], StringComparison.Ordinal);
        Assert.Equal("school,sex,reason", lines[1]);
        Assert.Contains("s1,girl,primary", lines);
        Assert.Contains("s2,boy,primary", lines);
        Assert.Equal(Published.SecondarySuppressions, lines.Count(l => l.EndsWith(",secondary", StringComparison.Ordinal)));
        Assert.Equal(SuppressionReason.Primary, PublicationAudit.ReasonOf(Published["s1", "girl"]));
    }

    [Fact]
    public void WriteHtml_StatesThePolicyAndMarksSuppressedFigures()
    {
        using var writer = new StringWriter();
        PublishedTableWriter.WriteHtml(Published, writer);
        var html = writer.ToString();
        Assert.Contains("Publication policy applied: cells under 10 suppressed, zeros shown.", html, StringComparison.Ordinal);
        Assert.Contains("<td>s1</td><td>girl</td><td class=\"suppressed\">suppressed</td>", html, StringComparison.Ordinal);
        AssertNoReason(html);
        Assert.Contains("<td>s1</td><td>boy</td><td class=\"value\">48</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishedTable_ReflectionSerialization_CarriesNoSuppressedValue()
    {
        // Whatever a caller does with the public type, a suppressed figure has no value and no reason to leak.
        var json = JsonSerializer.Serialize(Published.Figures);
        using var document = JsonDocument.Parse(json);
        foreach (var figure in document.RootElement.EnumerateArray())
        {
            Assert.False(figure.TryGetProperty("Suppression", out _));
            if (figure.GetProperty("IsSuppressed").GetBoolean())
            {
                Assert.Equal(JsonValueKind.Null, figure.GetProperty("Value").ValueKind);
            }
        }
        Assert.Equal("(s1, girl) suppressed", Published["s1", "girl"].ToString());
    }
}
