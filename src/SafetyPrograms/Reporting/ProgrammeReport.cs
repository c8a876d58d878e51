using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Progress;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Reporting;

/// <summary>Which table of a report a <see cref="ReportTable"/> is: its identity, whatever its position or caption.</summary>
public enum ReportTableKind
{
    /// <summary>Unique beneficiaries by province and sex.</summary>
    ProvinceBySex,
    /// <summary>Unique beneficiaries by role and sex.</summary>
    RoleBySex,
    /// <summary>Unique beneficiaries by province and role.</summary>
    ProvinceByRole,
    /// <summary>Teachers reached by district and sex.</summary>
    TeachersByDistrictAndSex,
    /// <summary>Unique beneficiaries by role, with completion rate, mean gain and improved share.</summary>
    RoleWithRates,
    /// <summary>Unique beneficiaries by disability status (under the Washington Group cut-off) and sex.</summary>
    DisabilityBySex,
    /// <summary>
    /// Unique beneficiaries by age band of the UN child scheme and sex, each person in the band of their age at their first
    /// participation (<see cref="AggregationQuery.AgeAtFirstParticipation"/>).
    /// </summary>
    AgeBySex,
}

/// <summary>One table of a report: what it shows, and its figures as published.</summary>
/// <param name="Caption">What the table counts, in words: "Unique beneficiaries by province and sex".</param>
/// <param name="Table">The figures, under the report's publication policy.</param>
public sealed record ReportTable(string Caption, PublishedTable Table)
{
    /// <summary>Which table this is; select tables by it, never by position.</summary>
    public required ReportTableKind Kind { get; init; }
}

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

    /// <summary>The band scheme of the age table (default: the UN/UNICEF child scheme); the report names it.</summary>
    public AgeBandScheme AgeScheme { get; init; } = AgeBandScheme.UnChild;

    /// <summary>The Washington Group cut-off of the disability table (default: the published one); the report states it.</summary>
    public DisabilityCutoff DisabilityCutoff { get; init; } = DisabilityCutoff.WashingtonGroup;

    /// <summary>How the report names its age scheme: "UN child age bands" for the default, else "age scheme" and its code.</summary>
    internal string AgeSchemeName => AgeScheme.Equals(AgeBandScheme.UnChild) ? "UN child age bands" : "age scheme " + AgeScheme.Code;
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
/// partnership with records, over the windows <see cref="Progress.RecountPlan"/> decides (the same as progress and the
/// exports); other indicators keep their reported figures, and the report says which is which. Tables are found by
/// <see cref="ReportTableKind"/> (<see cref="Table"/>), never by position.
/// Immutable once created.
/// </remarks>
public sealed class ProgrammeReport
{
    // Inside the programme nothing is withheld; a minimum of 1 hides no figure above zero.
    private static readonly PublicationPolicy Internal = new(minimumCellSize: 1);

    private ProgrammeReport(
        RecountedProgress measured, ProgrammeReportOptions options, IReadOnlyList<ReportTable> tables,
        IReadOnlyDictionary<TargetProgress, PublishedTable> targetReach, IReadOnlyList<RecountComparison> recountChecks)
    {
        (Measured, Options, Tables, TargetReach, RecountChecks) = (measured, options, tables, targetReach, recountChecks);
    }

    /// <summary>The progress of every target and milestone, measured once (<see cref="RecountedProgress.Measure"/>).</summary>
    public RecountedProgress Measured { get; }

    /// <summary>The dataset reported on.</summary>
    public ProgrammeDataset Dataset => Measured.Dataset;

    /// <summary>The date progress is measured on.</summary>
    public LocalDate AsOf => Measured.AsOf;

    /// <summary>The title, notes and publication policy.</summary>
    public ProgrammeReportOptions Options { get; }

    /// <summary>Every target's progress, or why it was refused.</summary>
    public ProgressReport Progress => Measured.Progress;

    /// <summary>Every milestone's standing on <see cref="AsOf"/>.</summary>
    public IReadOnlyList<MilestoneProgress> Milestones => Measured.Milestones;

    /// <summary>Which figures the participation records recount, and over which records.</summary>
    public RecountPlan RecountPlan => Measured.Plan;

    /// <summary>The indicators whose actuals were recounted from the participation records (<see cref="RecountPlan.Indicators"/>).</summary>
    public IReadOnlySet<Id<Indicator>> RecountedIndicators => RecountPlan.Indicators;

