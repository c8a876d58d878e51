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
        IReadOnlyList<MilestoneProgress> milestones, IReadOnlySet<Id<Indicator>> recounted)
    {
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

    /// <summary>The indicators whose actuals were recounted from the participation log.</summary>
    public IReadOnlySet<Id<Indicator>> Recounted { get; }

    /// <summary>
    /// The participation log measures the unique-people count indicators that have targets in scopes with records;
    /// the others (births registered, reported by a partner) keep their reported figures.
    /// </summary>
    public static ProgrammeAnalysis Run(ProgrammeDataset dataset, ParticipationStore store, LocalDate asOf)
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
            recounted);
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
    public AggregationResult Breakdown(TargetProgress target, Dimension dimension)
    {
        var query = Store.Query()
            .GroupBy(dimension)
            .Measure(Measure.UniqueBeneficiaries, Measure.Participations)
            .Where(Dimension.Partnership, target.Scope.Partnership.Value)
            .Between(target.Period.Start, target.Period.End < AsOf ? target.Period.End : AsOf)
            .Rollup();
        if (target.Scope.Phase is { } phase)
        {
            query = query.Where(Dimension.Phase, phase.Value);
        }
        if (target.Role is { } role)
        {
            query = query.Where(Dimension.Role, role);
        }
        return query.Run();
    }

    /// <summary>The breakdowns that reach small groups, published under <paramref name="policy"/>.</summary>
    public IReadOnlyList<(string Caption, PublishedTable Table)> PublishedTables(PublicationPolicy policy) =>
    [
        ("Unique beneficiaries by province and sex", policy.Publish(Store, [Dimension.Province, Dimension.Sex], Measure.UniqueBeneficiaries)),
        ("Unique beneficiaries by province and role", policy.Publish(Store, [Dimension.Province, Dimension.Role], Measure.UniqueBeneficiaries)),
        ("Teachers reached by district and sex", policy.Publish(
            Store, [Dimension.District, Dimension.Sex], Measure.UniqueBeneficiaries, q => q.Where(Dimension.Role, BeneficiaryRole.Teacher))),
    ];

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
