using System.Text.Json;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Exchange;

/// <summary>One breakdown dimension as a DHIS2 instance carries it: the ADX attribute, and the code of each of our categories.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class AdxCategory
{
    internal AdxCategory(string attribute, IReadOnlyDictionary<string, string> options)
    {
        Attribute = attribute;
        Options = options;
    }

    /// <summary>The ADX data value attribute (a DHIS2 category), such as <c>sex</c>.</summary>
    public string Attribute { get; }

    /// <summary>Our category (<c>female</c>, <c>10-14</c>) to the DHIS2 category option code.</summary>
    public IReadOnlyDictionary<string, string> Options { get; }
}

/// <summary>
/// How a dataset maps to a DHIS2 instance's codes for an ADX export: the data set, data elements for indicators,
/// organisation units for the country and provinces, attribute options for programmes and phases, and category options
/// for breakdown categories. A small JSON file the caller supplies, described by <see cref="JsonSchema"/> and checked
/// when read, before anything is exported.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class AdxMapping
{
    private static readonly Lazy<string> s_schema = new(() =>
    {
        using var stream = typeof(AdxMapping).Assembly.GetManifestResourceStream("SafetyPrograms.Schemas.adx-mapping.schema.json")
            ?? throw new InvalidOperationException("The embedded schema adx-mapping.schema.json is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private AdxMapping(
        string dataSet, IReadOnlyDictionary<string, string> dataElements, IReadOnlyDictionary<string, string> orgUnits,
        IReadOnlyDictionary<string, string> programmes, IReadOnlyDictionary<string, AdxCategory> categories)
    {
        DataSet = dataSet;
        DataElements = dataElements;
        OrgUnits = orgUnits;
        Programmes = programmes;
        Categories = categories;
    }

    /// <summary>The JSON Schema (Draft 2020-12) of a mapping file.</summary>
    public static string JsonSchema => s_schema.Value;

    /// <summary>The DHIS2 data set code, and the id of the ADX data structure.</summary>
    public string DataSet { get; }

    /// <summary>Indicator id to data element code.</summary>
    public IReadOnlyDictionary<string, string> DataElements { get; }

    /// <summary>Country or province code to organisation unit code.</summary>
    public IReadOnlyDictionary<string, string> OrgUnits { get; }

    /// <summary>Partnership or phase id to attribute option code.</summary>
    public IReadOnlyDictionary<string, string> Programmes { get; }

    /// <summary>Breakdown dimension name to its ADX attribute and category codes.</summary>
    public IReadOnlyDictionary<string, AdxCategory> Categories { get; }

    /// <summary>Reads and checks a mapping file.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <param name="fileName">The file's name, for messages; or <c>null</c>.</param>
    /// <returns>The mapping.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="DataFormatException">
    /// The file is not JSON, or breaks the schema: a missing or unknown member, a code that is not 1 to 50 letters, digits,
    /// <c>_ @ $ -</c>, an attribute that is not a name, or two of our codes mapped to the same DHIS2 code (which an import
    /// could not tell apart). The message names the JSON path.
    /// </exception>
    public static AdxMapping Read(Stream json, string? fileName = null)
    {
        Preconditions.CheckNotNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 });
        }
        catch (JsonException error)
        {
            throw new DataFormatException("The ADX mapping is not valid JSON.", fileName, error.Path, error.LineNumber + 1, error.BytePositionInLine, error);
        }
        using (document)
        {
            var root = document.RootElement;
            Expect(root.ValueKind == JsonValueKind.Object, "$", "The ADX mapping must be a JSON object.");
            string[] known = ["$schema", "dataSet", "dataElements", "orgUnits", "programmes", "categories"];
            foreach (var member in root.EnumerateObject())
            {
                Expect(known.Contains(member.Name), "$." + member.Name, $"Unknown member: the mapping has {string.Join(", ", known.Skip(1))}.");
            }
            var dataSet = Code(Required(root, "dataSet"), "$.dataSet");
            var categories = new Dictionary<string, AdxCategory>(StringComparer.Ordinal);
            if (root.TryGetProperty("categories", out var categoryList))
            {
                Expect(categoryList.ValueKind == JsonValueKind.Object, "$.categories", "categories must be an object.");
                foreach (var category in categoryList.EnumerateObject())
                {
                    var path = $"$.categories.{category.Name}";
                    Expect(IsName(category.Name, allowHyphen: true) && category.Value.ValueKind == JsonValueKind.Object, path,
                        "Each category is a dimension name with an object of attribute and options.");
                    foreach (var member in category.Value.EnumerateObject())
                    {
                        Expect(member.Name is "attribute" or "options", path + "." + member.Name, "Unknown member: a category has attribute and options.");
                    }
                    var attribute = Required(category.Value, "attribute", path);
                    Expect(attribute.ValueKind == JsonValueKind.String && IsName(attribute.GetString()!, allowHyphen: false), path + ".attribute",
                        "The attribute must be a name: a letter or '_', then letters, digits or '_', at most 50.");
                    categories[category.Name] = new AdxCategory(attribute.GetString()!, CodeMap(Required(category.Value, "options", path), path + ".options"));
                }
                var attributes = categories.Values.Select(c => c.Attribute).ToList();
                Expect(attributes.Distinct(StringComparer.Ordinal).Count() == attributes.Count, "$.categories", "Two dimensions map to the same ADX attribute.");
                Expect(!attributes.Any(a => a is "dataElement" or "value" or "orgUnit" or "period" or "dataSet" or "programme"), "$.categories",
                    "An attribute may not be one ADX already uses (dataElement, value, orgUnit, period, dataSet, programme).");
            }
            return new AdxMapping(
                dataSet,
                CodeMap(Required(root, "dataElements"), "$.dataElements"),
                CodeMap(Required(root, "orgUnits"), "$.orgUnits"),
                CodeMap(Required(root, "programmes"), "$.programmes"),
                categories);
        }

        JsonElement Required(JsonElement parent, string name, string path = "$") =>
            parent.TryGetProperty(name, out var value) ? value : throw Problem(path, $"The member '{name}' is required.");

        string Code(JsonElement value, string path)
        {
            Expect(value.ValueKind == JsonValueKind.String && IsCode(value.GetString()!), path,
                "A DHIS2 code is 1 to 50 letters, digits, '_', '@', '$' or '-'.");
            return value.GetString()!;
        }

        IReadOnlyDictionary<string, string> CodeMap(JsonElement value, string path)
        {
            Expect(value.ValueKind == JsonValueKind.Object, path, "The member must be an object of our codes to DHIS2 codes.");
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var member in value.EnumerateObject())
            {
                Expect(member.Name.Length is > 0 and <= 100, path, "A key must be 1 to 100 characters.");
                map[member.Name] = Code(member.Value, $"{path}['{member.Name}']");
            }
            Expect(map.Values.Distinct(StringComparer.Ordinal).Count() == map.Count, path,
                "Two of our codes map to the same DHIS2 code, so figures read back could not be told apart.");
            return map;
        }

        void Expect(bool condition, string path, string message)
        {
            if (!condition)
            {
                throw Problem(path, message);
            }
        }

        DataFormatException Problem(string path, string message) => new(message, fileName, path, null, null);
    }

    internal static bool IsCode(string text) =>
        text.Length is > 0 and <= 50 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '$' or '-');

    private static bool IsName(string text, bool allowHyphen) =>
        text.Length is > 0 and <= 50 && (char.IsAsciiLetter(text[0]) || text[0] == '_')
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || (allowHyphen && c == '-'));
}
