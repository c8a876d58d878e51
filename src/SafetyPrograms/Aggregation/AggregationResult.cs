using System.Collections;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Aggregation;

/// <summary>The rows a query produced, held in columns; <see cref="Rows"/> gives a typed view of each.</summary>
/// <remarks>
/// One row per group that has records. When rolled up, subtotal rows follow with a higher <see cref="ResultRow.Level"/>,
/// and the last row is the grand total. Rows within a level are in a deterministic but unspecified order; sort by
/// <see cref="ResultRow.Key(int)"/> where order matters. Immutable and thread-safe.
/// </remarks>
public sealed class AggregationResult
{
    private readonly string[][] _labels;
    private readonly ResultColumns _rows;
    private readonly Dictionary<Measure, int> _measureIndex;

    internal AggregationResult(IReadOnlyList<GroupingTerm> groupBy, IReadOnlyList<Measure> measures, string[][] labels, ResultColumns rows)
    {
        GroupBy = groupBy.ToArray();
        Measures = measures.ToArray();
        _labels = labels;
        _rows = rows;
        _measureIndex = Measures.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        Rows = new RowList(this);
    }

    /// <summary>The grouping terms, in order.</summary>
    public IReadOnlyList<GroupingTerm> GroupBy { get; }

    /// <summary>The measures, in order.</summary>
    public IReadOnlyList<Measure> Measures { get; }

    /// <summary>The rows: detail rows first, then subtotals by level, then the grand total.</summary>
    public IReadOnlyList<ResultRow> Rows { get; }

    /// <summary>The age band scheme of <see cref="Dimension.Age"/>, when the query grouped or filtered by it; <c>null</c> otherwise.</summary>
    public AgeBandScheme? AgeScheme { get; private set; }

    /// <summary>The cut-off of <see cref="Dimension.Disability"/>, when the query grouped or filtered by it; <c>null</c> otherwise.</summary>
    public DisabilityCutoff? DisabilityCutoff { get; private set; }

    /// <summary>Records the scheme and cut-off the query used, for the dimensions it grouped or filtered by; before the result is handed out.</summary>
    internal AggregationResult Stating(AggregationQuery query) => Stating(PersonStatement.Of(query));

    /// <summary>Records the scheme and cut-off the figures were counted by (a partial's); before the result is handed out.</summary>
    internal AggregationResult Stating(PersonStatement statement)
    {
        AgeScheme = statement.AgeScheme;
        DisabilityCutoff = statement.Cutoff;
        return this;
    }

    /// <summary>The grand total row, when the query was rolled up (or had no grouping terms).</summary>
    public ResultRow? GrandTotal => Rows.Count > 0 && Rows[^1].IsGrandTotal ? Rows[^1] : null;

    /// <summary>
    /// The result as JSON: <c>{"groupBy":["province","role"],"rows":[{"level":0,"province":"PK-SD","role":"student",
    /// "participations":1138,"unique":641},…]}</c>, with <c>ageScheme</c> and <c>disabilityCutoff</c> stating the scheme
    /// (<c>un-child (0-4, 5-9, 10-14, 15-17, 18+)</c>) and cut-off when the query used them. Each row names its level, the key of every term it is not rolled up
    /// over (a subtotal at level 1 leaves out the last term), and every measure by its name (<see cref="Measures.Name"/>),
    /// null where it has no value.
    /// </summary>
    /// <param name="indented">Whether to indent (two spaces, <c>\n</c> line ends) for people to read.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = false) =>
        SafetyProgramsJsonContext.ToJson(ResultDocument.Of(this), SafetyProgramsJsonContext.WriterOptions(indented));

    internal int Level(int row) => _rows.Levels[row];

    internal string? Label(int row, int term)
    {
        var v = _rows.TermValues[(row * GroupBy.Count) + term];
        return v < 0 ? null : _labels[term][v];
    }

    internal double Value(int row, Measure measure)
    {
        if (!_measureIndex.TryGetValue(measure, out var m))
        {
            throw new ArgumentException($"Measure '{measure.Name()}' was not part of the query.", nameof(measure));
        }
        return _rows.Values[m][row];
    }

    private sealed class RowList(AggregationResult result) : IReadOnlyList<ResultRow>
    {
        public ResultRow this[int index] =>
            (uint)index < (uint)Count ? new ResultRow(result, index) : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => result._rows.Count;

