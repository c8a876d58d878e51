using System.Globalization;
using System.Text;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Cli.Reporting;

/// <summary>
/// A self-contained HTML report: tables and inline SVG charts, no scripts, no fonts, nothing fetched. It opens offline
/// and can be archived with the data it describes.
/// </summary>
internal static class HtmlReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Renders the report.</summary>
    /// <param name="analysis">The figures.</param>
    /// <param name="title">The title.</param>
    /// <param name="notes">Notes under the title.</param>
    /// <param name="published">
    /// With a publication policy, the published tables: then every figure drawn from the participation log (tables,
    /// bars, labels, titles) comes from them, and nothing is counted a second time; <c>null</c> for an internal report.
    /// </param>
    public static string Render(ProgrammeAnalysis analysis, string title, IEnumerable<string> notes, PublishedReach? published)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>")
            .Append("<meta name='viewport' content='width=device-width, initial-scale=1'>")
            .Append("<title>").Append(Svg.Escape(title)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1a202c}")
            .Append("table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border:1px solid #cbd5e0;padding:4px 8px}")
            .Append("td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#edf2f7}tr.total td{font-weight:bold}")
            .Append("figure{margin:1em 0}figcaption{font-weight:bold;margin-bottom:.3em}.note{color:#4a5568;font-size:13px}")
            .Append(".Achieved,.Ahead,.AchievedOnTime{color:#276749}.OnTrack{color:#2b6cb0}.Behind,.AchievedLate{color:#b7791f}.AtRisk,.Missed,.Overdue,.Refused{color:#c53030}")
            .Append("</style></head><body>");
        html.Append("<h1>").Append(Svg.Escape(title)).Append("</h1>");
        html.Append("<p class='note'>As of ").Append(Date(analysis.AsOf)).Append(". ")
            .Append(Svg.Escape(analysis.Dataset.Description ?? "")).Append("</p>");
        foreach (var note in notes)
        {
            html.Append("<p class='note'>").Append(Svg.Escape(note)).Append("</p>");
        }

        ProgressSection(html, analysis, published);
        RecountSection(html, analysis, published);
        ReachSection(html, analysis, published);
        MilestoneSection(html, analysis);

        html.Append("<h2>How these figures are counted</h2><ul class='note'>")
            .Append("<li>Unique beneficiaries are recounted at every level and for every period: a child at three workshops is one beneficiary and three participations; a child in two schools of one district is one child in the district. Unique counts are never added across schools, months or phases.</li>")
            .Append("<li>Cumulative indicators take the latest figure to date, never the sum of periods; incremental indicators are summed; yearly-cumulative indicators take the latest figure of each (calendar or fiscal) year, and restart at its start.</li>")
            .Append("<li>A life-of-programme target is its own figure, never the sum of the period targets. A percentage built from a numerator and a denominator is computed from their sums, never as a mean of percentages.</li>")
            .Append("<li>Approximate unique counts use HyperLogLog (p = 14), relative standard error about 0.8%.</li>")
            .Append("<li>The plan line is linear pacing over each target's period; status thresholds: ahead from 110% of plan, on track from 95%, behind from 80%, at risk below.</li>")
            .Append("</ul></body></html>");
        return html.ToString();
    }

    /// <summary>
    /// Reported against recounted. Only in a report for use inside the programme: the recount of a small group (30
    /// teachers) is a count from the log that no publication policy has protected, so a published report names none.
    /// </summary>
    private static void RecountSection(StringBuilder html, ProgrammeAnalysis analysis, PublishedReach? published)
    {
        if (analysis.Recount.Count == 0)
        {
            return;
        }
        var tolerance = (analysis.RecountOptions.Tolerance * 100m).ToString("0.##", Invariant);
        html.Append("<h2>Reported against recounted</h2>");
        if (published is not null)
        {
            html.Append("<p class='note'>Partners' reported figures are checked against the participation records in the report for use inside the programme; ")
                .Append("the recounts are not published here.</p>");
            return;
        }
        html.Append("<p class='note'>Each reported figure the participation log can recount, against its recount over the same scope and period; ")
            .Append("a difference beyond ").Append(tolerance).Append("% of the recount is flagged (SP6008).</p>")
            .Append("<table><tr><th>Indicator</th><th>Scope</th><th>Period recounted</th><th>Category</th><th>Reported</th><th>Recounted</th><th>Difference</th><th>Agreement</th></tr>");
        foreach (var c in analysis.Recount)
        {
            html.Append("<tr><td>").Append(Svg.Escape(c.Reported.Indicator.Value)).Append("</td><td>")
                .Append(Svg.Escape(analysis.ScopeName(c.Scope))).Append("</td><td>")
                .Append(Date(c.Window.Start)).Append(" to ").Append(Date(c.Window.End)).Append("</td><td>")
                .Append(Svg.Escape(c.Category ?? "total")).Append("</td>")
                .Append(Cell(Number(c.ReportedValue))).Append(Cell(Number(c.Recounted)))
                .Append(Cell(c.RelativeDifference is { } r ? r.ToString("+0.0%;-0.0%;0.0%", Invariant) : "-"))
                .Append("<td class='").Append(c.IsWithinTolerance ? "OnTrack" : "AtRisk").Append("'>")
                .Append(c.Agreement switch
                {
                    Progress.RecountAgreement.ReportedAbove => "reported above the recount",
                    Progress.RecountAgreement.ReportedBelow => "reported below the recount",
                    _ => "agrees",
                })
                .Append("</td></tr>");
        }
        html.Append("</table>");
    }

    private static void ProgressSection(StringBuilder html, ProgrammeAnalysis analysis, PublishedReach? published)
    {
        html.Append("<h2>Progress to targets</h2><table><tr><th>Scope</th><th>Indicator</th><th>Basis</th><th>Target</th><th>Actual</th>")
            .Append("<th>Achieved</th><th>Plan to date</th><th>Status</th><th>Projected at end</th><th>Source</th></tr>");
        foreach (var outcome in analysis.Progress.Targets)
        {
            if (outcome.Progress is not { } p)
            {
                var named = analysis.Dataset.Indicators.FirstOrDefault(i => i.Id == outcome.Target.Indicator);
                html.Append("<tr><td>").Append(Svg.Escape(analysis.ScopeName(outcome.Scope))).Append("</td><td>")
                    .Append(Svg.Escape(named is null ? outcome.Target.Indicator.Value : $"{named.Id}: {named.Name}"))
                    .Append("</td><td colspan='8' class='Refused'>refused: ").Append(Svg.Escape(outcome.Refusal!.Message)).Append("</td></tr>");
                continue;
            }
            var indicator = analysis.Indicator(p.Indicator);
            html.Append("<tr><td>").Append(Svg.Escape(analysis.ScopeName(p.Scope))).Append("</td><td>")
                .Append(Svg.Escape($"{indicator.Id}: {indicator.Name}")).Append("</td><td>").Append(p.Basis).Append("</td>")
                .Append(Cell(Number(p.TargetValue)));
            if (published is not null && published.TargetReach.TryGetValue(p, out var reach))
            {
                // Recounted from the log: only the published figure, and what follows from it and the target alone.
                var figure = reach[reach.Dimensions[0].Total];
                html.Append(figure.Value is { } actual
                        ? Cell(Number(actual)) + Cell(Percent(p.TargetValue == 0 ? null : Math.Round(actual * 100m / p.TargetValue, 1)))
                        : Suppressed() + Suppressed())
                    .Append(Cell(Percent(p.PlannedPercent)))
                    .Append(figure.Value is not null && reach.Policy.RoundingBase is null
                        ? "<td class='" + p.Status + "'>" + p.Status + "</td>"
                        : Suppressed())
                    .Append("<td class='n'>–</td><td>published from participation records</td></tr>");
                continue;
            }
            html.Append(Cell(Number(p.ActualToDate))).Append(Cell(Percent(p.PercentAchieved)))
                .Append(Cell(Percent(p.PlannedPercent)))
                .Append("<td class='").Append(p.Status).Append("'>").Append(p.Status).Append("</td>")
                .Append(Cell(p.ProjectedAtEnd is { } projected ? Number(projected) : "–"))
                .Append("<td>").Append(analysis.Recounted.Contains(p.Indicator) ? "recounted from participation records" : "reported figures").Append("</td></tr>");
        }
        html.Append("</table>");
        if (published is not null && published.TargetReach.Count > 0)
        {
            html.Append("<p class='note'>Figures recounted from participation records are published under the policy, with the other tables of this report. ")
                .Append("Their monthly series and projections are not shown: successive months could be subtracted to reveal small groups.</p>");
        }

        foreach (var p in analysis.Progress.Calculated.Where(p => p.Monthly.Any(m => m.Actual is not null) && published?.TargetReach.ContainsKey(p) != true))
        {
            var indicator = analysis.Indicator(p.Indicator);
            var origin = p.Period.Start;
            double X(LocalDate date) => Period.Between(origin, date, PeriodUnits.Days).Days;
            var actual = p.Monthly.Where(m => m.Actual is not null).Select(m => (X(m.Date), (double)m.Actual!.Value)).ToList();
            var planned = p.Monthly.Select(m => (X(m.Date), (double)m.Planned)).Prepend((0d, (double)p.StartingValue)).ToList();
            var target = new List<(double, double)> { (0, (double)p.TargetValue), (X(p.Period.End), (double)p.TargetValue) };
            html.Append(Svg.LineChart(
                $"{analysis.ScopeName(p.Scope)}: {indicator.Name}: actual against the plan",
                [
                    new LineSeries(indicator.Accumulation == Domain.Accumulation.Cumulative ? "actual (cumulative)" : "actual", "#2b6cb0", actual),
                    new LineSeries("plan (linear pace)", "#718096", planned, Dashed: true),
                    new LineSeries("target", "#c53030", target, Dashed: true),
                ],
                x => Date(origin.PlusDays((int)x)),
                y => Number((decimal)y)));
        }
    }

    private static void ReachSection(StringBuilder html, ProgrammeAnalysis analysis, PublishedReach? published)
    {
        html.Append("<h2>Reach</h2>");
        if (published is not null)
        {
            // Every figure here is read from the published tables; none is counted again from the records.
            var byProvince = published.ByProvinceAndSex;
            html.Append(Svg.BarChart(
                "Unique beneficiaries by province (published figures)",
                MarginBars(byProvince, 0),
                v => Number((decimal)v)));
            html.Append(Svg.BarChart("Unique beneficiaries by role (published figures)", MarginBars(published.ByRole, 0), v => Number((decimal)v)));
            foreach (var (caption, table) in published.Tables)
            {
                html.Append("<h3>").Append(Svg.Escape(caption)).Append("</h3>");
                using var fragment = new StringWriter(CultureInfo.InvariantCulture);
                PublishedTableWriter.WriteHtml(table, fragment);
                html.Append(fragment);
            }
            html.Append("<p class='note'>Only the tables above are published: other breakdowns of the participation log are kept inside the programme.</p>");
            return;
        }
        html.Append("<p class='note'>No publication policy was applied: small cells are shown. Use --publish before sharing this report outside the programme.</p>");
        var reachByProvince = analysis.ReachByProvince();
        html.Append(Svg.BarChart(
            "Unique beneficiaries by province (each child counted once per province)",
            reachByProvince.Rows.Where(r => !r.IsGrandTotal).Select(r => new Bar(ResultWriter.Key(r, 0), r[Measure.UniqueBeneficiaries] ?? 0)).ToList(),
            v => Number((decimal)v)));
        var byRole = analysis.ReachByRole();
        html.Append(Svg.BarChart(
            "Unique beneficiaries by role",
            byRole.Rows.Where(r => !r.IsGrandTotal).Select(r => new Bar(ResultWriter.Key(r, 0), r[Measure.UniqueBeneficiaries] ?? 0)).ToList(),
            v => Number((decimal)v)));
        Table(html, "Reach by partnership and phase (subtotals recounted)", analysis.ReachByPartnershipAndPhase(), analysis);
        Table(html, "Reach by role", byRole, analysis);
        Table(html, "Reach by province", reachByProvince, analysis);
        Table(html, "Reach by Pakistan fiscal year (1 July – 30 June)", analysis.ReachByFiscalYear(), analysis);
    }

    /// <summary>
    /// One bar per leaf category of a published table's dimension, at the total of every other dimension: the
    /// published value, or an empty bar marked as suppressed.
    /// </summary>
    private static List<Bar> MarginBars(PublishedTable table, int dimension)
    {
        var along = table.Dimensions[dimension];
        return [.. along.Categories.Where(along.IsLeaf).Select(code =>
        {
            var coordinates = table.Dimensions.Select(d => d.Total).ToArray();
            coordinates[dimension] = code;
            return table[coordinates].Value is { } v ? new Bar(code, v) : new Bar(code, 0, PublishedTableWriter.SuppressedMark);
        })];
    }

    private static void Table(StringBuilder html, string caption, AggregationResult result, ProgrammeAnalysis analysis)
    {
        html.Append("<table><caption>").Append(Svg.Escape(caption)).Append("</caption><tr>");
        foreach (var g in result.GroupBy)
        {
            html.Append("<th>").Append(Svg.Escape(g.Name)).Append("</th>");
        }
        foreach (var m in result.Measures)
        {
            html.Append("<th>").Append(Svg.Escape(m.Name())).Append("</th>");
        }
        html.Append("</tr>");
        foreach (var row in result.Rows)
        {
            html.Append(row.IsGrandTotal ? "<tr class='total'>" : "<tr>");
            for (var i = 0; i < result.GroupBy.Count; i++)
            {
                var key = ResultWriter.Key(row, i);
                if (result.GroupBy[i] == GroupingTerm.Of(Dimension.Partnership) && row.Key(i) is { } id)
                {
                    key = analysis.PartnershipName(new(id));
                }
                html.Append("<td>").Append(Svg.Escape(key)).Append("</td>");
            }
            foreach (var m in result.Measures)
            {
                html.Append(Cell(ResultWriter.Value(row, m)));
            }
            html.Append("</tr>");
        }
        html.Append("</table>");
    }

    private static void MilestoneSection(StringBuilder html, ProgrammeAnalysis analysis)
    {
        html.Append("<h2>Milestones</h2><table><tr><th>Programme</th><th>Milestone</th><th>Due</th><th>Standing</th><th>Evidence</th></tr>");
        foreach (var m in analysis.Milestones)
        {
            var milestone = analysis.Milestone(m.Milestone);
            html.Append("<tr><td>").Append(Svg.Escape(analysis.ScopeName(m.Scope))).Append("</td><td>").Append(Svg.Escape(milestone.Title))
                .Append("</td><td>").Append(Date(milestone.DueDate)).Append("</td><td class='").Append(m.Standing).Append("'>").Append(m.Standing)
                .Append("</td><td>").Append(Svg.Escape(milestone.Evidence ?? "")).Append(milestone.EvidenceDate is { } e ? " (" + Date(e) + ")" : "")
                .Append("</td></tr>");
        }
        html.Append("</table>");
    }

    private static string Cell(string text) => "<td class='n'>" + Svg.Escape(text) + "</td>";

    private static string Suppressed() => "<td class='n suppressed'>" + PublishedTableWriter.SuppressedMark + "</td>";

    private static string Number(decimal value) => value.ToString("N0", Invariant);

    private static string Percent(decimal? value) => value is { } v ? v.ToString("0.0", Invariant) + "%" : "–";

    private static string Date(LocalDate date) => date.ToString("uuuu-MM-dd", Invariant);
}
