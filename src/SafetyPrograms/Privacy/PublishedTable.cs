using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>Why a figure is not published: for the data owner's private audit only (<see cref="PublicationAudit"/>).</summary>
/// <remarks>
/// Published outputs never carry the reason: a reader who knows that a hidden figure is under the minimum, and that
/// another was hidden only to protect it, can pin the first down to a few values (in a one-way table with a total of
/// 11, a small cell next to a large one can only be 1). Every rendering shows the one mark "suppressed".
/// </remarks>
public enum SuppressionReason
{
    /// <summary>The figure is published.</summary>
    None,

    /// <summary>The figure is under the minimum cell size (or a zero the policy hides).</summary>
    Primary,

    /// <summary>The figure is large enough, but publishing it would let a reader work out a primary suppressed figure.</summary>
    Secondary,

    /// <summary>
    /// The figure is large enough, but with the other tables of the same <see cref="PublicationSession"/> it would let a
    /// reader work out a suppressed figure (by subtracting one table from another).
    /// </summary>
    Linked,
}

/// <summary>One figure of a published table: a cell or a margin, with either its value or why it is suppressed.</summary>
/// <remarks>
/// A suppressed figure carries no value, no rate and no public reason, so no serializer, log or report can leak it or
/// tell a small figure from one hidden to protect it. Immutable and thread-safe.
/// </remarks>
public sealed class PublishedFigure
{
    private readonly IReadOnlyDictionary<Measure, decimal> _rates;

    private PublishedFigure(IReadOnlyList<string> coordinates, bool isMargin, long? value, SuppressionReason suppression, IReadOnlyDictionary<Measure, decimal>? rates)
    {
        Coordinates = coordinates;
        IsMargin = isMargin;
        Value = value;
        Suppression = suppression;
        _rates = rates ?? EmptyRates;
    }

    private static readonly IReadOnlyDictionary<Measure, decimal> EmptyRates = new Dictionary<Measure, decimal>();

    /// <summary>One category code per dimension; a dimension's total for a margin over it.</summary>
    public IReadOnlyList<string> Coordinates { get; }

    /// <summary>Whether the figure is a margin (a total or subtotal over some dimension) rather than a cell.</summary>
    public bool IsMargin { get; }

    /// <summary>The published value (rounded when the policy rounds); <c>null</c> when suppressed.</summary>
    public long? Value { get; }

    /// <summary>Why the figure is suppressed: the owner's private audit only, never rendered (see <see cref="PublicationAudit"/>).</summary>
    internal SuppressionReason Suppression { get; }

    /// <summary>Whether the figure is suppressed.</summary>
    public bool IsSuppressed => Suppression != SuppressionReason.None;

    /// <summary>A rate or mean of the figure's group, such as its completion rate, when the table publishes it.</summary>
    /// <param name="measure">One of the table's <see cref="PublishedTable.Rates"/>.</param>
    /// <returns>
    /// The rate, rounded after suppression (rates and shares to 0.001, mean scores to 0.1); <c>null</c> when the figure
    /// is suppressed, when its group has fewer distinct beneficiaries (or, for a score, fewer assessed beneficiaries) than
    /// the policy's minimum, or when the group has no record to compute it from.
    /// </returns>
    public decimal? RateOf(Measure measure) => _rates.TryGetValue(measure, out var rate) ? rate : null;

    internal static PublishedFigure Published(string[] coordinates, bool isMargin, long value, IReadOnlyDictionary<Measure, decimal>? rates = null) =>
        new(ValueList<string>.From(coordinates, nameof(coordinates)), isMargin, value, SuppressionReason.None, rates);

    internal static PublishedFigure Suppressed(string[] coordinates, bool isMargin, SuppressionReason reason) =>
        new(ValueList<string>.From(coordinates, nameof(coordinates)), isMargin, null, reason, null);

    /// <summary>The figure as shown: its coordinates and its value, or the one mark for every hidden figure.</summary>
    /// <returns>Such as <c>(PK-PB, girl) = 35</c> or <c>(S001, girl) suppressed</c>.</returns>
    public override string ToString() =>
        $"({string.Join(", ", Coordinates)}) " + (Value is { } v ? $"= {v}" : PublishedTableWriter.SuppressedMark);
}

/// <summary>
/// A table as it may be published: every cell and margin, each either a value or suppressed (one mark, whatever the
/// reason; the reason is for <see cref="PublicationAudit"/> only), and the
/// <see cref="PublicationPolicy"/> that was applied, which every rendering states.
/// </summary>
/// <remarks>
/// It holds no true value of a suppressed figure. A table whose scope holds no record (a log with no teachers) is
/// published empty: its dimensions have no categories, its one figure is the grand total (zero, or suppressed when the
/// policy hides zeros), and <see cref="EmptyReason"/> says why. Immutable and thread-safe.
/// </remarks>
public sealed class PublishedTable
{
    private readonly TableShape _shape;

