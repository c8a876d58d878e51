using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Progress;
using SafetyPrograms.Reporting;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Cli;

namespace SafetyPrograms.Tests.Reporting;

/// <summary>The report from the library: what a funder reads, every figure from the published tables, in plain words.</summary>
public sealed partial class ProgrammeReportTests
{
    private static readonly string DatasetPath = Path.Combine(RepositoryPaths.SamplesData, "programmes.json");
    private static readonly string ParticipationsPath = Path.Combine(RepositoryPaths.SamplesData, "participations.csv");
    private static readonly LocalDate AsOf = new(2025, 12, 31);
    private static readonly Lazy<(ProgrammeDataset Dataset, ParticipationStore Store)> Sample = new(() =>
    {
        using var json = File.OpenRead(DatasetPath);
        var dataset = ProgrammeDatasetJson.Read(json, DatasetPath);
        var store = new ParticipationStore(dataset);
        using var csv = File.OpenRead(ParticipationsPath);
        store.AppendCsv(csv, ParticipationsPath);
        return (dataset, store);
    });

    private static ProgrammeReport Published(PublicationPolicy? policy = null) =>
        ProgrammeReport.Create(Sample.Value.Dataset, Sample.Value.Store, AsOf, new ProgrammeReportOptions { Policy = policy ?? PublicationPolicy.Default });

    [Theory]
    [InlineData("NotRecorded", "not recorded")]
    [InlineData("notRecorded", "not recorded")]
    [InlineData("UniquePeople", "unique people")]
    [InlineData("OnTrack", "on track")]
    [InlineData("AchievedOnTime", "achieved on time")]
    [InlineData("student", "student")]
    public void Codes_AreWrittenAsWords(string code, string words) => Assert.Equal(words, ReportLabels.Words(code));

    [Theory]
    [InlineData("PK-SD", "Sindh")]
    [InlineData("PK-PB", "Punjab")]
    [InlineData("PK", "Pakistan")]
    public void Places_AreNamed(string code, string name) => Assert.Equal(name, ReportLabels.Place(code));

    [Fact]
    public void Districts_AreNamedWithTheirProvince() => Assert.Equal("Karachi South (Sindh)", ReportLabels.District("PK-SD/Karachi South"));

