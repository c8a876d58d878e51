using System.Text.Json;

using SafetyPrograms.Serialization;

namespace SafetyPrograms.Ingest;

/// <summary>
/// Reads participation JSON Lines straight into the store's columns: one ParticipationRecord object per line, members as
/// the JSON contract names them. Unknown, duplicate or missing required members, wrong types and invalid values reject the line.
/// </summary>
internal static class JsonLinesIngest
{
    private const int Beneficiary = 0, Activity = 1, Date = 2, Role = 3, Sex = 4, AgeBand = 5, Mode = 6, Completed = 7, School = 8, Pre = 9, Post = 10;
    private const int RequiredMask = (1 << 8) - 1;

    // The JSON member names are the CSV column names, in the same order as the member indexes above.
    private static readonly IReadOnlyList<string> Names = ParticipationCsv.Columns;

    internal static IngestReport Append(
        IRowSink sink, Stream stream, string? fileName, int chunkBytes = 1 << 20, int? degree = null)
    {
        var bytes = ChunkedIngest.BytesAhead(stream);
        var chunker = new RecordChunker(stream, RecordSyntax.JsonLines, fileName, chunkBytes);
        var report = new IngestReportBuilder(fileName);
        ChunkedIngest.Run(
                sink, chunker, default, 1, Parse, report, degree ?? ChunkedIngest.DefaultDegree, bytes);
        return report.Build();
    }

    [ThreadStatic]
    private static byte[][]? t_scratch;

    /// <summary>Parses a chunk's lines; blank lines are skipped, as the typed reader skips them.</summary>
    private static void Parse(ReadOnlySpan<byte> data, ParsedBatch batch)
    {
        var scratch = t_scratch ??= [new byte[512], new byte[512], new byte[512], new byte[512]];
        var lineEnds = 0;
        var position = 0;
        while (Utf8LineReader.NextLine(data, ref position, out var range, out var tooLong))
        {
            var line = data[range];
            if (tooLong)
            {
                batch.Rejects.Add((lineEnds, RowError.Unreadable(RecordChunker.TooLongMessage, "$")));
            }
            else if (!line.Trim(" \t"u8).IsEmpty)
            {
                var error = Parse(line, batch, lineEnds, scratch);
                if (error is not null)
                {
                    batch.Rejects.Add((lineEnds, error));
                }
            }
            if (data[position - 1] == (byte)'\n')
            {
                lineEnds++;
            }
        }
        batch.ChunkLineEnds = lineEnds;
    }

    private static RowError? Parse(ReadOnlySpan<byte> line, ParsedBatch batch, int lineEnds, byte[][] scratch)
    {
        try
        {
            return TryReadCompactLine(batch, lineEnds, line, out var error) ? error : ReadLine(batch, lineEnds, line, scratch);
        }
        catch (JsonException ex)
        {
            return RowError.Unreadable("The line is not a JSON object: " + FirstSentence(ex.Message), ex.Path ?? "$");
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.GetString throws this for text it cannot decode: invalid UTF-8 or an unpaired surrogate escape.
            return RowError.Unreadable("The line has text that cannot be decoded: invalid UTF-8 or an unpaired surrogate escape such as \\ud800.", "$");
        }
    }

    private static string FirstSentence(string message) => message.Split(" LineNumber", 2)[0];

