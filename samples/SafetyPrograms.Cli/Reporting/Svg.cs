using System.Globalization;
using System.Net;
using System.Text;

namespace SafetyPrograms.Cli.Reporting;

/// <summary>One series of a line chart.</summary>
internal sealed record LineSeries(string Name, string Colour, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

/// <summary>One bar of a bar chart.</summary>
internal sealed record Bar(string Label, double Value, string? Note = null);

/// <summary>
/// Inline SVG charts for the HTML report: no scripts, no fonts and nothing fetched, so the report opens anywhere,
/// offline, and can be archived with the data it describes.
/// </summary>
internal static class Svg
{
    private const int Width = 720, Height = 300, Left = 80, Right = 50, Top = 20, Bottom = 50;

    public static string LineChart(string title, IReadOnlyList<LineSeries> series, Func<double, string> xLabel, Func<double, string> yLabel)
    {
        var all = series.SelectMany(s => s.Points).ToList();
        if (all.Count == 0)
        {
            return $"<p><em>{Escape(title)}: no data.</em></p>";
        }
        double minX = all.Min(p => p.X), maxX = all.Max(p => p.X), maxY = Math.Max(all.Max(p => p.Y), 1);
        if (maxX <= minX)
        {
            maxX = minX + 1;
        }
        double X(double x) => Left + ((x - minX) / (maxX - minX) * (Width - Left - Right));
        double Y(double y) => Height - Bottom - (y / maxY * (Height - Top - Bottom));

        var svg = Open(title);
        for (var i = 0; i <= 4; i++)
        {
            var v = maxY * i / 4;
            svg.Append(Invariant($"<line x1='{Left}' y1='{Y(v):F1}' x2='{Width - Right}' y2='{Y(v):F1}' stroke='#ddd'/>"));
            svg.Append(Invariant($"<text x='{Left - 6}' y='{Y(v) + 4:F1}' text-anchor='end' font-size='11'>{Escape(yLabel(v))}</text>"));
        }
        for (var i = 0; i <= 4; i++)
        {
            var x = minX + ((maxX - minX) * i / 4);
            svg.Append(Invariant($"<text x='{X(x):F1}' y='{Height - Bottom + 16}' text-anchor='middle' font-size='11'>{Escape(xLabel(x))}</text>"));
        }
        var legendX = Left;
        foreach (var s in series)
        {
            var points = string.Join(' ', s.Points.Select(p => Invariant($"{X(p.X):F1},{Y(p.Y):F1}")));
            var dash = s.Dashed ? " stroke-dasharray='6 4'" : "";
            svg.Append(Invariant($"<polyline fill='none' stroke='{s.Colour}' stroke-width='2'{dash} points='{points}'/>"));
            svg.Append(Invariant($"<rect x='{legendX}' y='{Height - 18}' width='12' height='12' fill='{s.Colour}'/>"));
            svg.Append(Invariant($"<text x='{legendX + 16}' y='{Height - 8}' font-size='12'>{Escape(s.Name)}</text>"));
            legendX += 24 + (s.Name.Length * 7);
        }
        return Close(svg);
    }

    public static string BarChart(string title, IReadOnlyList<Bar> bars, Func<double, string> valueLabel)
    {
        if (bars.Count == 0)
        {
            return $"<p><em>{Escape(title)}: no data.</em></p>";
        }
        var rowHeight = 24;
        var height = Top + (bars.Count * rowHeight) + 10;
        var max = Math.Max(bars.Max(b => b.Value), 1);
        var labelWidth = 190;
        var svg = Open(title, height);
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var y = Top + (i * rowHeight);
            var w = b.Value / max * (Width - labelWidth - 140);
            svg.Append(Invariant($"<text x='{labelWidth - 8}' y='{y + 15}' text-anchor='end' font-size='12'>{Escape(b.Label)}</text>"));
            svg.Append(Invariant($"<rect x='{labelWidth}' y='{y + 3}' width='{w:F1}' height='16' fill='#2b6cb0'/>"));
            var text = b.Note ?? valueLabel(b.Value);
            svg.Append(Invariant($"<text x='{labelWidth + w + 6:F1}' y='{y + 15}' font-size='12'>{Escape(text)}</text>"));
        }
        return Close(svg);
    }

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static StringBuilder Open(string title, int height = Height) =>
        new StringBuilder()
            .Append(Invariant($"<figure><figcaption>{Escape(title)}</figcaption>"))
            .Append(Invariant($"<svg xmlns='http://www.w3.org/2000/svg' role='img' width='{Width}' height='{height}' viewBox='0 0 {Width} {height}' font-family='sans-serif'>"))
            .Append(Invariant($"<title>{Escape(title)}</title>"));

    private static string Close(StringBuilder svg) => svg.Append("</svg></figure>").ToString();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
