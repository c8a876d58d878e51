using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>Why a figure is not published.</summary>
public enum SuppressionReason
{
    /// <summary>The figure is published.</summary>
    None,

    /// <summary>The figure is under the minimum cell size (or a zero the policy hides).</summary>
    Primary,

    /// <summary>The figure is large enough, but publishing it would let a reader work out a primary suppressed figure.</summary>
    Secondary,
}

/// <summary>One figure of a published table: a cell or a margin, with either its value or why it is suppressed.</summary>
/// <remarks>
/// A suppressed figure carries no value at all, so no serializer, log or report can leak it. Immutable and thread-safe.
/// </remarks>
public sealed class PublishedFigure
{
    private PublishedFigure(IReadOnlyList<string> coordinates, bool isMargin, long? value, SuppressionReason suppression)
    {
        Coordinates = coordinates;
        IsMargin = isMargin;
        Value = value;
        Suppression = suppression;
    }

    /// <summary>One category code per dimension; a dimension's total for a margin over it.</summary>
    public IReadOnlyList<string> Coordinates { get; }

    /// <summary>Whether the figure is a margin (a total or subtotal over some dimension) rather than a cell.</summary>
    public bool IsMargin { get; }

    /// <summary>The published value (rounded when the policy rounds); <c>null</c> when suppressed.</summary>
    public long? Value { get; }

    /// <summary>Why the figure is suppressed, or <see cref="SuppressionReason.None"/> when it is published.</summary>
    public SuppressionReason Suppression { get; }

    /// <summary>Whether the figure is suppressed.</summary>
    public bool IsSuppressed => Suppression != SuppressionReason.None;

    internal static PublishedFigure Published(string[] coordinates, bool isMargin, long value) =>
        new(ValueList<string>.From(coordinates, nameof(coordinates)), isMargin, value, SuppressionReason.None);

    internal static PublishedFigure Suppressed(string[] coordinates, bool isMargin, SuppressionReason reason) =>
        new(ValueList<string>.From(coordinates, nameof(coordinates)), isMargin, null, reason);

    /// <summary>The figure as shown: its coordinates and its value or suppression reason.</summary>
    /// <returns>Such as <c>(PK-PB, girl) = 35</c> or <c>(S001, girl) suppressed (primary)</c>.</returns>
    public override string ToString() =>
        $"({string.Join(", ", Coordinates)}) " + (Value is { } v ? $"= {v}" : $"suppressed ({PublishedTableWriter.ReasonText(Suppression)})");
}

/// <summary>
/// A table as it may be published: every cell and margin, each either a value or suppressed with its reason, and the
/// <see cref="PublicationPolicy"/> that was applied, which every rendering states.
/// </summary>
/// <remarks>It holds no true value of a suppressed figure. Immutable and thread-safe.</remarks>
public sealed class PublishedTable
{
    private readonly TableShape _shape;

    internal PublishedTable(PublicationPolicy policy, IReadOnlyList<TableDimension> dimensions, TableShape shape, PublishedFigure[] figures)
    {
        Policy = policy;
        Dimensions = ValueList<PublishedDimension>.From([.. dimensions.Select(d => new PublishedDimension(d))], nameof(dimensions));
        _shape = shape;
        Figures = ValueList<PublishedFigure>.From(figures, nameof(figures));
        PrimarySuppressions = figures.Count(f => f.Suppression == SuppressionReason.Primary);
        SecondarySuppressions = figures.Count(f => f.Suppression == SuppressionReason.Secondary);
    }

    /// <summary>The policy that was applied.</summary>
    public PublicationPolicy Policy { get; }

    /// <summary>The dimensions, in coordinate order.</summary>
    public IReadOnlyList<PublishedDimension> Dimensions { get; }

    /// <summary>Every figure, cells and margins, the last dimension varying fastest and each total before its categories.</summary>
    public IReadOnlyList<PublishedFigure> Figures { get; }

    /// <summary>How many figures are suppressed because they are small.</summary>
    public int PrimarySuppressions { get; }

    /// <summary>How many figures are suppressed to protect the small ones.</summary>
    public int SecondarySuppressions { get; }

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
