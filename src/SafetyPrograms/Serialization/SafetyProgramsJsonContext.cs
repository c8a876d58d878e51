using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Serialization;

/// <summary>
/// The one serialization contract: camelCase members named after the constructor parameters, enums as exact
/// camelCase strings, our NodaTime and identifier converters, and strict reading (required constructor
/// parameters, nullable annotations, no unknown or duplicate members). The JSON Schemas are generated from it.
/// Every JSON document the library reads or writes goes through <see cref="Contract"/>: a dataset, a participation
/// record, a validation report, an aggregate partial, an aggregation result and a published table.
/// </summary>
/// <remarks>
/// Converters are registered here, not as attributes on domain types, so the domain does not depend on serialization.
/// The documents of layers above this one (a report, a partial) cannot be named here, so <see cref="Contract"/> reads
/// their metadata by reflection under these same options; their owners reach it through <see cref="TypeInfo{T}"/>.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false,
    NumberHandling = JsonNumberHandling.Strict,
    MaxDepth = SafetyProgramsJsonContext.MaxDepth,
    Converters =
    [
        typeof(LocalDateConverter),
        typeof(IdConverterFactory),
        typeof(BeneficiaryKeyConverter),
        typeof(CountryCodeConverter),
        typeof(SubdivisionCodeConverter),
        typeof(IatiIdentifierConverter),
        typeof(AgeRangeConverter),
        typeof(DatePeriodConverter),
        typeof(DateIntervalConverter),
        typeof(StrictEnumConverterFactory),
    ])]
[JsonSerializable(typeof(ProgrammeDataset))]
[JsonSerializable(typeof(ParticipationRecord))]
internal sealed partial class SafetyProgramsJsonContext : JsonSerializerContext
{
    /// <summary>Deeper than any valid document (about 8 levels), shallow enough to refuse hostile nesting early.</summary>
    internal const int MaxDepth = 32;

    /// <summary>
    /// The contract's options for every document: this context's settings and converters, this context's generated
    /// metadata for the dataset types and reflection metadata, under the same settings, for the documents above.
    /// </summary>
    // Lazily, because the generated Default lives in another part of this class and static initialisers across
    // partial files run in no defined order.
    internal static JsonSerializerOptions Contract => field ??= CreateContract();

    /// <summary>The contract's metadata for <typeparamref name="T"/>: what <see cref="JsonContractReader"/> reads and the serializer writes.</summary>
    internal static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Contract.GetTypeInfo(typeof(T));

    /// <summary>Reads one document held in memory (no byte order mark), every failure a <see cref="DataFormatException"/> with path and line.</summary>
    internal static T Read<T>(ReadOnlySpan<byte> utf8, string? fileName = null)
        where T : class => JsonContractReader.Read(utf8, TypeInfo<T>(), fileName);

    /// <summary>Writes <paramref name="value"/> as one document with the contract's metadata.</summary>
    internal static void Write<T>(Utf8JsonWriter writer, T value) => JsonSerializer.Serialize(writer, value, TypeInfo<T>());

    /// <summary>Writes <paramref name="value"/> as UTF-8 JSON text with <paramref name="writerOptions"/>.</summary>
    internal static string ToJson<T>(T value, JsonWriterOptions writerOptions)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, writerOptions))
        {
            Write(writer, value);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The writer settings of our documents: <c>\n</c> line ends and two-space indents, so output is byte-for-byte
    /// reproducible on every platform. A dataset is written <paramref name="readable"/> (names in Urdu or with accents
    /// stay as they are: people edit datasets, and the files are data, never embedded in HTML); reports, partials and
    /// results keep the default escaping of everything outside ASCII that they have always had.
    /// </summary>
    internal static JsonWriterOptions WriterOptions(bool indented, bool readable = false) => new()
    {
        Indented = indented,
        NewLine = "\n",
        Encoder = readable ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : null,
        MaxDepth = MaxDepth,
    };

    private static JsonSerializerOptions CreateContract()
    {
        var options = new JsonSerializerOptions(Default.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(Default, new DefaultJsonTypeInfoResolver()),
        };
        options.MakeReadOnly();
        return options;
    }
}
