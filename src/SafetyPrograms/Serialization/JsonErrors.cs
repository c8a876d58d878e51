using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace SafetyPrograms.Serialization;

/// <summary>
/// Turns everything that can go wrong while reading JSON into one <see cref="DataFormatException"/> with the
/// file, the path (<c>partnerships[0].period.end</c>, root <c>$</c>), the 1-based line and the byte position.
/// </summary>
internal static partial class JsonErrors
{
    internal const string Root = "$";

    /// <summary>
    /// Deserializes one JSON value held wholly in memory, translating every failure.
    /// <paramref name="firstLine"/> is the file line the value starts on (JSON Lines hold one value per line).
    /// </summary>
    internal static T Deserialize<T>(ReadOnlyMemory<byte> utf8, JsonTypeInfo<T> typeInfo, string? fileName, long firstLine = 1)
        where T : class
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(utf8.Span, typeInfo);
        }
        catch (JsonException ex)
        {
            throw FromJsonException(ex, fileName, firstLine, utf8.Span, typeInfo);
        }
        catch (ArgumentException ex)
        {
            // A domain constructor refused an impossible value; System.Text.Json does not say where.
            throw FromDomainException(ex, utf8, typeInfo, fileName, firstLine);
        }
        return value ?? throw new DataFormatException(
            $"The document is null; expected a {typeof(T).Name} object.", fileName, Root, firstLine, 0);
    }

    internal static DataFormatException FromJsonException(
        JsonException ex, string? fileName, long firstLine, ReadOnlySpan<byte> utf8 = default, JsonTypeInfo? typeInfo = null)
    {
        var path = ToPath(ex.Path);
        if (ex.Data[SafeConverter<object>.MemberKey] is string member)
        {
            path = Append(path, member);
        }
        var reason = Reason(ex);
        if (typeInfo is not null)
        {
            reason = Rephrase(reason, JsonPathSegment.Parse(path), utf8, typeInfo) ?? reason;
        }
        return new DataFormatException(
            reason, fileName, path, ex.LineNumber is { } line ? line + firstLine : null, ex.BytePositionInLine, ex);
    }

    /// <summary>
    /// System.Text.Json's messages name .NET types ("could not be mapped to any .NET member contained in type
    /// 'SafetyPrograms.Domain.Organisation'"); say it in the terms of the file instead, listing what is expected.
    /// </summary>
    private static string? Rephrase(string reason, List<JsonPathSegment> path, ReadOnlySpan<byte> utf8, JsonTypeInfo root)
    {
        if (UnknownMember().Match(reason) is { Success: true } unknown)
        {
            var owner = path.Count > 0 ? JsonLocator.TypeAt(root, path[..^1]) : null;
            var expected = owner is null ? null : string.Join(", ", root.Options.GetTypeInfo(owner).Properties.Select(p => p.Name));
            return $"Unknown member '{unknown.Groups[1].Value}'." + (expected is null ? "" : $" Expected: {expected}.");
        }
        if (MissingMembers().Match(reason) is { Success: true } missing)
        {
            return $"Missing required member(s) {missing.Groups[1].Value}.";
        }
        if (DuplicateMember().Match(reason) is { Success: true } duplicate)
        {
            return $"Member '{duplicate.Groups[1].Value}' appears more than once.";
        }
        if (reason.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
            || reason.Contains("doesn't allow null values", StringComparison.Ordinal))
        {
            return JsonLocator.DescribeWrongType(utf8, root, path);
        }
        return null;
    }

    [GeneratedRegex(@"^The JSON property '(.*)' could not be mapped to any \.NET member", RegexOptions.Singleline)]
    private static partial Regex UnknownMember();

    [GeneratedRegex(@"was missing required properties including: (.*?)\.?$", RegexOptions.Singleline)]
    private static partial Regex MissingMembers();

    [GeneratedRegex(@"^Duplicate property '(.*)' encountered", RegexOptions.Singleline)]
    private static partial Regex DuplicateMember();

    /// <summary>An argument exception's message without the "(Parameter 'x')" that .NET appends.</summary>
    internal static string WithoutParameter(ArgumentException ex) =>
        ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal).ReplaceLineEndings(" ");

    /// <summary>Finds the deepest object whose construction fails, and the member its exception names.</summary>
    internal static DataFormatException FromDomainException(
        ArgumentException ex, ReadOnlyMemory<byte> utf8, JsonTypeInfo typeInfo, string? fileName, long firstLine)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = typeInfo.Options.MaxDepth });
        }
        catch (JsonException syntax)
        {
            // The value failed before the reader reached a later syntax error; that error is as true and has a place.
            return FromJsonException(syntax, fileName, firstLine);
        }
        using (document)
        {
            var segments = new List<JsonPathSegment>();
            var failure = JsonLocator.FindFailure(document.RootElement, typeInfo, segments) ?? ex;
            var (line, position, _) = JsonLocator.Position(utf8.Span, segments);
            return new DataFormatException(
                WithoutParameter(failure), fileName, JsonPathSegment.Format(segments), line + firstLine - 1, position, failure);
        }
    }

    /// <summary>System.Text.Json's <c>$.a[0].b</c> (or <c>$['odd name']</c>) in our form: <c>a[0].b</c>, root <c>$</c>.</summary>
    internal static string ToPath(string? stjPath)
    {
        if (string.IsNullOrEmpty(stjPath) || stjPath == Root)
        {
            return Root;
        }
        var path = stjPath.StartsWith("$.", StringComparison.Ordinal) ? stjPath[2..] : stjPath[1..];
        return path.Length == 0 ? Root : path;
    }

    internal static string Append(string path, string member) => path == Root ? member : $"{path}.{member}";

    private static string Reason(JsonException ex)
    {
        // System.Text.Json appends the location to its messages; ours carries it in properties instead.
        var message = LocationSuffix().Replace(ex.Message, string.Empty);
        return message.Length > 0 ? message : "The JSON could not be read.";
    }

    [GeneratedRegex(@"\s*(Path: .*)?(\s*\|\s*)?(LineNumber: \d+ \| BytePositionInLine: \d+\.)?\s*$", RegexOptions.Singleline)]
    private static partial Regex LocationSuffix();

    /// <summary>Drops a leading UTF-8 byte order mark.</summary>
    internal static ReadOnlyMemory<byte> WithoutBom(ReadOnlyMemory<byte> utf8) =>
        utf8.Span.StartsWith(Encoding.UTF8.Preamble) ? utf8[3..] : utf8;
}
