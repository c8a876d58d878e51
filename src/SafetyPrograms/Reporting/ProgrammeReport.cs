using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Progress;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Reporting;

/// <summary>One table of a report: what it shows, and its figures as published.</summary>
/// <param name="Caption">What the table counts, in words: "Unique beneficiaries by province and sex".</param>
/// <param name="Table">The figures, under the report's publication policy.</param>
public sealed record ReportTable(string Caption, PublishedTable Table);

/// <summary>What a <see cref="ProgrammeReport"/> says besides its figures.</summary>
public sealed record ProgrammeReportOptions
{
    /// <summary>The report's title.</summary>
    public string Title { get; init; } = "Programme reach and progress";

    /// <summary>Notes printed under the title, each once (a repeated note is shown once).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>How closely a reported figure must agree with its recount from the records (default 5%).</summary>
    public RecountOptions Recount { get; init; } = RecountOptions.Default;

    /// <summary>
    /// The policy every figure from participation records is published under (suppression, rounding); <c>null</c> for a
    /// report kept inside the programme, which shows every figure and says so on its first screen.
    /// </summary>
    public PublicationPolicy? Policy { get; init; }
}

/// <summary>
/// The report a programme officer forwards to a funder: headline figures against targets, progress with its baseline,
/// reach as cross-tabulations and charts, milestones, and how the figures are counted. Every figure drawn from
/// participation records comes from tables published together under one <see cref="PublicationSession"/>, so no table
/// can be subtracted from another to reveal what either hides. The HTML is self-contained (no script, font or image
/// fetched), prints one section to an A4 page and reads on a phone.
/// </summary>
/// <remarks>
/// Unique reach is recounted from the records for every unique-people count indicator that has a target in a
/// partnership with records; other indicators keep their reported figures, and the report says which is which.
/// Immutable once created.
/// </remarks>
public sealed class ProgrammeReport
{
    // Inside the programme nothing is withheld; a minimum of 1 hides no figure above zero.
    private static readonly PublicationPolicy Internal = new(minimumCellSize: 1);

    private ProgrammeReport(
        ProgrammeDataset dataset, LocalDate asOf, ProgrammeReportOptions options, ProgressReport progress,
        IReadOnlyList<MilestoneProgress> milestones, IReadOnlySet<Id<Indicator>> recounted, IReadOnlyList<ReportTable> tables,
        IReadOnlyDictionary<TargetProgress, PublishedTable> targetReach, IReadOnlyList<RecountComparison> recountChecks)
    {
        RecountChecks = recountChecks;
        Dataset = dataset;
        AsOf = asOf;
        Options = options;
        Progress = progress;
        Milestones = milestones;
        RecountedIndicators = recounted;
        Tables = tables;
        TargetReach = targetReach;
    }

    /// <summary>The dataset reported on.</summary>
    public ProgrammeDataset Dataset { get; }

    /// <summary>The date progress is measured on.</summary>
    public LocalDate AsOf { get; }

    /// <summary>The title, notes and publication policy.</summary>
    public ProgrammeReportOptions Options { get; }

    /// <summary>Every target's progress, or why it was refused.</summary>
    public ProgressReport Progress { get; }

    /// <summary>Every milestone's standing on <see cref="AsOf"/>.</summary>
    public IReadOnlyList<MilestoneProgress> Milestones { get; }

    /// <summary>The indicators whose actuals were recounted from the participation records.</summary>
    public IReadOnlySet<Id<Indicator>> RecountedIndicators { get; }

    /// <summary>The reach tables the report shows, as published, in the order it shows them.</summary>
    public IReadOnlyList<ReportTable> Tables { get; }

    /// <summary>
    /// Every reported figure the records can recount, compared with its recount (<see cref="ReportedRecount"/>); the page
    /// shows the totals, with the recounted figure only when no publication policy applies.
    /// </summary>
    public IReadOnlyList<RecountComparison> RecountChecks { get; }

    /// <summary>Each recounted target's reach, published with the tables.</summary>
    internal IReadOnlyDictionary<TargetProgress, PublishedTable> TargetReach { get; }

    /// <summary>Counts, measures progress and publishes the figures of a report.</summary>
    /// <param name="dataset">The programmes, their targets and reported figures.</param>
    /// <param name="store">The participation records of <paramref name="dataset"/>.</param>
    /// <param name="asOf">The date to measure progress on.</param>
    /// <param name="options">Title, notes and publication policy; <c>null</c> for the defaults (no policy).</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> or <paramref name="store"/> is null.</exception>
    /// <exception cref="AggregationRefusedException">The tables are too large to publish together (see <see cref="PublicationSession.Publish"/>).</exception>
    public static ProgrammeReport Create(ProgrammeDataset dataset, ParticipationStore store, LocalDate asOf, ProgrammeReportOptions? options = null)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(store);
        options ??= new ProgrammeReportOptions();
        var recounted = IndicatorsToRecount(dataset, store);
        var source = ActualsSources.FirstOf(RecountedReach.For(dataset, store, recounted, asOf), new ReportedActualsSource(dataset));
        var progress = new ProgressCalculator().CalculateAll(dataset, asOf, source);

