using System.Text;
using System.Text.Json.Serialization.Metadata;

namespace SafetyPrograms.Serialization;

/// <summary>
/// The entry to reading one JSON value held in memory, with every failure as one <see cref="DataFormatException"/>
/// naming the file, the path (<c>partnerships[0].period.end</c>, root <c>$</c>), the 1-based line and the byte
/// position; the reading itself is <see cref="JsonContractReader"/>'s.
/// </summary>
internal static class JsonErrors
{
    internal const string Root = JsonPathSegment.Root;

    /// <summary>The key under which a converter names the member, inside the value it read, that is wrong.</summary>
    internal const string MemberKey = "SafetyPrograms.Member";

    /// <summary>The key under which a converter says what kind of problem it refused (a <see cref="DataFormatProblemKind"/>).</summary>
    internal const string KindKey = "SafetyPrograms.ProblemKind";

    /// <summary>The key under which a converter says what to change in this case.</summary>
    internal const string FixKey = "SafetyPrograms.Fix";

    /// <summary>A converter's refusal of one value: what kind of problem, what is wrong and what to change.</summary>
    internal static System.Text.Json.JsonException Problem(DataFormatProblemKind kind, string reason, string fix, Exception? inner = null)
    {
        var exception = new System.Text.Json.JsonException(reason, inner);
        exception.Data[KindKey] = kind;
        exception.Data[FixKey] = fix;
        return exception;
    }

    /// <summary>
    /// Reads one JSON value held wholly in memory, translating every failure.
    /// <paramref name="firstLine"/> is the file line the value starts on (JSON Lines hold one value per line).
    /// </summary>
    internal static T Deserialize<T>(ReadOnlyMemory<byte> utf8, JsonTypeInfo<T> typeInfo, string? fileName, long firstLine = 1)
        where T : class => JsonContractReader.Read(utf8.Span, typeInfo, fileName, firstLine);

    /// <summary>Drops a leading UTF-8 byte order mark.</summary>
    internal static ReadOnlyMemory<byte> WithoutBom(ReadOnlyMemory<byte> utf8) =>
        utf8.Span.StartsWith(Encoding.UTF8.Preamble) ? utf8[3..] : utf8;
}
