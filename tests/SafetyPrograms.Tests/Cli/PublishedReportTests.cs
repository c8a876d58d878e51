using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace SafetyPrograms.Tests.Cli;

/// <summary>
/// <c>report --publish</c> as a hostile reader sees it: every figure drawn from the participation log (tables, bars,
/// labels, titles) comes from the published tables, so no small group shows anywhere in the HTML.
/// </summary>
public sealed partial class PublishedReportTests : IDisposable
{
    private static readonly string Sample = Path.Combine(RepositoryPaths.SamplesData, "participations.csv");
    private readonly string _temp = Directory.CreateTempSubdirectory("safetyprograms-report-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    /// <summary>The sample log without its teachers, plus the given teachers (sex per teacher) at one school.</summary>
    private string Log(params string[] teacherSexes)
    {
        var lines = File.ReadAllLines(Sample).Where(l => !l.Contains(",teacher,", StringComparison.Ordinal)).ToList();
        // The eleven fields these teachers' rows state; the person's columns (age, answers) left empty.
        var personColumns = new string(',', lines[0].Count(c => c == ',') - 10);
        lines.AddRange(teacherSexes.Select((sex, i) =>
            string.Join(",", $"syn-9{i:D7}", "act-cop-0012", "2024-01-12", "teacher", sex, "25-49", "hybrid", "true", "sch-cop-001", "46.6", "44.0") + personColumns));
        var path = Path.Combine(_temp, "log.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private async Task<string> Report(string log, params string[] more)
    {
        var html = Path.Combine(_temp, "report.html");
        var (code, _, error) = await CliRunner.Run(["report", "--participations", log, "--html", html, "--publish", "--as-of", "2025-12-31", .. more]);
        Assert.True(code == 0, error);
        return File.ReadAllText(html);
    }

    /// <summary>Every whole number a reader sees: table cells, SVG text, titles and title attributes, tags stripped and entities decoded.</summary>
    private static IEnumerable<(string Where, long Value)> NumbersShown(string html)
    {
        foreach (Match m in Shown().Matches(html))
        {
            var text = WebUtility.HtmlDecode(TagOrEntity().Replace(m.Groups["text"].Value, " ")).Trim();
            if (WholeNumber().IsMatch(text))
            {
                yield return (m.Value, long.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture));
            }
            // An age band's label ("5–9 years") names ages, not a count of people.
            foreach (Match n in NumberInText().Matches(m.Groups["title"].Success ? AgeLabel().Replace(text, " ") : string.Empty))
            {
                yield return (m.Value, long.Parse(n.Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>
    /// The part of the report drawn from the participation log: the summary's headline figures, the progress table and
    /// the reach sections. Axis ticks (<c>class='tick'</c>) are a chart's scale, not figures, and are left out.
    /// </summary>
    private static string FromTheLog(string html)
    {
        var progress = html.IndexOf("<h2>Progress to targets</h2>", StringComparison.Ordinal);
        var reach = html.IndexOf("<section id='reach-", StringComparison.Ordinal);
        var milestones = html.IndexOf("<section id='milestones'", StringComparison.Ordinal);
        var headlines = string.Concat(Headline().Matches(html).Select(m => $"<td>{m.Groups[1].Value}</td>"));
        return Tick().Replace(headlines + html[progress..html.IndexOf("</table>", progress, StringComparison.Ordinal)] + html[reach..milestones], "");
    }

    [GeneratedRegex(@"<p class='headline'>([^<]*?) <span>")]
    private static partial Regex Headline();

    [GeneratedRegex(@"<text class='tick'[^>]*>[^<]*</text>")]
    private static partial Regex Tick();

    [Fact]
    public async Task Report_Publish_TwoFemaleTeachers_NoSmallFigureAnywhere_AndTheMarkIsShown()
    {
        var html = await Report(Log("female", "female", "male", "male", "male", "male", "male"));

        var shown = NumbersShown(FromTheLog(html)).ToList();
        Assert.NotEmpty(shown);
        Assert.All(shown, n => Assert.False(n.Value is > 0 and < 10, $"a small figure is shown: {n.Where}"));
        Assert.Contains("<caption>Teachers reached by district and sex</caption>", html, StringComparison.Ordinal);
        var teachers = html[html.IndexOf("<caption>Teachers reached", StringComparison.Ordinal)..];
        Assert.Contains("<td class='n suppressed'>suppressed</td>", teachers[..teachers.IndexOf("</table>", StringComparison.Ordinal)], StringComparison.Ordinal);
        // The bars are the published figures: a hidden one is drawn empty and labelled with the mark.
        Assert.Contains("<figcaption>Unique people reached by role and sex</figcaption>", html, StringComparison.Ordinal);
        Assert.Contains(">suppressed</text>", html, StringComparison.Ordinal);
        // No reason travels with the mark.
        Assert.All(new[] { "primary", "secondary", "linked" }, reason => Assert.DoesNotContain(reason, html, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_WithoutPublish_ShowsTheSmallGroup_SoTheTestAbove_CanFail()
    {
        // The same log without --publish shows the seven teachers: the number reader above would find it.
        var html = Path.Combine(_temp, "internal.html");
        var (code, _, _) = await CliRunner.Run(["report", "--participations", Log("female", "female", "male", "male", "male", "male", "male"), "--html", html, "--as-of", "2025-12-31"]);
        Assert.Equal(0, code);
        Assert.Contains(NumbersShown(FromTheLog(File.ReadAllText(html))), n => n.Value == 7);
    }

    [Fact]
    public async Task Report_Publish_NoTeachers_PublishesTheEmptyTableWithItsReason()
    {
        var html = await Report(Log());
        var teachers = html[html.IndexOf("<strong>Teachers reached", StringComparison.Ordinal)..];
        Assert.Contains("Empty table: no records in this table", teachers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aggregate_Publish_NoTeachers_PublishesTheEmptyTable_InCsvAndJson()
    {
        var log = Log();
        var (code, csv, _) = await CliRunner.Run(["aggregate", "--participations", log, "--by", "district,sex", "--measures", "unique", "--where", "role=teacher", "--publish", "--format", "csv"]);
        Assert.Equal(0, code);
        Assert.Contains("# empty: no records in this table", csv, StringComparison.Ordinal);
        var (jsonCode, json, _) = await CliRunner.Run(["aggregate", "--participations", log, "--by", "district,sex", "--measures", "unique", "--where", "role=teacher", "--publish", "--format", "json"]);
        Assert.Equal(0, jsonCode);
        Assert.Contains("\"empty\":\"no records in this table", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_Publish_Audit_GivesTheOwnerTheReasons_OutsideTheReport()
    {
        var audit = Path.Combine(_temp, "audit.csv");
        var html = await Report(Log("female", "female", "male", "male", "male", "male", "male"), "--audit", audit);
        var text = File.ReadAllText(audit);
        Assert.Contains("# private audit", text, StringComparison.Ordinal);
        Assert.Contains(",primary", text, StringComparison.Ordinal);
        Assert.DoesNotContain("primary", html, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<(?<tag>td|text|figcaption|caption|h3)\b[^>]*>(?<text>.*?)</\k<tag>>|<(?<tag>title|desc)\b[^>]*>(?<title>(?<text>.*?))</\k<tag>>|title=['""](?<title>(?<text>[^'""]*))['""]", RegexOptions.Singleline)]
    private static partial Regex Shown();

    [GeneratedRegex(@"\d+–\d+ years|\d+ years and over")]
    private static partial Regex AgeLabel();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex TagOrEntity();

    [GeneratedRegex(@"^\d{1,3}(,\d{3})*$|^\d+$")]
    private static partial Regex WholeNumber();

    [GeneratedRegex(@"(?<![\w.-])\d[\d,]*(?![\w.%-])")]
    private static partial Regex NumberInText();
}
