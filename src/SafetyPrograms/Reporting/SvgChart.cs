using System.Globalization;
using System.Net;
using System.Text;

namespace SafetyPrograms.Reporting;

/// <summary>One series of a bar chart: a value per category, <c>null</c> where the figure is suppressed.</summary>
/// <param name="Name">What the series is, as the legend says it.</param>
/// <param name="Values">One value per category, in the chart's order.</param>
internal sealed record BarSeries(string Name, IReadOnlyList<double?> Values);

/// <summary>One series of a line chart.</summary>
/// <param name="Name">What the line is, as the legend says it.</param>
/// <param name="Points">The points, in order of x.</param>
/// <param name="Dashed">Drawn dashed (a plan or a target), so that lines differ without colour.</param>
internal sealed record LineSeries(string Name, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

/// <summary>
/// Inline SVG charts: no script, font or image fetched. Each has a <c>&lt;title&gt;</c> and a <c>&lt;desc&gt;</c> for
/// screen readers, axes that state their unit, and colours from the Okabe–Ito palette (distinct to readers with colour
/// blindness) that also differ in lightness, with hatching from the third series on, so that a greyscale print keeps
/// them apart. Every bar is labelled with its figure, so nothing depends on reading colour alone.
/// </summary>
internal sealed class SvgChart
{
    private const int Width = 720;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // Dark blue, light orange, bluish green (hatched), reddish purple (dotted): apart in hue and in grey.
    private static readonly string[] Colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];

    private int _charts;

    /// <summary>Escapes text for HTML and SVG.</summary>
    internal static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>
    /// Horizontal bars, one group per category and one bar per series in each group; a suppressed figure is written
    /// as <paramref name="suppressedMark"/> where its bar would be.
    /// </summary>
    internal string Bars(
        string title, string description, string unit, IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series,
        Func<double, string> format, string suppressedMark)
    {
        var id = ++_charts;
        const int labelWidth = 170, right = 110, top = 10;
        // Three or more bars a category are drawn thinner, so that a province-by-sex chart leaves room on its printed page for its table.
        var (barHeight, gap) = series.Count > 2 ? (13, 9) : (16, 12);
        var legendHeight = series.Count > 1 ? 26 : 0;
        var block = (series.Count * barHeight) + gap;
        var plotBottom = top + (categories.Count * block);
        var height = plotBottom + 34 + legendHeight;
        var max = Math.Max(1, series.SelectMany(s => s.Values).Max(v => v ?? 0));
        var scale = (Width - labelWidth - right) / max;
        var svg = Open(id, title, description, height, series.Count);
        foreach (var tick in Ticks(max, wholeNumbers: true))
        {
            var x = labelWidth + (tick * scale);
            svg.Append(F($"<line x1='{x:F1}' y1='{top}' x2='{x:F1}' y2='{plotBottom}' stroke='#d9d9d9'/>"))
                .Append(F($"<text class='tick' x='{x:F1}' y='{plotBottom + 14}' text-anchor='middle' font-size='11'>{Escape(format(tick))}</text>"));
        }
        svg.Append(F($"<text x='{labelWidth + ((Width - labelWidth - right) / 2)}' y='{plotBottom + 28}' text-anchor='middle' font-size='12'>{Escape(unit)}</text>"));
        for (var c = 0; c < categories.Count; c++)
        {
            var y0 = top + (c * block);
            svg.Append(F($"<text x='{labelWidth - 8}' y='{y0 + (series.Count * barHeight / 2.0) + 4:F1}' text-anchor='end' font-size='12'>{Escape(categories[c])}</text>"));
            for (var s = 0; s < series.Count; s++)
            {
                var y = y0 + (s * barHeight);
                if (series[s].Values[c] is not { } value)
                {
                    svg.Append(F($"<text x='{labelWidth + 4}' y='{y + barHeight - 3}' font-size='11' font-style='italic'>{Escape(suppressedMark)}</text>"));
                    continue;
                }
                var w = value * scale;
                svg.Append(F($"<rect x='{labelWidth}' y='{y + 1}' width='{w:F1}' height='{barHeight - 2}' fill='{Fill(id, s)}' stroke='{Colours[s % Colours.Length]}'><title>{Escape($"{categories[c]}, {series[s].Name}: {format(value)}")}</title></rect>"))
                    .Append(F($"<text x='{labelWidth + w + 4:F1}' y='{y + barHeight - 3}' font-size='11'>{Escape(format(value))}</text>"));
            }
        }
        if (series.Count > 1)
        {
            Legend(svg, id, series.Select(s => (s.Name, false)).ToList(), labelWidth, height - 12);
        }
        return Close(svg);
    }

    /// <summary>Lines over x (days) with a y axis in <paramref name="unit"/>.</summary>
    internal string Lines(
        string title, string description, string unit, IReadOnlyList<LineSeries> series, Func<double, string> xLabel, Func<double, string> yLabel)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        if (points.Count == 0)
        {
            return $"<p class='note'>{Escape(title)}: no figures yet.</p>";
        }
        var id = ++_charts;
        const int height = 310, left = 84, right = 40, top = 16, bottom = 64;
        double minX = points.Min(p => p.X), maxX = Math.Max(points.Max(p => p.X), minX + 1), maxY = Math.Max(points.Max(p => p.Y), 1);
        double X(double x) => left + ((x - minX) / (maxX - minX) * (Width - left - right));
        double Y(double y) => height - bottom - (y / maxY * (height - top - bottom));
        var svg = Open(id, title, description, height, 0);
        foreach (var tick in Ticks(maxY))
        {
            svg.Append(F($"<line x1='{left}' y1='{Y(tick):F1}' x2='{Width - right}' y2='{Y(tick):F1}' stroke='#d9d9d9'/>"))
                .Append(F($"<text class='tick' x='{left - 6}' y='{Y(tick) + 4:F1}' text-anchor='end' font-size='11'>{Escape(yLabel(tick))}</text>"));
        }
        svg.Append(F($"<text transform='translate(14 {(top + height - bottom) / 2}) rotate(-90)' text-anchor='middle' font-size='12'>{Escape(unit)}</text>"));
        for (var i = 0; i <= 4; i++)
        {
            var x = minX + ((maxX - minX) * i / 4);
            var anchor = i == 0 ? "start" : i == 4 ? "end" : "middle";
            svg.Append(F($"<text class='tick' x='{X(x):F1}' y='{height - bottom + 18}' text-anchor='{anchor}' font-size='11'>{Escape(xLabel(x))}</text>"));
        }
        for (var s = 0; s < series.Count; s++)
        {
            var line = string.Join(' ', series[s].Points.Select(p => F($"{X(p.X):F1},{Y(p.Y):F1}")));
            var dash = series[s].Dashed ? " stroke-dasharray='6 4'" : "";
            svg.Append(F($"<polyline fill='none' stroke='{Colours[s % Colours.Length]}' stroke-width='2.5'{dash} points='{line}'/>"));
        }
        Legend(svg, id, series.Select(s => (s.Name, s.Dashed)).ToList(), left, height - 22);
        return Close(svg);
    }

    private static void Legend(StringBuilder svg, int id, IReadOnlyList<(string Name, bool Dashed)> entries, int x, int y)
    {
        for (var s = 0; s < entries.Count; s++)
        {
            var (name, dashed) = entries[s];
            svg.Append(dashed
                ? F($"<line x1='{x}' y1='{y - 4}' x2='{x + 14}' y2='{y - 4}' stroke='{Colours[s % Colours.Length]}' stroke-width='2.5' stroke-dasharray='4 3'/>")
                : F($"<rect x='{x}' y='{y - 10}' width='14' height='12' fill='{Fill(id, s)}' stroke='{Colours[s % Colours.Length]}'/>"));
            svg.Append(F($"<text x='{x + 19}' y='{y}' font-size='12'>{Escape(name)}</text>"));
            x += 34 + (int)(name.Length * 6.5);
        }
    }

    /// <summary>Round tick values from 0 to about <paramref name="max"/>.</summary>
    private static IEnumerable<double> Ticks(double max, bool wholeNumbers = false)
    {
        var raw = max / 4;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw && (!wholeNumbers || s == Math.Floor(s)));
        for (var v = 0d; v <= max + (step / 1000); v += step)
        {
            yield return v;
        }
    }

    private static string Fill(int chart, int series) => series < 2 ? Colours[series] : $"url(#c{chart}p{series})";

    private static StringBuilder Open(int id, string title, string description, int height, int series)
    {
        var svg = new StringBuilder()
            .Append(F($"<figure><figcaption>{Escape(title)}</figcaption>"))
            .Append(F($"<svg xmlns='http://www.w3.org/2000/svg' role='img' aria-labelledby='c{id}t c{id}d' viewBox='0 0 {Width} {height}' width='{Width}' height='{height}' font-family='sans-serif'>"))
            .Append(F($"<title id='c{id}t'>{Escape(title)}</title><desc id='c{id}d'>{Escape(description)}</desc>"));
        if (series > 2)
        {
            // Hatching from the third series on, so that bars stay apart when printed in grey.
            svg.Append("<defs>");
            for (var s = 2; s < series; s++)
            {
                var colour = Colours[s % Colours.Length];
                var mark = s % 2 == 0
                    ? F($"<path d='M0,6 L6,0' stroke='{colour}' stroke-width='2'/>")
                    : F($"<circle cx='3' cy='3' r='1.6' fill='{colour}'/>");
                svg.Append(F($"<pattern id='c{id}p{s}' width='6' height='6' patternUnits='userSpaceOnUse'><rect width='6' height='6' fill='#fff'/>{mark}</pattern>"));
            }
            svg.Append("</defs>");
        }
        return svg;
    }

    private static string Close(StringBuilder svg) => svg.Append("</svg></figure>").ToString();

    private static string F(FormattableString text) => text.ToString(Invariant);
}
