using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Privacy;

/// <summary>
/// The JSON document of a <see cref="PublishedTable"/>, written through the one contract: the policy, the count of
/// suppressed figures, the reason an empty table is empty, the dimensions and the figures.
/// </summary>
/// <param name="PublicationPolicy">The policy applied.</param>
/// <param name="SuppressedFigures">How many figures carry the mark instead of a value.</param>
/// <param name="Empty">Why the table has no figures but its total, or null.</param>
/// <param name="Dimensions">The dimensions, in the table's order.</param>
/// <param name="Figures">The figures, in the table's order.</param>
/// <param name="AgeScheme">The age band scheme, described, when the table groups or filters by age; else not written.</param>
/// <param name="DisabilityCutoff">The disability cut-off, described, when the table groups or filters by disability; else not written.</param>
internal sealed record PublishedTableDocument(
    PolicyDocument PublicationPolicy,
    int SuppressedFigures,
    string? Empty,
    IReadOnlyList<DimensionDocument> Dimensions,
    IReadOnlyList<FigureDocument> Figures,
    string? AgeScheme = null,
    string? DisabilityCutoff = null)
{
    internal static PublishedTableDocument Of(PublishedTable table) => new(
        new PolicyDocument(table.Policy.MinimumCellSize, table.Policy.RoundingBase, table.Policy.ShowZeros, table.Policy.ToString()),
        table.SuppressedCount,
        table.EmptyReason,
        [.. table.Dimensions.Select(d => new DimensionDocument(d.Name, d.Total, [.. d.Categories.Select(c => new CategoryDocument(c, d.ParentOf(c)))]))],
        [.. table.Figures.Select(f => FigureDocument.Of(table, f))],
        table.AgeScheme?.Describe(),
        table.DisabilityCutoff?.Description);
}

/// <summary>The policy as published: its settings and its plain-words statement.</summary>
/// <param name="MinimumCellSize">The smallest figure shown.</param>
/// <param name="RoundingBase">The base figures are rounded to, or null.</param>
/// <param name="ShowZeros">Whether zeros are shown.</param>
/// <param name="Applied">The policy in words.</param>
internal sealed record PolicyDocument(int MinimumCellSize, int? RoundingBase, bool ShowZeros, string Applied);

/// <summary>A dimension: its name, the label of its total and its categories.</summary>
/// <param name="Name">The dimension's name.</param>
/// <param name="Total">The label of its total.</param>
/// <param name="Categories">Its categories, in order.</param>
internal sealed record DimensionDocument(string Name, string Total, IReadOnlyList<CategoryDocument> Categories);

/// <summary>A category and the category it nests in, if any.</summary>
/// <param name="Code">The category.</param>
/// <param name="Parent">The parent category, or null.</param>
internal sealed record CategoryDocument(string Code, string? Parent);

/// <summary>
/// A figure: where it stands, then its value or the mark (<c>"suppressed":true</c>, with no value), then its rates (null
/// where a rate is not published) when the table has any.
/// </summary>
/// <param name="At">The category of each dimension, in the table's dimension order.</param>
/// <param name="Value">The published value, or null when suppressed.</param>
/// <param name="Suppressed">True when suppressed, otherwise null (not written).</param>
/// <param name="Rates">The rates by name, or null for a plain count table.</param>
internal sealed record FigureDocument(
    IReadOnlyDictionary<string, string> At, long? Value, bool? Suppressed, IReadOnlyDictionary<string, decimal?>? Rates)
{
    internal static FigureDocument Of(PublishedTable table, PublishedFigure figure)
    {
        // A dictionary filled once, without removals, enumerates in insertion order: the dimensions' order.
        var at = new Dictionary<string, string>(table.Dimensions.Count, StringComparer.Ordinal);
        for (var d = 0; d < table.Dimensions.Count; d++)
        {
            at.Add(table.Dimensions[d].Name, figure.Coordinates[d]);
        }
        var rates = table.Rates.Count == 0 ? null : table.Rates.ToDictionary(r => r.Name(), figure.RateOf, StringComparer.Ordinal);
        return new(at, figure.Value, figure.Value is null ? true : null, rates);
    }
}
