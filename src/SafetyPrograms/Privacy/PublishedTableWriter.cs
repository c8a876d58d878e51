using System.Globalization;
using System.Net;
using System.Text.Json;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>Renders a <see cref="PublishedTable"/> as JSON, CSV or an HTML fragment, each stating the policy applied.</summary>
/// <remarks>
/// Every suppressed figure is written the same way, whatever the reason it was hidden: no value and the one mark
/// <see cref="SuppressedMark"/> (in JSON <c>"suppressed":true</c> with no <c>value</c> member; in CSV an empty
/// <c>value</c> and <c>suppressed</c> in the <c>suppressed</c> column; in HTML the mark). Whether a figure was small or
/// hidden to protect another is for the owner's private audit only (<see cref="PublicationAudit"/>): published with the
/// figures, it would let a reader narrow the hidden ones. Rates published beside the counts follow them, and an empty
/// table is written with its reason. The true value is not available to these writers at all. Stateless and thread-safe.
/// </remarks>
public static class PublishedTableWriter
{
    /// <summary>The one mark every rendering shows in place of a suppressed figure or rate.</summary>
    public const string SuppressedMark = "suppressed";

    /// <summary>Writes the table as JSON.</summary>
    /// <param name="table">The published table.</param>
    /// <param name="output">Where the UTF-8 JSON is written; it is left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>
    /// The document is <c>{"publicationPolicy":{…},"suppressedFigures":n,"dimensions":[…],"figures":[{"at":{"sex":"girl"},"value":35}, {"at":{…},"suppressed":true}]}</c>;
    /// an empty table adds <c>"empty":"reason"</c>, and a table with rates gives each figure <c>"rates":{"completionRate":0.834}</c>
    /// (<c>null</c> where the rate is not published).
    /// </remarks>
    public static void WriteJson(PublishedTable table, Stream output)
    {
        Preconditions.CheckNotNull(table);
        Preconditions.CheckNotNull(output);
        using var json = new Utf8JsonWriter(output, SafetyProgramsJsonContext.WriterOptions(indented: false));
        SafetyProgramsJsonContext.Write(json, PublishedTableDocument.Of(table));
    }

    /// <summary>
    /// Writes the table as CSV: a header of the dimension names, <c>value</c>, <c>suppressed</c> and any rate names, then
    /// one row per figure. An empty table begins with a <c># empty: …</c> comment line giving the reason.
    /// </summary>
    /// <param name="table">The published table.</param>
    /// <param name="output">Where the CSV is written.</param>
    /// <param name="statePolicy">Whether to begin with a <c># publication policy: …</c> comment line.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteCsv(PublishedTable table, TextWriter output, bool statePolicy = false)
    {
        Preconditions.CheckNotNull(table);
        Preconditions.CheckNotNull(output);
        if (statePolicy)
        {
            output.Write($"# publication policy: {table.Policy}\n");
        }
        // A table of ages or disability always says by which scheme and cut-off, whether or not the policy is stated.
        if (table.AgeScheme is { } scheme)
        {
            output.Write($"# age scheme: {scheme.Describe()}\n");
        }
        if (table.DisabilityCutoff is { } cutoff)
        {
            output.Write($"# disability: {cutoff.Description}\n");
        }
        if (table.EmptyReason is { } empty)
        {
            output.Write($"# empty: {empty}\n");
        }
        var fields = table.Dimensions.Select(d => d.Name).Append("value").Append("suppressed").Concat(table.Rates.Select(r => r.Name())).ToList();
        CsvText.WriteRecord(output, fields);
        foreach (var figure in table.Figures)
        {
            fields.Clear();
            fields.AddRange(figure.Coordinates);
            fields.Add(figure.Value is { } v ? v.ToString(CultureInfo.InvariantCulture) : string.Empty);
            fields.Add(figure.IsSuppressed ? SuppressedMark : string.Empty);
            fields.AddRange(table.Rates.Select(r => RateText(figure, r)));
            CsvText.WriteRecord(output, fields);
        }
    }

    /// <summary>Writes the table as an HTML fragment: a note stating the policy and a table with one row per figure.</summary>
    /// <param name="table">The published table.</param>
    /// <param name="output">Where the HTML is written.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteHtml(PublishedTable table, TextWriter output)
    {
        Preconditions.CheckNotNull(table);
        Preconditions.CheckNotNull(output);
        output.Write($"<p class=\"publication-policy\">Publication policy applied: {WebUtility.HtmlEncode(table.Policy.ToString())}. ");
        output.Write($"{table.SuppressedCount} figures suppressed (too small, or hidden so that none can be worked out), shown as {SuppressedMark}.</p>\n");
        if (table.AgeScheme is { } scheme)
        {
            output.Write($"<p class=\"age-scheme\">Age bands: {WebUtility.HtmlEncode(scheme.Describe())}.</p>\n");
        }
        if (table.DisabilityCutoff is { } cutoff)
        {
            output.Write($"<p class=\"disability-cutoff\">Disability: {WebUtility.HtmlEncode(cutoff.Description)}.</p>\n");
        }
        if (table.EmptyReason is { } empty)
        {
            output.Write($"<p class=\"empty-table\">Empty table: {WebUtility.HtmlEncode(empty)}.</p>\n");
        }
        output.Write("<table class=\"published-table\">\n<thead><tr>");
        foreach (var dimension in table.Dimensions)
        {
            output.Write($"<th>{WebUtility.HtmlEncode(dimension.Name)}</th>");
        }
        output.Write("<th>value</th>");
        foreach (var rate in table.Rates)
        {
            output.Write($"<th>{WebUtility.HtmlEncode(rate.Name())}</th>");
        }
        output.Write("</tr></thead>\n<tbody>\n");
        foreach (var figure in table.Figures)
        {
            output.Write(figure.IsMargin ? "<tr class=\"margin\">" : "<tr>");
            foreach (var code in figure.Coordinates)
            {
                output.Write($"<td>{WebUtility.HtmlEncode(code)}</td>");
            }
            output.Write(figure.Value is { } v
                ? $"<td class=\"value\">{v.ToString(CultureInfo.InvariantCulture)}</td>"
                : $"<td class=\"suppressed\">{SuppressedMark}</td>");
            foreach (var rate in table.Rates)
            {
                output.Write(figure.RateOf(rate) is not null
                    ? $"<td class=\"value\">{RateText(figure, rate)}</td>"
                    : $"<td class=\"suppressed\">{SuppressedMark}</td>");
            }
            output.Write("</tr>\n");
        }
        output.Write("</tbody>\n</table>\n");
    }

    /// <summary>A published rate as every rendering writes it: invariant digits, or empty when it is not published.</summary>
    /// <param name="figure">The figure.</param>
    /// <param name="rate">One of the table's rates.</param>
    /// <returns>Such as <c>0.834</c>; empty when the rate is not published.</returns>
    internal static string RateText(PublishedFigure figure, Measure rate) =>
        figure.RateOf(rate) is { } r ? r.ToString(CultureInfo.InvariantCulture) : string.Empty;
}