    /// <summary>
    /// The reach tables the report shows, as published, in the order it shows them. The age table
    /// (<see cref="ReportTableKind.AgeBySex"/>) is left out, and the page says why, where its small figures would make the
    /// tables too large to audit together.
    /// </summary>
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
    /// <exception cref="AggregationRefusedException">The tables are too large to publish together even without the age table (see <see cref="PublicationSession.Publish"/>).</exception>
    public static ProgrammeReport Create(ProgrammeDataset dataset, ParticipationStore store, LocalDate asOf, ProgrammeReportOptions? options = null)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(store);
        options ??= new ProgrammeReportOptions();
        var measured = RecountedProgress.Measure(dataset, store, asOf);

        // The age breakdown is the one table a report can do without: where its many small figures make the tables too
        // large to audit together, the report is published without it and says so, rather than not at all.
        try
        {
            return Publish(measured, store, options, withAges: true);
        }
        catch (AggregationRefusedException refused) when (refused.Reason == AggregationRefusal.PublicationTooLarge)
        {
            return Publish(measured, store, options, withAges: false);
        }
    }

    private static ProgrammeReport Publish(
        RecountedProgress measured, ParticipationStore store, ProgrammeReportOptions options, bool withAges)
    {
        var (dataset, plan, asOf) = (measured.Dataset, measured.Plan, measured.AsOf);
        var session = new PublicationSession(options.Policy ?? Internal, store);
        var requests = new List<(ReportTableKind Kind, string Caption, int Index)>
        {
            (ReportTableKind.ProvinceBySex, "Unique beneficiaries by province and sex", session.Add([Dimension.Province, Dimension.Sex], Measure.UniqueBeneficiaries)),
            (ReportTableKind.RoleBySex, "Unique beneficiaries by role and sex", session.Add([Dimension.Role, Dimension.Sex], Measure.UniqueBeneficiaries)),
            (ReportTableKind.ProvinceByRole, "Unique beneficiaries by province and role", session.Add([Dimension.Province, Dimension.Role], Measure.UniqueBeneficiaries)),
            (ReportTableKind.TeachersByDistrictAndSex, "Teachers reached by district and sex", session.Add(
                [Dimension.District, Dimension.Sex], Measure.UniqueBeneficiaries, q => q.Where(Dimension.Role, BeneficiaryRole.Teacher))),
            (ReportTableKind.RoleWithRates, "Unique beneficiaries by role, with completion rate, mean gain and improved share", session.Add(
                [Dimension.Role], Measure.UniqueBeneficiaries, rates: [Measure.CompletionRate, Measure.MeanGain, Measure.ImprovedShare])),
            (ReportTableKind.DisabilityBySex, $"Unique beneficiaries by disability and sex ({options.DisabilityCutoff.Description})", session.Add(
                [Dimension.Disability, Dimension.Sex], Measure.UniqueBeneficiaries, q => q.DisabilityCutoff(options.DisabilityCutoff))),
        };
        if (withAges)
        {
            requests.Add((ReportTableKind.AgeBySex, $"Unique beneficiaries by age and sex ({options.AgeSchemeName}, {AgeRule})", session.Add(
                [Dimension.Age, Dimension.Sex], Measure.UniqueBeneficiaries, q => q.AgeScheme(options.AgeScheme).AgeAtFirstParticipation())));
        }
        var targets = measured.Progress.Calculated
            .Where(p => plan.Indicators.Contains(p.Indicator))
            .Select(p => (Target: p, Filter: plan.TargetFilter(p, asOf)))
            .Where(t => t.Filter is not null)
            .Select(t => (t.Target, Index: session.Add([Dimension.Partnership], Measure.UniqueBeneficiaries, t.Filter)))
            .ToList();
        var published = session.Publish();
        return new ProgrammeReport(
            measured, options,
            [.. requests.Select(r => new ReportTable(r.Caption, published[r.Index]) { Kind = r.Kind })],
            targets.ToDictionary(t => t.Target, t => published[t.Index]),
            ReportedRecount.Compare(dataset, store, options.Recount));
    }

    /// <summary>What the page says where the age breakdown had to be left out.</summary>
    internal const string AgeLeftOut =
        "The breakdown by age is not shown: its many small figures could not be checked together with the other tables "
        + "within the publication's budget, and a table that is not checked could let a hidden figure be worked out. "
        + "A report over a longer period or a larger programme shows it.";

    /// <summary>How the age tables place a person who has a birthday during the programme, in words.</summary>
    internal const string AgeRule = "age at first participation";

    /// <summary>The table of a kind.</summary>
    /// <param name="kind">Which table.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The report has no table of <paramref name="kind"/>.</exception>
    public ReportTable Table(ReportTableKind kind) =>
        Tables.FirstOrDefault(t => t.Kind == kind) ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "The report has no such table.");

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
