using System.Globalization;
using System.Text.Json;

namespace SafetyPrograms.Serialization;

/// <summary>
/// Finds the lines and columns of JSON paths (<c>partnerships[0].phases[1].period.end</c>) in a document, in one pass
/// that walks only the parts of the document on the way to a path and skips the rest.
/// </summary>
/// <remarks>
/// Business rules judge the built model, which knows no lines; this gives their findings the line of the value they
/// name, so that every finding of a file can be listed in the order of the file. A path that is not in the document
/// (a member left out, so null) gets the place of its nearest ancestor that is.
/// </remarks>
internal static class JsonPathLocator
{
    /// <summary>The line and column (both 1-based) of each path, where the document could be read that far.</summary>
    internal static Dictionary<string, (long Line, long Column)> Locate(ReadOnlySpan<byte> utf8, IEnumerable<string> paths)
    {
        var root = new Node();
        var ends = new List<(string Path, Node Node)>();
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            ends.Add((path, root.Add(path)));
        }
        var found = new List<Node>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = SafetyProgramsJsonContext.MaxDepth });
        try
        {
            if (reader.Read())
            {
                Walk(ref reader, root, found);
            }
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            // Malformed further on: the places found so far stand.
        }
        var lines = new LineMap();
        foreach (var node in found.OrderBy(n => n.Offset))
        {
            var (line, _, column) = lines.At(utf8, node.Offset);
            node.Place = (line, column);
        }
        var places = new Dictionary<string, (long Line, long Column)>(StringComparer.Ordinal);
        foreach (var (path, node) in ends)
        {
            for (var at = node; at is not null; at = at.Parent)
            {
                if (at.Place is { } place)
                {
                    places[path] = place;
                    break;
                }
            }
        }
        return places;
    }

    private static void Walk(ref Utf8JsonReader reader, Node node, List<Node> found)
    {
        node.Offset = reader.TokenStartIndex;
        found.Add(node);
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var child = node.Names is null ? null : node.Names.GetValueOrDefault(reader.GetString()!);
                reader.Read();
                if (child is null)
                {
                    reader.Skip();
                }
                else
                {
                    Walk(ref reader, child, found);
                }
            }
        }
        else if (reader.TokenType == JsonTokenType.StartArray)
        {
            for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
            {
                var child = node.Indices is null ? null : node.Indices.GetValueOrDefault(index);
                if (child is null)
                {
                    reader.Skip();
                }
                else
                {
                    Walk(ref reader, child, found);
                }
            }
        }
        else
        {
            // A value: nothing inside it to find.
        }
    }

    /// <summary>One step of the paths sought: its children by member name and by index, and where it was found.</summary>
    private sealed class Node(Node? parent = null)
    {
        internal Node? Parent { get; } = parent;

        internal Dictionary<string, Node>? Names { get; private set; }

        internal Dictionary<int, Node>? Indices { get; private set; }

        internal long Offset { get; set; } = -1;

        internal (long Line, long Column)? Place { get; set; }

        /// <summary>The node of <paramref name="path"/> below this one (the root), made as needed.</summary>
        internal Node Add(string path)
        {
            var node = this;
            var at = path is "$" ? path.Length : path.StartsWith('$') ? 1 : 0;
            while (at < path.Length)
            {
                if (path[at] == '.')
                {
                    at++;
                }
                else if (path.AsSpan(at).StartsWith("['"))
                {
                    var close = path.IndexOf("']", at + 2, StringComparison.Ordinal);
                    close = close < 0 ? path.Length : close;
                    node = node.Named(path[(at + 2)..close]);
                    at = close + 2;
                }
                else if (path[at] == '[')
                {
                    var close = path.IndexOf(']', at);
                    close = close < 0 ? path.Length : close;
                    node = int.TryParse(path.AsSpan(at + 1, close - at - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                        ? node.Indexed(index)
                        : node;
                    at = close + 1;
                }
                else
                {
                    var end = path.IndexOfAny(['.', '['], at);
                    end = end < 0 ? path.Length : end;
                    node = node.Named(path[at..end]);
                    at = end;
                }
            }
            return node;
        }

        private Node Named(string name)
        {
            Names ??= new(StringComparer.Ordinal);
            if (!Names.TryGetValue(name, out var child))
            {
                Names[name] = child = new Node(this);
            }
            return child;
        }

        private Node Indexed(int index)
        {
            Indices ??= [];
            if (!Indices.TryGetValue(index, out var child))
            {
                Indices[index] = child = new Node(this);
            }
            return child;
        }
    }
}
