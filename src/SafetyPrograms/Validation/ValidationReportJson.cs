using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Validation;

/// <summary>
/// The JSON Schema of a <see cref="ValidationReport"/>, exported from the one contract
/// (<see cref="SafetyProgramsJsonContext.Contract"/>) that writes and reads the report.
/// </summary>
internal static class ValidationReportJson
{
    internal static string Schema => SchemaText.Value;

    private static readonly Lazy<string> SchemaText = new(BuildSchema);

    private static string BuildSchema()
    {
        var node = SafetyProgramsJsonContext.TypeInfo<ValidationReport>().GetJsonSchemaAsNode(
            new JsonSchemaExporterOptions
            {
                TreatNullObliviousAsNonNullable = true,
                TransformSchemaNode = (context, schema) =>
                {
                    if (context.PropertyInfo is { Name: "code", DeclaringType: var type } && type == typeof(ValidationFinding) && schema is JsonObject code)
                    {
                        code["pattern"] = "^SP[0-9]{4}$";
                    }
                    // The contract's enum converter is opaque to the exporter; the names come from the one name table.
                    if (context.TypeInfo.Type == typeof(FindingSeverity))
                    {
                        return new JsonObject { ["enum"] = new JsonArray([.. EnumNames<FindingSeverity>.Names.Select(n => JsonValue.Create(n))]) };
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
