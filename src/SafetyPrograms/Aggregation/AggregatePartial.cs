using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// A mergeable partial result: per group, the state behind every measure, so that chunks, partitions or partners
/// aggregated separately merge into exactly the single-pass answer.
/// </summary>
/// <remarks>
/// <para>Per group it keeps counts and sums (scores in ten-thousandths, so sums are exact integers), the sorted set of
/// beneficiary keys (for exact unique counts and the improved share: keys merge by value, so partners must share the
/// pseudonymisation secret), activity and school identifiers, and 2^14 HyperLogLog registers. Merge is associative
/// and commutative; groups are matched by their key labels.</para>
/// <para>JSON form (<see cref="ToJson"/>): <c>{"format":"safetyprograms.aggregatePartial","version":1,"groupBy":[…],
/// "measures":[…],"groups":[{"key":[…],"participations":n,"completions":n,"preScoreSum":n,"preScoreCount":n,
/// "postScoreSum":n,"postScoreCount":n,"gainSum":n,"gainCount":n,"beneficiaries":[…],"assessed":[…],"improved":[…],
/// "activities":[…],"schools":[…],"hll":[register×64+rank,…]}]}</c>; sums are in ten-thousandths of a score point, and
/// set members are sorted, so equal partials serialize to identical text. A school-terms grouping travels with its
/// calendar, as <c>{"name":"schoolTerms","terms":[{"name":"2024-25 T1","dates":{"start":"2024-09-02","end":"2024-12-20"}},…]}</c>
/// in place of the string in <c>groupBy</c>, so a partial read back groups, and merges, by exactly the terms it was
/// aggregated with; partials aggregated with different term calendars (other names or other dates) refuse to merge.</para>
/// Immutable and thread-safe.
/// </remarks>
public sealed class AggregatePartial
{
    private const string FormatName = "safetyprograms.aggregatePartial";

    private readonly SortedDictionary<string, PartialGroup> _groups;

    internal AggregatePartial(IReadOnlyList<GroupingTerm> groupBy, IReadOnlyList<Measure> measures, SortedDictionary<string, PartialGroup> groups)
    {
        GroupBy = groupBy.ToArray();
        Measures = measures.ToArray();
        _groups = groups;
    }

    /// <summary>The grouping terms.</summary>
    public IReadOnlyList<GroupingTerm> GroupBy { get; }

    /// <summary>The measures.</summary>
    public IReadOnlyList<Measure> Measures { get; }

    /// <summary>The number of groups.</summary>
    public int GroupCount => _groups.Count;

    internal IEnumerable<PartialGroup> Groups => _groups.Values;

