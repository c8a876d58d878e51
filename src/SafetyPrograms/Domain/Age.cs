using System.Globalization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>A range of ages in completed years, from <see cref="From"/> to <see cref="To"/> inclusive, or open above (<c>18+</c>).</summary>
/// <remarks>
/// Ages run from 0 to <see cref="MaxAge"/>. The label is how forms write a band: <c>0-4</c>, <c>15-17</c>, <c>50+</c>.
/// The default value is the open range <c>0+</c> (every age). Equality is by value. Immutable and thread-safe.
/// </remarks>
public readonly struct AgeRange : IEquatable<AgeRange>
{
    /// <summary>The greatest age in completed years a record or a band may hold.</summary>
    public const int MaxAge = 120;

    /// <summary>The shape of a label, for the schema: <c>from-to</c> or <c>from+</c> (the ages' bounds are checked on reading).</summary>
    internal const string Pattern = "^(0|[1-9][0-9]{0,2})(-(0|[1-9][0-9]{0,2})|\\+)$";

    private readonly int _to; // MaxAge + 1 for an open range, so that the default value is 0+

    /// <summary>Creates a range.</summary>
    /// <param name="from">The first age, 0 to <see cref="MaxAge"/>.</param>
    /// <param name="to">The last age, from <paramref name="from"/> to <see cref="MaxAge"/>, or <c>null</c> for a range open above.</param>
    /// <exception cref="ArgumentOutOfRangeException">An age is outside 0 to <see cref="MaxAge"/>, or <paramref name="to"/> is below <paramref name="from"/>.</exception>
    public AgeRange(int from, int? to = null)
    {
        From = Preconditions.CheckInRange(from, 0, MaxAge);
        _to = to is { } t ? Preconditions.CheckInRange(t, from, MaxAge) : MaxAge + 1;
    }

    /// <summary>The first age.</summary>
    public int From { get; }

    /// <summary>The last age, or <c>null</c> when the range is open above.</summary>
    public int? To => _to > MaxAge ? null : _to;

    /// <summary>The last age the range holds: <see cref="To"/>, or <see cref="MaxAge"/> when open above.</summary>
    public int Last => Math.Min(_to, MaxAge);

    /// <summary>The label: <c>0-4</c>, <c>18+</c>.</summary>
    public string Label => To is { } to
        ? string.Create(CultureInfo.InvariantCulture, $"{From}-{to}")
        : string.Create(CultureInfo.InvariantCulture, $"{From}+");

    /// <summary>Whether the range holds an age.</summary>
    /// <param name="age">An age in completed years.</param>
    /// <returns>Whether <paramref name="age"/> lies in the range.</returns>
    public bool Contains(int age) => age >= From && age <= Last;

    /// <summary>Whether every age of this range lies in <paramref name="other"/>: a band known only as this range counts there.</summary>
    /// <param name="other">The enclosing range.</param>
    /// <returns>Whether this range nests in <paramref name="other"/>.</returns>
    public bool IsWithin(AgeRange other) => From >= other.From && Last <= other.Last;

    /// <summary>Reads a label: <c>a-b</c> or <c>a+</c>, ages in digits.</summary>
    /// <param name="label">The label.</param>
    /// <param name="range">The range, when the label is one.</param>
    /// <returns>Whether <paramref name="label"/> is a valid range's label.</returns>
    public static bool TryParse(string? label, out AgeRange range)
    {
        range = default;
        if (string.IsNullOrEmpty(label) || label.Length > 7)
        {
            return false;
        }
        var dash = label.IndexOf('-', StringComparison.Ordinal);
        if (label[^1] == '+' && Age(label.AsSpan(0, label.Length - 1)) is { } open)
        {
            range = new AgeRange(open);
            return true;
        }
        if (dash > 0 && Age(label.AsSpan(0, dash)) is { } from && Age(label.AsSpan(dash + 1)) is { } to && to >= from)
        {
            range = new AgeRange(from, to);
            return true;
        }
        return false;
    }

    private static int? Age(ReadOnlySpan<char> digits) =>
        digits.Length is > 0 and <= 3 && digits.IndexOfAnyExceptInRange('0', '9') < 0
        && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v <= MaxAge && (digits.Length == 1 || digits[0] != '0')
            ? v
            : null;

    /// <inheritdoc />
    public bool Equals(AgeRange other) => From == other.From && _to == other._to;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AgeRange other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(From, _to);

    /// <summary>Whether two ranges are equal.</summary>
    /// <param name="left">One range.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(AgeRange left, AgeRange right) => left.Equals(right);

    /// <summary>Whether two ranges differ.</summary>
    /// <param name="left">One range.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(AgeRange left, AgeRange right) => !left.Equals(right);

    /// <summary>The label.</summary>
    /// <returns><see cref="Label"/>.</returns>
    public override string ToString() => Label;
}

