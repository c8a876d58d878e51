using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Progress;
using SafetyPrograms.Domain;
using SafetyPrograms.Reporting;

namespace SafetyPrograms.Cli.Reporting;

/// <summary>
/// Everything the text summary and the HTML report show, computed once: reach tables from the participation store and
/// progress to every target, with unique reach recounted from the records where the log measures the indicator.
/// </summary>
internal sealed class ProgrammeAnalysis
{
    private ProgrammeAnalysis(RecountedProgress measured, ParticipationStore store, RecountOptions recountOptions)
    {
        (Measured, Store, RecountOptions) = (measured, store, recountOptions);
        Recount = ReportedRecount.Compare(measured.Dataset, store, recountOptions);
    }

    /// <summary>Progress and milestones, measured once.</summary>
    public RecountedProgress Measured { get; }

    public ParticipationStore Store { get; }

    /// <summary>Every reported figure the log can recount, against its recount.</summary>
    public IReadOnlyList<RecountComparison> Recount { get; }

    /// <summary>The tolerance the reported figures were held to.</summary>
    public RecountOptions RecountOptions { get; }

    public ProgrammeDataset Dataset => Measured.Dataset;

    public LocalDate AsOf => Measured.AsOf;

    /// <summary>Every target's progress, or why it was refused.</summary>
    public ProgressReport Progress => Measured.Progress;

    public IReadOnlyList<MilestoneProgress> Milestones => Measured.Milestones;

    /// <summary>Which figures the log recounts, and over which records.</summary>
    public RecountPlan Plan => Measured.Plan;

    /// <summary>The indicators whose actuals were recounted from the participation log.</summary>
    public IReadOnlySet<Id<Indicator>> Recounted => Plan.Indicators;

    /// <summary>
    /// The participation log measures the unique-people count indicators that have targets in scopes with records;
    /// the others (births registered, reported by a partner) keep their reported figures.
    /// </summary>
    public static ProgrammeAnalysis Run(ProgrammeDataset dataset, ParticipationStore store, LocalDate asOf, RecountOptions? recount = null) =>
        new(RecountedProgress.Measure(dataset, store, asOf), store, recount ?? RecountOptions.Default);

    /// <summary>The text summary of a report already made: its progress and milestones, not measured a second time.</summary>
    public static ProgrammeAnalysis Of(ProgrammeReport report, ParticipationStore store) => new(report.Measured, store, RecountOptions.Default);

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

    /// <summary>Reach by disability status under a cut-off, with completion: the result states the cut-off.</summary>
    public AggregationResult ReachByDisability(DisabilityCutoff cutoff) => Store.Query()
        .DisabilityCutoff(cutoff)
        .GroupBy(Dimension.Disability)
        .Measure(Measure.UniqueBeneficiaries, Measure.Participations, Measure.CompletionRate)
        .Rollup()
        .Run();

    /// <summary>
    /// Reach by age band of a scheme at each attendance: a person who changed band between attendances counts in both
    /// bands, and once in the total (recounted, never summed).
    /// </summary>
    public AggregationResult ReachByAge(AgeBandScheme scheme) => Store.Query()
        .AgeScheme(scheme)
        .GroupBy(Dimension.Age)
        .Measure(Measure.UniqueBeneficiaries, Measure.Participations)
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
    public AggregationResult Breakdown(TargetProgress target, Dimension dimension)
    {
        var filter = Plan.TargetFilter(target, AsOf) ?? throw new InvalidOperationException($"The target of {target.Indicator} starts after {AsOf}: it has nothing to break down yet.");
        return filter(Store.Query().GroupBy(dimension).Measure(Measure.UniqueBeneficiaries, Measure.Participations).Rollup()).Run();
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