        public IEnumerator<ResultRow> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return new ResultRow(result, i);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>One row of an <see cref="AggregationResult"/>: its group's key labels and its measure values.</summary>
/// <remarks>
/// Key labels are identifiers for dataset entities (<c>school-17</c>, <c>PK-PB</c>, <c>PK-PB/Lahore</c>), JSON names
/// for enums (<c>teacher</c>, <c>hybrid</c>, <c>10-14</c>), bucket labels for time (<c>2024-03</c>, <c>FY2024-25</c>), the
/// empty string for "none" (a record with no school), and <c>null</c> for a term rolled up in a subtotal.
/// A lightweight view; the default value is not usable.
/// </remarks>
public readonly struct ResultRow : IEquatable<ResultRow>
{
    private readonly AggregationResult _result;
    private readonly int _index;

    internal ResultRow(AggregationResult result, int index)
    {
        _result = result;
        _index = index;
    }

    /// <summary>0 for a detail row; n when the last n grouping terms are rolled up (a subtotal); the term count for the grand total.</summary>
    public int Level => _result.Level(_index);

    /// <summary>Whether this is a subtotal or the grand total.</summary>
    public bool IsSubtotal => Level > 0;

    /// <summary>Whether every term is rolled up.</summary>
    public bool IsGrandTotal => Level == _result.GroupBy.Count;

    /// <summary>The label of grouping term <paramref name="term"/> (by position), or <c>null</c> when rolled up.</summary>
    /// <param name="term">The term's position in the query's grouping.</param>
    /// <returns>The label.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="term"/> is not a position.</exception>
    public string? Key(int term)
    {
        Preconditions.CheckInRange(term, 0, _result.GroupBy.Count - 1);
        return _result.Label(_index, term);
    }

    /// <summary>The label of a grouping term, or <c>null</c> when rolled up.</summary>
    /// <param name="term">The term, such as <c>Dimension.Province</c>.</param>
    /// <returns>The label.</returns>
    /// <exception cref="ArgumentException">The query did not group by <paramref name="term"/>.</exception>
    public string? Key(GroupingTerm term)
    {
        for (var i = 0; i < _result.GroupBy.Count; i++)
        {
            if (_result.GroupBy[i] == term)
            {
                return _result.Label(_index, i);
            }
        }
        throw new ArgumentException($"The query did not group by '{term.Name}'.", nameof(term));
    }

    /// <summary>All key labels, in grouping order.</summary>
    public IReadOnlyList<string?> Keys
    {
        get
        {
            var keys = new string?[_result.GroupBy.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = _result.Label(_index, i);
            }
            return keys;
        }
    }

    /// <summary>A measure's value, or <c>null</c> when undefined (a mean over no scores, a rate over no records).</summary>
    /// <param name="measure">A measure of the query.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The query did not compute <paramref name="measure"/>.</exception>
    public double? this[Measure measure] => _result.Value(_index, measure) is var v && double.IsNaN(v) ? null : v;

    /// <summary>A count measure as an integer (participations, unique, activities, schools, completions); an estimate is rounded.</summary>
    /// <param name="measure">A measure of the query.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentException">The query did not compute <paramref name="measure"/>.</exception>
    public long Count(Measure measure) => (long)Math.Round(_result.Value(_index, measure));

    /// <inheritdoc />
    public bool Equals(ResultRow other) => ReferenceEquals(_result, other._result) && _index == other._index;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ResultRow other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_result, _index);

    /// <summary>Whether two rows are the same row of the same result.</summary>
    /// <param name="left">One row.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are the same.</returns>
    public static bool operator ==(ResultRow left, ResultRow right) => left.Equals(right);

    /// <summary>Whether two rows differ.</summary>
    /// <param name="left">One row.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(ResultRow left, ResultRow right) => !left.Equals(right);

    /// <summary>The keys and values, for reading in a debugger or log.</summary>
    /// <returns>Text such as <c>PK-PB | 2024-03 | participations=10</c>.</returns>
    public override string ToString()
    {
        var self = this;
        var keys = Keys.Select(k => k ?? "(all)");
        var values = _result.Measures.Select(m => FormattableString.Invariant($"{m.Name()}={self[m]}"));
        return string.Join(" | ", keys.Concat(values));
    }
}

/// <summary>Rows being built, in columns of a known final size.</summary>
internal sealed class ResultColumns(int terms, int measures, int rows)
{
    internal int Count { get; private set; }
    internal int[] Levels { get; } = new int[rows];
    internal int[] TermValues { get; } = new int[rows * terms];
    internal double[][] Values { get; } = Enumerable.Range(0, measures).Select(_ => new double[rows]).ToArray();

    /// <summary>Adds a row's level and term values; returns its index, for its measure values.</summary>
    internal int Add(int level, ReadOnlySpan<int> values)
    {
        var row = Count++;
        Levels[row] = level;
        values[..terms].CopyTo(TermValues.AsSpan(row * terms));
        return row;
    }
}
