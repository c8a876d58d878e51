using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>
/// The data owner's private audit of a publication: why each figure was hidden. Never publish it.
/// </summary>
/// <remarks>
/// Published outputs (<see cref="PublishedTableWriter"/>) show one mark for every hidden figure. The reasons are kept here
/// for the owner, who already holds the true figures: a reader who had them could tell a small figure from one hidden to
/// protect it, and pin the small one down. Stateless and thread-safe.
/// </remarks>
public static class PublicationAudit
{
    /// <summary>Why a figure was hidden.</summary>
    /// <param name="figure">A figure of a published table.</param>
    /// <returns><see cref="SuppressionReason.None"/> for a published figure.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="figure"/> is null.</exception>
    public static SuppressionReason ReasonOf(PublishedFigure figure) => Preconditions.CheckNotNull(figure).Suppression;

    /// <summary>
    /// Writes the audit as CSV: a header of the dimension names and <c>reason</c>, then one row per suppressed figure with
    /// <c>primary</c> (under the minimum), <c>secondary</c> (protects a figure of the same table) or <c>linked</c>
    /// (protects a figure of another table of the same session).
    /// </summary>
    /// <param name="table">The published table.</param>
    /// <param name="output">Where the CSV is written; it is left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteCsv(PublishedTable table, TextWriter output)
    {
        Preconditions.CheckNotNull(table);
        Preconditions.CheckNotNull(output);
        output.Write("# private audit: why figures were suppressed. Do not publish.\n");
        var fields = table.Dimensions.Select(d => d.Name).Append("reason").ToList();
        CsvText.WriteRecord(output, fields);
        foreach (var figure in table.Figures.Where(f => f.IsSuppressed))
        {
            fields.Clear();
            fields.AddRange(figure.Coordinates);
            fields.Add(ReasonText(figure.Suppression));
            CsvText.WriteRecord(output, fields);
        }
    }

    internal static string ReasonText(SuppressionReason reason) => reason switch
    {
        SuppressionReason.Primary => "primary",
        SuppressionReason.Secondary => "secondary",
        SuppressionReason.Linked => "linked",
        _ => string.Empty,
    };
}
