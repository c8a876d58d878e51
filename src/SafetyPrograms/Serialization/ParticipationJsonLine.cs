using System.Runtime.CompilerServices;
using System.Text.Json;

namespace SafetyPrograms.Serialization;

/// <summary>
/// The one JSON Lines scanner for participation records: one line, one ParticipationRecord object, into a
/// <see cref="ParticipationRow"/>. Members are as the JSON contract names them; unknown, duplicate or missing required
/// members, wrong types, and anything but one object refuse the line. The typed reader and the store's ingest both
/// read lines here. One scanner per thread: escaped strings are unescaped into its buffers.
/// </summary>
internal sealed class ParticipationJsonLine
{
    private const int Beneficiary = ParticipationColumns.Beneficiary, Activity = ParticipationColumns.Activity,
        Date = ParticipationColumns.Date, Role = ParticipationColumns.Role, Sex = ParticipationColumns.Sex,
        AgeBand = ParticipationColumns.AgeBand, Mode = ParticipationColumns.Mode, Completed = ParticipationColumns.Completed,
        School = ParticipationColumns.School, Pre = ParticipationColumns.PreScore, Post = ParticipationColumns.PostScore;
    private const int RequiredMask = (1 << ParticipationColumns.RequiredCount) - 1;

    // The JSON member names are the CSV column names, in the same order as the member indexes above.
    private static readonly string[] Names = ParticipationColumns.Names;

    private static readonly FieldProblem NotAnObject = new("The line must hold one JSON object.", "$");
    private static readonly FieldProblem Incomplete = new("The object is not complete.", "$");
    private static readonly FieldProblem TwoValues = new("Only one JSON object is allowed per line.", "$");

    // Unescaped string values, one buffer a member (identifiers and enum names are short).
    private readonly byte[][] _scratch = [.. Enumerable.Range(0, Names.Length).Select(_ => new byte[512])];

    // The member being read, for a message about text that cannot be decoded.
    private string _at = "$";

    /// <summary>Reads a line's members into <paramref name="row"/>, or says why the line is not a participation record.</summary>
    /// <param name="line">One line, without its line end.</param>
    /// <param name="row">The fields; valid until the next call on this scanner.</param>
    internal FieldProblem? Scan(ReadOnlySpan<byte> line, out ParticipationRow row)
    {
        if (TryReadCompact(line, out row))
        {
            return null;
        }
        _at = "$";
        try
        {
            return ReadGeneral(line, out row);
        }
        catch (JsonException ex)
        {
            row = default;
            return new FieldProblem("The line is not a JSON object: " + ex.Message.Split(" LineNumber", 2)[0], ex.Path ?? "$");
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader throws this for text it cannot decode: invalid UTF-8 or an unpaired surrogate escape.
            row = default;
            return new FieldProblem(JsonContractReader.UndecodableText, _at);
        }
    }

