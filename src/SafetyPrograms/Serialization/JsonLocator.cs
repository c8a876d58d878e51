using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SafetyPrograms.Serialization;

/// <summary>One step of a path: a member name or an array index.</summary>
internal readonly record struct JsonPathSegment(string? Name, int Index)
{
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
            if (member is not null && element.TryGetProperty(member, out _))
            {
                path.Add(new(member, 0));
            }
        }
        else if (typeInfo.Kind == JsonTypeInfoKind.Enumerable && element.ValueKind == JsonValueKind.Array && typeInfo.ElementType is { } itemType)
        {
            var itemInfo = typeInfo.Options.GetTypeInfo(itemType);
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                path.Add(new(null, index));
                if (item.ValueKind == JsonValueKind.Null || FindFailure(item, itemInfo, path) is not null)
                {
                    return item.ValueKind == JsonValueKind.Null ? new ArgumentException("A list item must not be null.", failure) : failure;
                }
                path.RemoveAt(path.Count - 1);
                index++;
            }
        }
        return failure;
    }

    /// <summary>The 1-based line and 0-based byte position of the value at <paramref name="path"/>.</summary>
    internal static (long Line, long Position) Position(ReadOnlySpan<byte> utf8, IReadOnlyList<JsonPathSegment> path)
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
        var start = (int)reader.TokenStartIndex;
        var before = utf8[..start];
        var lastNewline = before.LastIndexOf((byte)'\n');
        return (before.Count((byte)'\n') + 1, start - lastNewline - 1);
    }
}
