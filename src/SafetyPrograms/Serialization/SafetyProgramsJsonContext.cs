using System.Text.Json.Serialization;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Serialization;

/// <summary>
/// The one serialization contract: camelCase members named after the constructor parameters, enums as exact
/// camelCase strings, our NodaTime and identifier converters, and strict reading (required constructor
/// parameters, nullable annotations, no unknown or duplicate members). The JSON Schemas are generated from it.
/// </summary>
/// <remarks>
/// Converters are registered here, not as attributes on domain types, so the domain does not depend on serialization.
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
}
