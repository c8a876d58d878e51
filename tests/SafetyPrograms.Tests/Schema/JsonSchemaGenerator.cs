using System.ComponentModel;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using System.Xml.Linq;
using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Schema;

/// <summary>
/// Generates the Draft 2020-12 JSON Schemas from the serialization contract itself: System.Text.Json's
/// <see cref="JsonSchemaExporter"/> over <see cref="SafetyProgramsJsonContext"/>, plus a transform for what the
/// exporter cannot see: our converters (dates, identifiers, codes, enums, periods), the minimums of
/// <see cref="Minimums"/> and <see cref="Maximums"/>, the supported schema versions, non-blank required strings, and descriptions from a
/// <see cref="DescriptionAttribute"/> or else the XML documentation.
/// </summary>
/// <remarks>
/// The output is checked into <c>src/SafetyPrograms/schemas/</c> and embedded in the package; a test regenerates it
/// and fails when the two drift apart. The generator is a test helper, not package code: the package only embeds its
/// output (<c>JsonSchemas</c>, which <c>safetyprograms schema</c> writes out).
/// </remarks>
internal static class JsonSchemaGenerator
{
    internal const string DatasetFileName = "programme-dataset.schema.json";
    internal const string ParticipationRecordFileName = "participation-record.schema.json";

    private const string Draft = "https://json-schema.org/draft/2020-12/schema";
    private const string IdBase = "urn:safetyprograms:schema:";
    private const string DatePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

    /// <summary>
    /// The least value of each bounded number in the contract, as the domain constructors enforce it; the schema
    /// states these facts here so that the domain carries no schema attributes.
    /// </summary>
    private static readonly Dictionary<(Type Owner, string Member), decimal> Minimums = new()
    {
        [(typeof(Attendance), nameof(Attendance.Count))] = 0,
        [(typeof(Activity), nameof(Activity.DurationMinutes))] = 0,
        [(typeof(Cohort), nameof(Cohort.Size))] = 0,
        [(typeof(Phase), nameof(Phase.Sequence))] = 1,
        [(typeof(Target), nameof(Target.Value))] = 0,
        [(typeof(DisaggregationCell), nameof(DisaggregationCell.Value))] = 0,
        [(typeof(ReportedActual), nameof(ReportedActual.Value))] = 0,
        [(typeof(Indicator), nameof(Indicator.YearStartMonth))] = 1,
    };

    /// <summary>The greatest value of each number bounded above, as the domain constructors enforce it.</summary>
    private static readonly Dictionary<(Type Owner, string Member), decimal> Maximums = new()
    {
        [(typeof(Indicator), nameof(Indicator.YearStartMonth))] = 12,
    };

    /// <summary>The dataset document schema.</summary>
    internal static string Dataset(XDocument? documentation) => Generate(
        SafetyProgramsJsonContext.Default.ProgrammeDataset, DatasetFileName, "Programme dataset", documentation);

    /// <summary>The schema of one participation record (a JSON Lines line).</summary>
    internal static string ParticipationRecord(XDocument? documentation) => Generate(
        SafetyProgramsJsonContext.Default.ParticipationRecord, ParticipationRecordFileName, "Participation record", documentation);

    /// <summary>The XML documentation file the build writes next to this assembly, or <c>null</c> when absent.</summary>
    internal static XDocument? LoadDocumentation()
    {
        var path = Path.ChangeExtension(typeof(ProgrammeDataset).Assembly.Location, ".xml");
        return File.Exists(path) ? XDocument.Load(path) : null;
    }