    /// <summary>Merges two partials of the same grouping and measures.</summary>
    /// <param name="other">The other partial.</param>
    /// <returns>A new partial; neither input changes.</returns>
    /// <exception cref="ArgumentException">
    /// The groupings or measures differ, including school-term groupings with different terms (names or dates).
    /// </exception>
    public AggregatePartial Merge(AggregatePartial other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!GroupBy.Select(t => t.Name).SequenceEqual(other.GroupBy.Select(t => t.Name)) || !Measures.SequenceEqual(other.Measures))
        {
            throw new ArgumentException("Partials merge only with the same grouping terms and measures, in the same order.", nameof(other));
        }
        for (var t = 0; t < GroupBy.Count; t++)
        {
            // Same name, different calendar: a label such as "T1" would mean different days in each, so sums would mix them.
            if (GroupBy[t] != other.GroupBy[t])
            {
                throw new ArgumentException(
                    $"The partials group by different school-term calendars (groupBy[{t}]): this one by {Describe(GroupBy[t].Time!)}; "
                    + $"the other by {Describe(other.GroupBy[t].Time!)}. Aggregate every partial with the same terms, names and dates, before merging.",
                    nameof(other));
            }
        }
        var groups = new SortedDictionary<string, PartialGroup>(_groups, StringComparer.Ordinal);
        foreach (var (key, group) in other._groups)
        {
            groups[key] = groups.TryGetValue(key, out var mine) ? PartialGroup.Merge(mine, group) : group;
        }
        return new AggregatePartial(GroupBy, Measures, groups);
    }

    /// <summary>Merges any number of partials.</summary>
    /// <param name="partials">At least one partial.</param>
    /// <returns>The merged partial.</returns>
    /// <exception cref="ArgumentException">There are none, or groupings or measures differ.</exception>
    public static AggregatePartial Merge(IEnumerable<AggregatePartial> partials)
    {
        ArgumentNullException.ThrowIfNull(partials);
        AggregatePartial? result = null;
        foreach (var p in partials)
        {
            result = result is null ? p : result.Merge(p);
        }
        return result ?? throw new ArgumentException("There is nothing to merge.", nameof(partials));
    }

    /// <summary>The result rows, computed from the merged state; with <paramref name="rollup"/>, subtotals and a grand total recounted from the sets.</summary>
    /// <param name="rollup">Whether to add subtotal levels and the grand total.</param>
    /// <returns>The result, equal to what a single query over all the records returns.</returns>
    public AggregationResult ToResult(bool rollup = false) => QueryEngine.Finish(this, rollup);

    private static string Describe(TimeBucket terms) => string.Join(
        ", ", terms.Terms.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} ({t.Dates.Start:uuuu-MM-dd} to {t.Dates.End:uuuu-MM-dd})")));

    internal static string KeyOf(ReadOnlySpan<string> labels) => string.Join('\u001f', labels.ToArray());

    /// <summary>The JSON form; equal partials give identical text.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", 1);
            w.WriteStartArray("groupBy");
            foreach (var t in GroupBy)
            {
                WriteTerm(w, t);
            }
            w.WriteEndArray();
            w.WriteStartArray("measures");
            foreach (var m in Measures)
            {
                w.WriteStringValue(m.Name());
            }
            w.WriteEndArray();
            w.WriteStartArray("groups");
            foreach (var g in _groups.Values)
            {
                g.Write(w);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads the JSON form.</summary>
    /// <param name="json">Text written by <see cref="ToJson"/>.</param>
    /// <returns>The partial.</returns>
    /// <exception cref="DataFormatException">The text is not a partial result, naming the JSON path at fault.</exception>
    public static AggregatePartial FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (Str(root, "format", "$") != FormatName || Req(root, "version", "$").GetInt32() != 1)
            {
                throw new DataFormatException("This is not a version 1 aggregate partial.", null, "format", null, null);
            }
            var terms = new List<GroupingTerm>();
            var i = 0;
            foreach (var e in Req(root, "groupBy", "$").EnumerateArray())
            {
                terms.Add(ReadTerm(e, $"groupBy[{i}]"));
                i++;
            }
            var measures = new List<Measure>();
            i = 0;
            foreach (var e in Req(root, "measures", "$").EnumerateArray())
            {
                if (!Aggregation.Measures.TryParse(e.GetString(), out var m))
                {
                    throw new DataFormatException($"'{e.GetString()}' is not a measure.", null, $"measures[{i}]", null, null);
                }
                measures.Add(m);
                i++;
            }
            var groups = new SortedDictionary<string, PartialGroup>(StringComparer.Ordinal);
            i = 0;
            foreach (var e in Req(root, "groups", "$").EnumerateArray())
            {
                var g = PartialGroup.Read(e, $"groups[{i}]", terms.Count);
                CheckTermLabels(terms, g, $"groups[{i}]");
                if (!groups.TryAdd(KeyOf(g.Keys), g))
                {
                    throw new DataFormatException("Two groups have the same key.", null, $"groups[{i}].key", null, null);
                }
                i++;
            }
            return new AggregatePartial(terms, measures, groups);
        }
        catch (JsonException ex)
        {
            throw new DataFormatException("The text is not valid JSON: " + ex.Message, null, ex.Path, ex.LineNumber + 1, ex.BytePositionInLine, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException and not DataFormatException)
        {
            throw new DataFormatException("A member has the wrong type: " + ex.Message, ex);
        }
    }

    private const string SchoolTermsName = "schoolTerms";

    /// <summary>A term as its string name, or, for school terms, as an object carrying the calendar.</summary>
    private static void WriteTerm(Utf8JsonWriter w, GroupingTerm term)
    {
        if (term.Time is not { Terms.Count: > 0 } bucket)
        {
            w.WriteStringValue(term.Name);
            return;
        }
        w.WriteStartObject();
        w.WriteString("name", SchoolTermsName);
        w.WriteStartArray("terms");
        foreach (var t in bucket.Terms)
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            w.WriteStartObject("dates");
            w.WriteString("start", LocalDatePattern.Iso.Format(t.Dates.Start));
            w.WriteString("end", LocalDatePattern.Iso.Format(t.Dates.End));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static GroupingTerm ReadTerm(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            return GroupingTerm.TryParse(e.GetString(), out var term)
                ? term
                : throw new DataFormatException(
                    e.GetString() == SchoolTermsName
                        ? "A school-terms grouping needs its terms: {\"name\":\"schoolTerms\",\"terms\":[…]}."
                        : $"'{e.GetString()}' is not a grouping term that can be read back.",
                    null, path, null, null);
        }
        if (Str(e, "name", path) != SchoolTermsName)
        {
            throw new DataFormatException($"Only a school-terms grouping is written as an object; expected \"name\":\"{SchoolTermsName}\".", null, path + ".name", null, null);
        }
        var terms = new List<SchoolTerm>();
        var j = 0;
        foreach (var t in Req(e, "terms", path).EnumerateArray())
        {
            var termPath = $"{path}.terms[{j}]";
            var dates = Req(t, "dates", termPath);
            var start = Date(dates, "start", termPath + ".dates");
            var end = Date(dates, "end", termPath + ".dates");
            if (end < start)
            {
                throw new DataFormatException("The term ends before it starts.", null, termPath + ".dates.end", null, null);
            }
            var name = Str(t, "name", termPath);
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new DataFormatException("A term needs a name.", null, termPath + ".name", null, null);
            }
            terms.Add(new SchoolTerm(name, new DateInterval(start, end)));
            j++;
        }
        try
        {
            return TimeBucket.SchoolTerms(terms);
        }
        catch (ArgumentException ex)
        {
            throw new DataFormatException(JsonErrors.WithoutParameter(ex), null, path + ".terms", null, null, ex);
        }
    }

    private static LocalDate Date(JsonElement e, string name, string path)
    {
        var result = LocalDatePattern.Iso.Parse(Str(e, name, path) ?? string.Empty);
        return result.Success
            ? result.Value
            : throw new DataFormatException("Expected an ISO date such as 2024-09-02.", null, $"{path}.{name}", null, null);
    }

    /// <summary>A school-term label must be one of the partial's own terms (or outside them): anything else is not from this calendar.</summary>
    private static void CheckTermLabels(List<GroupingTerm> terms, PartialGroup group, string path)
    {
        for (var t = 0; t < terms.Count; t++)
        {
            if (terms[t].Time is { Terms.Count: > 0 } bucket
                && group.Keys[t] != TimeBucket.OutsideTermsLabel
                && !bucket.Terms.Any(term => term.Name == group.Keys[t]))
            {
                throw new DataFormatException(
                    $"'{group.Keys[t]}' is not one of the partial's school terms ({string.Join(", ", bucket.Terms.Select(term => term.Name))}) nor '{TimeBucket.OutsideTermsLabel}'.",
                    null, $"{path}.key[{t}]", null, null);
            }
        }
    }

    internal static JsonElement Req(JsonElement e, string name, string path) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v
            : throw new DataFormatException($"The member '{name}' is missing.", null, path == "$" ? name : $"{path}.{name}", null, null);

    private static string? Str(JsonElement e, string name, string path) => Req(e, name, path).GetString();
}
