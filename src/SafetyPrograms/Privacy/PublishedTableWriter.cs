using System.Globalization;
using System.Net;
using System.Text.Json;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>Renders a <see cref="PublishedTable"/> as JSON, CSV or an HTML fragment, each stating the policy applied.</summary>
/// <remarks>
/// A suppressed figure is written with no value and its reason: in JSON <c>"suppressed":"primary"</c> with no
/// <c>value</c> member; in CSV an empty <c>value</c> and <c>primary</c> or <c>secondary</c> in the <c>suppressed</c>
/// column; in HTML the marker <see cref="SuppressedMarker"/> with the reason. The true value is not available to these
/// writers at all. Stateless and thread-safe.
/// </remarks>
public static class PublishedTableWriter
{
    /// <summary>What an HTML report shows in place of a suppressed figure.</summary>
    public const string SuppressedMarker = "–";

    /// <summary>Writes the table as JSON.</summary>
    /// <param name="table">The published table.</param>
    /// <param name="output">Where the UTF-8 JSON is written; it is left open.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>
    /// The document is <c>{"publicationPolicy":{…},"suppressedFigures":{"primary":n,"secondary":n},"dimensions":[…],"figures":[{"at":{"sex":"girl"},"value":35}, {"at":{…},"suppressed":"primary"}]}</c>.
    /// </remarks>
    public static void WriteJson(PublishedTable table, Stream output)
    {
        Preconditions.CheckNotNull(table);
        Preconditions.CheckNotNull(output);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteStartObject("publicationPolicy");
        json.WriteNumber("minimumCellSize", table.Policy.MinimumCellSize);
        if (table.Policy.RoundingBase is { } roundingBase)
        {
            json.WriteNumber("roundingBase", roundingBase);
        }
        json.WriteBoolean("showZeros", table.Policy.ShowZeros);
        json.WriteString("applied", table.Policy.ToString());
        json.WriteEndObject();
        json.WriteStartObject("suppressedFigures");
        json.WriteNumber("primary", table.PrimarySuppressions);
        json.WriteNumber("secondary", table.SecondarySuppressions);
        json.WriteEndObject();
        json.WriteStartArray("dimensions");
        foreach (var dimension in table.Dimensions)
        {
            json.WriteStartObject();
            json.WriteString("name", dimension.Name);
            json.WriteString("total", dimension.Total);
            json.WriteStartArray("categories");
            foreach (var code in dimension.Categories)
            {
                json.WriteStartObject();
                json.WriteString("code", code);
                if (dimension.ParentOf(code) is { } parent)
                {
                    json.WriteString("parent", parent);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("figures");
        foreach (var figure in table.Figures)
        {
            json.WriteStartObject();
            json.WriteStartObject("at");
            for (var d = 0; d < table.Dimensions.Count; d++)
            {
                json.WriteString(table.Dimensions[d].Name, figure.Coordinates[d]);
            }
            json.WriteEndObject();
            if (figure.Value is { } value)
            {
                json.WriteNumber("value", value);
            }
            else
            {
                json.WriteString("suppressed", ReasonText(figure.Suppression));
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Writes the table as CSV: a header of the dimension names, <c>value</c> and <c>suppressed</c>, then one row per figure.</summary>
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
        var fields = table.Dimensions.Select(d => d.Name).Append("value").Append("suppressed").ToList();
        CsvText.WriteRecord(output, fields);
        foreach (var figure in table.Figures)
        {
            fields.Clear();
            fields.AddRange(figure.Coordinates);
            fields.Add(figure.Value is { } v ? v.ToString(CultureInfo.InvariantCulture) : string.Empty);
            fields.Add(figure.IsSuppressed ? ReasonText(figure.Suppression) : string.Empty);
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
        output.Write($"{table.PrimarySuppressions} figures suppressed as too small (primary), ");
        output.Write($"{table.SecondarySuppressions} to protect them (secondary), shown as {SuppressedMarker}.</p>\n");
        output.Write("<table class=\"published-table\">\n<thead><tr>");
        foreach (var dimension in table.Dimensions)
        {
            output.Write($"<th>{WebUtility.HtmlEncode(dimension.Name)}</th>");
        }
        output.Write("<th>value</th></tr></thead>\n<tbody>\n");
        foreach (var figure in table.Figures)
        {
            output.Write(figure.IsMargin ? "<tr class=\"margin\">" : "<tr>");
            foreach (var code in figure.Coordinates)
            {
                output.Write($"<td>{WebUtility.HtmlEncode(code)}</td>");
            }
            output.Write(figure.Value is { } v
                ? $"<td class=\"value\">{v.ToString(CultureInfo.InvariantCulture)}</td>"
                : $"<td class=\"suppressed {ReasonText(figure.Suppression)}\" title=\"suppressed ({ReasonText(figure.Suppression)})\">{SuppressedMarker} <small>{ReasonText(figure.Suppression)}</small></td>");
            output.Write("</tr>\n");
        }
        output.Write("</tbody>\n</table>\n");
    }

    /// <summary>The reason as written in every rendering: <c>primary</c> or <c>secondary</c>.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The lower-case word; empty for <see cref="SuppressionReason.None"/>.</returns>
    public static string ReasonText(SuppressionReason reason) => reason switch
    {
        SuppressionReason.Primary => "primary",
        SuppressionReason.Secondary => "secondary",
        _ => string.Empty,
    };
}