/// <summary>
/// A band scheme: the age bands a report uses, contiguous and non-overlapping, from 0 up to the top age (the last band
/// open above, such as <c>18+</c>, or ending at <see cref="AgeRange.MaxAge"/>). A scheme that breaks this cannot be made.
/// </summary>
/// <remarks>
/// Built in: <see cref="UnChild"/> (UN/UNICEF 0-4, 5-9, 10-14, 15-17, 18+), <see cref="UnChildAdults"/> (the same with
/// adults in 18-24, 25-49, 50+) and <see cref="AgeBandList"/> (the bands of <see cref="AgeBand"/>). A dataset declares its
/// own in <see cref="ProgrammeDataset.AgeSchemes"/>. Equality is by code and bands. Immutable and thread-safe.
/// </remarks>
public sealed class AgeBandScheme : IEquatable<AgeBandScheme>
{
    /// <summary>Creates a scheme.</summary>
    /// <param name="code">The scheme's code, an identifier such as <c>un-child</c>, which results and tables state.</param>
    /// <param name="bands">The bands in order: the first from 0, each starting the year after the one before ends, the last open above or ending at <see cref="AgeRange.MaxAge"/>.</param>
    /// <exception cref="ArgumentException">The code is not an identifier, or the bands leave a gap, overlap, do not start at 0 or do not reach the top.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public AgeBandScheme(string code, IReadOnlyList<AgeRange> bands)
    {
        Code = Identifiers.Check(code, nameof(code));
        var list = Preconditions.CheckNotNull(bands).ToArray();
        Preconditions.CheckArgument(list.Length > 0, nameof(bands), "A band scheme needs at least one band.");
        Preconditions.CheckArgument(list[0].From == 0, nameof(bands), $"The first band starts at {list[0].From}: a band scheme starts at age 0.");
        for (var i = 1; i < list.Length; i++)
        {
            var previous = list[i - 1];
            Preconditions.CheckArgument(previous.To is not null, nameof(bands), $"Band {previous.Label} is open above but is not the last band.");
            Preconditions.CheckArgument(
                list[i].From <= previous.Last + 1, nameof(bands), $"Bands {previous.Label} and {list[i].Label} leave a gap: each band starts the year after the one before ends.");
            Preconditions.CheckArgument(
                list[i].From > previous.Last, nameof(bands), $"Bands {previous.Label} and {list[i].Label} overlap: each band starts the year after the one before ends.");
        }
        Preconditions.CheckArgument(list[^1].Last == AgeRange.MaxAge, nameof(bands), $"The last band {list[^1].Label} does not reach the top: end it with an open band such as 18+.");
        Bands = ValueList<AgeRange>.From(list, nameof(bands));
    }

    /// <summary>The UN/UNICEF child scheme, code <c>un-child</c>: 0-4, 5-9, 10-14, 15-17, 18+.</summary>
    public static AgeBandScheme UnChild { get; } = Of("un-child", 0, 5, 10, 15, 18);

    /// <summary>The UN/UNICEF child scheme with adults split, code <c>un-child-adults</c>: 0-4, 5-9, 10-14, 15-17, 18-24, 25-49, 50+.</summary>
    public static AgeBandScheme UnChildAdults { get; } = Of("un-child-adults", 0, 5, 10, 15, 18, 25, 50);

    /// <summary>
    /// The bands of <see cref="AgeBand"/> as a scheme, code <c>ageBand</c>: 0-4, 5-9, 10-14, 15-17, 18-24, 25-49, 50+, so
    /// that reports made with today's list keep their meaning.
    /// </summary>
    public static AgeBandScheme AgeBandList { get; } = Of("ageBand", 0, 5, 10, 15, 18, 25, 50);

    /// <summary>The built-in schemes.</summary>
    public static IReadOnlyList<AgeBandScheme> BuiltIn { get; } = ValueList<AgeBandScheme>.From([UnChild, UnChildAdults, AgeBandList], "builtIn");