    private static string Generate(JsonTypeInfo typeInfo, string fileName, string title, XDocument? documentation)
    {
        var docs = new Documentation(documentation);
        var exported = JsonSchemaExporter.GetJsonSchemaAsNode(typeInfo, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) => Transform(context, node, docs),
        });
        var schema = new JsonObject
        {
            ["$schema"] = Draft,
            ["$id"] = IdBase + Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(fileName)) + ":" + ProgrammeDataset.CurrentSchemaVersion,
            ["title"] = title,
        };
        foreach (var (key, value) in exported.AsObject().ToList())
        {
            exported.AsObject().Remove(key);
            schema[key] = value;
        }
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 2, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static JsonObject Transform(JsonSchemaExporterContext context, JsonNode node, Documentation docs)
    {
        if (context.PropertyInfo is { } property)
        {
            return ForProperty(property, node, docs);
        }
        var schema = ForType(context.TypeInfo.Type, nullable: false, node);
        if (docs.Summary("T", context.TypeInfo.Type, null) is { } description)
        {
            schema["description"] = description;
        }
        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && schema["properties"] is JsonObject properties)
        {
            foreach (var member in context.TypeInfo.Properties)
            {
                // The exporter does not call the transform for every member whose type has a custom converter
                // (Id<School>?, an enum with a default value) nor for such list items, so redo those here.
                var type = Nullable.GetUnderlyingType(member.PropertyType) ?? member.PropertyType;
                if (ForConverter(type) is not null)
                {
                    properties[member.Name] = ForProperty(member, new JsonObject(), docs);
                }
                else if (properties[member.Name] is JsonObject list
                    && context.TypeInfo.Options.GetTypeInfo(member.PropertyType).ElementType is { } itemType
                    && ForConverter(itemType) is { } item)
                {
                    list["items"] = item;
                }
            }
            // Descriptions first and "properties" before "required", for people reading the file.
            Reorder(schema, "description", "type", "properties", "required", "additionalProperties");
        }
        return schema;
    }

    private static JsonObject ForType(Type type, bool nullable, JsonNode node)
    {
        var schema = ForConverter(type) is { } replacement ? AllowNull(replacement, nullable) : node as JsonObject ?? new JsonObject();
        schema.Remove("default");
        return schema;
    }

    private static JsonObject ForProperty(JsonPropertyInfo property, JsonNode node, Documentation docs)
    {
        var underlying = Nullable.GetUnderlyingType(property.PropertyType);
        var nullable = underlying is not null || (!property.PropertyType.IsValueType && property.AssociatedParameter is { IsNullable: true });
        var type = underlying ?? property.PropertyType;
        var schema = ForType(type, nullable, node);
        var member = property.AttributeProvider as MemberInfo;
        if (member is not null && Minimums.TryGetValue((member.DeclaringType!, member.Name), out var minimum))
        {
            schema["minimum"] = JsonValue.Create(minimum);
        }
        if (member is not null && Maximums.TryGetValue((member.DeclaringType!, member.Name), out var maximum))
        {
            schema["maximum"] = JsonValue.Create(maximum);
        }
        if (type == typeof(string) && !nullable)
        {
            // Every required text in the model is refused when blank.
            schema["pattern"] = "\\S";
        }
        if (property.DeclaringType == typeof(ProgrammeDataset) && member?.Name == nameof(ProgrammeDataset.SchemaVersion))
        {
            schema["enum"] = new JsonArray([.. ProgrammeDatasetJson.SupportedSchemaVersions.Select(v => (JsonNode?)v)]);
        }
        if (member is not null && (member.GetCustomAttribute<DescriptionAttribute>()?.Description ?? docs.Summary("P", member.DeclaringType!, member.Name)) is { } description)
        {
            schema["description"] = description;
            Reorder(schema, "description");
        }
        return schema;
    }

    /// <summary>The schema of a type written by one of our converters, which the exporter sees as "anything".</summary>
    private static JsonObject? ForConverter(Type type)
    {
        if (type == typeof(LocalDate))
        {
            return Date();
        }
        if (type == typeof(BeneficiaryKey) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Id<>)))
        {
            return new() { ["type"] = "string", ["pattern"] = Identifiers.Pattern };
        }
        if (type == typeof(CountryCode))
        {
            return new() { ["type"] = "string", ["pattern"] = CountryCode.Pattern };
        }
        if (type == typeof(IatiIdentifier))
        {
            return new() { ["type"] = "string", ["pattern"] = IatiIdentifier.Pattern };
        }
        if (type == typeof(SubdivisionCode))
        {
            return new() { ["type"] = "string", ["pattern"] = SubdivisionCode.Pattern };
        }
        if (type == typeof(AgeRange))
        {
            return new() { ["type"] = "string", ["pattern"] = AgeRange.Pattern };
        }
        if (type.IsEnum)
        {
            var names = (IReadOnlyList<string>)typeof(EnumNames<>).MakeGenericType(type)
                .GetProperty("Names", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
            return new() { ["type"] = "string", ["enum"] = new JsonArray([.. names.Select(n => (JsonNode?)n)]) };
        }
        if (type == typeof(DatePeriod))
        {
            return StartEnd(endRequired: false);
        }
        if (type == typeof(DateInterval))
        {
            return StartEnd(endRequired: true);
        }
        return null;
    }

    private static JsonObject Date() => new() { ["type"] = "string", ["format"] = "date", ["pattern"] = DatePattern };

    private static JsonObject StartEnd(bool endRequired) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["start"] = Date(),
            ["end"] = endRequired ? Date() : AllowNull(Date(), nullable: true),
        },
        ["required"] = endRequired ? new JsonArray("start", "end") : new JsonArray("start"),
        ["additionalProperties"] = false,
    };

    private static JsonObject AllowNull(JsonObject schema, bool nullable)
    {
        if (nullable && schema["type"] is JsonValue type)
        {
            schema["type"] = new JsonArray(type.GetValue<string>(), "null");
            if (schema["enum"] is JsonArray values)
            {
                values.Add(null);
            }
        }
        return schema;
    }

    private static void Reorder(JsonObject schema, params string[] first)
    {
        var all = schema.ToList();
        schema.Clear();
        foreach (var key in first)
        {
            if (all.FirstOrDefault(p => p.Key == key) is { Key: not null } pair)
            {
                schema[key] = pair.Value;
            }
        }
        foreach (var (key, value) in all)
        {
            if (!schema.ContainsKey(key))
            {
                schema[key] = value;
            }
        }
    }

    /// <summary>Summaries from the compiler's XML documentation file, as plain text.</summary>
    private sealed class Documentation(XDocument? file)
    {
        private readonly Dictionary<string, XElement> _members = file?.Root?.Element("members")?.Elements("member")
            .Where(m => m.Attribute("name") is not null)
            .ToDictionary(m => m.Attribute("name")!.Value, StringComparer.Ordinal) ?? [];

        internal string? Summary(string kind, Type type, string? member)
        {
            if (type.IsGenericType || type.FullName is null)
            {
                return null;
            }
            var key = member is null ? $"{kind}:{type.FullName}" : $"{kind}:{type.FullName}.{member}";
            return _members.TryGetValue(key, out var element) && element.Element("summary") is { } summary ? Text(summary) : null;
        }

        private static string Text(XElement summary)
        {
            var parts = summary.Nodes().Select(node => node switch
            {
                XText text => text.Value,
                XElement { Name.LocalName: "see" or "seealso" } see =>
                    see.Attribute("langword")?.Value ?? ShortName(see.Attribute("cref")?.Value) ?? see.Value,
                XElement { Name.LocalName: "paramref" or "typeparamref" } reference => reference.Attribute("name")?.Value ?? string.Empty,
                XElement element => element.Value,
                _ => string.Empty,
            });
            return string.Join(' ', string.Concat(parts).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }

        private static string? ShortName(string? cref)
        {
            if (cref is null)
            {
                return null;
            }
            var name = cref[(cref.IndexOf(':', StringComparison.Ordinal) + 1)..];
            var paren = name.IndexOf('(', StringComparison.Ordinal);
            name = paren >= 0 ? name[..paren] : name;
            var dot = name.LastIndexOf('.');
            return dot >= 0 ? name[(dot + 1)..] : name;
        }
    }
}
