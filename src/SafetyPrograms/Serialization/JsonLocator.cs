using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SafetyPrograms.Serialization;

/// <summary>One step of a path: a member name or an array index.</summary>
internal readonly record struct JsonPathSegment(string? Name, int Index)
{
    /// <summary>Our path form back into segments; member names never hold dots or brackets.</summary>
    internal static List<JsonPathSegment> Parse(string path)
    {
        var segments = new List<JsonPathSegment>();
        if (path == JsonErrors.Root)
        {
            return segments;
        }
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket != 0)
            {
                segments.Add(new(bracket < 0 ? part : part[..bracket], 0));
            }
            while (bracket >= 0)
            {
                var close = part.IndexOf(']', bracket);
                if (close < 0 || !int.TryParse(part.AsSpan(bracket + 1, close - bracket - 1), System.Globalization.CultureInfo.InvariantCulture, out var index))
                {
                    break;
                }
                segments.Add(new(null, index));
                bracket = part.IndexOf('[', close);
            }
        }
        return segments;
    }

    internal static string Format(IReadOnlyList<JsonPathSegment> segments)
    {
        if (segments.Count == 0)
        {
            return JsonErrors.Root;
        }
        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment.Name is { } name)
            {
                text.Append(text.Length == 0 ? "" : ".").Append(name);
            }
            else
            {
                text.Append('[').Append(segment.Index).Append(']');
            }
        }
        return text.ToString();
    }
}

