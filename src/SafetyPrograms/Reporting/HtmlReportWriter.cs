using System.Globalization;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Progress;

namespace SafetyPrograms.Reporting;

/// <summary>
/// Writes a <see cref="ProgrammeReport"/> as HTML: a summary on the first screen, then progress, reach (one section a
/// breakdown), milestones and method, each a section that prints to one A4 page; a table too long for its page continues
/// in a named section of its own. Figures from participation records are read from the report's
/// published tables only, never counted again.
/// </summary>
internal sealed class HtmlReportWriter(ProgrammeReport report, TextWriter html)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private const string Mark = PublishedTableWriter.SuppressedMark;

    // What one printed A4 page holds in the print style below; a longer table continues in a section of its own.
    private const int TableRowsPerPage = 36;
    private const int TableRowsBesideAChart = 16;
    private const int ProgressRowsPerPage = 10;
    private const int ChartsPerPage = 2;
    private const int MilestonesPerPage = 10;
    private const int OverdueInACard = 3;

    private readonly ReportLabels _labels = new(report.Dataset);
    private readonly SvgChart _charts = new();

    private bool Published => report.Options.Policy is not null;

    internal void Write()
    {
        var title = SvgChart.Escape(report.Options.Title);
        html.Write("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>");
        html.Write("<meta name='viewport' content='width=device-width, initial-scale=1'>");
        html.Write($"<title>{title}</title><style>{Style}</style></head><body>");
        html.Write($"<header><h1>{title}</h1><p class='note'>As of {Date(report.AsOf)}.");
        if (report.Dataset.Description is { Length: > 0 } description)
        {
            html.Write(' ');
            html.Write(SvgChart.Escape(description));
        }
        html.Write("</p>");
        foreach (var note in report.Options.Notes.Distinct(StringComparer.Ordinal).Where(n => report.Dataset.Description?.Contains(n, StringComparison.Ordinal) != true))
        {
            html.Write($"<p class='note'>{SvgChart.Escape(note)}</p>");
        }
        html.Write(Published
            ? $"<p class='note'>Publication policy applied ({SvgChart.Escape(report.Options.Policy!.ToString())}): a figure shown as <em>{Mark}</em> is withheld to protect the children it counts.</p>"
            : "<p class='note warning'>For use inside the programme: no publication policy was applied, so small groups are shown. Publish with a policy before sharing this report outside the programme.</p>");
        html.Write("</header>");
        Summary();
        ProgressSections();
        ReachSections();
        MilestoneSections();
        MethodSection();
        html.Write("</body></html>");
    }

    private void Summary()
    {
        html.Write("<section id='summary'><h2>Summary</h2><div class='cards'>");
        foreach (var partnership in report.Dataset.Partnerships)
        {
            html.Write($"<article class='card'><h3>{SvgChart.Escape(partnership.Name)}</h3>");
            var headline = report.Progress.Calculated
                .Where(p => p.Scope.Partnership == partnership.Id && p.Basis == CountingBasis.UniquePeople && Indicator(p.Indicator).Unit == IndicatorUnit.Count)
                .OrderBy(p => p.Scope.Phase is null ? 0 : 1).ThenByDescending(p => p.Period.End)
                .FirstOrDefault();
            if (headline is null)
            {
                html.Write("<p class='note'>No target for the number of people reached.</p>");
            }
            else
            {
                var (actual, achieved) = Actual(headline);
                html.Write($"<p class='headline'>{(actual is { } a ? Number(a) : Mark)} <span>of {Number(headline.TargetValue)} people reached</span></p>");
                var phase = headline.Scope.Phase is { } id && partnership.Phases.FirstOrDefault(p => p.Id == id) is { } ph ? $"Phase {ph.Sequence}, " : "";
                html.Write($"<p>{phase}{Date(headline.Period.Start)} to {Date(headline.Period.End)}: ");
                html.Write(achieved is { } p ? $"{Percent(p)} of the target, " : "");
                html.Write($"<strong class='status {headline.Status}'>{ReportLabels.Status(headline.Status)}</strong>");
                if (!report.TargetReach.ContainsKey(headline) && headline.ProjectedAtEnd is { } projected && headline.Period.End > report.AsOf)
                {
                    html.Write($"; projected {Number(projected)} by {Date(headline.Period.End)}");
                }
                html.Write(".</p>");
            }
            var milestones = report.Milestones.Where(m => m.Scope.Partnership == partnership.Id).ToList();
            var overdue = milestones.Where(m => m.Standing == MilestoneStanding.Overdue).ToList();
            var upcoming = milestones.Where(m => m.Standing == MilestoneStanding.Upcoming).ToList();
            html.Write(milestones.Count == 0
                ? "<p>No milestones.</p>"
                : $"<p>Milestones: {Count(milestones.Count, "milestone")}, {upcoming.Count} upcoming, <strong class='{(overdue.Count > 0 ? "Overdue" : "")}'>{overdue.Count} overdue</strong>.</p>");
            if (overdue.Count > 0)
            {
                // The first overdue, earliest due first: the summary stays one page however many there are.
                html.Write("<ul>");
                foreach (var milestone in overdue.Select(m => Milestone(m.Milestone)).OrderBy(m => m.DueDate).Take(OverdueInACard))
                {
                    html.Write($"<li>{SvgChart.Escape(milestone.Title)} (due {Date(milestone.DueDate)})</li>");
                }
                if (overdue.Count > OverdueInACard)
                {
                    html.Write($"<li>and {overdue.Count - OverdueInACard} more, listed under milestones</li>");
                }
                html.Write("</ul>");
            }
            html.Write("</article>");
        }
        html.Write("</div>");
        RecountChecks();
        var refused = report.Progress.Refused.Count;
        if (refused > 0)
        {
            html.Write($"<p class='Refused'>{refused} target(s) could not be calculated; the progress section says why.</p>");
        }
        html.Write("</section>");
    }

    /// <summary>
    /// Reported totals against their recount from the records. Under a publication policy the recount itself is not a
    /// published figure, so only the partner's figure and whether the two agree are shown.
    /// </summary>
    private void RecountChecks()
    {
        var totals = report.RecountChecks.Where(c => c.Dimension is null).ToList();
        if (totals.Count == 0)
        {
            return;
        }
        var tolerance = Percent(report.Options.Recount.Tolerance * 100m);
        html.Write($"<div class='scroll'><table><caption>Reported figures against their recount from participation records (tolerance {tolerance})</caption>");
        html.Write("<thead><tr><th scope='col'>Programme</th><th scope='col'>Indicator</th><th scope='col'>Period</th><th scope='col'>Reported</th>");
        html.Write(Published ? "" : "<th scope='col'>Recounted</th><th scope='col'>Difference</th>");
        html.Write("<th scope='col'>Check</th></tr></thead><tbody>");
        foreach (var c in totals)
        {
            var indicator = Indicator(c.Reported.Indicator);
            html.Write($"<tr><td>{SvgChart.Escape(ScopeName(c.Scope))}</td><td>{SvgChart.Escape(indicator.Name)}</td>");
            html.Write($"<td>{Date(c.Window.Start)} to {Date(c.Window.End)}</td>{Cell(Figure(c.ReportedValue, indicator))}");
            if (!Published)
            {
                html.Write(Cell(Number(c.Recounted)) + Cell(c.RelativeDifference is { } d ? (d >= 0 ? "+" : "") + Percent(d * 100m) : "–"));
            }
            var verdict = c.Agreement switch
            {
                RecountAgreement.WithinTolerance => "agrees",
                RecountAgreement.ReportedAbove => "reported above the records",
                _ => "reported below the records",
            };
            html.Write($"<td class='status {(c.IsWithinTolerance ? "Achieved" : "Behind")}'>{verdict}</td></tr>");
        }
        html.Write("</tbody></table></div>");
        var cells = report.RecountChecks.Count(c => c.Dimension is not null && !c.IsWithinTolerance);
        if (cells > 0)
        {
            html.Write($"<p class='note'>{Count(cells, "breakdown cell")} of these figures (by role, sex, age or province) also differ from the records beyond the tolerance.</p>");
        }
    }

    private void ProgressSections()
    {
        var rows = report.Progress.Targets;
        Continued("progress", "Progress to targets", rows, ProgressRowsPerPage, (part, continued) =>
        {
            html.Write($"<div class='scroll'><table><caption>Progress to every target, as of {Date(report.AsOf)}{continued}</caption>");
            html.Write("<thead><tr><th scope='col'>Indicator</th><th scope='col'>Counts</th><th scope='col'>Baseline</th>"
                + "<th scope='col'>Target</th><th scope='col'>Actual</th><th scope='col'>Achieved</th><th scope='col'>Plan to date</th>"
                + "<th scope='col'>Status</th><th scope='col'>Projected at end</th><th scope='col'>Source</th></tr></thead><tbody>");
            // The programme heads its targets' rows, so that the indicator, not the programme's long name, has the width.
            foreach (var scope in part.GroupBy(o => o.Scope))
            {
                html.Write($"<tr class='programme'><th scope='colgroup' colspan='10'>{SvgChart.Escape(ScopeName(scope.Key))}</th></tr>");
                foreach (var outcome in scope)
                {
                    ProgressRow(outcome);
                }
            }
            html.Write("</tbody></table></div>");
        });
        html.Write("<p class='note'>Achieved is the way travelled from the baseline to the target: (actual − baseline) ÷ (target − baseline). "
            + "With a baseline of 22% and a target of 60%, an actual of 54% has achieved 84.2%. The plan to date is where linear pacing from the "
            + "start of the period puts the figure today.</p>");
        if (report.TargetReach.Count > 0)
        {
            html.Write("<p class='note'>Reach recounted from participation records is shown as its published total only: a monthly series could "
                + "be subtracted month from month to reveal small groups, so it has no chart and no projection.</p>");
        }
        html.Write("</section>");
        var charted = report.Progress.Calculated.Where(p => p.Monthly.Any(m => m.Actual is not null) && !report.TargetReach.ContainsKey(p)).ToList();
        if (charted.Count > 0)
        {
            Continued("progress-over-time", "Progress over time", charted, ChartsPerPage, (part, _) =>
            {
                foreach (var p in part)
                {
                    LineChart(p);
                }
            });
            html.Write("</section>");
        }
    }

    private void ProgressRow(TargetOutcome outcome)
    {
        var indicator = Indicator(outcome.Target.Indicator);
        if (outcome.Progress is not { } p)
        {
            html.Write($"<tr><td>{SvgChart.Escape(indicator.Name)}</td>");
            html.Write($"<td colspan='9' class='Refused'>Not calculated: {SvgChart.Escape(outcome.Refusal!.Message)}</td></tr>");
            return;
        }
        var (actual, achieved) = Actual(p);
        var recounted = report.TargetReach.ContainsKey(p);
        html.Write($"<tr><td>{SvgChart.Escape(indicator.Name)}</td><td>{ReportLabels.Unit(indicator)}</td>");
        html.Write(Cell(Figure(p.StartingValue, indicator)) + Cell(Figure(p.TargetValue, indicator)));
        html.Write(actual is { } a ? Cell(Figure(a, indicator)) : Suppressed());
        html.Write(achieved is { } x ? Cell(Percent(x)) : actual is null ? Suppressed() : Cell("–"));
        html.Write(Cell(Percent(p.PlannedPercent)));
        html.Write(actual is null || (recounted && report.Options.Policy?.RoundingBase is not null)
            ? Suppressed()
            : $"<td class='status {p.Status}'>{ReportLabels.Status(p.Status)}</td>");
        html.Write(Cell(!recounted && p.ProjectedAtEnd is { } projected ? Figure(projected, indicator) : "–"));
        html.Write($"<td>{(recounted ? "recounted from records" : "reported by partners")}</td></tr>");
    }

    private void LineChart(TargetProgress p)
    {
        var indicator = Indicator(p.Indicator);
        var origin = p.Period.Start;
        double X(LocalDate date) => Period.Between(origin, date, PeriodUnits.Days).Days;
        var actual = p.Monthly.Where(m => m.Actual is not null).Select(m => (X(m.Date), (double)m.Actual!.Value)).ToList();
        var planned = p.Monthly.Select(m => (X(m.Date), (double)m.Planned)).Prepend((0d, (double)p.StartingValue)).ToList();
        var target = new List<(double, double)> { (0, (double)p.TargetValue), (X(p.Period.End), (double)p.TargetValue) };
        var last = actual.Count > 0 ? Figure((decimal)actual[^1].Item2, indicator) : "none";
        html.Write(_charts.Lines(
            $"{ScopeName(p.Scope)}: {indicator.Name}",
            $"The actual rises to {last} by {Date(report.AsOf)} against a target of {Figure(p.TargetValue, indicator)} by "
                + $"{Date(p.Period.End)}, from a baseline of {Figure(p.StartingValue, indicator)}; the dashed lines are the plan and the target.",
            ReportLabels.Sentence(ReportLabels.Unit(indicator)),
            [
                new LineSeries(indicator.Accumulation == Accumulation.Cumulative ? "actual to date" : "actual", actual),
                new LineSeries("plan (linear pace)", planned, Dashed: true),
                new LineSeries("target", target, Dashed: true),
            ],
            x => Date(origin.PlusDays((int)x)),
            y => Figure((decimal)y, indicator)));
    }

    /// <summary>
    /// Reach as a funder reads it, one printed page a breakdown: by province and sex, by role and sex (with the rates), by
    /// province and role, teachers by district, by disability and by age. A table too long for its page continues in a
    /// named section of its own.
    /// </summary>
    private void ReachSections()
    {
        var byProvinceAndSex = report.Table(ReportTableKind.ProvinceBySex);
        CrossTabSections("reach-province", "Reach by province and sex", byProvinceAndSex, "Unique people reached by province and sex", () =>
            html.Write("<p class='note'>Every child, caregiver or educator is counted once in each cell, in each total and in each subtotal: totals "
                + "are recounted from the records, never added up from the cells, so a child in two schools of one province is one child in the province.</p>"));
        html.Write("</section>");
        var byRoleAndSex = report.Table(ReportTableKind.RoleBySex);
        CrossTabSections("reach-role", "Reach by role and sex", byRoleAndSex, "Unique people reached by role and sex", null);
        RateTable(report.Table(ReportTableKind.RoleWithRates));
        html.Write("</section>");
        CrossTabSections("reach-province-role", "Reach by province and role", report.Table(ReportTableKind.ProvinceByRole), null, null);
        html.Write("</section>");
        CrossTabSections("reach-teachers", "Teachers reached by district and sex", report.Table(ReportTableKind.TeachersByDistrictAndSex), null, null);
        html.Write("</section>");
        var disability = report.Table(ReportTableKind.DisabilityBySex);
        CrossTabSections("reach-disability", "Reach by disability and sex", disability, $"Unique people reached by disability and sex ({report.Options.DisabilityCutoff.Description})", () =>
            html.Write($"<p class='note'>Disability is counted from each person's Washington Group answers under one cut-off, the same in every figure: "
                + $"{SvgChart.Escape(report.Options.DisabilityCutoff.Description)}. A person without answers is <em>not recorded</em>, never counted as having no disability.</p>"));
        html.Write("</section>");
        if (report.Tables.FirstOrDefault(t => t.Kind == ReportTableKind.AgeBySex) is not { } age)
        {
            html.Write($"<section id='reach-age'><h2>Reach by age and sex</h2><p class='note' id='age-left-out'>{SvgChart.Escape(ProgrammeReport.AgeLeftOut)}</p></section>");
            return;
        }
        CrossTabSections("reach-age", "Reach by age and sex", age, $"Unique people reached by age and sex ({report.Options.AgeSchemeName}, {ProgrammeReport.AgeRule})", () =>
            html.Write($"<p class='note'>Ages follow the {SvgChart.Escape(report.Options.AgeSchemeName)} ({SvgChart.Escape(string.Join(", ", report.Options.AgeScheme.Bands.Select(b => ReportLabels.Age(b.Label))))}). "
                + "A child who has a birthday during the programme is counted once, in the band of their age at their first participation in the period counted; "
                + "<em>not comparable</em> counts people whose partner recorded only a band that straddles two of these bands.</p>"));
        html.Write("</section>");
    }

    /// <summary>
    /// A cross-tabulation in sections of its own, the first under <paramref name="heading"/> with its note and bar chart
    /// (when <paramref name="chart"/> names one), later ones continuing the rows; the last section is left open for what
    /// belongs with the table.
    /// </summary>
    private void CrossTabSections(string id, string heading, ReportTable entry, string? chart, Action? note)
    {
        var table = entry.Table;
        if (table.EmptyReason is { } empty)
        {
            html.Write($"<section id='{id}'><h2>{SvgChart.Escape(heading)}</h2>");
            html.Write($"<p class='note'><strong>{SvgChart.Escape(entry.Caption)}</strong>. Empty table: {SvgChart.Escape(empty)}.</p>");
            return;
        }
        var rows = table.Dimensions[0];
        var rowCodes = ReportLabels.Leaves(rows)
            .Concat(rows.Categories.Where(c => !rows.IsLeaf(c) && c != rows.Total))
            .Append(rows.Total)
            .ToList();
        Continued(id, heading, rowCodes, chart is null ? TableRowsPerPage : TableRowsBesideAChart, (part, continued) =>
        {
            if (continued.Length == 0)
            {
                note?.Invoke();
                if (chart is not null)
                {
                    BarsBySecond(table, chart);
                }
            }
            CrossTab(entry, part, continued);
        });
    }

    /// <summary>
    /// Writes <paramref name="rows"/> in sections of at most <paramref name="perPage"/> each: the first under
    /// <paramref name="heading"/>, each later one a continuation named as such (<c>id-2</c>, "(continued)"), so that a long
    /// table is split across pages rather than cut. Every section but the last is closed; the last is left open.
    /// </summary>
    private void Continued<T>(string id, string heading, IReadOnlyList<T> rows, int perPage, Action<IReadOnlyList<T>, string> write)
    {
        var parts = rows.Chunk(perPage).ToList();
        if (parts.Count == 0)
        {
            parts.Add([]);
        }
        for (var i = 0; i < parts.Count; i++)
        {
            var continued = i == 0 ? "" : $" (continued, {i + 1} of {parts.Count})";
            html.Write(i == 0 ? $"<section id='{id}'>" : $"<section id='{id}-{i + 1}' class='continued'>");
            html.Write($"<h2>{SvgChart.Escape(heading + continued)}</h2>");
            write(parts[i], continued);
            if (i < parts.Count - 1)
            {
                html.Write("</section>");
            }
        }
    }

    /// <summary>Bars per leaf of the first dimension, one per leaf of the second, all from the published table.</summary>
    private void BarsBySecond(PublishedTable table, string title)
    {
        var (rows, columns) = (table.Dimensions[0], table.Dimensions[1]);
        var categories = ReportLabels.Leaves(rows).ToList();
        var series = columns.Categories.Where(columns.IsLeaf)
            .Select(c => new BarSeries(_labels.Category(columns, c), [.. categories.Select(r => (double?)table[r, c].Value)]))
            .Where(s => s.Values.Any(v => v is not 0d))
            .ToList();
        if (categories.Count == 0 || series.Count == 0)
        {
            return;
        }
        var largest = categories.Zip(categories.Select(r => table[r, columns.Total].Value)).MaxBy(p => p.Second ?? -1);
        html.Write(_charts.Bars(
            title,
            $"Bars by {ReportLabels.Words(columns.Name)} for each {ReportLabels.Words(rows.Name)}; "
                + (largest.Second is { } most ? $"the largest is {_labels.Category(rows, largest.First)} with {Number(most)} people." : "the totals are withheld."),
            "unique people",
            [.. categories.Select(c => _labels.Category(rows, c))],
            series,
            v => Number((decimal)v),
            Mark));
    }

    /// <summary>
    /// A two-way table, or one printed page of it: leaves of the first dimension as rows, then its subtotals and the
    /// total; the second's leaves as columns, then the total.
    /// </summary>
    private void CrossTab(ReportTable entry, IReadOnlyList<string> rowCodes, string continued)
    {
        var table = entry.Table;
        var (rows, columns) = (table.Dimensions[0], table.Dimensions[1]);
        var columnCodes = columns.Categories.Where(columns.IsLeaf).Append(columns.Total).ToList();
        html.Write($"<div class='scroll'><table class='crosstab'><caption>{SvgChart.Escape(entry.Caption + continued)}</caption><thead><tr><th scope='col'>{ReportLabels.Dimension(rows)}</th>");
        foreach (var c in columnCodes)
        {
            html.Write($"<th scope='col'>{SvgChart.Escape(_labels.Category(columns, c))}</th>");
        }
        html.Write("</tr></thead><tbody>");
        foreach (var r in rowCodes)
        {
            var kind = r == rows.Total ? " class='total'" : rows.IsLeaf(r) ? "" : " class='subtotal'";
            var label = r == rows.Total || rows.IsLeaf(r) ? _labels.Category(rows, r) : $"{_labels.Category(rows, r)}, all {ReportLabels.Words(rows.Name)}s";
            html.Write($"<tr{kind}><th scope='row'>{SvgChart.Escape(label)}</th>");
            foreach (var c in columnCodes)
            {
                html.Write(table[r, c].Value is { } v ? Cell(Number(v)) : Suppressed());
            }
            html.Write("</tr>");
        }
        html.Write("</tbody></table></div>");
    }

    /// <summary>A one-way table with its rates beside each figure.</summary>
    private void RateTable(ReportTable entry)
    {
        var table = entry.Table;
        var rows = table.Dimensions[0];
        html.Write($"<div class='scroll'><table><caption>{SvgChart.Escape(entry.Caption)}</caption><thead><tr><th scope='col'>{ReportLabels.Dimension(rows)}</th><th scope='col'>Unique people</th>");
        foreach (var rate in table.Rates)
        {
            html.Write($"<th scope='col'>{SvgChart.Escape(ReportLabels.Sentence(rate.Name()))}</th>");
        }
        html.Write("</tr></thead><tbody>");
        foreach (var r in rows.Categories.Where(rows.IsLeaf).Append(rows.Total))
        {
            var figure = table[r];
            html.Write($"<tr{(r == rows.Total ? " class='total'" : "")}><th scope='row'>{SvgChart.Escape(_labels.Category(rows, r))}</th>");
            html.Write(figure.Value is { } v ? Cell(Number(v)) : Suppressed());
            foreach (var rate in table.Rates)
            {
                html.Write(figure.RateOf(rate) is { } value ? Cell(Rate(rate, value)) : Suppressed());
            }
            html.Write("</tr>");
        }
        html.Write("</tbody></table></div>");
    }

    private void MilestoneSections()
    {
        var milestones = report.Milestones.OrderBy(m => Milestone(m.Milestone).DueDate).ToList();
        Continued("milestones", "Milestones", milestones, MilestonesPerPage, (part, continued) =>
        {
            html.Write($"<div class='scroll'><table><caption>Milestones of every programme, as of {Date(report.AsOf)}{continued}</caption>");
            html.Write("<thead><tr><th scope='col'>Programme</th><th scope='col'>Milestone</th><th scope='col'>Due</th><th scope='col'>Standing</th><th scope='col'>Evidence</th></tr></thead><tbody>");
            foreach (var m in part)
            {
                var milestone = Milestone(m.Milestone);
                html.Write($"<tr><td>{SvgChart.Escape(ScopeName(m.Scope))}</td><td>{SvgChart.Escape(milestone.Title)}</td><td>{Date(milestone.DueDate)}</td>");
                html.Write($"<td class='status {m.Standing}'>{ReportLabels.Standing(m.Standing)}</td>");
                html.Write($"<td>{SvgChart.Escape(milestone.Evidence ?? "")}{(milestone.EvidenceDate is { } e ? " (" + Date(e) + ")" : "")}</td></tr>");
            }
            html.Write("</tbody></table></div>");
        });
        html.Write("</section>");
    }

    private void MethodSection()
    {
        html.Write("<section id='method'><h2>How these figures are counted</h2><ul class='note'>");
        html.Write("<li>Unique people are recounted at every level and for every period: a child at three workshops is one person and three attendances. Unique counts are never added across schools, months or phases.</li>");
        html.Write("<li>Cumulative indicators take the latest figure to date, never the sum of periods; incremental indicators are summed.</li>");
        html.Write("<li>The plan is linear pacing over each target's period. A target is ahead from 110% of plan, on track from 95%, behind from 80%, and at risk below.</li>");
        if (report.Options.Policy is { } policy)
        {
            html.Write($"<li><em>{Mark}</em> marks a figure withheld under the publication policy ({SvgChart.Escape(policy.ToString())}): a group smaller than {policy.MinimumCellSize}, "
                + "or a figure that could otherwise be worked out from the others, by subtraction from a total or from another table of this report.</li>");
        }
        html.Write("</ul></section>");
    }

    /// <summary>A target's actual and the share achieved, from the published table when it is recounted from records.</summary>
    private (decimal? Actual, decimal? Achieved) Actual(TargetProgress p)
    {
        if (!report.TargetReach.TryGetValue(p, out var reach))
        {
            return (p.ActualToDate, p.PercentAchieved);
        }
        var figure = reach[reach.Dimensions[0].Total].Value;
        var distance = p.TargetValue - p.StartingValue;
        return figure is { } v ? (v, distance == 0 ? null : Math.Round((v - p.StartingValue) * 100m / distance, 1)) : (null, null);
    }

    private Indicator Indicator(Id<Indicator> id) => report.Dataset.Indicators.First(i => i.Id == id);

    private Milestone Milestone(Id<Milestone> id) => report.Dataset.Partnerships.SelectMany(p => p.Milestones).First(m => m.Id == id);

    private string ScopeName(ProgressScope scope)
    {
        var partnership = report.Dataset.Partnerships.FirstOrDefault(p => p.Id == scope.Partnership);
        var name = partnership?.Name ?? scope.Partnership.Value;
        return scope.Phase is { } phase && partnership?.Phases.FirstOrDefault(p => p.Id == phase) is { } ph ? $"{name}, phase {ph.Sequence}" : name;
    }

    private static string Figure(decimal value, Indicator indicator) => ReportLabels.Figure(value, indicator.Unit);

    private static string Rate(Measure rate, decimal value) =>
        rate.Name().EndsWith("Rate", StringComparison.Ordinal) || rate.Name().EndsWith("Share", StringComparison.Ordinal)
            ? Percent(value * 100m)
            : value.ToString("0.0", Invariant);

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Cell(string text) => "<td class='n'>" + SvgChart.Escape(text) + "</td>";

    private static string Suppressed() => $"<td class='n suppressed'>{Mark}</td>";

    private static string Number(decimal value) => value.ToString("N0", Invariant);

    private static string Percent(decimal value) => value.ToString("0.0", Invariant) + "%";

    private static string Date(LocalDate date) => date.ToString("d MMMM uuuu", Invariant);

    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:1000px;margin:1.5em auto;padding:0 1em;color:#1a202c;line-height:1.4}"
        + "h1{font-size:1.7em;margin:.2em 0}h2{border-bottom:2px solid #1a202c;padding-bottom:.2em}"
        + ".note{color:#4a5568;font-size:13px}.warning{color:#9c4221;font-weight:bold}"
        + ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:1em}"
        + ".card{border:1px solid #a0aec0;border-radius:6px;padding:.6em 1em}.card h3{margin:.2em 0;font-size:1.05em}"
        + ".headline{font-size:2em;font-weight:bold;margin:.2em 0;line-height:1.1}.headline span{font-size:.45em;font-weight:normal}"
        + ".scroll{overflow-x:auto}table{border-collapse:collapse;margin:1em 0;font-size:14px}"
        + "caption{font-weight:bold;text-align:left;padding:.3em 0}th,td{border:1px solid #a0aec0;padding:4px 8px}"
        + "thead th{background:#edf2f7}tbody th{text-align:left;font-weight:normal}td.n{text-align:right;font-variant-numeric:tabular-nums}"
        + "tr.programme th{background:#f7fafc;font-weight:bold}tr.total th,tr.total td{font-weight:bold;border-top:2px solid #1a202c}tr.subtotal th,tr.subtotal td{font-style:italic}"
        + ".suppressed{color:#4a5568;font-style:italic}figure{margin:1em 0}figcaption{font-weight:bold;margin-bottom:.3em}svg{max-width:100%;height:auto}"
        + ".status.Achieved,.status.Ahead,.status.AchievedOnTime{color:#1c4532}.status.OnTrack{color:#1a365d}"
        + ".status.Behind,.status.AchievedLate{color:#744210}.status.AtRisk,.status.Missed,.status.Overdue,.Overdue,.Refused{color:#9b2c2c}"
        + "section{margin-top:2em}"
        // In print every section is one A4 page: a compact type, and the page budgets above (rows and charts a page) hold.
        + "@media print{@page{size:A4;margin:14mm}body{max-width:none;margin:0;font-size:10pt}section{break-before:page;margin-top:0}"
        + "section#summary{break-before:avoid}figure,table,.card{break-inside:avoid}.scroll{overflow:visible}"
        + "h2{font-size:1.3em;margin:0 0 .4em}.note{font-size:8.5pt;margin:.4em 0}"
        + "table{font-size:8.5pt;line-height:1.25;width:100%;margin:.5em 0}caption{padding:.2em 0}th,td{padding:2px 5px}"
        + "figure{margin:.4em 0}figcaption{font-size:9.5pt}svg{max-height:470px;width:auto}"
        // The summary a funder reads first fits one A4 page: cards three abreast, a smaller type.
        + "h1{font-size:1.4em}section#summary table{font-size:8.5pt}.cards{grid-template-columns:repeat(3,1fr);gap:.5em}"
        + ".card{padding:.2em .6em}.card p,.card ul{margin:.3em 0}.headline{font-size:1.5em}"
        // The eleven-column progress table must fit the printed width, or the browser shrinks every page to fit it.
        + "#progress table{font-size:8pt}#progress th,#progress td{padding:2px 3px}}";
}
