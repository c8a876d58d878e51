using SafetyPrograms.Tests.Cli;
using SafetyPrograms.Tests.Support;

namespace SafetyPrograms.Tests.Reporting;

/// <summary>The main job's report, opened in a real browser (Debian's Chromium, headless), as a funder would open it.</summary>
public sealed class ReportInBrowserTests : IClassFixture<ReportInBrowserTests.MainJob>, IClassFixture<ReportInBrowserTests.TwentyThousandRecords>
{
    /// <summary>The sections of the main job's report, in order: each prints to one A4 page.</summary>
    private static readonly string[] Sections =
    [
        "summary", "progress", "progress-over-time", "reach-province", "reach-role", "reach-province-role", "reach-teachers",
        "reach-disability", "reach-age", "milestones", "method",
    ];

    private readonly MainJob _job;
    private readonly TwentyThousandRecords _small;

    public ReportInBrowserTests(MainJob job, TwentyThousandRecords small) => (_job, _small) = (job, small);

    /// <summary>
    /// Runs the demo once for every test of this class, into the test output folder, where the report and the
    /// screenshots stay for a reviewer to open.
    /// </summary>
    public abstract class DemoJob
    {
        protected DemoJob(string folder, params string[] options)
        {
            Directory = Path.Combine(AppContext.BaseDirectory, folder);
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            System.IO.Directory.CreateDirectory(Directory);
            var (code, output, error) = CliRunner.Run(["demo", "--out", Directory, .. options]).GetAwaiter().GetResult();
            Assert.True(code == 0, output + error);
            Report = Path.Combine(Directory, "report.html");
        }

        public string Directory { get; }

        public string Report { get; }
    }

    /// <summary>The main job as the README runs it (1.5 million records, today's date), into <c>main-job-report/</c>.</summary>
    public sealed class MainJob() : DemoJob("main-job-report");

    /// <summary>The 20,000-record demo the CLI tests run, whose many small figures are withheld, into <c>demo-20k-report/</c>.</summary>
    public sealed class TwentyThousandRecords() : DemoJob("demo-20k-report", "--records", "20000", "--as-of", "2025-12-31");

    [FactWhenInstalled("chromium")]
    public async Task Loads_WithoutConsoleErrors_AndFetchesNothing()
    {
        await using var browser = await HeadlessChromium.StartAsync();

        var load = await browser.LoadAsync(_job.Report);

        Assert.Empty(load.ConsoleErrors);
        Assert.Empty(load.NetworkRequests);
    }

    [FactWhenInstalled("chromium")]
    public async Task EveryChart_IsADrawnSvg_WithItsTitle_AndTheFirstScreenIsSavedBesideTheReport()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.LoadAsync(_job.Report);

        var charts = (await browser.EvaluateAsync(
            "[...document.querySelectorAll('svg')].map(s => ({ title: s.querySelector(':scope > title')?.textContent ?? '', " +
            "width: s.getBoundingClientRect().width, height: s.getBoundingClientRect().height, marks: s.querySelectorAll('rect,path,line,polyline,circle').length }))"))!.AsArray();
        var screenshot = await browser.ScreenshotAsync();
        var png = Path.Combine(_job.Directory, "report-first-screen.png");
        File.Delete(png);
        await File.WriteAllBytesAsync(png, screenshot);