    [Fact]
    public void TheReaderSeesNoCodeNames()
    {
        var text = VisibleText(Published().ToHtml());

        foreach (var code in new[] { "UniquePeople", "notRecorded", "NotRecorded", "PK-SD", "PK-PB", "fiscalYear", "OnTrack", "AtRisk", "AchievedOnTime" })
        {
            Assert.DoesNotContain(code, text, StringComparison.Ordinal);
        }
        Assert.Contains("Sindh", text, StringComparison.Ordinal);
        Assert.Contains("Not recorded", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ProvinceBySex_IsACrossTabulation_WhoseEveryCellIsThePublishedFigure()
    {
        var report = Published();
        var table = report.Tables.Single(t => t.Caption == "Unique beneficiaries by province and sex").Table;
        var html = report.ToHtml();
        var crosstab = Section(html, "<caption>Unique beneficiaries by province and sex</caption>", "</table>");
        var (provinces, sexes) = (table.Dimensions[0], table.Dimensions[1]);

        var header = Cells(Section(crosstab, "<thead>", "</thead>"));
        Assert.Equal(["Province", .. sexes.Categories.Where(sexes.IsLeaf).Select(c => new ReportLabels(report.Dataset).Category(sexes, c)), "Total"], header);
        foreach (var province in provinces.Categories.Where(provinces.IsLeaf).Append(provinces.Total))
        {
            var label = new ReportLabels(report.Dataset).Category(provinces, province);
            var cells = Cells(Row(crosstab, $"<th scope='row'>{label}</th>"));
            var expected = sexes.Categories.Where(sexes.IsLeaf).Append(sexes.Total)
                .Select(sex => table[province, sex].Value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : PublishedTableWriter.SuppressedMark);
            Assert.Equal([label, .. expected], cells);
        }
    }

    [Fact]
    public void APercentOutcome_ShowsItsBaseline_SoTheShareAchievedCanBeFollowed()
    {
        var html = Published().ToHtml();
        var row = Cells(Row(html, "Trained children who can name two ways to report online abuse</td>"));

        // Baseline 22%, target 60%, actual 54%: (54 − 22) ÷ (60 − 22) = 84.2% of the way.
        Assert.Equal(["percent", "22%", "60%", "54%", "84.2%"], row.Skip(1).Take(5));
        Assert.Contains("(actual − baseline) ÷ (target − baseline)", html, StringComparison.Ordinal);
        Assert.Contains(">Percent</text>", html, StringComparison.Ordinal); // the chart's axis states its unit
    }

    [Fact]
    public void EveryTableHasACaption_EveryChartATitleAndADescription_AndNothingIsFetched()
    {
        var html = Published().ToHtml();

        Assert.Equal(Count(html, "<table"), Count(html, "<caption>"));
        Assert.True(Count(html, "<svg") >= 3);
        Assert.Equal(Count(html, "<svg"), Count(html, "<desc id="));
        Assert.Equal(Count(html, "<svg"), Count(html, "<title id="));
        foreach (var fetch in new[] { "<script", "<link", "src=", "@import", "url(http", "@font-face" })
        {
            Assert.DoesNotContain(fetch, html, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("@page{size:A4", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSuppressionMark_IsExplainedOnce_WhereThePolicyIsStated()
    {
        var html = Published().ToHtml();

        Assert.Equal(1, Count(html, "is withheld to protect the children it counts"));
        Assert.DoesNotContain("For use inside the programme", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAPolicy_TheReportSaysOnItsFirstScreenThatItIsInternal_AndHidesNothing()
    {
        var report = ProgrammeReport.Create(Sample.Value.Dataset, Sample.Value.Store, AsOf);
        var html = report.ToHtml();

        Assert.Contains("For use inside the programme", html[..html.IndexOf("<section", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.DoesNotContain(report.Tables.SelectMany(t => t.Table.Figures), f => f.IsSuppressed);
    }

    [Fact]
    public void ReportedAgainstRecounted_ShowsBothNumbers_InsideTheProgramme()
    {
        var report = ProgrammeReport.Create(Sample.Value.Dataset, Sample.Value.Store, AsOf);
        var html = report.ToHtml();
        var checks = report.RecountChecks.Where(c => c.Dimension is null).ToList();

        Assert.NotEmpty(checks);
        var table = Section(html, "<caption>Reported figures against their recount from participation records (tolerance 5.0%)</caption>", "</table>");
        Assert.Equal(["Programme", "Indicator", "Period", "Reported", "Recounted", "Difference", "Check"], Cells(Section(table, "<thead>", "</thead>")));
        var rows = table.Split("<tr>", StringSplitOptions.None).Skip(2).Select(Cells).ToList();
        Assert.Equal(checks.Count, rows.Count);
        for (var i = 0; i < checks.Count; i++)
        {
            Assert.Equal(checks[i].Recounted.ToString("N0", CultureInfo.InvariantCulture), rows[i][4]);
            Assert.Equal(checks[i].IsWithinTolerance ? "agrees" : checks[i].Agreement == SafetyPrograms.Progress.RecountAgreement.ReportedAbove
                ? "reported above the records" : "reported below the records", rows[i][6]);
        }
    }

    [Fact]
    public void ReportedAgainstRecounted_UnderAPolicy_ShowsTheVerdictButNotTheRecount()
    {
        var report = Published();
        var table = Section(report.ToHtml(), "<caption>Reported figures against their recount", "</table>");

        Assert.Equal(["Programme", "Indicator", "Period", "Reported", "Check"], Cells(Section(table, "<thead>", "</thead>")));
        foreach (var check in report.RecountChecks.Where(c => c.Dimension is null && c.Recounted >= 10))
        {
            Assert.DoesNotContain($">{check.Recounted.ToString("N0", CultureInfo.InvariantCulture)}<", table, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheCliReport_IsTheLibrarysReport()
    {
        var folder = Directory.CreateTempSubdirectory("sp-report-").FullName;
        try
        {
            var path = Path.Combine(folder, "report.html");
            var (code, output, error) = await CliRunner.Run(
                ["report", "--dataset", DatasetPath, "--participations", ParticipationsPath, "--html", path, "--as-of", "2025-12-31", "--publish", "--title", "Sample"]);
            Assert.True(code == 0, output + error);

            var library = ProgrammeReport.Create(
                Sample.Value.Dataset, Sample.Value.Store, AsOf, new ProgrammeReportOptions { Title = "Sample", Policy = PublicationPolicy.Default });

            Assert.Equal(library.ToHtml(), await File.ReadAllTextAsync(path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void EachBreakdownOfReach_IsASectionOfItsOwn_InTheOrderAFunderReadsThem()
    {
        var html = Published().ToHtml();

        Assert.Equal(
            ["summary", "progress", "progress-over-time", "reach-province", "reach-role", "reach-province-role", "reach-teachers", "reach-disability",
             "reach-age", "milestones", "method"],
            SectionIds(html));
        // Each cross-tabulation and its bar chart share their section.
        var province = Section(html, "<section id='reach-province'>", "</section>");
        Assert.Contains("<figcaption>Unique people reached by province and sex</figcaption>", province, StringComparison.Ordinal);
        Assert.Contains("<caption>Unique beneficiaries by province and sex</caption>", province, StringComparison.Ordinal);
    }

    [Fact]
    public void AgeBands_AreListedYoungestFirst_InTheTableAndTheChart()
    {
        var html = ProgrammeReport.Create(Sample.Value.Dataset, Sample.Value.Store, AsOf).ToHtml();
        var table = Section(html, "<caption>Unique beneficiaries by age and sex", "</table>");
        var chart = Section(html, "<figcaption>Unique people reached by age and sex", "</svg>");
        var bands = AgeBandScheme.UnChild.Bands.Select(b => ReportLabels.Age(b.Label)).ToList();

        var rows = Regex.Matches(table, "<th scope='row'>([^<]*)</th>").Select(m => m.Groups[1].Value).Where(bands.Contains).ToList();
        var bars = Regex.Matches(chart, "<text [^>]*text-anchor='end'[^>]*>([^<]*)</text>").Select(m => m.Groups[1].Value).Where(bands.Contains).ToList();

        Assert.True(rows.Count >= 3, string.Join(", ", rows));
        Assert.Equal(bands.Where(rows.Contains), rows);
        Assert.Equal(rows, bars);
    }

    [Fact]
    public void ATableTooLongForAPage_ContinuesInNamedSections_AndNoRowIsLeftOut()
    {
        var report = WithMilestones(25);
        var html = report.ToHtml();

        Assert.Equal(["milestones", "milestones-2", "milestones-3"], SectionIds(html).Where(id => id.StartsWith("milestones", StringComparison.Ordinal)));
        Assert.Contains("<h2>Milestones (continued, 2 of 3)</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Milestones (continued, 3 of 3)</h2>", html, StringComparison.Ordinal);
        var rows = new[] { "milestones'", "milestones-2'", "milestones-3'" }
            .Select(id => Count(Section(html, $"<section id='{id}", "</section>"), "<tr><td>"))
            .ToList();
        Assert.Equal([10, 10, 5], rows);
        for (var i = 1; i <= 25; i++)
        {
            Assert.Equal(1, Count(html, $"<td>{LongMilestone(i)}</td>"));
        }
        // The summary names the three first overdue and counts the rest, so that it stays one page.
        var summary = Section(html, "<section id='summary'>", "</section>");
        var overdue = report.Milestones.Count(m => m.Standing == MilestoneStanding.Overdue);
        Assert.True(overdue > 3, $"{overdue} overdue");
        Assert.Equal(3, Count(summary, "<li>Safeguarding workshop"));
        Assert.Contains($"<li>and {overdue - 3} more, listed under milestones</li>", summary, StringComparison.Ordinal);
    }

    /// <summary>
    /// The sample report with <paramref name="count"/> milestones, all in its first programme, one due each month from
    /// February 2024: a milestone table too long for one printed page.
    /// </summary>
    internal static ProgrammeReport WithMilestones(int count)
    {
        var (dataset, store) = Sample.Value;
        var milestones = Enumerable.Range(1, count)
            .Select(i => new Milestone(new Id<Milestone>($"ms-long-{i}"), LongMilestone(i), new LocalDate(2024, 1, 1).PlusMonths(i), MilestoneStatus.Planned))
            .ToList();
        var partnerships = dataset.Partnerships.Select((p, i) => new Partnership(
            p.Id, p.Name, p.Period, p.Status, p.Members, p.Phases, p.Targets, i == 0 ? milestones : [], p.Country, p.Description, p.Source));
        var longer = new ProgrammeDataset(
            dataset.SchemaVersion, dataset.Organisations, [.. partnerships], dataset.Indicators, dataset.Schools,
            dataset.Cohorts, dataset.Activities, dataset.Actuals, dataset.Description, dataset.AgeSchemes);
        return ProgrammeReport.Create(longer, store, AsOf, new ProgrammeReportOptions { Policy = PublicationPolicy.Default });
    }

    private static string LongMilestone(int i) => $"Safeguarding workshop {i} held with the district education office";

    private static List<string> SectionIds(string html) => [.. SectionId().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("<section id='([^']+)'")]
    private static partial Regex SectionId();

    private static string VisibleText(string html) => Tags().Replace(Styles().Replace(html, ""), " ");

    private static int Count(string text, string part) => Regex.Count(text, Regex.Escape(part));

    private static string Section(string html, string start, string end)
    {
        var from = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"no {start}");
        return html[from..html.IndexOf(end, from, StringComparison.Ordinal)];
    }

    /// <summary>The table row holding <paramref name="marker"/>.</summary>
    private static string Row(string html, string marker)
    {
        var at = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"no {marker}");
        var start = html.LastIndexOf("<tr", at, StringComparison.Ordinal);
        return html[start..html.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }

    private static List<string> Cells(string row) => [.. CellText().Matches(row).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))];

    [GeneratedRegex("<t[hd](?:\\s[^>]*)?>(.*?)</t[hd]>")]
    private static partial Regex CellText();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("<style>.*?</style>", RegexOptions.Singleline)]
    private static partial Regex Styles();
}
