using System.Text.Json;

namespace SafetyPrograms.Aggregation.Ingest;

/// <summary>
/// Reads participation JSON Lines straight into the store's columns: one ParticipationRecord object per line, members as
/// the JSON contract names them. Unknown, duplicate or missing required members, wrong types and invalid values reject the line.
/// </summary>
internal static class JsonLinesIngest
{
    private const int Beneficiary = 0, Activity = 1, Date = 2, Role = 3, Sex = 4, AgeBand = 5, Mode = 6, Completed = 7, School = 8, Pre = 9, Post = 10;
    private const int RequiredMask = (1 << 8) - 1;

    private static readonly string[] Names =
        ["beneficiary", "activity", "date", "role", "sex", "ageBand", "mode", "completed", "school", "preScore", "postScore"];

    internal static IngestReport Append(ParticipationStore store, Stream stream, string? fileName)
    {
        var reader = new Utf8LineReader(stream);
        var report = new IngestReportBuilder(fileName);
        var appender = new RowAppender(store);
        var scratch = new byte[3][];
        for (var i = 0; i < scratch.Length; i++)
        {
            scratch[i] = new byte[512];
        }
        while (reader.TryReadLine(out var line))
        {
            ParticipationStore.RowError? error;
            try
            {
                error = ReadLine(appender, line, scratch);
            }
            catch (JsonException ex)
            {
                error = new("The line is not a JSON object: " + FirstSentence(ex.Message), ex.Path ?? "$");
            }
            if (error is null)
            {
                report.Read++;
                report.Accepted++;
            }
            else
            {
                report.Reject(reader.LineNumber, error.Message, error.Column);
            }
        }
        return report.Build();
    }

    private static string FirstSentence(string message) => message.Split(" LineNumber", 2)[0];

    private static ParticipationStore.RowError? ReadLine(RowAppender appender, ReadOnlySpan<byte> line, byte[][] scratch)
    {
        if (line.Trim(" \t"u8).IsEmpty)
        {
            return new("The line is blank.", "$");
        }
        var json = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
        {
            return new("The line must hold one JSON object.", "$");
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
                return new($"Unknown member '{json.GetString()}'.", "$");
            }
            if ((seen & (1 << member)) != 0)
            {
                return new($"The member '{Names[member]}' appears twice.", Names[member]);
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
                        return new("'completed' must be true or false.", Names[member]);
                    }
                    break;
                case Pre or Post:
                    if (type is not (JsonTokenType.Number or JsonTokenType.Null))
                    {
                        return new($"'{Names[member]}' must be a number or null.", Names[member]);
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
                        return new($"'{Names[member]}' must be a string.", Names[member]);
                    }
                    var value = json.ValueSpan;
                    if (json.ValueIsEscaped)
                    {
                        var buffer = scratch[member switch { Beneficiary => 0, Activity => 1, _ => 2 }];
                        if (json.ValueSpan.Length > buffer.Length)
                        {
                            return new($"'{Names[member]}' is too long.", Names[member]);
                        }
                        value = buffer.AsSpan(0, json.CopyString(buffer));
                        if (member is not (Beneficiary or Activity or School))
                        {
                            // Enum names and dates never need escapes; an escaped one is unusual but valid JSON.
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
            return new("The object is not complete.", "$");
        }
        if (json.Read())
        {
            return new("Only one JSON object is allowed per line.", "$");
        }
        if ((seen & RequiredMask) != RequiredMask)
        {
            var missing = Enumerable.Range(0, 8).First(i => (seen & (1 << i)) == 0);
            return new($"The required member '{Names[missing]}' is missing.", Names[missing]);
        }
        return appender.Append(ben, act, date, role, sex, age, mode, completed, school, pre, post);
    }

    private static int Member(ref Utf8JsonReader json)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (json.ValueTextEquals(Names[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
