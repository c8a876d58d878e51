using System.Globalization;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Progress;

/// <summary>How a reported figure stands against its recount from participation records.</summary>
public enum RecountAgreement
{
    /// <summary>The two differ by no more than the tolerance.</summary>
    WithinTolerance,
    /// <summary>The partner reported more than the records show, by more than the tolerance.</summary>
    ReportedAbove,
    /// <summary>The partner reported less than the records show, by more than the tolerance.</summary>
    ReportedBelow,
}

/// <summary>How closely a reported figure must agree with its recount.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record RecountOptions
{
    /// <summary>The default: a tolerance of 5%.</summary>
    public static RecountOptions Default { get; } = new();

    /// <summary>Creates options.</summary>
    /// <param name="tolerance">
    /// The largest difference that still agrees, as a share of the recount (0.05 is 5%); a reported figure against a
    /// recount of zero agrees only when it is zero too.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative or above 10 (1,000%).</exception>
    public RecountOptions(decimal tolerance = 0.05m)
    {
        if (tolerance is < 0m or > 10m)
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance is a share of the recount from 0 to 10 (0.05 is 5%).");
        }
        Tolerance = tolerance;
    }

    /// <summary>The largest difference that still agrees, as a share of the recount (0.05 is 5%).</summary>
    public decimal Tolerance { get; }
}

/// <summary>
/// One reported figure (or one category of its breakdown) against the same figure recounted from participation records:
/// the same indicator basis (unique people or attendances), scope and period.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class RecountComparison
{
    internal RecountComparison(
        int actualIndex, ReportedActual reported, DateInterval window, DisaggregationDimension? dimension, string? category,
        decimal reportedValue, long recounted, RecountAgreement agreement)
    {
        ActualIndex = actualIndex;
        Reported = reported;
        Window = window;
        Dimension = dimension;
        Category = category;
        ReportedValue = reportedValue;
        Recounted = recounted;
        Agreement = agreement;
    }

    /// <summary>The figure's position in <see cref="ProgrammeDataset.Actuals"/>.</summary>
    public int ActualIndex { get; }

    /// <summary>The reported figure.</summary>
    public ReportedActual Reported { get; }

    /// <summary>The partnership or phase the figure is reported for.</summary>
    public ProgressScope Scope => new(Reported.Partnership, Reported.Phase);

    /// <summary>
    /// The days recounted: the figure's period; for a cumulative figure, from the scope's start (a total to date); for a
    /// yearly-cumulative one, from its year's start.
    /// </summary>
    public DateInterval Window { get; }

    /// <summary>The breakdown the compared value comes from, or <c>null</c> for the figure's total.</summary>
    public DisaggregationDimension? Dimension { get; }

    /// <summary>The breakdown's category (<c>student</c>, <c>female</c>, <c>PK-SD</c>), or <c>null</c> for the total.</summary>
    public string? Category { get; }

    /// <summary>The value the partner reported.</summary>
    public decimal ReportedValue { get; }

    /// <summary>The value recounted from the records.</summary>
    public long Recounted { get; }

    /// <summary>Reported minus recounted: positive when the partner reported more than the records show.</summary>
    public decimal Difference => ReportedValue - Recounted;

    /// <summary>The difference as a share of the recount (0.05 is 5%); <c>null</c> when the recount is zero.</summary>
    public decimal? RelativeDifference => Recounted == 0 ? null : Difference / Recounted;

    /// <summary>Whether the two agree within the tolerance, and if not, which way they differ.</summary>
    public RecountAgreement Agreement { get; }

    /// <summary>Whether the two agree within the tolerance.</summary>
    public bool IsWithinTolerance => Agreement == RecountAgreement.WithinTolerance;

    /// <summary>
    /// The JSON path of the compared value: <c>actuals[0].value</c>, or the breakdown cell's
    /// <c>actuals[0].disaggregations[0].cells[1].value</c>.
    /// </summary>
    public string Path
    {
        get
        {
            if (Dimension is not { } dimension)
            {
                return $"actuals[{ActualIndex}].value";
            }
            var d = Reported.Disaggregations.Select((x, i) => (x, i)).First(p => p.x.Dimension == dimension);
            var c = d.x.Cells.Select((x, i) => (x, i)).First(p => p.x.Category == Category).i;
            return $"actuals[{ActualIndex}].disaggregations[{d.i}].cells[{c}].value";
        }
    }

    /// <summary>
    /// The comparison in words, naming both numbers and the direction:
    /// <c>DS-OUT-1 ps-digital-safety/ph-ds-1, 2022-02-01..2022-12-31 (student): reported 1,500, recounted 1,420 from the records; reported 5.6% above the recount</c>.
    /// </summary>
    /// <returns>One line, numbers in the invariant culture.</returns>
    public override string ToString()
    {
        var what = Category is null ? "" : $" ({Category})";
        var direction = Agreement switch
        {
            RecountAgreement.ReportedAbove => "reported above the recount",
            RecountAgreement.ReportedBelow => "reported below the recount",
            _ => "within tolerance",
        };
        var share = RelativeDifference is { } r ? string.Create(CultureInfo.InvariantCulture, $" by {Math.Abs(r):0.0%}") : "";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Reported.Indicator} {Scope}, {ActualSeries.Describe(Window)}{what}: reported {ReportedValue:N0}, recounted {Recounted:N0} from the records; {direction}{(Agreement == RecountAgreement.WithinTolerance ? "" : share)}");
    }

    /// <summary>The comparison as a validation finding (<see cref="ValidationRules.ReportedDiffersFromRecount"/>, a warning).</summary>
    /// <returns>The finding, at <see cref="Path"/>.</returns>
    public ValidationFinding ToFinding() => new(
        ValidationRules.ReportedDiffersFromRecount.Code,
        ValidationRules.ReportedDiffersFromRecount.Severity,
        Path,
        ToString() + ".",
        ValidationRules.ReportedDiffersFromRecount.Fix,
        ReportedValue.ToString(CultureInfo.InvariantCulture));
}

