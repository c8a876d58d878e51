using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;

namespace SafetyPrograms.Validation;

/// <summary>The JSON shape of a <see cref="ValidationReport"/>: camelCase members, camelCase enum strings, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ValidationReport))]
internal sealed partial class ValidationReportJson : JsonSerializerContext
{
    internal static ValidationReportJson Compact { get; } = new(CreateOptions(indented: false));

    internal static ValidationReportJson Indented { get; } = new(CreateOptions(indented: true));

    internal static string Schema => SchemaText.Value;

    private static readonly Lazy<string> SchemaText = new(BuildSchema);

    private static JsonSerializerOptions CreateOptions(bool indented) => new(Default.Options)
    {
        WriteIndented = indented,
        IndentSize = 2,
        NewLine = "\n",
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static string BuildSchema()
    {
        var node = Compact.Options.GetJsonSchemaAsNode(
            typeof(ValidationReport),
            new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
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
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 2, NewLine = "\n" }) + "\n";
    }
}
