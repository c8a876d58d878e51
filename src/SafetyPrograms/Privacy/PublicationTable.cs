using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>One cell of a publication table: a count at one leaf category of each dimension.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed class TableCell
{
    /// <summary>Creates a cell.</summary>
    /// <param name="count">The count, such as the number of girls aged 10-14 at one school.</param>
    /// <param name="coordinates">One leaf category code per dimension, in the table's dimension order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="coordinates"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public TableCell(long count, params string[] coordinates)
    {
        Count = count >= 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), count, "A count must not be negative.");
        Coordinates = ValueList<string>.From(Preconditions.CheckNotNull(coordinates), nameof(coordinates));
    }

    /// <summary>The count.</summary>
    public long Count { get; }

    /// <summary>One leaf category code per dimension.</summary>
    public IReadOnlyList<string> Coordinates { get; }
}

/// <summary>
/// An additive table of counts ready for publication: cells at the leaf categories of one to four dimensions, and
/// every margin a reader will see (row and column totals, subtotals at each level of a hierarchy, the grand total).
/// </summary>
/// <remarks>
/// <para>A figure is addressed by one category per dimension, leaf or not; margins are the sums of the cells under
/// them, computed here so that they always add up. This models counts where each unit falls in exactly one cell
/// (each participant has one sex, one age band and one school in the table). Cells not given count zero.</para>
/// <para>This type holds the true values and is the suppression engine's input only: users publish through
/// <see cref="AggregationPublishing"/>, which builds it from the store's figures and hands back the
/// <see cref="PublishedTable"/> that <see cref="PublicationPolicy.Apply"/> makes. Immutable and thread-safe.</para>
/// </remarks>
internal sealed class PublicationTable
{
    /// <summary>The largest number of figures (cells and margins) a table may have.</summary>
    public const int MaxFigures = 1_000_000;

    /// <summary>Creates a table and computes its margins.</summary>
    /// <param name="dimensions">One to four dimensions with distinct names.</param>
    /// <param name="cells">The cells; each leaf coordinate at most once.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// There are no or more than four dimensions, two share a name or use a reserved name (<c>value</c>, <c>suppressed</c>),
    /// the table would have more than <see cref="MaxFigures"/> figures, or a cell has the wrong number of coordinates,
    /// a coordinate that is not a leaf category, or repeats another cell's coordinates.
    /// </exception>
    /// <exception cref="OverflowException">A margin exceeds <see cref="long.MaxValue"/>.</exception>
    public PublicationTable(IEnumerable<TableDimension> dimensions, IEnumerable<TableCell> cells)
    {
        Dimensions = ValueList<TableDimension>.From(Preconditions.CheckNotNull(dimensions), nameof(dimensions));
        Preconditions.CheckArgument(Dimensions.Count is >= 1 and <= 4, nameof(dimensions), "A table has one to four dimensions.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in Dimensions)
        {
            Preconditions.CheckArgument(names.Add(d.Name), nameof(dimensions), $"Two dimensions are named '{d.Name}'.");
            Preconditions.CheckArgument(
                d.Name is not ("value" or "suppressed"), nameof(dimensions), $"'{d.Name}' is a reserved column name in published tables.");
        }
        Shape = new TableShape(Dimensions, MaxFigures, nameof(dimensions));
        Values = new long[Shape.Size];
        var given = new bool[Shape.Size];
        foreach (var cell in Preconditions.CheckNotNull(cells))
        {
            Preconditions.CheckNotNull(cell, nameof(cells));
            var index = IndexOfLeaf(cell.Coordinates, nameof(cells));
            Preconditions.CheckArgument(
                !given[index], nameof(cells), $"The cell ({string.Join(", ", cell.Coordinates)}) is given twice.");
            given[index] = true;
            Values[index] = cell.Count;
        }
        Shape.ComputeMargins(Values);
    }

    /// <summary>The band scheme of an <see cref="Aggregation.Dimension.Age"/> grouping or filter, which the published table states; else <c>null</c>.</summary>
    public Domain.AgeBandScheme? AgeScheme { get; init; }

    /// <summary>The cut-off of a <see cref="Aggregation.Dimension.Disability"/> grouping or filter, which the published table states; else <c>null</c>.</summary>
    public Domain.DisabilityCutoff? DisabilityCutoff { get; init; }

    /// <summary>The dimensions, in coordinate order.</summary>
    public IReadOnlyList<TableDimension> Dimensions { get; }

    internal TableShape Shape { get; }

    /// <summary>Every figure's true value, by flat index (see <see cref="TableShape"/>).</summary>
    internal long[] Values { get; }

    /// <summary>The value of any figure, cell or margin.</summary>
    /// <param name="coordinates">One category code per dimension; a dimension's <see cref="TableDimension.Total"/> for its margin.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentException">A coordinate is not a category of its dimension.</exception>
    public long this[params string[] coordinates] => Values[Shape.IndexOf(coordinates)];

    private int IndexOfLeaf(IReadOnlyList<string> coordinates, string paramName)
    {
        var index = Shape.IndexOf(coordinates);
        for (var d = 0; d < Dimensions.Count; d++)
        {
            Preconditions.CheckArgument(
                Dimensions[d].IsLeaf(coordinates[d]), paramName,
                $"'{coordinates[d]}' is not a leaf category of '{Dimensions[d].Name}': cells are counted at leaves and margins are computed.");
        }
        return index;
    }
}