/// <summary>
/// Reported against recounted: every reported figure whose indicator the participation records can recount (a count of
/// unique people or of attendances, in a partnership or phase that has records) is compared with its recount over the
/// same scope and period, total and breakdown by breakdown (role, sex, age band, province).
/// </summary>
/// <remarks>
/// <para>Which figures are recounted, and over which window, is <see cref="RecountPlan.ReportedWindow"/>'s decision: the
/// figure's period for an incremental figure; for a cumulative one, from the start of the scope (partnership or phase) to
/// the period's end, since a total to date counts from the beginning; for a yearly-cumulative one, from its year's start.
/// A last-value count, a percent or a score, and figures of scopes without a single record (births registered by a
/// partner, say) are not recounted.</para>
/// <para>A difference beyond <see cref="RecountOptions.Tolerance"/> of the recount is a finding
/// (<see cref="ValidationRules.ReportedDiffersFromRecount"/>) naming both numbers and the direction. Thread-safe.</para>
/// </remarks>
public static class ReportedRecount
{
    /// <summary>Compares every recountable reported figure of a dataset with its recount.</summary>
    /// <param name="dataset">The dataset <paramref name="store"/> was built from.</param>
    /// <param name="store">The participation records.</param>
    /// <param name="options">The tolerance; <see cref="RecountOptions.Default"/> (5%) when null.</param>
    /// <returns>The comparisons, in the order of the dataset's figures, each figure's total before its breakdowns.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> or <paramref name="store"/> is null.</exception>
    public static IReadOnlyList<RecountComparison> Compare(ProgrammeDataset dataset, ParticipationStore store, RecountOptions? options = null)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(store);
        var tolerance = (options ?? RecountOptions.Default).Tolerance;
        var plan = RecountPlan.For(dataset, store);
        var comparisons = new List<RecountComparison>();
        for (var i = 0; i < dataset.Actuals.Count; i++)
        {
            var figure = dataset.Actuals[i];
            if (plan.ReportedWindow(figure) is not { } window)
            {
                continue;
            }
            var scope = new ProgressScope(figure.Partnership, figure.Phase);
            var measure = RecountPlan.MeasureOf(plan.IndicatorOf(figure.Indicator))!.Value;
            comparisons.Add(Compared(i, figure, window, null, null, figure.Value, RecountedReach.Count(store, scope, null, measure, window), tolerance));
            foreach (var breakdown in figure.Disaggregations)
            {
                if (DimensionOf(breakdown.Dimension) is not { } dimension)
                {
                    continue;
                }
                var query = RecountPlan.Filter(scope, null, window)(store.Query().GroupBy(dimension).Measure(measure));
                var counts = query.Run().Rows.Where(r => !r.IsSubtotal && r.Key(0) is not null).ToDictionary(r => r.Key(0)!, r => r.Count(measure), StringComparer.Ordinal);
                foreach (var cell in breakdown.Cells)
                {
                    comparisons.Add(Compared(i, figure, window, breakdown.Dimension, cell.Category, cell.Value, counts.GetValueOrDefault(cell.Category), tolerance));
                }
            }
        }
        return comparisons.AsReadOnly();
    }

    /// <summary>The findings of the comparisons that differ by more than their tolerance.</summary>
    /// <param name="comparisons">The comparisons.</param>
    /// <returns>One warning per comparison beyond its tolerance, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="comparisons"/> is null.</exception>
    public static IReadOnlyList<ValidationFinding> Findings(IEnumerable<RecountComparison> comparisons) =>
        [.. Preconditions.CheckNotNull(comparisons).Where(c => !c.IsWithinTolerance).Select(c => c.ToFinding())];

    private static RecountComparison Compared(
        int index, ReportedActual figure, DateInterval window, DisaggregationDimension? dimension, string? category, decimal reported, long recounted, decimal tolerance)
    {
        var difference = reported - recounted;
        var within = recounted == 0 ? reported == 0 : Math.Abs(difference) <= tolerance * recounted;
        var agreement = within ? RecountAgreement.WithinTolerance : difference > 0 ? RecountAgreement.ReportedAbove : RecountAgreement.ReportedBelow;
        return new RecountComparison(index, figure, window, dimension, category, reported, recounted, agreement);
    }

    private static Dimension? DimensionOf(DisaggregationDimension dimension) => dimension switch
    {
        DisaggregationDimension.Role => Aggregation.Dimension.Role,
        DisaggregationDimension.Sex => Aggregation.Dimension.Sex,
        DisaggregationDimension.AgeBand => Aggregation.Dimension.AgeBand,
        DisaggregationDimension.Province => Aggregation.Dimension.Province,
        _ => null,
    };
}
