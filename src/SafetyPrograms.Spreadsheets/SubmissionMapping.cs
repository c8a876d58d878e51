using System.Text.Json;
using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Spreadsheets;

/// <summary>Whose export conventions a <see cref="SubmissionMapping"/> follows.</summary>
public enum SubmissionTool
{
    /// <summary>KoboToolbox: repeat rows carry <c>_index</c> and <c>_parent_index</c>; a submission is identified by <c>_uuid</c>.</summary>
    Kobo,

    /// <summary>ODK Central: repeat rows carry <c>KEY</c> and <c>PARENT_KEY</c>; a submission is identified by <c>KEY</c> (its instanceID).</summary>
    Odk,
}

/// <summary>
/// How a KoboToolbox or ODK Central export becomes participation records, read from a JSON mapping file
/// (<see cref="JsonSchema"/>): which form field fills each participation field, which holds a raw identifier to
/// pseudonymise as rows are read, which repeat group holds one record a person (and, for a repeat inside a repeat, the
/// groups it sits in), how the form's answers read, and the values the form does not ask.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class SubmissionMapping
{
    private static readonly Lazy<string> s_schema = new(() =>
    {
        using var stream = typeof(SubmissionMapping).Assembly.GetManifestResourceStream("SafetyPrograms.Spreadsheets.Schemas.submission-mapping.schema.json")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private SubmissionMapping(
        SubmissionTool tool, string? records, IReadOnlyList<string>? parents, string? rawIdentifier, IReadOnlyDictionary<string, string> fields,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> values, IReadOnlyDictionary<string, string> constants)
    {
        Tool = tool;
        Records = records;
        Parents = parents;
        RawIdentifier = rawIdentifier;
        Fields = fields;
        Values = values;
        Constants = constants;
    }

    /// <summary>The JSON Schema (Draft 2020-12) of a mapping file.</summary>
    public static string JsonSchema => s_schema.Value;

    /// <summary>Whose export conventions apply.</summary>
    public SubmissionTool Tool { get; }

    /// <summary>The repeat group whose rows are the records, or <c>null</c> for one record a submission.</summary>
    public string? Records { get; }

    /// <summary>
    /// The repeat groups the <see cref="Records"/> group sits in, in the form's order (outermost first): each record row is
    /// joined to its row of the last, that row to its row of the one before, and the first's to the submission. <c>null</c>
    /// when the mapping does not say: the chain is then read from the export (Kobo's <c>_parent_table_name</c>, ODK
    /// Central's <c>PARENT_KEY</c>); empty when the records' group sits directly in the form.
    /// </summary>
    public IReadOnlyList<string>? Parents { get; }

    /// <summary>The form field holding a raw identifier to pseudonymise, or <c>null</c>.</summary>
    public string? RawIdentifier { get; }

    /// <summary>The form field filling each participation field, by participation field name.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>For a participation field, the form's answers and what they read as.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Values { get; }

    /// <summary>Values for participation fields the form does not ask.</summary>
    public IReadOnlyDictionary<string, string> Constants { get; }

    /// <summary>The options to append a <see cref="SubmissionExportSource"/> with: its fields renamed, other form fields ignored, the raw identifier keyed.</summary>
    /// <param name="rawIdentifiers">How raw identifiers become keys (the programme's secret); required when <see cref="RawIdentifier"/> is set.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">The mapping names a raw identifier and <paramref name="rawIdentifiers"/> is null.</exception>
    public ParticipationSourceOptions SourceOptions(IRawIdentifierKeys? rawIdentifiers = null) =>
        RawIdentifier is not null && rawIdentifiers is null
            ? throw new ArgumentException("The mapping names a raw identifier field: give the keys (the programme's secret) to pseudonymise it.", nameof(rawIdentifiers))
            : new ParticipationSourceOptions
            {
                Columns = Fields, IgnoreOtherColumns = true, RawIdentifierColumn = RawIdentifier, RawIdentifiers = rawIdentifiers,
            };

    /// <summary>Reads a mapping file.</summary>
    /// <param name="json">The UTF-8 JSON; not closed.</param>
    /// <param name="fileName">The file name, for messages.</param>
    /// <returns>The mapping.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="DataFormatException">The file is not JSON, or not a mapping as <see cref="JsonSchema"/> describes (the path says where).</exception>
    public static SubmissionMapping Read(Stream json, string? fileName = null)
    {
        Preconditions.CheckNotNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new DataFormatException("The mapping is not valid JSON.", fileName, "$", e.LineNumber + 1, e.BytePositionInLine, e);
        }
        using (document)
        {
            return Read(document.RootElement, fileName);
        }
    }

    private static SubmissionMapping Read(JsonElement root, string? fileName)
    {
        DataFormatException Wrong(string path, string message) => new(message, fileName, path, null, null);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Wrong("$", "The mapping must be a JSON object with tool and fields.");
        }
        SubmissionTool? tool = null;
        string? records = null, raw = null;
        List<string>? parents = null;
        Dictionary<string, string>? fields = null;
        var values = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var constants = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            var path = "$." + member.Name;
            switch (member.Name)
            {
                case "$schema":
                    break;
                case "tool":
                    tool = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() switch
                    {
                        "kobo" => SubmissionTool.Kobo,
                        "odk" => SubmissionTool.Odk,
                        _ => null,
                    } : null;
                    _ = tool ?? throw Wrong(path, "The tool must be kobo or odk.");
                    break;
                case "records":
                    records = Text(member.Value, path);
                    break;
                case "parents":
                    if (member.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw Wrong(path, "parents must be an array of repeat group names, outermost first.");
                    }
                    parents = [];
                    foreach (var parent in member.Value.EnumerateArray())
                    {
                        var name = Text(parent, $"{path}[{parents.Count}]");
                        if (parents.Contains(name, StringComparer.OrdinalIgnoreCase))
                        {
                            throw Wrong($"{path}[{parents.Count}]", "A repeat group is named twice in parents: a group sits in each of its parents once.");
                        }
                        parents.Add(name);
                    }
                    break;
                case "rawIdentifier":
                    raw = Text(member.Value, path);
                    break;
                case "fields":
                    fields = Strings(member.Value, path);
                    break;
                case "values":
                    if (member.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw Wrong(path, "values must map participation fields to objects of answers.");
                    }
                    foreach (var field in member.Value.EnumerateObject())
                    {
                        values[Field(field.Name, path)] = Strings(field.Value, path + "." + field.Name);
                    }
                    break;
                case "constants":
                    foreach (var (field, value) in Strings(member.Value, path))
                    {
                        constants[Field(field, path)] = value;
                    }
                    break;
                default:
                    throw Wrong(path, "Unknown member: a mapping has tool, records, parents, rawIdentifier, fields, values and constants.");
            }
        }
        if (tool is null || fields is null)
        {
            throw Wrong("$", "The mapping needs tool (kobo or odk) and fields (the form field filling each participation field).");
        }
        foreach (var field in fields.Keys)
        {
            Field(field, "$.fields");
            if (constants.ContainsKey(field))
            {
                throw Wrong("$.constants." + field, "A field is filled either from the form (fields) or by a constant, not both.");
            }
        }
        if (parents is not null && (records is null || parents.Contains(records, StringComparer.OrdinalIgnoreCase)))
        {
            throw Wrong("$.parents", records is null
                ? "parents names the groups the records' repeat group sits in: name that group in records too."
                : "parents names the records' own group: list only the groups it sits in.");
        }
        if (raw is not null && fields.ContainsKey("beneficiary"))
        {
            throw Wrong("$.fields.beneficiary", "The beneficiary key comes from the raw identifier when one is named: map no beneficiary field.");
        }
        return new SubmissionMapping(tool.Value, records, parents?.AsReadOnly(), raw, fields, values, constants);

        string Text(JsonElement value, string path) =>
            value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : throw Wrong(path, "Expected a non-empty string.");

        Dictionary<string, string> Strings(JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Wrong(path, "Expected an object of strings.");
            }
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in value.EnumerateObject())
            {
                map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Wrong(path + "." + p.Name, "Expected a string.");
            }
            return map;
        }

        string Field(string name, string path) => ParticipationCsv.Columns.Contains(name, StringComparer.Ordinal)
            ? name
            : throw Wrong(path + "." + name, $"Not a participation field: use {string.Join(", ", ParticipationCsv.Columns)}.");
    }
}