    private static RowError? ReadLine(ParsedBatch batch, int lineEnds, ReadOnlySpan<byte> line, byte[][] scratch)
    {
        var json = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
        {
            return RowError.Unreadable("The line must hold one JSON object.", "$");
        }
        ReadOnlySpan<byte> ben = default, act = default, date = default, role = default, sex = default, age = default, mode = default;
        ReadOnlySpan<byte> school = default, pre = default, post = default;
        var completed = FieldParser.Invalid;
        var seen = 0;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var member = Member(ref json);
            if (member < 0)
            {
                return RowError.Unreadable($"Unknown member '{json.GetString()}'.", "$");
            }
            if ((seen & (1 << member)) != 0)
            {
                return RowError.Unreadable($"The member '{Names[member]}' appears twice.", Names[member]);
            }
            seen |= 1 << member;
            json.Read();
            var type = json.TokenType;
            switch (member)
            {
                case Completed:
                    completed = type == JsonTokenType.True ? 1 : type == JsonTokenType.False ? 0 : FieldParser.Invalid;
                    if (completed == FieldParser.Invalid)
                    {
                        return RowError.Unreadable("'completed' must be true or false.", Names[member]);
                    }
                    break;
                case Pre or Post:
                    if (type is not (JsonTokenType.Number or JsonTokenType.Null))
                    {
                        return RowError.Unreadable($"'{Names[member]}' must be a number or null.", Names[member]);
                    }
                    var number = type == JsonTokenType.Null ? default : json.ValueSpan;
                    if (member == Pre)
                    {
                        pre = number;
                    }
                    else
                    {
                        post = number;
                    }
                    break;
                case School when type == JsonTokenType.Null:
                    break;
                default:
                    if (type != JsonTokenType.String)
                    {
                        return RowError.Unreadable($"'{Names[member]}' must be a string.", Names[member]);
                    }
                    var value = json.ValueSpan;
                    if (json.ValueIsEscaped)
                    {
                        var buffer = scratch[member switch { Beneficiary => 0, Activity => 1, School => 2, _ => 3 }];
                        if (json.ValueSpan.Length > buffer.Length)
                        {
                            return RowError.Unreadable($"'{Names[member]}' is too long.", Names[member]);
                        }
                        value = buffer.AsSpan(0, json.CopyString(buffer));
                        if (member is not (Beneficiary or Activity or School))
                        {
                            // Enum names and dates never need escapes; an escaped one is unusual but valid JSON. They share
                            // one scratch buffer, so each keeps a copy.
                            value = value.ToArray();
                        }
                    }
                    switch (member)
                    {
                        case Beneficiary: ben = value; break;
                        case Activity: act = value; break;
                        case Date: date = value; break;
                        case Role: role = value; break;
                        case Sex: sex = value; break;
                        case AgeBand: age = value; break;
                        case Mode: mode = value; break;
                        default: school = value; break;
                    }
                    break;
            }
        }
        if (json.TokenType != JsonTokenType.EndObject)
        {
            return RowError.Unreadable("The object is not complete.", "$");
        }
        if (json.Read())
        {
            return RowError.Unreadable("Only one JSON object is allowed per line.", "$");
        }
        if ((seen & RequiredMask) != RequiredMask)
        {
            var missing = Enumerable.Range(0, 8).First(i => (seen & (1 << i)) == 0);
            return RowError.Unreadable($"The required member '{Names[missing]}' is missing.", Names[missing]);
        }
        return RowParser.Add(batch, lineEnds, ben, act, date, role, sex, age, mode, completed, school, pre, post);
    }

    /// <summary>
    /// The fast path for lines as writers emit them: no white space, no escapes, each known member once with the right
    /// type. Anything else returns false, and the general reader (which explains errors) takes the line.
    /// </summary>
    private static bool TryReadCompactLine(ParsedBatch batch, int lineEnds, ReadOnlySpan<byte> line, out RowError? error)
    {
        error = null;
        Span<Range> values = stackalloc Range[Names.Count];
        var seen = 0;
        var completed = FieldParser.Invalid;
        if (line.Length < 2 || line[0] != '{' || line[^1] != '}')
        {
            return false;
        }
        var i = 1;
        while (true)
        {
            if (line[i] != '"')
            {
                return false;
            }
            var nameEnd = line[(i + 1)..].IndexOfAny((byte)'"', (byte)'\\');
            if (nameEnd < 0 || line[i + 1 + nameEnd] != '"')
            {
                return false;
            }
            var member = MemberOf(line.Slice(i + 1, nameEnd));
            i += nameEnd + 2;
            if (member < 0 || (seen & (1 << member)) != 0 || i >= line.Length || line[i] != ':')
            {
                return false;
            }
            seen |= 1 << member;
            i++;
            int start, end;
            if (line[i] == '"')
            {
                var close = line[(i + 1)..].IndexOfAny((byte)'"', (byte)'\\');
                if (close < 0 || line[i + 1 + close] != '"' || member is Completed or Pre or Post)
                {
                    return false;
                }
                start = i + 1;
                end = i + 1 + close;
                i = end + 1;
            }
            else
            {
                var stop = line[i..].IndexOfAny((byte)',', (byte)'}');
                if (stop <= 0)
                {
                    return false;
                }
                start = i;
                end = i + stop;
                i = end;
                var token = line[start..end];
                if (member == Completed)
                {
                    completed = FieldParser.Bool(token);
                    if (completed == FieldParser.Invalid)
                    {
                        return false;
                    }
                }
                else if (token.SequenceEqual("null"u8) && member is School or Pre or Post)
                {
                    end = start;
                }
                else if (member is not (Pre or Post) || !JsonNumberText.IsValid(token))
                {
                    return false; // white space around the number, or not a number: the general reader decides
                }
            }
            values[member] = new Range(start, end);
            if (line[i] == '}')
            {
                if (i != line.Length - 1 || (seen & RequiredMask) != RequiredMask)
                {
                    return false;
                }
                break;
            }
            if (line[i] != ',')
            {
                return false;
            }
            i++;
        }
        ReadOnlySpan<byte> Value(int member, Span<Range> v, ReadOnlySpan<byte> l, int seenMask) =>
            (seenMask & (1 << member)) == 0 ? default : l[v[member]];
        error = RowParser.Add(
            batch, lineEnds, Value(Beneficiary, values, line, seen), Value(Activity, values, line, seen), Value(Date, values, line, seen),
            Value(Role, values, line, seen), Value(Sex, values, line, seen), Value(AgeBand, values, line, seen),
            Value(Mode, values, line, seen), completed, Value(School, values, line, seen), Value(Pre, values, line, seen),
            Value(Post, values, line, seen));
        return true;
    }

    private static int MemberOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when name.SequenceEqual("sex"u8) => Sex,
        4 when name.SequenceEqual("date"u8) => Date,
        4 when name.SequenceEqual("role"u8) => Role,
        4 when name.SequenceEqual("mode"u8) => Mode,
        6 when name.SequenceEqual("school"u8) => School,
        7 when name.SequenceEqual("ageBand"u8) => AgeBand,
        8 when name.SequenceEqual("activity"u8) => Activity,
        8 when name.SequenceEqual("preScore"u8) => Pre,
        9 when name.SequenceEqual("completed"u8) => Completed,
        9 when name.SequenceEqual("postScore"u8) => Post,
        11 when name.SequenceEqual("beneficiary"u8) => Beneficiary,
        _ => -1,
    };

    private static int Member(ref Utf8JsonReader json)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (json.ValueTextEquals(Names[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
