using System.Text.RegularExpressions;
using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Exchange;

/// <summary>HXL tables follow the hashtag dictionary; SDMX-CSV follows the field guide's header and row rules.</summary>
public sealed partial class TabularExportTests
{
    /// <summary>Our own attributes, which HXL allows beside the dictionary's: age bands, roles, sex categories, <c>disabled</c> (named by issue 14) and other breakdowns.</summary>
    private static readonly Regex OwnAttribute = OwnAttributePattern();

    [InteropFact]
    public void HxlTables_UseOnlyDictionaryHashtags_AndWellFormedAttributes()
    {
        var dictionary = File.ReadAllText(Path.Combine(Interop.Folder, "hxl", "dict.txt"));
        var hashtags = HashtagPattern().Matches(dictionary).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        var attributes = AttributePattern().Matches(dictionary).Select(m => m.Value[1..]).ToHashSet(StringComparer.Ordinal);
        var (dataset, store) = ExchangeSamples.Generated(41);
        foreach (var data in new[] { ExchangeSamples.Sample(), ExchangeData.Publish(dataset, PublicationPolicy.Default, ExchangeSamples.AsOf, ExchangeSamples.Exported, store) })
        {
            foreach (var write in new Func<ExchangeData, TextWriter, ExportSummary>[] { Hxl.WriteReach, Hxl.WriteWhoWhatWhere })
            {
                var rows = Rows(data, write);
                Assert.True(rows.Count > 2);
                var tags = rows[1];
                Assert.Equal(rows[0].Length, tags.Length);
                Assert.Equal(tags.Length, tags.Distinct().Count());
                Assert.All(rows, r => Assert.Equal(tags.Length, r.Length));
                foreach (var tag in tags)
                {
                    var parts = tag.Split('+');
                    Assert.Matches("^#[a-z][a-z0-9_]*$", parts[0]);
                    Assert.True(hashtags.Contains(parts[0]) || parts[0].StartsWith("#x_", StringComparison.Ordinal), $"{parts[0]} is not in the HXL dictionary");
                    Assert.All(parts.Skip(1), a => Assert.True(
                        attributes.Contains(a) || OwnAttribute.IsMatch(a), $"+{a} is neither a dictionary attribute nor one of ours"));
                }
                // A tag pattern #reached also matches #reached+f: the total is the one #reached column without attributes.
                Assert.True(tags.Count(t => t == "#reached") <= 1);
            }
        }
    }

    [Fact]
    public void HxlReach_ShowsEveryPublishedFigure_AndNoSuppressedOne()
    {
        var data = ExchangeSamples.Sample();
        var rows = Rows(data, Hxl.WriteReach);
        var reached = Array.IndexOf(rows[1], "#reached");
        var values = rows.Skip(2).SelectMany(r => r.Skip(reached)).Where(v => v.Length > 0).ToList();
        var published = data.Series.SelectMany(s => s.Figures.Concat(s.AgeGroups)).Count(f => f.Value is not null && f.Breakdown.Count <= 1);
        Assert.Equal(published, values.Count);
        Assert.Contains("#reached+f", rows[1]);
        Assert.Contains("#reached+age10_14", rows[1]);
        Assert.Contains("#reached+children", rows[1]);
        Assert.Contains("#reached+adults", rows[1]);
    }

