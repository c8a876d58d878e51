using SafetyPrograms.Aggregation;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>
/// The rules a table must meet before it is published: a minimum cell size, optional rounding, and whether zeros
/// may be shown.
/// </summary>
/// <remarks>
/// <para><see cref="Apply"/> suppresses every figure (cell or margin) from 1 to <see cref="MinimumCellSize"/> − 1
/// (primary suppression), then suppresses further figures (secondary suppression, choosing the smallest non-zero ones)
/// until no suppressed figure can be worked out from the published ones: for every suppressed figure, the values it
/// could take given every published row, column, subtotal and grand total, across every level of a hierarchy, span at
/// least <see cref="MinimumCellSize"/>. That last condition is checked exactly, by linear programming, and suppression
/// is strengthened until it holds. The reader is assumed to know this policy: when zeros are shown, every hidden figure
/// is taken to be at least 1. Published outputs show one mark for every hidden figure, never whether it was small or
/// hidden to protect another (that would let the reader narrow it); the reasons are for the owner's
/// <see cref="PublicationAudit"/>. Tables published together are protected together by a <see cref="PublicationSession"/>.</para>
/// <para>Zeros: a zero is shown by default (<see cref="ShowZeros"/>), because hiding every zero hides most of a sparse
/// table. But a zero can disclose (no girl at this school attended); with <see cref="ShowZeros"/> <c>false</c>, zeros
/// are suppressed like any other small figure.</para>
/// <para>Rounding, when set, rounds each published figure to the nearest multiple of <see cref="RoundingBase"/>
/// (halves up) after suppression, independently, so rounded parts need not add up to their rounded total.</para>
/// <para>Immutable and thread-safe; equality is by value.</para>
/// </remarks>
public sealed record PublicationPolicy
{
    /// <summary>Creates a policy.</summary>
    /// <param name="minimumCellSize">The smallest count that may be published; 10 by default.</param>
    /// <param name="roundingBase">The base published figures are rounded to, such as 5; <c>null</c> for no rounding.</param>
    /// <param name="showZeros">Whether zeros are published; <c>true</c> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumCellSize"/> is less than 1 or <paramref name="roundingBase"/> is less than 2.</exception>
    public PublicationPolicy(int minimumCellSize = 10, int? roundingBase = null, bool showZeros = true)
    {
        MinimumCellSize = Preconditions.CheckPositive(minimumCellSize);
        if (roundingBase is < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(roundingBase), roundingBase, "A rounding base is at least 2; use null for no rounding.");
        }
        RoundingBase = roundingBase;
        ShowZeros = showZeros;
    }

    /// <summary>Cells under 10 suppressed, no rounding, zeros shown.</summary>
    public static PublicationPolicy Default { get; } = new();

    /// <summary>The smallest count that may be published.</summary>
    public int MinimumCellSize { get; }

    /// <summary>The base published figures are rounded to, or <c>null</c>.</summary>
    public int? RoundingBase { get; }

    /// <summary>Whether zeros are published.</summary>
    public bool ShowZeros { get; }

    /// <summary>
    /// Which marks the reader is assumed to see on hidden figures: one mark for all (the default), or whether each was
    /// hidden as small (primary) or to protect another figure (secondary), as SDMX's confidentiality status can say.
    /// </summary>
    /// <remarks>
    /// With <see cref="SuppressionMarks.PrimaryAndSecondary"/> the audit assumes the reader knows every mark, so a
    /// primary figure is known to lie between 1 (0 when zeros are suppressed) and <see cref="MinimumCellSize"/> − 1 and a
    /// secondary one to be at least <see cref="MinimumCellSize"/>, and it suppresses more until the promise of
    /// <see cref="SuppressionMarks.PrimaryAndSecondary"/> holds; it is more suppression for the same tables.
    /// </remarks>
    public SuppressionMarks Marks { get; init; }

    /// <summary>Applies the policy to a table.</summary>
    /// <param name="table">The table with its true counts.</param>
    /// <param name="linked">Figures a publication session must hide to protect another table, or <c>null</c>.</param>
    /// <param name="rates">The rates published beside the figures, or <c>null</c>.</param>
    /// <param name="rateValues">Per figure, its rates already cleared for publication by group size, or <c>null</c>.</param>
    /// <returns>The table as it may be published: every figure either a value or suppressed (the reason kept for the audit).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    /// <remarks>
    /// The audit solves small linear programs per suppressed figure: a two-way table of a few thousand figures takes
    /// well under a second, a three-way table of several thousand figures a few seconds. Thread-safe.
    /// </remarks>
    internal PublishedTable Apply(
        PublicationTable table, bool[]? linked = null, IReadOnlyList<Measure>? rates = null, IReadOnlyDictionary<Measure, decimal>?[]? rateValues = null)
    {
        Preconditions.CheckNotNull(table);
        var reasons = CellSuppression.Suppress(table.Shape, table.Values, this, linked);
        var figures = new PublishedFigure[table.Shape.Size];
        for (var i = 0; i < figures.Length; i++)
        {
            var coordinates = table.Shape.CoordinatesOf(i);
            var margin = table.Shape.IsMargin(i);
            figures[i] = reasons[i] == SuppressionReason.None
                ? PublishedFigure.Published(coordinates, margin, Round(table.Values[i]), rateValues?[i])
                : PublishedFigure.Suppressed(coordinates, margin, reasons[i]);
        }
        var empty = table.Dimensions.All(d => d.Categories.Count == 0) ? EmptyReason : null;
        return new PublishedTable(this, table.Dimensions, table.Shape, figures, empty, rates ?? [])
        {
            AgeScheme = table.AgeScheme,
            DisabilityCutoff = table.DisabilityCutoff,
        };
    }

    /// <summary>What an empty table says about itself.</summary>
    internal const string EmptyReason = "no records in this table's scope (its filters and dates)";

    /// <summary>Whether a true value must be suppressed on its own (primary suppression).</summary>
    internal bool IsTooSmall(long value) => value < MinimumCellSize && (value > 0 || !ShowZeros);

    /// <summary>
    /// What a reader who knows this policy (and, with <see cref="SuppressionMarks.PrimaryAndSecondary"/>, the figure's
    /// mark) knows of a hidden figure: its least value, and its greatest when the mark tells one.
    /// </summary>
    /// <param name="reason">Why the figure is hidden.</param>
    /// <param name="value">Its true value; the bounds always contain it.</param>
    internal (long Lower, long? Upper) HiddenRange(SuppressionReason reason, long value)
    {
        if (Marks == SuppressionMarks.Uniform)
        {
            // A hidden zero would be shown, so a hidden figure is at least 1; a zero hidden as a last-resort complement keeps 0.
            return (ShowZeros && value > 0 ? 1 : 0, null);
        }
        return reason == SuppressionReason.Primary
            ? (ShowZeros ? 1 : 0, MinimumCellSize - 1)
            // Secondary figures are chosen among published ones: at least the minimum, or a zero hidden as a last resort.
            : value >= MinimumCellSize ? (MinimumCellSize, null) : (0, 0);
    }

    internal long Round(long value) => RoundingBase is { } b ? (value + b / 2) / b * b : value;

    /// <summary>The policy in words, as published tables state it.</summary>
    /// <returns>Such as <c>cells under 10 suppressed, rounded to 5, zeros shown</c>.</returns>
    public override string ToString() =>
        $"cells under {MinimumCellSize} suppressed{(RoundingBase is { } b ? $", rounded to {b}" : string.Empty)}, zeros {(ShowZeros ? "shown" : "suppressed")}"
        + (Marks == SuppressionMarks.PrimaryAndSecondary ? ", primary and secondary suppression marked" : string.Empty);
}

/// <summary>The marks a reader sees on hidden figures, which the publication audit assumes they know.</summary>
public enum SuppressionMarks
{
    /// <summary>
    /// One mark for every hidden figure: the reader cannot tell a small figure from one hidden to protect it, and every
    /// hidden figure keeps a range at least the minimum wide.
    /// </summary>
    Uniform,

    /// <summary>
    /// Primary and secondary suppression marked apart (SDMX <c>CONF_STATUS</c> <c>C</c> and <c>D</c>). A primary figure is
    /// then known to lie between 1 (0 when zeros are suppressed) and the minimum − 1, and the policy promises that
    /// nothing else published narrows it: its range is the one its mark and the marks of the figures it adds up with
    /// give (two primary figures under a primary total: each at most the minimum − 2), and never a single value, or the
    /// publication is refused. A secondary figure is known to be at least the minimum and keeps a range at least the
    /// minimum wide above that. A zero hidden as a last-resort complement is marked secondary and is taken as known
    /// (zeros are published anyway under a policy that shows them).
    /// </summary>
    PrimaryAndSecondary,
}