        var session = new PublicationSession(options.Policy ?? Internal, store);
        var requests = new List<(string Caption, int Index)>
        {
            ("Unique beneficiaries by province and sex", session.Add([Dimension.Province, Dimension.Sex], Measure.UniqueBeneficiaries)),
            ("Unique beneficiaries by role and sex", session.Add([Dimension.Role, Dimension.Sex], Measure.UniqueBeneficiaries)),
            ("Unique beneficiaries by province and role", session.Add([Dimension.Province, Dimension.Role], Measure.UniqueBeneficiaries)),
            ("Teachers reached by district and sex", session.Add(
                [Dimension.District, Dimension.Sex], Measure.UniqueBeneficiaries, q => q.Where(Dimension.Role, BeneficiaryRole.Teacher))),
            ("Unique beneficiaries by role, with completion rate, mean gain and improved share", session.Add(
                [Dimension.Role], Measure.UniqueBeneficiaries, rates: [Measure.CompletionRate, Measure.MeanGain, Measure.ImprovedShare])),
            ($"Unique beneficiaries by disability and sex ({DisabilityCutoff.WashingtonGroup.Description})", session.Add(
                [Dimension.Disability, Dimension.Sex], Measure.UniqueBeneficiaries, q => q.DisabilityCutoff(DisabilityCutoff.WashingtonGroup))),
        };
        var targets = progress.Calculated.Where(p => recounted.Contains(p.Indicator)).ToList();
        var targetIndexes = targets.Select(t => session.Add([Dimension.Partnership], Measure.UniqueBeneficiaries, Scope(t, asOf))).ToList();
        var published = session.Publish();
        return new ProgrammeReport(
            dataset, asOf, options, progress, MilestoneProgress.ForAll(dataset, asOf), recounted,
            [.. requests.Select(r => new ReportTable(r.Caption, published[r.Index]))],
            targets.Select((t, i) => (t, published[targetIndexes[i]])).ToDictionary(p => p.t, p => p.Item2),
            ReportedRecount.Compare(dataset, store, options.Recount));
    }

    /// <summary>
    /// The indicators a report recounts from participation records: the unique-people counts with a target in a
    /// partnership that has records. The others (births registered, figures a partner reports) keep their reported figures.
    /// </summary>
    /// <param name="dataset">The programmes.</param>
    /// <param name="store">The participation records of <paramref name="dataset"/>.</param>
    /// <returns>The indicators.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> or <paramref name="store"/> is null.</exception>
    public static IReadOnlySet<Id<Indicator>> IndicatorsToRecount(ProgrammeDataset dataset, ParticipationStore store)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(store);
        var partnershipsWithRecords = store.Query().GroupBy(Dimension.Partnership).Run().Rows
            .Select(r => r.Key(0)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return dataset.Partnerships
            .Where(p => partnershipsWithRecords.Contains(p.Id.Value))
            .SelectMany(p => p.Targets.Concat(p.Phases.SelectMany(ph => ph.Targets)))
            .Select(t => t.Indicator)
            .Where(id => dataset.Indicators.Any(i => i.Id == id && i.Unit == IndicatorUnit.Count && i.Basis == CountingBasis.UniquePeople))
            .ToHashSet();
    }

    /// <summary>The records a recounted target counts: its partnership, phase and role, from its start to its end or the as-of date.</summary>
    /// <param name="target">A target whose reach is recounted.</param>
    /// <param name="asOf">The date progress is measured on.</param>
    /// <returns>The filter.</returns>
    public static Func<AggregationQuery, AggregationQuery> Scope(TargetProgress target, LocalDate asOf)
    {
        Preconditions.CheckNotNull(target);
        return query =>
        {
            query = query
                .Where(Dimension.Partnership, target.Scope.Partnership.Value)
                .Between(target.Period.Start, target.Period.End < asOf ? target.Period.End : asOf);
            if (target.Scope.Phase is { } phase)
            {
                query = query.Where(Dimension.Phase, phase.Value);
            }
            return target.Role is { } role ? query.Where(Dimension.Role, role) : query;
        };
    }

    /// <summary>Writes the report as one self-contained HTML page.</summary>
    /// <param name="writer">Where the page goes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public void WriteHtml(TextWriter writer) => new HtmlReportWriter(this, Preconditions.CheckNotNull(writer)).Write();

    /// <summary>The report as one self-contained HTML page.</summary>
    /// <returns>The page.</returns>
    public string ToHtml()
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        WriteHtml(text);
        return text.ToString();
    }
}