/// <summary>Finds where in a parsed document a domain rule failed, and on which line that is.</summary>
internal static class JsonLocator
{
    /// <summary>
    /// Depth first: deserializes <paramref name="element"/> with its type info; if that fails, looks for a deeper
    /// failing child, else blames this object and the member the exception names. Fills <paramref name="path"/>.
    /// </summary>
    /// <returns>The failure, or <c>null</c> when this value reads without a domain error.</returns>
    internal static ArgumentException? FindFailure(JsonElement element, JsonTypeInfo typeInfo, List<JsonPathSegment> path)
    {
        ArgumentException failure;
        try
        {
            element.Deserialize(typeInfo);
            return null;
        }
        catch (ArgumentException ex)
        {
            failure = ex;
        }
        catch (JsonException)
        {
            return null;
        }

        if (typeInfo.Kind == JsonTypeInfoKind.Object && element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in typeInfo.Properties)
            {
                if (element.TryGetProperty(property.Name, out var child) && child.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                {
                    path.Add(new(property.Name, 0));
                    if (FindFailure(child, typeInfo.Options.GetTypeInfo(property.PropertyType), path) is { } deeper)
                    {
                        return deeper;
                    }
                    path.RemoveAt(path.Count - 1);
                }
            }
            var member = failure.ParamName is { } param ? JsonNamingPolicy.CamelCase.ConvertName(param) : null;
            if (member is not null && element.TryGetProperty(member, out var value))
            {
                path.Add(new(member, 0));
                if (value.ValueKind == JsonValueKind.Array && IndexOfNull(value) is { } index)
                {
                    // A list with a null item: the list type reads it; the owner's constructor refuses it.
                    path.Add(new(null, index));
                }
            }
        }
        else if (typeInfo.Kind == JsonTypeInfoKind.Enumerable && element.ValueKind == JsonValueKind.Array && typeInfo.ElementType is { } itemType)
        {
            var itemInfo = typeInfo.Options.GetTypeInfo(itemType);
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                path.Add(new(null, index));
                if (item.ValueKind == JsonValueKind.Null)
                {
                    return new ArgumentException("A list item must not be null.", failure);
                }
                if (FindFailure(item, itemInfo, path) is { } deeper)
                {
                    return deeper;
                }
                path.RemoveAt(path.Count - 1);
                index++;
            }
        }
        return failure;
    }

    private static int? IndexOfNull(JsonElement array)
    {
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Null)
            {
                return index;
            }
            index++;
        }
        return null;
    }

    /// <summary>The reason given when a value of the right kind fails because its text cannot be decoded.</summary>
    internal const string UndecodableText =
        "The text of this value, or of a member name in it, is not valid UTF-8 or holds an unpaired surrogate escape such as \\ud800.";

    /// <summary>"Expected an integer but found "3"." for the member at <paramref name="path"/>, or <c>null</c> if unknown.</summary>
    internal static string? DescribeWrongType(ReadOnlySpan<byte> utf8, JsonTypeInfo root, IReadOnlyList<JsonPathSegment> path)
    {
        if (utf8.IsEmpty)
        {
            return null;
        }
        var type = TypeAt(root, path);
        var found = Found(utf8, path);
        if (found is null || type is null)
        {
            return null;
        }
        var expected = Expected(root.Options.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type));
        // The value has the kind the member needs, so it was its text that could not be decoded (or a member name's, in an object).
        return found == expected || (expected == "a string" && found.StartsWith('"'))
            ? UndecodableText
            : $"Expected {expected} but found {found}.";
    }

    /// <summary>The declared type of the value at <paramref name="path"/>, or <c>null</c> when the path leaves the contract.</summary>
    internal static Type? TypeAt(JsonTypeInfo root, IEnumerable<JsonPathSegment> path)
    {
        var type = root.Type;
        foreach (var segment in path)
        {
            var info = root.Options.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type);
            var next = segment.Name is { } name
                ? info.Properties.FirstOrDefault(p => p.Name == name)?.PropertyType
                : info.ElementType;
            if (next is null)
            {
                return null;
            }
            type = next;
        }
        return type;
    }

    private static string Expected(JsonTypeInfo info) => info.Type switch
    {
        _ when info.Type == typeof(int) || info.Type == typeof(long) => "an integer",
        _ when info.Type == typeof(decimal) || info.Type == typeof(double) => "a number",
        _ when info.Type == typeof(bool) => "true or false",
        _ when info.Type == typeof(string) => "a string",
        _ => info.Kind switch
        {
            JsonTypeInfoKind.Enumerable => "an array",
            JsonTypeInfoKind.Object => "an object",
            _ => $"a {info.Type.Name}",
        },
    };

    private static string? Found(ReadOnlySpan<byte> utf8, IReadOnlyList<JsonPathSegment> path)
    {
        try
        {
            var reader = Navigate(utf8, path);
            return reader.TokenType switch
            {
                JsonTokenType.StartObject => "an object",
                JsonTokenType.StartArray => "an array",
                JsonTokenType.Null => "null",
                JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False =>
                    reader.ValueSpan.Length <= 40 ? Encoding.UTF8.GetString(utf8.Slice((int)reader.TokenStartIndex, (int)reader.BytesConsumed - (int)reader.TokenStartIndex)) : "a long value",
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The 1-based line and 0-based byte position of the value at <paramref name="path"/>.</summary>
    internal static (long Line, long Position, JsonTokenType Token) Position(ReadOnlySpan<byte> utf8, IReadOnlyList<JsonPathSegment> path)
    {
        var reader = Navigate(utf8, path);
        var (line, position) = LineAndPosition(utf8, (int)reader.TokenStartIndex);
        return (line, position, reader.TokenType);
    }

    private static Utf8JsonReader Navigate(ReadOnlySpan<byte> utf8, IReadOnlyList<JsonPathSegment> path)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 256 });
        reader.Read();
        foreach (var segment in path)
        {
            if (segment.Name is { } name)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    break;
                }
                var depth = reader.CurrentDepth;
                while (reader.Read() && reader.CurrentDepth > depth)
                {
                    var found = reader.ValueTextEquals(name);
                    reader.Read();
                    if (found)
                    {
                        break;
                    }
                    reader.Skip();
                }
            }
            else
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    break;
                }
                reader.Read();
                for (var i = 0; i < segment.Index; i++)
                {
                    reader.Skip();
                    reader.Read();
                }
            }
        }
        return reader;
    }

    /// <summary>The 1-based line and 0-based byte position in that line of byte <paramref name="offset"/>.</summary>
    internal static (long Line, long Position) LineAndPosition(ReadOnlySpan<byte> utf8, int offset)
    {
        var before = utf8[..offset];
        return (before.Count((byte)'\n') + 1, offset - before.LastIndexOf((byte)'\n') - 1);
    }
}
