namespace SafetyPrograms.Aggregation;

/// <summary>One thing results are grouped by: a <see cref="Aggregation.Dimension"/> or a <see cref="TimeBucket"/>.</summary>
/// <remarks>
/// Both convert implicitly, so <c>GroupBy(Dimension.Province, TimeBucket.Month)</c> reads naturally.
/// The default value groups by partnership. Immutable and thread-safe.
/// </remarks>
public readonly struct GroupingTerm : IEquatable<GroupingTerm>
{
    private GroupingTerm(Dimension dimension, TimeBucket? time)
    {
        Dimension = dimension;
        Time = time;
    }

    /// <summary>The dimension; meaningless when <see cref="IsTime"/>.</summary>
    public Dimension Dimension { get; }

    /// <summary>The time bucket, or <c>null</c> for a dimension.</summary>
    public TimeBucket? Time { get; }

    /// <summary>Whether this term groups by time.</summary>
    public bool IsTime => Time is not null;

    /// <summary>The string name: a dimension's or a bucket's (<c>province</c>, <c>month</c>).</summary>
    public string Name => Time?.Name ?? Dimension.Name();

    /// <summary>A term grouping by a dimension.</summary>
    /// <param name="dimension">The dimension.</param>
    /// <returns>The term.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is undefined.</exception>
    public static GroupingTerm Of(Dimension dimension)
    {
        if (!Enum.IsDefined(dimension))
        {
            throw new ArgumentOutOfRangeException(nameof(dimension));
        }
        return new GroupingTerm(dimension, null);
    }

    /// <summary>A term grouping by time.</summary>
    /// <param name="bucket">The time bucket.</param>
    /// <returns>The term.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="bucket"/> is null.</exception>
    public static GroupingTerm Of(TimeBucket bucket) => new(default, bucket ?? throw new ArgumentNullException(nameof(bucket)));

    /// <summary>Finds a term by its string name: a dimension's name or a time bucket's (see <see cref="TimeBucket.TryParse"/>).</summary>
    /// <param name="name">The name.</param>
    /// <param name="term">The term, when found.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? name, out GroupingTerm term)
    {
        if (Dimensions.TryParse(name, out var d))
        {
            term = Of(d);
            return true;
        }
        if (TimeBucket.TryParse(name, out var b))
        {
            term = Of(b);
            return true;
        }
        term = default;
        return false;
    }

    /// <summary>Converts a dimension to a term.</summary>
    /// <param name="dimension">The dimension.</param>
    public static implicit operator GroupingTerm(Dimension dimension) => Of(dimension);

    /// <summary>Converts a time bucket to a term.</summary>
    /// <param name="bucket">The bucket.</param>
    public static implicit operator GroupingTerm(TimeBucket bucket) => Of(bucket);

    /// <inheritdoc />
    public bool Equals(GroupingTerm other) => Dimension == other.Dimension && Equals(Time, other.Time);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GroupingTerm other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Dimension, Time);

    /// <summary>Whether two terms are equal.</summary>
    /// <param name="left">One term.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(GroupingTerm left, GroupingTerm right) => left.Equals(right);

    /// <summary>Whether two terms differ.</summary>
    /// <param name="left">One term.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(GroupingTerm left, GroupingTerm right) => !left.Equals(right);

    /// <summary>The string name.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;
}
