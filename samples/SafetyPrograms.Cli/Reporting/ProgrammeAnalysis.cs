using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Progress;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Cli.Reporting;

/// <summary>
/// Everything the text summary and the HTML report show, computed once: reach tables from the participation store and
/// progress to every target, with unique reach recounted from the records where the log measures the indicator.
/// </summary>
internal sealed class ProgrammeAnalysis
{
    private ProgrammeAnalysis(
        ProgrammeDataset dataset, ParticipationStore store, LocalDate asOf, ProgressReport progress,
        IReadOnlyList<MilestoneProgress> milestones, IReadOnlySet<Id<Indicator>> recounted, RecountOptions recountOptions)
    {
        RecountOptions = recountOptions;
        Recount = ReportedRecount.Compare(dataset, store, recountOptions);
        Dataset = dataset;
        Store = store;
        AsOf = asOf;
        Progress = progress;
        Milestones = milestones;
        Recounted = recounted;
    }

    public ProgrammeDataset Dataset { get; }

    public ParticipationStore Store { get; }

    public LocalDate AsOf { get; }

    /// <summary>Every target's progress, or why it was refused.</summary>
    public ProgressReport Progress { get; }

    public IReadOnlyList<MilestoneProgress> Milestones { get; }

    /// <summary>Every reported figure the log can recount, against its recount.</summary>
    public IReadOnlyList<RecountComparison> Recount { get; }

    /// <summary>The tolerance the reported figures were held to.</summary>
    public RecountOptions RecountOptions { get; }

    /// <summary>The indicators whose actuals were recounted from the participation log.</summary>
    public IReadOnlySet<Id<Indicator>> Recounted { get; }

