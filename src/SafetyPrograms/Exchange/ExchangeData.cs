using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Progress;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Exchange;

/// <summary>
/// What every export writes: a dataset's programmes and their figures, each figure already through one
/// <see cref="PublicationPolicy"/>, so that a suppressed figure cannot leave the library by any format.
/// </summary>
/// <remarks>
/// <para>Figures come from two places. Unique reach recounted from participation records, for every unique-people count
/// target in a scope that has records: the total and one table per breakdown dimension the engine publishes (province,
/// then each record dimension: role, sex, age band and the rest, so a dimension added to the engine flows into every
/// export), all protected together in one <see cref="PublicationSession"/>. And the figures partners reported
/// (<see cref="ProgrammeDataset.Actuals"/>) where nothing was recounted: a count and its breakdowns go through the same
/// policy (a breakdown whose cells do not add up to the total cannot be protected and is left out); a percentage or a
/// score is a level, not a count of people, and is passed as reported.</para>
/// <para>An age breakdown places each person by their age at their first participation in the figure's window
/// (<see cref="AggregationQuery.AgeAtFirstParticipation"/>), as the report does, so a child who has a birthday during the
/// programme is one child in one band. A breakdown whose grouping would put a beneficiary in two cells (the same child at schools in two provinces)
/// cannot be protected by cell suppression (its margins are not sums) and is left out of that series.</para>
/// <para>The same session also counts children (under 18 at first participation) and adults (18 and over) for HXL's
/// <c>#reached+children</c> and <c>#reached+adults</c>, so the audit sees them beside every band and total. Under
/// <see cref="SuppressionMarks.PrimaryAndSecondary"/>, where that table makes the audit refuse, the figures are
/// published without it (HXL notes that it left them out); the other formats never carry them.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class ExchangeData
{
    private ExchangeData(
        ProgrammeDataset dataset, PublicationPolicy policy, LocalDate asOf, Instant exported, IReadOnlyList<ExchangeSeries> series,
        AgeBandScheme ageScheme, DisabilityCutoff disabilityCutoff)
    {
        AgeScheme = ageScheme;
        DisabilityCutoff = disabilityCutoff;
        Dataset = dataset;
        Policy = policy;
        AsOf = asOf;
        Exported = exported;
        Series = series;
    }

    /// <summary>The dataset the programmes, organisations, indicators and schools come from.</summary>
    public ProgrammeDataset Dataset { get; }

    /// <summary>The policy every figure went through.</summary>
    public PublicationPolicy Policy { get; }

    /// <summary>The last day counted; no figure describes a later day.</summary>
    public LocalDate AsOf { get; }

    /// <summary>When the export was made, written where a format records it.</summary>
    public Instant Exported { get; }

    /// <summary>The band scheme the recounted <c>age</c> breakdown is counted in; every format states it.</summary>
    public AgeBandScheme AgeScheme { get; }

    /// <summary>The Washington Group cut-off the recounted <c>disability</c> breakdown is counted under; every format states it.</summary>
    public DisabilityCutoff DisabilityCutoff { get; }

    /// <summary>The series, partnership by partnership, each partnership's own before its phases'.</summary>
    public IReadOnlyList<ExchangeSeries> Series { get; }

    /// <summary>Publishes a dataset's figures under a policy: recounted reach where records exist, reported figures elsewhere.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="policy">The publication policy.</param>
    /// <param name="asOf">The last day to count, such as today.</param>
    /// <param name="exported">When the export is made.</param>
    /// <param name="store">The participation records of <paramref name="dataset"/>, or <c>null</c> for reported figures only.</param>
    /// <param name="ageScheme">The band scheme of the recounted <c>age</c> breakdown; the UN/UNICEF child scheme when <c>null</c>.</param>
    /// <param name="disabilityCutoff">The cut-off of the recounted <c>disability</c> breakdown; the published one when <c>null</c>.</param>
    /// <returns>The figures, ready for any export.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> or <paramref name="policy"/> is null.</exception>
    public static ExchangeData Publish(
        ProgrammeDataset dataset, PublicationPolicy policy, LocalDate asOf, Instant exported, ParticipationStore? store = null,
        AgeBandScheme? ageScheme = null, DisabilityCutoff? disabilityCutoff = null)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(policy);
        ageScheme ??= AgeBandScheme.UnChild;
        disabilityCutoff ??= DisabilityCutoff.WashingtonGroup;
        var indicators = dataset.Indicators.GroupBy(i => i.Id).ToDictionary(g => g.Key, g => g.First());
        List<ExchangeSeries> recounted = [];
        var ageGroupsLeftOut = false;
        List<string> notes = [];
        if (store is not null)
        {
            // Under primary and secondary marks the audit can refuse what it could protect with fewer linked tables: first
            // the children and adults table (only HXL names those groups), then every target window after an indicator's
            // first (a yearly target's later years); each is left out, and said so, before the export is refused.
            (bool AgeGroups, bool EveryWindow)[] attempts = [(true, true), (false, true), (false, false)];
            for (var a = 0; ; a++)
            {
                notes.Clear();
                try
                {
                    recounted = Recount(dataset, policy, store, asOf, indicators, ageScheme, disabilityCutoff, attempts[a].AgeGroups, attempts[a].EveryWindow, notes);
                    ageGroupsLeftOut = !attempts[a].AgeGroups;
                    break;
                }
                catch (AggregationRefusedException refused) when (refused.Reason == AggregationRefusal.PublicationMarksDisclose && a + 1 < attempts.Length)
                {
                }
            }
        }
        var covered = recounted.Select(s => (s.Indicator.Id, s.Partnership, s.Phase)).ToHashSet();
        var reported = dataset.Actuals
            .Where(a => indicators.ContainsKey(a.Indicator) && !covered.Contains((a.Indicator, a.Partnership, a.Phase)) && a.Period.End <= asOf)
            .Select(a => FromReported(dataset, policy, indicators[a.Indicator], a));
        var order = dataset.Partnerships.Select((p, i) => (p.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var series = recounted.Concat(reported)
            .Where(s => order.ContainsKey(s.Partnership))
            .OrderBy(s => order[s.Partnership]).ThenBy(s => s.Phase is null ? 0 : 1).ThenBy(s => s.Phase?.Value, StringComparer.Ordinal)
            .ThenBy(s => s.Indicator.Id.Value, StringComparer.Ordinal).ThenBy(s => s.Period.Start).ThenBy(s => s.Period.End)
            .ToList();
        return new ExchangeData(dataset, policy, asOf, exported, series.AsReadOnly(), ageScheme, disabilityCutoff) { AgeGroupsLeftOut = ageGroupsLeftOut, Notes = notes.AsReadOnly() };
    }

    /// <summary>Whether the children and adults figures were left out because, with them, the marks-aware audit refused the export.</summary>
    internal bool AgeGroupsLeftOut { get; private init; }

    /// <summary>What publishing left out, in words, for every format's <see cref="ExportSummary.Notes"/>.</summary>
    internal IReadOnlyList<string> Notes { get; private init; } = [];

    /// <summary>
    /// The terms a recounted figure is broken down by: province, then every dimension read from the record itself, in
    /// the engine's order, so a record dimension added to the engine is exported without a change here.
    /// </summary>
    internal static IReadOnlyList<Dimension> BreakdownDimensions { get; } =
        [Dimension.Province, .. Enum.GetValues<Dimension>().Where(d => d.IsRecordDimension())];

    private static List<ExchangeSeries> Recount(
        ProgrammeDataset dataset, PublicationPolicy policy, ParticipationStore store, LocalDate asOf, Dictionary<Id<Indicator>, Indicator> indicators,
        AgeBandScheme ageScheme, DisabilityCutoff cutoff, bool withAgeGroups, bool everyWindow, List<string> leftOut)
    {
        var plan = RecountPlan.For(dataset, store);
        var session = new PublicationSession(policy, store);
        var requests = new List<(Indicator Indicator, Partnership Partnership, Id<Phase>? Phase, Target Target, DateInterval Window, List<int> Tables, int? AgeGroups)>();
        foreach (var partnership in dataset.Partnerships.Where(p => plan.HasRecords(new ProgressScope(p.Id))))
        {
            var scoped = partnership.Targets.Select(t => (Phase: (Id<Phase>?)null, Target: t))
                .Concat(partnership.Phases.SelectMany(ph => ph.Targets.Select(t => (Phase: (Id<Phase>?)ph.Id, Target: t))));
            foreach (var (phase, target) in scoped)
            {
                // Which targets the records recount, and over which window (a yearly-cumulative one from its last year's start), is the plan's decision.
                if (target.Role is not null || !plan.Indicators.Contains(target.Indicator)
                    || !indicators.TryGetValue(target.Indicator, out var indicator)
                    || plan.TargetWindow(target.Indicator, target.Period, asOf) is not { } window)
                {
                    continue;
                }
                // One series per window: a yearly target per fiscal year is a figure per year; two targets over one window are one figure.
                var same = requests.Where(r => r.Indicator.Id == indicator.Id && r.Partnership.Id == partnership.Id && r.Phase == phase).ToList();
                if (same.Any(r => r.Window.Equals(window)))
                {
                    continue;
                }
                if (same.Count > 0 && !everyWindow)
                {
                    leftOut.Add($"{indicator.Id} of {phase?.Value ?? partnership.Id.Value}, {window.Start:yyyy-MM-dd} to {window.End:yyyy-MM-dd}: left out; with primary and secondary suppression marks the audit could not protect it beside the indicator's first window.");
                    continue;
                }
                // The scheme is set before the scope's filters; each person counts in one age band, that of their first participation.
                var filter = RecountPlan.Filter(new ProgressScope(partnership.Id, phase), null, window);
                Func<AggregationQuery, AggregationQuery> Scope(AgeBandScheme scheme) =>
                    q => filter(q.AgeScheme(scheme).DisabilityCutoff(cutoff).AgeAtFirstParticipation());
                var scope = Scope(ageScheme);
                var tables = new List<int>();
                foreach (var dimension in BreakdownDimensions)
                {
                    if (TryAdd(session, dimension, scope) is { } table)
                    {
                        tables.Add(table);
                    }
                }
                if (tables.Count > 0)
                {
                    // Children and adults are their own recount in the same session, so the audit sees them beside every band and total.
                    requests.Add((indicator, partnership, phase, target, window, tables, withAgeGroups ? TryAdd(session, Dimension.Age, Scope(ChildOrAdult)) : null));
                }
            }
        }
        var published = session.Publish();
        return [.. requests.Select(r =>
        {
            var ageGroups = r.AgeGroups is { } i ? FiguresOf(published[i]).ToList() : [];
            // The age-group table's total is the series' total again: merged with it, so a hidden copy hides both.
            return ExchangeSeries.Create(
                r.Indicator, r.Partnership.Id, r.Phase, r.Window, r.Window.Equals(r.Target.Period) ? r.Target.Value : null,
                r.Tables.SelectMany(i => FiguresOf(published[i])).Concat(ageGroups.Where(f => f.IsTotal)), reportedBy: null,
                ageGroups.Where(f => !f.IsTotal).Select(AgeGroupOf).OfType<ExchangeFigure>());
        })];
    }

    /// <summary>
    /// Two bands, under 18 and 18 and over, for the children and adults figures that HXL carries (<c>#reached+children</c>,
    /// <c>#reached+adults</c>): counted as a table of their own, never as a sum of the other scheme's bands.
    /// </summary>
    internal static AgeBandScheme ChildOrAdult { get; } = new("child-adult", [new AgeRange(0, 17), new AgeRange(18)]);

    /// <summary>The age-group dimension's name in <see cref="ExchangeSeries.AgeGroups"/>.</summary>
    internal const string AgeGroupDimension = "ageGroup";

    /// <summary>The category code of a figure of children (under 18 at first participation).</summary>
    internal const string Children = "children";

    /// <summary>The category code of a figure of adults (18 and over at first participation).</summary>
    internal const string Adults = "adults";

    /// <summary>
    /// A <see cref="ChildOrAdult"/> band's figure as children or adults; <c>null</c> for people whose age is not known, who
    /// are in neither (as is someone known only by a year of birth that leaves them 17 or 18).
    /// </summary>
    private static ExchangeFigure? AgeGroupOf(ExchangeFigure figure)
    {
        var band = figure.Breakdown[0].Category;
        var group = band == ChildOrAdult.Bands[0].Label ? Children : band == ChildOrAdult.Bands[1].Label ? Adults : null;
        return group is null ? null : new ExchangeFigure([new FigureCategory(AgeGroupDimension, group)], figure.Value, figure.Suppression);
    }

    /// <summary>Adds a one-dimension table of unique people to the session, or returns <c>null</c> when it cannot be protected.</summary>
    private static int? TryAdd(PublicationSession session, Dimension dimension, Func<AggregationQuery, AggregationQuery> scope)
    {
        try
        {
            return session.Add([dimension], Measure.UniqueBeneficiaries, scope);
        }
        catch (ArgumentException)
        {
            // A grouping that puts someone in two cells has margins that are not sums: it cannot be protected, so it is not exported.
            return null;
        }
    }

    /// <summary>The figures of a published table at its totals and leaves (a country subtotal between them is not a breakdown).</summary>
    internal static IEnumerable<ExchangeFigure> FiguresOf(PublishedTable table)
    {
        foreach (var figure in table.Figures)
        {
            var breakdown = new List<FigureCategory>();
            var keep = true;
            for (var d = 0; d < table.Dimensions.Count && keep; d++)
            {
                var dimension = table.Dimensions[d];
                var code = figure.Coordinates[d];
                if (code == dimension.Total)
                {
                    continue;
                }
                keep = dimension.IsLeaf(code);
                breakdown.Add(new FigureCategory(dimension.Name, code));
            }
            if (keep)
            {
                yield return new ExchangeFigure(breakdown.AsReadOnly(), figure.Value, figure.Suppression);
            }
        }
    }

    /// <summary>A partner's reported figure and its breakdowns, through the policy when it is a count.</summary>
    private static ExchangeSeries FromReported(ProgrammeDataset dataset, PublicationPolicy policy, Indicator indicator, ReportedActual actual)
    {
        var figures = new List<ExchangeFigure>();
        var target = dataset.Partnerships.Where(p => p.Id == actual.Partnership)
            .SelectMany(p => actual.Phase is { } phase ? p.Phases.Where(ph => ph.Id == phase).SelectMany(ph => ph.Targets) : p.Targets)
            .FirstOrDefault(t => t.Indicator == indicator.Id && t.Role is null && t.Period.Equals(actual.Period))?.Value;
        if (indicator.Unit != IndicatorUnit.Count)
        {
            // A level (a percentage, a mean score) is not a count of people: there is no cell to protect.
            figures.Add(new ExchangeFigure([], actual.Value, SuppressionReason.None));
            figures.AddRange(actual.Disaggregations.SelectMany(d => d.Cells.Select(c =>
                new ExchangeFigure([new FigureCategory(DimensionName(d.Dimension), c.Category)], c.Value, SuppressionReason.None))));
        }
        else
        {
            var total = (long)Math.Round(actual.Value, MidpointRounding.AwayFromZero);
            var tables = actual.Disaggregations
                .Where(d => d.Cells.Count > 0 && d.Cells.Sum(c => c.Value) == actual.Value && d.Cells.Select(c => c.Category).Distinct().Count() == d.Cells.Count
                    && d.Cells.All(c => c.Category != TableDimension.TotalCode))
                .Select(d => policy.Apply(new PublicationTable(
                    [new TableDimension(DimensionName(d.Dimension), d.Cells.Select(c => new TableCategory(c.Category)))],
                    d.Cells.Select(c => new TableCell((long)Math.Round(c.Value, MidpointRounding.AwayFromZero), c.Category)))))
                .ToList();
            figures.Add(policy.IsTooSmall(total)
                ? new ExchangeFigure([], null, SuppressionReason.Primary)
                : new ExchangeFigure([], policy.Round(total), SuppressionReason.None));
            figures.AddRange(tables.SelectMany(FiguresOf));
        }
        return ExchangeSeries.Create(indicator, actual.Partnership, actual.Phase, actual.Period, target, figures, actual.ReportedBy);
    }

    /// <summary>The name a reported breakdown's dimension has in exports: the engine's name for the same dimension.</summary>
    internal static string DimensionName(DisaggregationDimension dimension) => EnumNames<DisaggregationDimension>.NameOf(dimension);
}
