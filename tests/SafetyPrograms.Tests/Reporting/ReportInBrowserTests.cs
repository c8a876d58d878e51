using SafetyPrograms.Tests.Cli;
using SafetyPrograms.Tests.Support;

namespace SafetyPrograms.Tests.Reporting;

/// <summary>The main job's report, opened in a real browser (Debian's Chromium, headless), as a funder would open it.</summary>
public sealed class ReportInBrowserTests : IClassFixture<ReportInBrowserTests.MainJob>
{
    private readonly MainJob _job;

    public ReportInBrowserTests(MainJob job) => _job = job;

    /// <summary>
    /// Runs the main job once for every test of this class, into the test output folder (<c>main-job-report/</c>), where
    /// the report and the screenshot of its first screen stay for a reviewer to open.
    /// </summary>
    public sealed class MainJob
    {
        public MainJob()
        {
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            System.IO.Directory.CreateDirectory(Directory);
            var (code, output, error) = CliRunner.Run(["demo", "--out", Directory]).GetAwaiter().GetResult();
            Assert.True(code == 0, output + error);
            Report = Path.Combine(Directory, "report.html");
        }

        public string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "main-job-report");

        public string Report { get; }
    }

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

        var sections = (int)(await browser.EvaluateAsync("document.querySelectorAll('body > section').length"))!;
        var pdf = System.Text.Encoding.Latin1.GetString(await browser.PrintA4Async());
        var pages = System.Text.RegularExpressions.Regex.Count(pdf, @"/Type\s*/Page[^s]");

        await browser.EmulatePrintAsync();
        var breaks = (await browser.EvaluateAsync("[...document.querySelectorAll('body > section')].map(s => getComputedStyle(s).breakBefore)"))!
            .AsArray().Select(n => (string)n!).ToList();

        Assert.Equal(5, sections);
        Assert.True(pages >= sections, $"{pages} A4 pages for {sections} sections");
        // The summary follows the title on the first page; every later section starts its own.
        Assert.Equal(["avoid", "page", "page", "page", "page"], breaks);
    }

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