    internal PublishedTable(
        PublicationPolicy policy, IReadOnlyList<TableDimension> dimensions, TableShape shape, PublishedFigure[] figures,
        string? emptyReason, IReadOnlyList<Measure> rates)
    {
        Policy = policy;
        Dimensions = ValueList<PublishedDimension>.From([.. dimensions.Select(d => new PublishedDimension(d))], nameof(dimensions));
        _shape = shape;
        Figures = ValueList<PublishedFigure>.From(figures, nameof(figures));
        SuppressedCount = figures.Count(f => f.IsSuppressed);
        PrimarySuppressions = figures.Count(f => f.Suppression == SuppressionReason.Primary);
        SecondarySuppressions = SuppressedCount - PrimarySuppressions;
        EmptyReason = emptyReason;
        Rates = ValueList<Measure>.From(rates, nameof(rates));
    }

    /// <summary>The policy that was applied.</summary>
    public PublicationPolicy Policy { get; }

    /// <summary>The dimensions, in coordinate order.</summary>
    public IReadOnlyList<PublishedDimension> Dimensions { get; }

    /// <summary>Every figure, cells and margins, the last dimension varying fastest and each total before its categories.</summary>
    public IReadOnlyList<PublishedFigure> Figures { get; }

    /// <summary>How many figures are suppressed, for whatever reason.</summary>
    public int SuppressedCount { get; }

    /// <summary>Why the table is empty, such as <c>no records in this table's scope</c>; <c>null</c> when it has categories.</summary>
    public string? EmptyReason { get; }

    /// <summary>The band scheme the table's ages are in, when it groups or filters by <see cref="Dimension.Age"/>; else <c>null</c>.</summary>
    public AgeBandScheme? AgeScheme { get; internal init; }

    /// <summary>The cut-off its disability status follows, when it groups or filters by <see cref="Dimension.Disability"/>; else <c>null</c>.</summary>
    public DisabilityCutoff? DisabilityCutoff { get; internal init; }

    /// <summary>The rates and means published beside each figure (<see cref="PublishedFigure.RateOf"/>); empty for a plain count table.</summary>
    public IReadOnlyList<Measure> Rates { get; }

    /// <summary>For the owner's audit and tests: figures suppressed because they are small.</summary>
    internal int PrimarySuppressions { get; }

    /// <summary>For the owner's audit and tests: figures suppressed to protect others, in this table or a linked one.</summary>
    internal int SecondarySuppressions { get; }

    /// <summary>The figure at the given coordinates.</summary>
    /// <param name="coordinates">One category code per dimension; a dimension's <see cref="PublishedDimension.Total"/> for its margin.</param>
    /// <returns>The figure.</returns>
    /// <exception cref="ArgumentException">A coordinate is not a category of its dimension.</exception>
    public PublishedFigure this[params string[] coordinates] => Figures[_shape.IndexOf(coordinates)];
}

/// <summary>
/// One dimension of a published table as its readers see it: its name, the code of its total, and its categories with
/// how they nest (a school within its district), as every rendering states them.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class PublishedDimension
{
    private readonly TableDimension _dimension;
    private readonly Dictionary<string, string?> _parents;

    internal PublishedDimension(TableDimension dimension)
    {
        _dimension = dimension;
        Categories = ValueList<string>.From([.. dimension.Categories.Select(c => c.Code)], nameof(dimension));
        _parents = dimension.Categories.ToDictionary(c => c.Code, c => c.Parent, StringComparer.Ordinal);
    }

    /// <summary>The dimension's name, such as <c>province</c> or <c>sex</c>.</summary>
    public string Name => _dimension.Name;

    /// <summary>The code of the dimension's total: its single top-level category, or <c>total</c>.</summary>
    public string Total => _dimension.Total;

    /// <summary>The category codes, without the implicit total, in the order the table was built with.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>The parent of a category in the dimension's hierarchy (a school's district).</summary>
    /// <param name="code">A category code.</param>
    /// <returns>The parent's code, or <c>null</c> for a top-level category.</returns>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not a category of this dimension.</exception>
    public string? ParentOf(string code) =>
        _parents.TryGetValue(Preconditions.CheckNotNull(code), out var parent)
            ? parent
            : throw new ArgumentException($"'{code}' is not a category of '{Name}'.", nameof(code));

    /// <summary>Whether a category is a leaf, where cells are counted; every other category is a subtotal.</summary>
    /// <param name="code">A category code.</param>
    /// <returns><c>true</c> for a category without children.</returns>
    public bool IsLeaf(string code) => _dimension.IsLeaf(code);
}