    [Fact]
    public void HxlTables_CarryEveryHashtagTheIssueNames()
    {
        var (dataset, store) = ExchangeSamples.Generated(53);
        var data = ExchangeData.Publish(dataset, new PublicationPolicy(minimumCellSize: 1), ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
        Assert.Superset(
            new HashSet<string> { "#org+impl", "#org+funder", "#sector", "#activity", "#adm1+code", "#adm2+name", "#date+start", "#date+end" },
            Rows(data, Hxl.WriteWhoWhatWhere)[1].ToHashSet());
        Assert.Superset(
            new HashSet<string> { "#adm1+code", "#date+start", "#date+end", "#targeted", "#reached", "#reached+f", "#reached+m", "#reached+children", "#reached+adults", "#reached+disabled" },
            Rows(data, Hxl.WriteReach)[1].ToHashSet());
    }

    [Fact]
    public void HxlReach_TagsEverySex_WithTheDictionarysAttribute_AndNotRecordedWithOurs()
    {
        var (dataset, store) = ExchangeSamples.Generated(53);
        var data = ExchangeData.Publish(dataset, new PublicationPolicy(minimumCellSize: 1), ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
        var rows = Rows(data, Hxl.WriteReach);
        var tags = rows[1];
        // +f, +m and +i (intersex or non-gender-binary) are the dictionary's; it has no attribute for a sex not recorded.
        var columns = new Dictionary<string, string> { ["female"] = "#reached+f", ["male"] = "#reached+m", ["other"] = "#reached+i", ["notRecorded"] = "#reached+sex_not_recorded" };
        Assert.DoesNotContain("#reached+sex_other", tags);
        var series = data.Series.Where(s => s.Dimensions.Contains("sex")).ToList();
        Assert.NotEmpty(series);
        // Each series' whole-programme row, followed by its province rows.
        var programmeRows = new List<string[]>();
        var next = 2;
        foreach (var s in data.Series)
        {
            programmeRows.Add(rows[next]);
            next += 1 + s.Figures.Count(f => f.Breakdown.Count == 1 && f.Breakdown[0].Dimension == IatiActivities.ProvinceDimension);
        }
        Assert.Equal(rows.Count, next);
        foreach (var (category, tag) in columns)
        {
            var column = Array.IndexOf(tags, tag);
            Assert.True(column >= 0, $"{tag} missing");
            for (var i = 0; i < data.Series.Count; i++)
            {
                var figure = data.Series[i].Figures.SingleOrDefault(f => f.Breakdown.Count == 1 && f.Breakdown[0] == new FigureCategory("sex", category));
                Assert.Equal(figure?.Value is { } v ? ExchangeText.Number(v) : "", programmeRows[i][column]);
            }
        }
        Assert.Contains(series, s => s.Figures.Any(f => f.CategoryOf("sex") == "other" && f.Value > 0));
    }

    [Fact]
    public void SdmxCsv_FollowsTheFieldGuide_AndItsColumnsAreTheStructuresDimensions()
    {
        var data = ExchangeSamples.Sample();
        var rows = Rows(data, Sdmx.WriteCsv);
        var header = rows[0];
        Assert.Equal(["STRUCTURE", "STRUCTURE_ID", "ACTION"], header[..3]);
        Assert.Equal(header.Length, header.Distinct().Count());
        Assert.All(header, h => Assert.Matches("^[A-Z][A-Z0-9_]*$", h));
        using var structure = new MemoryStream();
        Sdmx.WriteStructure(data, structure);
        structure.Position = 0;
        var dsd = System.Xml.Linq.XDocument.Load(structure);
        var dimensions = dsd.Descendants().Where(e => e.Name.LocalName is "Dimension" or "TimeDimension").Select(e => (string)e.Attribute("id")!).ToArray();
        var attributes = dsd.Descendants().Where(e => e.Name.LocalName == "Attribute").Select(e => (string)e.Attribute("id")!).ToArray();
        Assert.Equal([.. dimensions, "OBS_VALUE", .. attributes], header[3..]);
        Assert.Superset(new HashSet<string> { "INDICATOR", "REF_AREA", "SEX", "AGE", "TIME_PERIOD" }, dimensions.ToHashSet());
        Assert.Superset(new HashSet<string> { "UNIT_MEASURE", "OBS_STATUS", "CONF_STATUS" }, attributes.ToHashSet());
        var value = Array.IndexOf(header, "OBS_VALUE");
        var conf = Array.IndexOf(header, "CONF_STATUS");
        var status = Array.IndexOf(header, "OBS_STATUS");
        Assert.Equal(data.Series.Sum(s => s.Figures.Count), rows.Count - 1);
        foreach (var row in rows.Skip(1))
        {
            Assert.Equal(header.Length, row.Length);
            Assert.Equal("datastructure", row[0]);
            Assert.Matches(@"^[A-Za-z0-9_@$-]+:[A-Za-z0-9_@$-]+\([0-9.]+\)$", row[1]);
            Assert.Equal("I", row[2]);
            // Published: a value, free. Suppressed: no value, missing, confidential: one mark, whatever the reason.
            Assert.True(row[value].Length > 0 ? row[conf] == "F" && row[status] == "A" : row[conf] == "C" && row[status] == "O", string.Join(',', row));
        }
        var suppressed = data.Series.SelectMany(s => s.Figures).Where(f => f.IsSuppressed).ToList();
        Assert.Equal(suppressed.Count, rows.Count(r => r[conf] == "C"));
    }

    [Fact]
    public void SdmxCsv_StatesTheSchemeOfEachAgeBreakdown_AndYearlyFiguresCoverOneYear()
    {
        var data = ExchangeSamples.Sample();
        var rows = Rows(data, Sdmx.WriteCsv);
        var header = rows[0];
        var (listed, scheme, stated) = (Array.IndexOf(header, "AGE"), Array.IndexOf(header, "AGE_UN_CHILD"), Array.IndexOf(header, "AGE_SCHEME"));
        Assert.True(listed > 0 && scheme > 0 && stated > 0);
        Assert.Contains(rows, r => r[scheme] != "_T");
        Assert.All(rows.Skip(1), r => Assert.Equal(
            r[listed] != "_T" ? IatiActivities.AgeScheme : r[scheme] != "_T" ? AgeBandScheme.UnChild.Code : "", r[stated]));
        var yearly = data.Series.Where(s => s.Indicator.Accumulation == Accumulation.YearlyCumulative).ToList();
        Assert.NotEmpty(yearly);
        Assert.All(yearly, s => Assert.Equal(s.Indicator.YearStart(s.Period.End), s.Period.Start));
    }

    private static List<string[]> Rows(ExchangeData data, Func<ExchangeData, TextWriter, ExportSummary> write)
    {
        using var text = new StringWriter();
        write(data, text);
        return [.. text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(SplitCsv)];
    }

    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString());
        return [.. fields];
    }

    [GeneratedRegex("#[a-z][a-z0-9_]*")]
    private static partial Regex HashtagPattern();

    [GeneratedRegex(@"\+[a-z][a-z0-9_]*")]
    private static partial Regex AttributePattern();

    [GeneratedRegex("^(age([0-9]+_[0-9]+|[0-9]+plus|_[a-z_]+)|disabled|(sex|role|mode|disability|[a-z]+)_[a-z0-9_]+)$")]
    private static partial Regex OwnAttributePattern();
}