    /// <summary>The code results and tables state.</summary>
    public string Code { get; }

    /// <summary>The bands, youngest first.</summary>
    public IReadOnlyList<AgeRange> Bands { get; }

    /// <summary>How outputs name the scheme: its code and bands, as <c>un-child (0-4, 5-9, 10-14, 15-17, 18+)</c>.</summary>
    /// <returns>The description.</returns>
    public string Describe() => $"{Code} ({string.Join(", ", Bands.Select(b => b.Label))})";

    /// <summary>The band an age falls in.</summary>
    /// <param name="age">An age in completed years, 0 to <see cref="AgeRange.MaxAge"/>.</param>
    /// <returns>The band's index in <see cref="Bands"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="age"/> is outside 0 to <see cref="AgeRange.MaxAge"/>.</exception>
    public int BandOf(int age)
    {
        Preconditions.CheckInRange(age, 0, AgeRange.MaxAge);
        var i = 0;
        while (!Bands[i].Contains(age))
        {
            i++;
        }
        return i;
    }

    /// <summary>The band that holds every age of <paramref name="range"/> (a band of another scheme nests in it), or -1 when the range straddles two bands and is not comparable.</summary>
    /// <param name="range">A range known only as a band.</param>
    /// <returns>The band's index in <see cref="Bands"/>, or -1.</returns>
    public int BandContaining(AgeRange range)
    {
        var band = BandOf(range.From);
        return range.IsWithin(Bands[band]) ? band : -1;
    }

    /// <summary>Finds a built-in scheme by its code.</summary>
    /// <param name="code">The code, such as <c>un-child</c>.</param>
    /// <param name="scheme">The scheme, when found.</param>
    /// <returns>Whether the code is a built-in scheme's.</returns>
    public static bool TryGetBuiltIn(string? code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AgeBandScheme? scheme)
    {
        scheme = BuiltIn.FirstOrDefault(s => string.Equals(s.Code, code, StringComparison.Ordinal));
        return scheme is not null;
    }

    private static AgeBandScheme Of(string code, params int[] starts) =>
        new(code, [.. starts.Select((s, i) => new AgeRange(s, i + 1 < starts.Length ? starts[i + 1] - 1 : null))]);

    /// <inheritdoc />
    public bool Equals(AgeBandScheme? other) => other is not null && Code == other.Code && Bands.SequenceEqual(other.Bands);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AgeBandScheme);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Code, Bands.Count, Bands[0], Bands[^1]);

    /// <summary>The description.</summary>
    /// <returns><see cref="Describe"/>.</returns>
    public override string ToString() => Describe();
}

/// <summary>The ages an <see cref="AgeBand"/> stands for.</summary>
public static class AgeBands
{
    /// <summary>The range of ages a band holds.</summary>
    /// <param name="band">A band.</param>
    /// <returns>Its range, or <c>null</c> for <see cref="AgeBand.NotRecorded"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="band"/> is undefined.</exception>
    public static AgeRange? Range(this AgeBand band) => Preconditions.CheckDefined(band) switch
    {
        AgeBand.Age0To4 => new AgeRange(0, 4),
        AgeBand.Age5To9 => new AgeRange(5, 9),
        AgeBand.Age10To14 => new AgeRange(10, 14),
        AgeBand.Age15To17 => new AgeRange(15, 17),
        AgeBand.Age18To24 => new AgeRange(18, 24),
        AgeBand.Age25To49 => new AgeRange(25, 49),
        AgeBand.Age50Plus => new AgeRange(50),
        AgeBand.Age18Plus => new AgeRange(18),
        _ => null,
    };

    /// <summary>The band of today's list an age falls in (<see cref="AgeBandScheme.AgeBandList"/>).</summary>
    /// <param name="age">An age in completed years, 0 to <see cref="AgeRange.MaxAge"/>.</param>
    /// <returns>The band.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="age"/> is outside 0 to <see cref="AgeRange.MaxAge"/>.</exception>
    public static AgeBand Of(int age) => Preconditions.CheckInRange(age, 0, AgeRange.MaxAge) switch
    {
        < 5 => AgeBand.Age0To4,
        < 10 => AgeBand.Age5To9,
        < 15 => AgeBand.Age10To14,
        < 18 => AgeBand.Age15To17,
        < 25 => AgeBand.Age18To24,
        < 50 => AgeBand.Age25To49,
        _ => AgeBand.Age50Plus,
    };
}
