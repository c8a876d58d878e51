using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Exchange;

/// <summary>One coordinate of a broken-down figure: a dimension and its category, such as <c>sex = female</c>.</summary>
/// <param name="Dimension">The dimension's name as the engine and published tables name it: <c>sex</c>, <c>ageBand</c>, <c>role</c>, <c>province</c>.</param>
/// <param name="Category">The category's code: <c>female</c>, <c>10-14</c>, <c>teacher</c>, <c>PK-PB</c>.</param>
public readonly record struct FigureCategory(string Dimension, string Category);

/// <summary>
/// One figure of an export: the total, or one breakdown of it, with its value, or suppressed by the publication policy
/// (then it has no value, and no export writes one).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class ExchangeFigure
{
    internal ExchangeFigure(IReadOnlyList<FigureCategory> breakdown, decimal? value, SuppressionReason suppression)
    {
        Breakdown = breakdown;
        Value = suppression == SuppressionReason.None ? value : null;
        Suppression = suppression;
    }

    /// <summary>The categories the figure is broken down by, in the dimensions' order; empty for the total.</summary>
    public IReadOnlyList<FigureCategory> Breakdown { get; }

    /// <summary>The value; <c>null</c> when the publication policy suppressed it.</summary>
    public decimal? Value { get; }

    /// <summary>Whether the publication policy suppressed the figure.</summary>
    public bool IsSuppressed => Suppression != SuppressionReason.None;

    /// <summary>Whether the figure is the total (no breakdown).</summary>
    public bool IsTotal => Breakdown.Count == 0;

    /// <summary>Why the figure is suppressed, for the owner's checks: no export writes it (one mark for every hidden figure).</summary>
    internal SuppressionReason Suppression { get; }

    /// <summary>The category of <paramref name="dimension"/>, or <c>null</c> when the figure is not broken down by it.</summary>
    /// <param name="dimension">A dimension name.</param>
    /// <returns>The category code.</returns>
    public string? CategoryOf(string dimension)
    {
        foreach (var category in Breakdown)
        {
            if (string.Equals(category.Dimension, dimension, StringComparison.Ordinal))
            {
                return category.Category;
            }
        }
        return null;
    }
}

/// <summary>
/// The figures of one indicator in one scope (a partnership, or one of its phases) over one period, as an export writes
/// them: the total and its breakdowns by sex, age band, role, disability, province and any other dimension the engine
/// publishes, each already through the publication policy, and the target for the same period when the dataset has one.
/// </summary>
/// <remarks>
/// A unique-people figure is never summed by an export: every breakdown is its own recount (or the partner's own
/// figure), and writers mark such indicators as not aggregable where the format can say so. Immutable and thread-safe.
/// </remarks>
public sealed class ExchangeSeries
{
    internal ExchangeSeries(
        Indicator indicator, Id<Partnership> partnership, Id<Phase>? phase, DateInterval period, decimal? target,
        IReadOnlyList<string> dimensions, IReadOnlyList<ExchangeFigure> figures, Id<Organisation>? reportedBy)
    {
        Indicator = indicator;
        Partnership = partnership;
        Phase = phase;
        Period = period;
        Target = target;
        Dimensions = dimensions;
        Figures = figures;
        ReportedBy = reportedBy;
    }

    /// <summary>The indicator.</summary>
    public Indicator Indicator { get; }

    /// <summary>The partnership.</summary>
    public Id<Partnership> Partnership { get; }

    /// <summary>The phase, for a phase's figures; <c>null</c> for the partnership's.</summary>
    public Id<Phase>? Phase { get; }

    /// <summary>The period the figures describe.</summary>
    public DateInterval Period { get; }

    /// <summary>The target the dataset sets for this indicator, scope and period, when it sets one.</summary>
    public decimal? Target { get; }

    /// <summary>The names of the dimensions the figures are broken down by, in order (<c>province</c>, <c>sex</c>, …).</summary>
    public IReadOnlyList<string> Dimensions { get; }

    /// <summary>The total first, then each breakdown figure; a suppressed figure has no value.</summary>
    public IReadOnlyList<ExchangeFigure> Figures { get; }

    /// <summary>The total.</summary>
    public ExchangeFigure Total => Figures[0];

    /// <summary>The organisation that reported the figures, for a partner's reported figures; <c>null</c> for a recount.</summary>
    public Id<Organisation>? ReportedBy { get; }

    /// <summary>
    /// Children (under 18 at first participation) and adults (18 and over), each its own recount published in the same
    /// session as every other figure (dimension <c>ageGroup</c>, categories <c>children</c> and <c>adults</c>); people of
    /// unknown age are in neither. Empty for a partner's reported figures. Only HXL names these groups.
    /// </summary>
    internal IReadOnlyList<ExchangeFigure> AgeGroups { get; private init; } = [];

    /// <summary>Whether the figures count unique people, so that no sum of them is a count of people.</summary>
    public bool IsUniqueCount => Indicator.Basis == CountingBasis.UniquePeople && Indicator.Unit == IndicatorUnit.Count;

    /// <summary>
    /// Whether figures of this indicator may be added across activities: counts of attendances or of people new in a
    /// period; never unique people (a person in two groups counts twice), percentages or scores (levels).
    /// </summary>
    public bool IsAdditive => Indicator.Unit == IndicatorUnit.Count && Indicator.Basis != CountingBasis.UniquePeople;

    /// <summary>The scope as one text: <c>partnership</c> or <c>partnership/phase</c>.</summary>
    internal string ScopeText => Phase is { } phase ? $"{Partnership.Value}/{phase.Value}" : Partnership.Value;

    /// <summary>Builds a series from figures already through a policy: the total first, breakdowns after, duplicates merged.</summary>
    internal static ExchangeSeries Create(
        Indicator indicator, Id<Partnership> partnership, Id<Phase>? phase, DateInterval period, decimal? target,
        IEnumerable<ExchangeFigure> figures, Id<Organisation>? reportedBy, IEnumerable<ExchangeFigure>? ageGroups = null)
    {
        // The same figure can come from two tables (the total is in every one): one suppressed copy hides it everywhere.
        var merged = new Dictionary<string, ExchangeFigure>(StringComparer.Ordinal);
        var order = new List<string>();
        var dimensions = new List<string>();
        foreach (var figure in figures)
        {
            var key = string.Join('\u001f', figure.Breakdown.Select(c => c.Dimension + "\u001e" + c.Category));
            foreach (var category in figure.Breakdown)
            {
                if (!dimensions.Contains(category.Dimension))
                {
                    dimensions.Add(category.Dimension);
                }
            }
            if (merged.TryGetValue(key, out var known))
            {
                if (!known.IsSuppressed && figure.IsSuppressed)
                {
                    merged[key] = figure;
                }
                continue;
            }
            merged[key] = figure;
            order.Add(key);
        }
        var list = order.Select(k => merged[k]).OrderBy(f => f.IsTotal ? 0 : 1).ToList();
        Preconditions.CheckArgument(list.Count > 0 && list[0].IsTotal, nameof(figures), "A series needs its total.");
        return new ExchangeSeries(
            indicator, partnership, phase, period, target, dimensions.AsReadOnly(), list.AsReadOnly(), reportedBy)
        {
            AgeGroups = ageGroups?.ToList().AsReadOnly() ?? (IReadOnlyList<ExchangeFigure>)[],
        };
    }
}