    private FieldProblem? ReadGeneral(ReadOnlySpan<byte> line, out ParticipationRow row)
    {
        row = default;
        var json = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
        {
            return NotAnObject;
        }
        var seen = 0;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var member = Member(ref json);
            if (member < 0)
            {
                var unknown = UnknownMemberPath(ref json);
                return new FieldProblem(
                    unknown == "$" ? "The line has a member that a participation record does not have." : $"Unknown member '{unknown}'.", unknown);
            }
            var name = Names[member];
            _at = name;
            if ((seen & (1 << member)) != 0)
            {
                return new FieldProblem($"The member '{name}' appears twice.", name);
            }
            seen |= 1 << member;
            json.Read();
            var type = json.TokenType;
            switch (member)
            {
                case Completed:
                    if (type is not (JsonTokenType.True or JsonTokenType.False))
                    {
                        return new FieldProblem("'completed' must be true or false.", name);
                    }
                    row.Completed = type == JsonTokenType.True ? "true"u8 : "false"u8;
                    break;
                case var number when ParticipationColumns.IsNumber(number):
                    if (type is not (JsonTokenType.Number or JsonTokenType.Null))
                    {
                        return new FieldProblem($"'{name}' must be a number or null.", name);
                    }
                    Set(ref row, member, type == JsonTokenType.Null ? default : json.ValueSpan);
                    break;
                case var optional when ParticipationColumns.IsOptional(optional) && type == JsonTokenType.Null:
                    break;
                default:
                    if (type != JsonTokenType.String)
                    {
                        return new FieldProblem($"'{name}' must be a string.", name);
                    }
                    var value = json.ValueSpan;
                    if (json.ValueIsEscaped)
                    {
                        var buffer = _scratch[member];
                        if (value.Length > buffer.Length)
                        {
                            return new FieldProblem($"'{name}' is too long.", name);
                        }
                        value = buffer.AsSpan(0, json.CopyString(buffer));
                    }
                    if (value.IsEmpty && member == School)
                    {
                        return ParticipationFields.BadSchool; // an empty string is not "no school": null is
                    }
                    Set(ref row, member, value);
                    break;
            }
        }
        if (json.TokenType != JsonTokenType.EndObject)
        {
            return Incomplete;
        }
        if (json.Read())
        {
            return TwoValues;
        }
        if ((seen & RequiredMask) != RequiredMask)
        {
            var missing = Names[Enumerable.Range(0, ParticipationColumns.RequiredCount).First(i => (seen & (1 << i)) == 0)];
            return new FieldProblem($"The required member '{missing}' is missing.", missing);
        }
        return null;
    }

    /// <summary>An unknown member's name as the path, when it is a plain word; otherwise the line (<c>$</c>), so no value is echoed.</summary>
    private static string UnknownMemberPath(ref Utf8JsonReader json)
    {
        var name = json.ValueIsEscaped ? [] : json.ValueSpan;
        return name.Length is > 0 and <= 40 && IsWord(name) ? System.Text.Encoding.ASCII.GetString(name) : "$";
    }

    private static bool IsWord(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                return false;
            }
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Set(ref ParticipationRow row, int member, ReadOnlySpan<byte> value) => row.Set(member, value);

    /// <summary>
    /// The fast path for lines as writers emit them: no white space, no escapes, each known member once with the right
    /// type. Anything else returns false, and the general reader (which explains errors) takes the line.
    /// </summary>
    private static bool TryReadCompact(ReadOnlySpan<byte> line, out ParticipationRow row)
    {
        row = default;
        var seen = 0;
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
            var member = MemberAt(line[(i + 1)..], out var nameLength);
            i += nameLength + 2;
            if (member < 0 || (seen & (1 << member)) != 0 || i >= line.Length || line[i] != ':')
            {
                return false;
            }
            seen |= 1 << member;
            i++;
            int start, end;
            if (line[i] == '"')
            {
                var close = Until(line[(i + 1)..], (byte)'"', (byte)'\\');
                if (close <= 0 || line[i + 1 + close] != '"' || member == Completed || ParticipationColumns.IsNumber(member))
                {
                    return false; // an empty string, an escape, or a string where a literal belongs: the general reader decides
                }
                start = i + 1;
                end = i + 1 + close;
                i = end + 1;
            }
            else
            {
                var stop = Until(line[i..], (byte)',', (byte)'}');
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
                    if (ParticipationFields.Bool(token) == ParticipationFields.Invalid)
                    {
                        return false;
                    }
                }
                else if (token.SequenceEqual("null"u8) && ParticipationColumns.IsOptional(member))
                {
                    end = start;
                }
                else if (!ParticipationColumns.IsNumber(member) || !JsonNumberText.IsValid(token))
                {
                    return false; // white space around the number, or not a number: the general reader decides
                }
            }
            Set(ref row, member, line[start..end]);
            if (line[i] == '}')
            {
                return i == line.Length - 1 && (seen & RequiredMask) == RequiredMask;
            }
            if (line[i] != ',')
            {
                return false;
            }
            i++;
        }
    }

    /// <summary>
    /// The member whose name, then its closing quote, starts <paramref name="s"/> (just after the opening quote), and the
    /// name's length; -1 for any other name, an escaped one included, which the general reader explains. Names are told
    /// apart by their first letter, so each is compared once, as a constant.
    /// </summary>
    private static int MemberAt(ReadOnlySpan<byte> s, out int length)
    {
        (var member, length) = s.IsEmpty ? (-1, 0) : s[0] switch
        {
            (byte)'b' when s.StartsWith("beneficiary\""u8) => (Beneficiary, 11),
            (byte)'a' when s.StartsWith("activity\""u8) => (Activity, 8),
            (byte)'a' when s.StartsWith("ageBand\""u8) => (AgeBand, 7),
            (byte)'d' when s.StartsWith("date\""u8) => (Date, 4),
            (byte)'r' when s.StartsWith("role\""u8) => (Role, 4),
            (byte)'s' when s.StartsWith("sex\""u8) => (Sex, 3),
            (byte)'s' when s.StartsWith("school\""u8) => (School, 6),
            (byte)'m' when s.StartsWith("mode\""u8) => (Mode, 4),
            (byte)'c' when s.StartsWith("completed\""u8) => (Completed, 9),
            (byte)'p' when s.StartsWith("preScore\""u8) => (Pre, 8),
            (byte)'p' when s.StartsWith("postScore\""u8) => (Post, 9),
            _ => PersonMemberAt(s),
        };
        return member;
    }

    /// <summary>A member of the person (age, year of birth, functioning answers), looked up by name: rarer than the record's.</summary>
    private static (int Member, int Length) PersonMemberAt(ReadOnlySpan<byte> s)
    {
        var quote = s.IndexOf((byte)'"');
        var member = quote > 0 ? ParticipationColumns.Of(s[..quote]) : -1;
        return member >= ParticipationColumns.Age ? (member, quote) : (-1, 0);
    }

    /// <summary>
    /// The index of the first <paramref name="a"/> or <paramref name="b"/> in <paramref name="s"/>, or -1: values are a
    /// few bytes long, so their first bytes are looked at one by one before a vectorised search of the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Until(ReadOnlySpan<byte> s, byte a, byte b)
    {
        var near = Math.Min(s.Length, 16);
        for (var i = 0; i < near; i++)
        {
            if (s[i] == a || s[i] == b)
            {
                return i;
            }
        }
        if (near == s.Length)
        {
            return -1;
        }
        var far = s[near..].IndexOfAny(a, b);
        return far < 0 ? -1 : near + far;
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