        Assert.NotEmpty(charts);
        Assert.All(charts, chart =>
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)chart!["title"]), chart.ToJsonString());
            Assert.True((double)chart["width"]! > 100 && (double)chart["height"]! > 50, chart.ToJsonString());
            Assert.True((int)chart["marks"]! > 0, chart.ToJsonString());
        });
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(png))[..4]);
    }

    [FactWhenInstalled("chromium")]
    public async Task TheProvinceTable_HasAProvinceRowEach_ThenTheCountryAndTheTotal_AndEveryTableACaption()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.LoadAsync(_job.Report);

        var rows = (await browser.EvaluateAsync(
            "[...([...document.querySelectorAll('table')].find(t => t.caption?.textContent === 'Unique beneficiaries by province and sex')" +
            "?.querySelectorAll('tbody th') ?? [])].map(th => th.textContent)"))!.AsArray().Select(n => (string)n!).ToList();
        var uncaptioned = (int)(await browser.EvaluateAsync("[...document.querySelectorAll('table')].filter(t => !t.caption?.textContent).length"))!;

        Assert.Equal(
            ["Azad Jammu and Kashmir", "Balochistan", "Gilgit-Baltistan", "Islamabad Capital Territory", "Khyber Pakhtunkhwa", "Punjab", "Sindh"],
            rows.Take(7).Order(StringComparer.Ordinal));
        Assert.Equal(["Pakistan, all provinces", "Total"], rows.TakeLast(2));
        Assert.Equal(0, uncaptioned);
    }

    [FactWhenInstalled("chromium")]
    public async Task Printed_OnA4_EverySectionStartsAPage()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.LoadAsync(_job.Report);

        await browser.EmulatePrintAsync();
        var breaks = (await browser.EvaluateAsync("[...document.querySelectorAll('body > section')].map(s => getComputedStyle(s).breakBefore)"))!
            .AsArray().Select(n => (string)n!).ToList();

        // The summary follows the title on the first page; every later section starts its own.
        Assert.Equal(["avoid", .. Enumerable.Repeat("page", Sections.Length - 1)], breaks);
    }

    [FactWhenInstalled("chromium")]
    public async Task Printed_EverySectionOfTheMainJob_IsExactlyOneA4Page() => await EverySectionIsOnePage(_job.Report, Sections);

    [FactWhenInstalled("chromium")]
    public async Task Printed_EverySectionOfTheTwentyThousandRecordDemo_IsExactlyOneA4Page() => await EverySectionIsOnePage(_small.Report, Sections);

    [FactWhenInstalled("chromium")]
    public async Task Printed_ATableTooLongForAPage_ContinuesInNamedSections_EachOneA4Page()
    {
        var page = Path.Combine(Directory.CreateTempSubdirectory("sp-long-report-").FullName, "report.html");
        await File.WriteAllTextAsync(page, ProgrammeReportTests.WithMilestones(25).ToHtml());

        // 25 milestones at ten a page: the table continues twice, in sections named as continuations.
        await EverySectionIsOnePage(page, [.. Sections[..^2], "milestones", "milestones-2", "milestones-3", "method"]);
        Directory.Delete(Path.GetDirectoryName(page)!, recursive: true);
    }

    /// <summary>
    /// Prints the report whole, then each section alone (the title stays with the summary, whose page it shares), as
    /// PDFs on A4 paper: every section is one page, and together they take one page each.
    /// </summary>
    private static async Task EverySectionIsOnePage(string report, IReadOnlyList<string> expected)
    {
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.LoadAsync(report);
        var ids = (await browser.EvaluateAsync("[...document.querySelectorAll('body > section')].map(s => s.id)"))!.AsArray().Select(n => (string)n!).ToList();

        var whole = Pages(await browser.PrintA4Async());
        var pages = new Dictionary<string, int>();
        foreach (var id in ids)
        {
            await browser.EvaluateAsync(
                $"document.querySelectorAll('body > section, body > header').forEach(e => e.style.display = (e.id === '{id}' || (e.tagName === 'HEADER' && '{id}' === 'summary')) ? '' : 'none')");
            pages[id] = Pages(await browser.PrintA4Async());
        }

        Assert.Equal(expected, ids);
        var alone = string.Join(", ", pages.Select(p => $"{p.Key} {p.Value}"));
        Assert.True(pages.Values.All(p => p == 1), $"pages a section: {alone}");
        Assert.True(whole == ids.Count, $"{whole} pages in all for {ids.Count} sections; alone: {alone}");
    }

    [FactWhenInstalled("chromium")]
    public async Task Printed_NothingIsWiderThanAnA4Page_SoNoPageIsShrunkToFit()
    {
        // A4 less the report's 14 mm margins is 182 mm: 688 CSS pixels.
        await using var browser = await HeadlessChromium.StartAsync(width: 688, height: 1000);
        await browser.LoadAsync(_job.Report);
        await browser.EmulatePrintAsync();

        var widths = (await browser.EvaluateAsync(
            "({ page: document.documentElement.scrollWidth, wide: [...document.querySelectorAll('body *')]" +
            ".filter(e => e.getBoundingClientRect().right > 689).map(e => e.tagName + ' ' + (e.textContent ?? '').slice(0, 40)).slice(0, 5) })"))!;

        Assert.True((int)widths["page"]! <= 688, widths.ToJsonString());
        Assert.Empty(widths["wide"]!.AsArray());
    }

    [FactWhenInstalled("chromium")]
    public async Task OnAPhone_NothingScrollsSideways_AndTheFirstScreenIsSaved()
    {
        await using var browser = await HeadlessChromium.StartAsync(width: 390, height: 844);
        var load = await browser.LoadAsync(_job.Report);

        var widths = (await browser.EvaluateAsync(
            "({ page: document.documentElement.scrollWidth, body: document.body.scrollWidth, viewport: window.innerWidth, " +
            "wide: [...document.querySelectorAll('body *')].filter(e => !e.closest('.scroll') && e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + '.' + e.className).slice(0, 5) })"))!;
        var png = Path.Combine(_job.Directory, "report-phone-first-screen.png");
        await File.WriteAllBytesAsync(png, await browser.ScreenshotAsync());

        Assert.Empty(load.ConsoleErrors);
        Assert.Equal(390, (int)widths["viewport"]!);
        Assert.True((int)widths["page"]! <= 390 && (int)widths["body"]! <= 390, widths.ToJsonString());
        Assert.Empty(widths["wide"]!.AsArray());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(png))[..4]);
    }

    [FactWhenInstalled("chromium")]
    public async Task TheDisabilityAndAgeTables_HaveTheirCategoriesInWords_ThenTheTotal()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.LoadAsync(_job.Report);

        async Task<List<string>> Rows(string caption) => (await browser.EvaluateAsync(
            $"[...([...document.querySelectorAll('table')].find(t => t.caption?.textContent.startsWith('{caption}'))" +
            "?.querySelectorAll('tbody th') ?? [])].map(th => th.textContent)"))!.AsArray().Select(n => (string)n!).ToList();
        var disability = await Rows("Unique beneficiaries by disability and sex (Washington Group cut-off");
        var age = await Rows("Unique beneficiaries by age and sex (UN child age bands, age at first participation)");
        var charts = (await browser.EvaluateAsync("[...document.querySelectorAll('svg > title')].map(t => t.textContent)"))!.AsArray().Select(n => (string)n!).ToList();

        Assert.NotEmpty(disability);
        Assert.Equal("Total", disability[^1]);
        Assert.Subset(new HashSet<string> { "Disability", "No disability", "Not recorded", "Total" }, disability.ToHashSet());
        Assert.NotEmpty(age);
        Assert.Equal("Total", age[^1]);
        Assert.Subset(
            new HashSet<string> { "0–4 years", "5–9 years", "10–14 years", "15–17 years", "18 years and over", "Not comparable", "Not recorded", "Total" },
            age.ToHashSet());
        Assert.Contains(charts, t => t.StartsWith("Unique people reached by age and sex", StringComparison.Ordinal));
        Assert.Contains(charts, t => t.StartsWith("Unique people reached by disability and sex", StringComparison.Ordinal));
    }

    private static int Pages(byte[] pdf) => System.Text.RegularExpressions.Regex.Count(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page[^s]");

    [FactWhenInstalled("chromium")]
    public async Task A_Page_That_Fetches_Or_Fails_Is_Caught_SoTheChecksAboveCanFail()
    {
        var page = Path.Combine(Directory.CreateTempSubdirectory("sp-bad-page-").FullName, "bad.html");
        await File.WriteAllTextAsync(page, "<!DOCTYPE html><html><body><img src='http://example.invalid/x.png'><script>console.error('boom'); undefinedCall();</script></body></html>");
        await using var browser = await HeadlessChromium.StartAsync();

        var load = await browser.LoadAsync(page);
        Directory.Delete(Path.GetDirectoryName(page)!, recursive: true);

        Assert.Contains("http://example.invalid/x.png", load.NetworkRequests);
        Assert.True(load.ConsoleErrors.Count >= 2, string.Join("\n", load.ConsoleErrors));
    }
}
