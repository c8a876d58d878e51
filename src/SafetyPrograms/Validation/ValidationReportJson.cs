using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;

namespace SafetyPrograms.Validation;

/// <summary>The JSON shape of a <see cref="ValidationReport"/>: camelCase members, camelCase enum strings, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(SeverityConverter)],
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ValidationReport))]
internal sealed partial class ValidationReportJson : JsonSerializerContext
{
    // Lazily, because the generated Default lives in another part of this class and static initialisers across
    // partial files run in no defined order.
    internal static ValidationReportJson Compact => field ??= new(CreateOptions(indented: false));

    internal static ValidationReportJson Indented => field ??= new(CreateOptions(indented: true));

    internal static string Schema => SchemaText.Value;

    private static readonly Lazy<string> SchemaText = new(BuildSchema);

    private static JsonSerializerOptions CreateOptions(bool indented) => new(Default.Options)
    {
        WriteIndented = indented,
        IndentSize = 2,
        NewLine = "\n",
    };

    private static string BuildSchema()
    {
        var node = Compact.Options.GetJsonSchemaAsNode(
            typeof(ValidationReport),
            new JsonSchemaExporterOptions
            {
                TreatNullObliviousAsNonNullable = true,
                TransformSchemaNode = (context, schema) =>
                {
                    if (context.PropertyInfo is { Name: "code", DeclaringType: var type } && type == typeof(ValidationFinding) && schema is JsonObject code)
                    {
                        code["pattern"] = "^SP[0-9]{4}$";
                    }
                    return schema;
                },
            });
        if (node is JsonObject root)
        {
            var described = new JsonObject
            {
                ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                ["title"] = "SafetyPrograms validation report",
                ["description"] = "Every finding of validating a programme dataset or participation stream; codes are documented in the README's Validation rules table.",
            };
            foreach (var (name, value) in root.ToList())
            {
                root.Remove(name);
                described[name] = value;
            }
            node = described;
        }
        return node.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            IndentSize = 2,
            NewLine = "\n",
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n";
    }
}

/// <summary>Writes severities as the text rendering does: <c>error</c>, <c>warning</c>, <c>info</c>.</summary>
internal sealed class SeverityConverter() : JsonStringEnumConverter<FindingSeverity>(JsonNamingPolicy.CamelCase);
