using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// The JSON document of an <see cref="AggregationResult"/>, written through the one contract:
/// <c>{"groupBy":[…],"rows":[{"level":n,"&lt;term&gt;":"&lt;key&gt;",…,"&lt;measure&gt;":number or null,…}]}</c>.
/// </summary>
/// <param name="GroupBy">The grouping terms' names.</param>
/// <param name="Rows">The rows, in the result's order.</param>
/// <param name="AgeScheme">The age band scheme, described, when the query grouped or filtered by age.</param>
/// <param name="DisabilityCutoff">The disability cut-off, described, when the query grouped or filtered by disability.</param>
internal sealed record ResultDocument(
    IReadOnlyList<string> GroupBy, IReadOnlyList<ResultRowDocument> Rows, string? AgeScheme = null, string? DisabilityCutoff = null)
{
    internal static ResultDocument Of(AggregationResult result) =>
        new(
            [.. result.GroupBy.Select(t => t.Name)], [.. result.Rows.Select(r => new ResultRowDocument(result, r))],
            result.AgeScheme?.Describe(), result.DisabilityCutoff?.Description);
}

/// <summary>One row of a <see cref="ResultDocument"/>; its members are named after the result's terms and measures.</summary>
/// <param name="Result">The result the row belongs to.</param>
/// <param name="Row">The row.</param>
[JsonConverter(typeof(ResultRowConverter))]
internal readonly record struct ResultRowDocument(AggregationResult Result, ResultRow Row);

/// <summary>
/// Writes a row: its level, the key of each term it is not rolled up over, then each measure (null where it has no
/// value, such as a mean over no scores).
/// </summary>
internal sealed class ResultRowConverter : JsonConverter<ResultRowDocument>
{
    public override ResultRowDocument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Aggregation results are written, not read: merge partial results (AggregatePartial) instead.");

    public override void Write(Utf8JsonWriter writer, ResultRowDocument value, JsonSerializerOptions options)
    {
        var (result, row) = value;
        writer.WriteStartObject();
        writer.WriteNumber("level", row.Level);
        for (var i = 0; i < result.GroupBy.Count - row.Level; i++)
        {
            writer.WriteString(result.GroupBy[i].Name, row.Key(i));
        }
        foreach (var measure in result.Measures)
        {
            if (row[measure] is { } number)
            {
                writer.WriteNumber(measure.Name(), number);
            }
            else
            {
                writer.WriteNull(measure.Name());
            }
        }
        writer.WriteEndObject();
    }
}
