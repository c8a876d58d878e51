using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Serialization;

/// <summary>
/// Reads and writes a <see cref="ProgrammeDataset"/> as one JSON document, strictly: unknown, missing, repeated or
/// mistyped members, impossible dates and values, and unsupported schema versions are refused with a
/// <see cref="DataFormatException"/> that names the file, the JSON path and the line.
/// </summary>
/// <remarks>
/// The format is the one described by <see cref="JsonSchemas.Dataset"/>: camelCase members, enums as camelCase
/// strings, ISO dates, identifiers as plain strings, null optional members omitted. A UTF-8 byte order mark is
/// accepted. The whole document is read into memory (datasets are small; participation records, the large data,
/// stream through <see cref="ParticipationJsonLines"/> and <see cref="ParticipationCsv"/>). All members are thread-safe.
/// </remarks>
public static class ProgrammeDatasetJson
{
    private static readonly JsonEncodedText SchemaVersionName = JsonEncodedText.Encode("schemaVersion");

    /// <summary>The interchange format versions this library reads.</summary>
    public static IReadOnlyList<string> SupportedSchemaVersions { get; } = [ProgrammeDataset.CurrentSchemaVersion];

    /// <summary>Reads a dataset from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The JSON; read to its end, not closed.</param>
    /// <param name="fileName">The file name, for error messages.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is null.</exception>
    /// <exception cref="DataFormatException">The input is not a valid dataset document.</exception>
    public static ProgrammeDataset Read(Stream utf8Json, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var buffer = new MemoryStream();
        utf8Json.CopyTo(buffer);
        return Read(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), fileName);
    }

    /// <summary>Reads a dataset from UTF-8 JSON without blocking on the stream.</summary>
    /// <param name="utf8Json">The JSON; read to its end, not closed.</param>
    /// <param name="fileName">The file name, for error messages.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is null.</exception>
    /// <exception cref="DataFormatException">The input is not a valid dataset document.</exception>
    public static async Task<ProgrammeDataset> ReadAsync(Stream utf8Json, string? fileName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var buffer = new MemoryStream();
        await utf8Json.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Read(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), fileName);
    }

    /// <summary>Reads a dataset from a JSON string.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="DataFormatException">The input is not a valid dataset document.</exception>
    public static ProgrammeDataset Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(Encoding.UTF8.GetBytes(json), null);
    }

    /// <summary>Writes a dataset as UTF-8 JSON (no byte order mark, <c>\n</c> line ends).</summary>
    /// <param name="utf8Json">Where to write; not closed.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="indented">Whether to indent (two spaces) or write one line.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(Stream utf8Json, ProgrammeDataset dataset, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(dataset);
        using var writer = new Utf8JsonWriter(utf8Json, WriterOptions(indented));
        JsonSerializer.Serialize(writer, dataset, SafetyProgramsJsonContext.Default.ProgrammeDataset);
    }

    /// <summary>Writes a dataset as a JSON string.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="indented">Whether to indent (two spaces) or write one line.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    public static string ToJson(ProgrammeDataset dataset, bool indented = true)
    {
        using var buffer = new MemoryStream();
        Write(buffer, dataset, indented);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The writer settings every writer of ours uses, so output is byte-for-byte reproducible.</summary>
    internal static JsonWriterOptions WriterOptions(bool indented) => new()
    {
        Indented = indented,
        NewLine = "\n",
        // Names in Urdu or with accents stay readable; the files are data, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = SafetyProgramsJsonContext.MaxDepth,
    };

    private static ProgrammeDataset Read(ReadOnlyMemory<byte> utf8, string? fileName)
    {
        utf8 = JsonErrors.WithoutBom(utf8);
        CheckSchemaVersion(utf8.Span, fileName);
        return JsonErrors.Deserialize(utf8, SafetyProgramsJsonContext.Default.ProgrammeDataset, fileName);
    }

    /// <summary>
    /// Looks at the root's schemaVersion before anything else, so that a newer document is refused for its version
    /// rather than for the first member this version does not know.
    /// </summary>
    private static void CheckSchemaVersion(ReadOnlySpan<byte> utf8, string? fileName)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = SafetyProgramsJsonContext.MaxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isVersion = reader.ValueTextEquals(SchemaVersionName.EncodedUtf8Bytes);
                reader.Read();
                if (isVersion && reader.TokenType == JsonTokenType.String)
                {
                    var version = reader.GetString()!;
                    if (!SupportedSchemaVersions.Contains(version, StringComparer.Ordinal))
                    {
                        var (line, position) = JsonLocator.LineAndPosition(utf8, (int)reader.TokenStartIndex);
                        throw new DataFormatException(
                            $"Schema version '{version}' is not supported; this library reads schema version(s) {string.Join(", ", SupportedSchemaVersions)}.",
                            fileName, "schemaVersion", line, position);
                    }
                    return;
                }
                reader.Skip();
            }
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            // Malformed JSON, or a version whose text cannot be decoded (GetString throws InvalidOperationException):
            // the full read below reports it with its place.
        }
    }
}