    /// <summary>
    /// The participation log measures the unique-people count indicators that have targets in scopes with records;
    /// the others (births registered, reported by a partner) keep their reported figures.
    /// </summary>
    public static ProgrammeAnalysis Run(ProgrammeDataset dataset, ParticipationStore store, LocalDate asOf, RecountOptions? recount = null)
    {
        var partnershipsWithRecords = store.Query().GroupBy(Dimension.Partnership).Run().Rows
            .Select(r => r.Key(0)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var recounted = dataset.Partnerships
            .Where(p => partnershipsWithRecords.Contains(p.Id.Value))
            .SelectMany(p => p.Targets.Concat(p.Phases.SelectMany(ph => ph.Targets)))
            .Select(t => t.Indicator)
            .Where(id => dataset.Indicators.Any(i => i.Id == id && i.Unit == IndicatorUnit.Count && i.Basis == CountingBasis.UniquePeople))
            .ToHashSet();
        var source = ActualsSources.FirstOf(
            RecountedReach.For(dataset, store, recounted, asOf),
            new ReportedActualsSource(dataset));
        return new ProgrammeAnalysis(
            dataset,
            store,
            asOf,
            new ProgressCalculator().CalculateAll(dataset, asOf, source),
            MilestoneProgress.ForAll(dataset, asOf),
            recounted,
            recount ?? RecountOptions.Default);
    }

    public AggregationResult ReachByPartnershipAndPhase() => Store.Query()
        .GroupBy(Dimension.Partnership, Dimension.Phase)
        .Measure(Measure.Participations, Measure.UniqueBeneficiaries, Measure.ApproximateUniqueBeneficiaries, Measure.Activities, Measure.Schools)
        .Rollup()
        .Run();

    public AggregationResult ReachByProvince() => Store.Query()
        .GroupBy(Dimension.Province)
        .Measure(Measure.UniqueBeneficiaries, Measure.Participations, Measure.Schools, Measure.CompletionRate)
        .Rollup()
        .Run();

    public AggregationResult ReachByRole() => Store.Query()
        .GroupBy(Dimension.Role)
        .Measure(Measure.UniqueBeneficiaries, Measure.Participations, Measure.CompletionRate, Measure.MeanGain, Measure.ImprovedShare)
        .Rollup()
        .Run();

    public AggregationResult ReachByProvinceAndSex() => Store.Query()
        .GroupBy(Dimension.Province, Dimension.Sex)
        .Measure(Measure.UniqueBeneficiaries)
        .Rollup()
        .Run();

    public AggregationResult ReachByFiscalYear() => Store.Query()
        .GroupBy(Dimension.Partnership, TimeBucket.FiscalYear(7))
        .Measure(Measure.UniqueBeneficiaries, Measure.Participations)
        .Rollup()
        .Run();

    /// <summary>A recounted target's reach within its scope and period, broken down along one dimension.</summary>
    public AggregationResult Breakdown(TargetProgress target, Dimension dimension) =>
        TargetScope(target)(Store.Query().GroupBy(dimension).Measure(Measure.UniqueBeneficiaries, Measure.Participations).Rollup()).Run();

    /// <summary>The records a recounted target counts: its partnership, phase and role, from its start to its end or the as-of date.</summary>
    public Func<AggregationQuery, AggregationQuery> TargetScope(TargetProgress target) => query =>
    {
        query = query
            .Where(Dimension.Partnership, target.Scope.Partnership.Value)
            .Between(target.Period.Start, target.Period.End < AsOf ? target.Period.End : AsOf);
        if (target.Scope.Phase is { } phase)
        {
            query = query.Where(Dimension.Phase, phase.Value);
        }
        return target.Role is { } role ? query.Where(Dimension.Role, role) : query;
    };

    /// <summary>
    /// Every figure the report shows from the participation log, published under <paramref name="policy"/> through one
    /// session, so that no table can be subtracted from another to reveal what either hides.
    /// </summary>
    public PublishedReach Publish(PublicationPolicy policy)
    {
        var session = new PublicationSession(policy, Store);
        var tables = new List<(string Caption, int Index)>
        {
            ("Unique beneficiaries by province and sex", session.Add([Dimension.Province, Dimension.Sex], Measure.UniqueBeneficiaries)),
            ("Unique beneficiaries by province and role", session.Add([Dimension.Province, Dimension.Role], Measure.UniqueBeneficiaries)),
            ("Teachers reached by district and sex", session.Add(
                [Dimension.District, Dimension.Sex], Measure.UniqueBeneficiaries, q => q.Where(Dimension.Role, BeneficiaryRole.Teacher))),
            ("Unique beneficiaries by role, with completion rate, mean gain and improved share", session.Add(
                [Dimension.Role], Measure.UniqueBeneficiaries, rates: [Measure.CompletionRate, Measure.MeanGain, Measure.ImprovedShare])),
        };
        var targets = Progress.Calculated.Where(p => Recounted.Contains(p.Indicator)).ToList();
        var targetIndexes = targets.Select(t => session.Add([Dimension.Partnership], Measure.UniqueBeneficiaries, TargetScope(t))).ToList();
        var published = session.Publish();
        return new PublishedReach(
            [.. tables.Select(t => (t.Caption, published[t.Index]))],
            targets.Select((t, i) => (t, published[targetIndexes[i]])).ToDictionary(p => p.t, p => p.Item2));
    }

    public string PartnershipName(Id<Partnership> id) => Dataset.Partnerships.FirstOrDefault(p => p.Id == id)?.Name ?? id.Value;

    public string ScopeName(ProgressScope scope)
    {
        var partnership = Dataset.Partnerships.FirstOrDefault(p => p.Id == scope.Partnership);
        var name = partnership?.Name ?? scope.Partnership.Value;
        return scope.Phase is { } phase && partnership?.Phases.FirstOrDefault(p => p.Id == phase) is { } ph
            ? $"{name}, phase {ph.Sequence}"
            : name;
    }

    public Indicator Indicator(Id<Indicator> id) => Dataset.Indicators.First(i => i.Id == id);

    public Milestone Milestone(Id<Milestone> id) => Dataset.Partnerships.SelectMany(p => p.Milestones).First(m => m.Id == id);
}

/// <summary>
/// The report's published figures: the tables it shows (by province and sex first, then province and role, teachers,
/// and role with its rates), and each recounted target's reach, all protected together.
/// </summary>
internal sealed record PublishedReach(
    IReadOnlyList<(string Caption, PublishedTable Table)> Tables, IReadOnlyDictionary<TargetProgress, PublishedTable> TargetReach)
{
    public PublishedTable ByProvinceAndSex => Tables[0].Table;

    public PublishedTable ByRole => Tables[3].Table;
}
