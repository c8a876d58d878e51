using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

using SafetyPrograms.Utility;

namespace SafetyPrograms.Serialization;

/// <summary>
/// Reads one JSON value held in memory into the types <see cref="SafetyProgramsJsonContext"/> describes, in one pass
/// of a <see cref="Utf8JsonReader"/> that knows its path as it goes, and lists every way the value is wrong: an
/// unknown, repeated or missing member, a value of the wrong kind, an impossible date, text that is not UTF-8, a value
/// a domain constructor refuses, an unsupported schema version. Each is a <see cref="DataFormatProblem"/> with the
/// path, line and column where it was found; only malformed JSON stops the pass.
/// </summary>
/// <remarks>
/// <para>The members, their JSON names, which are required and which may be null come from the context's own metadata, so
/// writing (the generated serializer), reading (this) and the schemas (generated from the same metadata) describe one
/// contract, and a member added to a domain type is read, and its problems listed, without a change here. Values with a
/// converter of ours (dates, identifiers, codes, enums, periods) are read by that converter. Domain objects are built by
/// their public constructors; an <see cref="ArgumentException"/> from one becomes a problem at the member its parameter
/// names, where the path and line are known.</para>
/// <para>Every refusal goes through <see cref="Fail"/>: it records the problem, and the value is skipped. An object with
/// a value that could not be read, a required member missing or a constructor's refusal is not built, and nor is the
/// object or list that holds it, up to the document's root, whose lists keep what could be read (their items are
/// independent); the ids of what was lost are kept with the line of the cause (<see cref="ContractReading.LineOfLost"/>),
/// so that a reference to them can name it. A strict <see cref="Read{T}"/> throws one <see cref="DataFormatException"/>
/// carrying every problem; <see cref="ReadListing"/> returns them with what could be built.</para>
/// </remarks>
internal ref struct JsonContractReader
{
    /// <summary>The reason given when a value of the right kind fails because its text cannot be decoded.</summary>
    internal const string UndecodableText =
        "The text of this value, or of a member name in it, is not valid UTF-8 or holds an unpaired surrogate escape such as \\ud800.";

    /// <summary>What to change when text cannot be decoded.</summary>
    internal const string UndecodableFix =
        "Save the file as UTF-8 (not a legacy code page), and write no escape of a lone surrogate such as \\ud800.";

    /// <summary>The most problems a strict read keeps for its exception; the rest are counted.</summary>
    internal const int StrictProblemCap = 100;

    /// <summary>What a value that could not be read is replaced by while the pass goes on.</summary>
    private static readonly object Unreadable = new();

    private readonly ReadOnlySpan<byte> _utf8;
    private readonly JsonSerializerOptions _options;
    private readonly DocumentVersion? _version;
    private readonly ContractReading _result;
    private readonly List<JsonPathSegment> _path = [];
    private Utf8JsonReader _reader;
    private int _objectDepth;

    // The offset of the first problem since the innermost object being read began: the cause its dependents name.
    private long _firstFail = -1;

    private JsonContractReader(ReadOnlySpan<byte> utf8, JsonSerializerOptions options, DocumentVersion? version, ContractReading result)
    {
        _utf8 = utf8;
        _options = options;
        _version = version;
        _result = result;
        _reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = options.MaxDepth });
    }

    /// <summary>
    /// Reads <paramref name="utf8"/> (one whole JSON value, no byte order mark) as a <typeparamref name="T"/>, or throws
    /// a <see cref="DataFormatException"/> carrying every problem found.
    /// <paramref name="firstLine"/> is the file line the value starts on (JSON Lines hold one value per line).
    /// </summary>
    internal static T Read<T>(
        ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo, string? fileName, long firstLine = 1, DocumentVersion? version = null)
        where T : class
    {
        var reading = ReadListing(utf8, typeInfo, firstLine, version, StrictProblemCap);
        return reading.ProblemCount == 0 ? (T)reading.Value! : throw reading.ToException(fileName);
    }

    /// <summary>
    /// Reads <paramref name="utf8"/> to its end (or to malformed JSON), keeping the first <paramref name="maxProblems"/>
    /// problems and counting the rest, and building what can be built.
    /// </summary>
    internal static ContractReading ReadListing(
        ReadOnlySpan<byte> utf8, JsonTypeInfo typeInfo, long firstLine, DocumentVersion? version, int maxProblems)
    {
        var result = new ContractReading(firstLine, maxProblems);
        var reader = new JsonContractReader(utf8, typeInfo.Options, version, result);
        reader.ReadDocument(Contract.For(typeInfo));
        result.Finish();
        return result;
    }

    private void ReadDocument(Contract contract)
    {
        try
        {
            _reader.Read();
            if (_reader.TokenType == JsonTokenType.Null)
            {
                Fail(
                    DataFormatProblemKind.WrongType, $"The document is null; expected a {contract.Type.Name} object.",
                    $"Write the document as one JSON object with the members {contract.ExpectedMembers}.");
            }
            else if (ReadValue(contract, nullable: false) is var value && value != Unreadable)
            {
                _result.Value = value;
            }
            // Only whitespace may follow; the reader refuses anything else (a second value, trailing text).
            _reader.Read();
        }
        catch (JsonException syntax)
        {
            _result.Value = null;
            FromReader(syntax);
        }
    }

    private object? ReadValue(Contract contract, bool nullable, bool keepReadable = false)
    {
        var token = _reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            if (nullable || contract.Kind == ContractKind.Nullable)
            {
                return null;
            }
            if (contract.Kind != ContractKind.Converter)
            {
                // A converter explains null in its own terms ("null is not a valid ISO date").
                return WrongKind(contract);
            }
        }
        switch (contract.Kind)
        {
            case ContractKind.String:
                if (token != JsonTokenType.String)
                {
                    return WrongKind(contract);
                }
                try
                {
                    return _reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return Fail(DataFormatProblemKind.Unreadable, UndecodableText, UndecodableFix);
                }
            case ContractKind.Int32:
                return token == JsonTokenType.Number && _reader.TryGetInt32(out var int32) ? int32 : WrongKind(contract);
            case ContractKind.Int64:
                return token == JsonTokenType.Number && _reader.TryGetInt64(out var int64) ? int64 : WrongKind(contract);
            case ContractKind.Decimal:
                return token == JsonTokenType.Number && _reader.TryGetDecimal(out var number) ? number : WrongKind(contract);
            case ContractKind.Double:
                return token == JsonTokenType.Number && _reader.TryGetDouble(out var real) ? real : WrongKind(contract);
            case ContractKind.Boolean:
                return token is JsonTokenType.True or JsonTokenType.False ? token == JsonTokenType.True : WrongKind(contract);
            case ContractKind.Nullable:
                return ReadValue(contract.Item!, nullable: true);
            case ContractKind.Converter:
                return ReadConverted(contract);
            case ContractKind.List:
                return token == JsonTokenType.StartArray ? ReadList(contract, keepReadable) : WrongKind(contract);
            default:
                return token == JsonTokenType.StartObject ? ReadObject(contract) : WrongKind(contract);
        }
    }

    private object? ReadConverted(Contract contract)
    {
        if (_reader.TokenType == JsonTokenType.StartObject && contract.Converter is IObjectFormConverter objectForm)
        {
            var form = ReadObject(Contract.For(_options.GetTypeInfo(objectForm.ObjectForm)));
            return form == Unreadable ? Unreadable : objectForm.FromObjectForm(form);
        }
        var (startToken, startDepth, startIndex) = (_reader.TokenType, _reader.CurrentDepth, _reader.TokenStartIndex);
        try
        {
            return contract.Converter!.ReadBoxed(ref _reader, _options);
        }
        catch (JsonException ex) when (ex.LineNumber is null)
        {
            // Our converters' own refusals; the reader's syntax errors carry a line and are handled with the others.
            var inside = ex.Data[JsonErrors.MemberKey] is string member;
            if (inside)
            {
                _path.Add(new((string)ex.Data[JsonErrors.MemberKey]!, 0));
            }
            Fail(
                ex.Data[JsonErrors.KindKey] as DataFormatProblemKind? ?? DataFormatProblemKind.RefusedValue,
                ex.Message,
                ex.Data[JsonErrors.FixKey] as string ?? $"Write a valid {contract.Type.Name} here.",
                cause: ex.InnerException ?? ex);
            if (inside)
            {
                _path.RemoveAt(_path.Count - 1);
            }
            SkipRest(startToken, startDepth, startIndex);
            return Unreadable;
        }
    }

    /// <summary>Moves past the rest of a value a converter gave up on part-way, so that the pass goes on after it.</summary>
    private void SkipRest(JsonTokenType startToken, int startDepth, long startIndex)
    {
        if (startToken is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }
        if (_reader.TokenStartIndex == startIndex)
        {
            _reader.Skip();
            return;
        }
        while (!(_reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && _reader.CurrentDepth == startDepth))
        {
            _reader.Read();
        }
    }

    private object ReadList(Contract contract, bool keepReadable)
    {
        var item = contract.Item!;
        var items = new List<object?>();
        List<int>? kept = keepReadable ? [] : null;
        var lost = false;
        for (var index = 0; ; index++)
        {
            _path.Add(new(null, index));
            _reader.Read();
            if (_reader.TokenType == JsonTokenType.EndArray)
            {
                _path.RemoveAt(_path.Count - 1);
                break;
            }
            var value = _reader.TokenType == JsonTokenType.Null && !item.AcceptsNull
                ? Fail(DataFormatProblemKind.WrongType, "A list item must not be null.", $"Remove the null, or write {item.Expected} in its place.")
                : ReadValue(item, nullable: false);
            if (value == Unreadable)
            {
                lost = true;
            }
            else
            {
                items.Add(value);
                kept?.Add(index);
            }
            _path.RemoveAt(_path.Count - 1);
        }
        if (lost)
        {
            if (kept is null)
            {
                return Unreadable;
            }
            _result.KeepIndices(_path[^1].Name!, [.. kept]);
        }
        var list = Array.CreateInstance(item.Type, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            list.SetValue(items[i], i);
        }
        return list;
    }

    private object ReadObject(Contract contract)
    {
        var isRoot = _objectDepth++ == 0;
        var outerFail = _firstFail;
        _firstFail = -1;
        var built = ReadMembers(contract, isRoot);
        _objectDepth--;
        _firstFail = outerFail >= 0 ? outerFail : _firstFail;
        return built;
    }

    private object ReadMembers(Contract contract, bool isRoot)
    {
        var members = contract.Members;
        var objectStart = _reader.TokenStartIndex;
        var valueStarts = new long[members.Length];
        Array.Fill(valueStarts, -1);
        var arguments = new object?[contract.ParameterCount];
        object?[]? derived = null;
        var complete = true;
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = MemberIndex(contract);
            if (index < 0)
            {
                continue;
            }
            var member = members[index];
            _path.Add(new(member.Name, 0));
            if (valueStarts[index] >= 0)
            {
                Fail(
                    DataFormatProblemKind.RepeatedMember, $"Member '{member.Name}' appears more than once.",
                    $"Keep one '{member.Name}' member and delete the other (the first is the one read).");
                SkipMember();
                _path.RemoveAt(_path.Count - 1);
                continue;
            }
            _reader.Read();
            valueStarts[index] = _reader.TokenStartIndex;
            var value = ReadValue(member.Value, member.Nullable, keepReadable: isRoot);
            if (isRoot && _version is { } version && member.Name == version.Member && value is string text)
            {
                value = CheckVersion(version, text);
            }
            if (value == Unreadable)
            {
                complete &= isRoot && TrySubstitute(member, out value);
            }
            if (member.Parameter >= 0)
            {
                arguments[member.Parameter] = value;
            }
            else
            {
                (derived ??= new object?[members.Length])[index] = value;
            }
            _path.RemoveAt(_path.Count - 1);
        }
        for (var i = 0; i < members.Length; i++)
        {
            if (valueStarts[i] >= 0 || members[i].Parameter < 0)
            {
                continue;
            }
            arguments[members[i].Parameter] = members[i].Default;
            if (members[i].Required)
            {
                _path.Add(new(members[i].Name, 0));
                Fail(
                    DataFormatProblemKind.MissingMember, $"Missing required member '{members[i].Name}'.",
                    $"Add the member '{members[i].Name}' ({members[i].Value.Expected}) to this object.", objectStart);
                _path.RemoveAt(_path.Count - 1);
                complete &= isRoot && TrySubstitute(members[i], out arguments[members[i].Parameter]);
            }
        }
        if (!complete)
        {
            Lose(contract, arguments);
            return Unreadable;
        }
        object built;
        try
        {
            built = contract.Constructor!.Invoke(arguments);
        }
        catch (ArgumentException refused)
        {
            Refused(contract, refused, valueStarts, objectStart);
            Lose(contract, arguments);
            return Unreadable;
        }
        if (derived is not null)
        {
            CheckDerived(built, members, derived, valueStarts);
        }
        return built;
    }

    /// <summary>
    /// The member the current property name names; or, for a name the contract does not know, -1 after moving past its
    /// value and recording the problem (after, so that a value too deeply nested to skip is reported for that alone).
    /// </summary>
    private int MemberIndex(Contract contract)
    {
        var at = _reader.TokenStartIndex;
        int index;
        (string? Text, bool IsText) name;
        try
        {
            index = contract.IndexOf(ref _reader);
            name = index < 0 ? UnknownMemberName() : default;
        }
        catch (InvalidOperationException)
        {
            // An escape that is no character (an unpaired surrogate): the name cannot even be shown.
            (index, name) = (-1, default);
        }
        if (index >= 0)
        {
            return index;
        }
        var depth = _path.Count;
        if (name.Text is { } text)
        {
            _path.Add(new(text, 0));
        }
        SkipMember();
        if (!name.IsText)
        {
            Fail(DataFormatProblemKind.Unreadable, UndecodableText, UndecodableFix, at);
        }
        else
        {
            var near = Array.Find(contract.Members, m => m.Parameter >= 0 && string.Equals(m.Name, name.Text, StringComparison.OrdinalIgnoreCase));
            Fail(
                DataFormatProblemKind.UnknownMember, $"Unknown member '{name.Text}'. Expected: {contract.ExpectedMembers}.",
                near is not null
                    ? $"Rename it to '{near.Name}': member names are case-sensitive."
                    : $"Remove it, or correct its name to one of {contract.ExpectedMembers}.",
                at);
        }
        _path.RemoveRange(depth, _path.Count - depth);
        return -1;
    }

    /// <summary>From a property name, moves past its value.</summary>
    private void SkipMember()
    {
        _reader.Read();
        _reader.Skip();
    }

    /// <summary>
    /// The root's schema version, checked as it is read: a newer document is reported for its version (the other
    /// problems of a newer document follow from it), and read on as this version for the rest of the listing.
    /// </summary>
    private string CheckVersion(DocumentVersion version, string text)
    {
        if (version.Supported.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }
        var supported = string.Join(", ", version.Supported);
        Fail(
            DataFormatProblemKind.UnsupportedVersion,
            $"Schema version {Domain.ValueText.Quote(text)} is not supported; this library reads schema version(s) {supported}.",
            $"Write the document with {version.Member} \"{version.Supported[^1]}\" (the version this library reads), or read it with a library that supports {Domain.ValueText.Quote(text)}.");
        _result.MarkVersionProblem();
        return version.Supported[^1];
    }

    /// <summary>
    /// At the root, a member that could not be read is replaced so that the rest can still be validated: an empty list,
    /// the member's default, or the version this library reads. The problem itself is already recorded.
    /// </summary>
    private readonly bool TrySubstitute(Member member, out object? value)
    {
        value = member.Value.Kind == ContractKind.List ? Array.CreateInstance(member.Value.Item!.Type, 0)
            : !member.Required || member.Nullable ? member.Default
            : _version is { } version && member.Name == version.Member ? version.Supported[^1]
            : Unreadable;
        return value != Unreadable;
    }

    /// <summary>Keeps the ids of an object that was not built, and of everything built inside it, with the line of the cause.</summary>
    private readonly void Lose(Contract contract, object?[] arguments)
    {
        if (_firstFail < 0)
        {
            return;
        }
        var line = _result.LineOf(_utf8, _firstFail);
        foreach (var member in contract.Members)
        {
            if (member.Parameter < 0 || arguments[member.Parameter] is not { } value || value == Unreadable)
            {
                continue;
            }
            if (member == contract.IdMember)
            {
                _result.Lose(contract.Type, value.ToString()!, line);
            }
            else
            {
                LoseInside(member.Value, value, line);
            }
        }
    }

    private readonly void LoseInside(Contract contract, object value, long line)
    {
        switch (contract.Kind)
        {
            case ContractKind.Nullable:
                LoseInside(contract.Item!, value, line);
                break;
            case ContractKind.List when value is System.Collections.IEnumerable items:
                foreach (var item in items)
                {
                    if (item is not null)
                    {
                        LoseInside(contract.Item!, item, line);
                    }
                }
                break;
            case ContractKind.Object:
                if (contract.IdMember?.Get(value) is { } id)
                {
                    _result.Lose(contract.Type, id.ToString()!, line);
                }
                foreach (var member in contract.Members)
                {
                    if (member.Parameter >= 0 && member.Value.Kind is ContractKind.List or ContractKind.Object or ContractKind.Nullable
                        && member.Get(value) is { } inner)
                    {
                        LoseInside(member.Value, inner, line);
                    }
                }
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// A member written from the others (a report's <c>errorCount</c>, <c>isValid</c>) must say what the object
    /// built from the others says: a report edited by hand or cut short is refused at that member, not believed.
    /// </summary>
    private void CheckDerived(object built, Member[] members, object?[] derived, long[] valueStarts)
    {
        for (var i = 0; i < members.Length; i++)
        {
            if (members[i].Parameter < 0 && valueStarts[i] >= 0 && derived[i] != Unreadable
                && members[i].Get(built) is var actual && !Equals(actual, derived[i]))
            {
                _path.Add(new(members[i].Name, 0));
                Fail(
                    DataFormatProblemKind.RefusedValue,
                    $"Member '{members[i].Name}' says {Describe(derived[i])}, but the other members make it {Describe(actual)}; it is derived from them.",
                    $"Write {Describe(actual)} here, or leave the member out: it is derived from the others.",
                    valueStarts[i]);
                _path.RemoveAt(_path.Count - 1);
            }
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => "another value",
    };

    /// <summary>A domain constructor refused the object: blame the member its exception names, else the object.</summary>
    private void Refused(Contract contract, ArgumentException refused, long[] valueStarts, long objectStart)
    {
        var offset = objectStart;
        var depth = _path.Count;
        var index = refused.ParamName is { } parameter ? contract.IndexOf(JsonNamingPolicy.CamelCase.ConvertName(parameter)) : -1;
        if (index >= 0 && valueStarts[index] >= 0)
        {
            _path.Add(new(contract.Members[index].Name, 0));
            offset = valueStarts[index];
            if (refused is NestedArgumentException nested)
            {
                _path.AddRange(nested.Below);
            }
        }
        Fail(DataFormatProblemKind.RefusedValue, Preconditions.ReasonOf(refused), Preconditions.FixOf(refused), offset, refused);
        _path.RemoveRange(depth, _path.Count - depth);
    }

    /// <summary>
    /// The name of a member the contract does not know, and whether it is text: bytes that are not UTF-8 show as U+FFFD
    /// (the name is not text); escapes that decode to no character give no name at all.
    /// </summary>
    private readonly (string? Text, bool IsText) UnknownMemberName()
    {
        if (!_reader.ValueIsEscaped)
        {
            return (Encoding.UTF8.GetString(_reader.ValueSpan), System.Text.Unicode.Utf8.IsValid(_reader.ValueSpan));
        }
        try
        {
            return (_reader.GetString()!, true);
        }
        catch (InvalidOperationException)
        {
            return (null, false);
        }
    }

    private object WrongKind(Contract contract)
    {
        var found = Found();
        var at = _reader.TokenStartIndex;
        // Skipped before the problem is recorded: a value nested too deeply to skip is reported for that alone.
        _reader.Skip();
        return Fail(DataFormatProblemKind.WrongType, $"Expected {contract.Expected} but found {found}.", $"{contract.Fix}.", at);
    }

    /// <summary>What stands at the current token, with its text only as the one display rule allows.</summary>
    private readonly string Found()
    {
        switch (_reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return "an object";
            case JsonTokenType.StartArray:
                return "an array";
            case JsonTokenType.Null:
                return "null";
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            case JsonTokenType.Number:
                var digits = Encoding.UTF8.GetString(_reader.ValueSpan);
                return Domain.ValueText.MayShow(digits) ? "the number " + digits : $"a number of {digits.Length} characters (not shown)";
            default:
                if (_reader.ValueSpan.Length > 4 * Domain.ValueText.MaxShownLength)
                {
                    return "a long string";
                }
                try
                {
                    return "the string " + Domain.ValueText.Quote(_reader.GetString());
                }
                catch (InvalidOperationException)
                {
                    return "a string that is not text";
                }
        }
    }

    /// <summary>The one place a refusal is made: the problem, at the current path and at <paramref name="offset"/> (default: the current token).</summary>
    /// <returns>The value that stands for what could not be read.</returns>
    private object Fail(DataFormatProblemKind kind, string reason, string fix, long offset = -1, Exception? cause = null)
    {
        offset = offset < 0 ? _reader.TokenStartIndex : offset;
        if (_firstFail < 0)
        {
            _firstFail = offset;
        }
        _result.Add(kind, reason, fix, _path, _utf8, offset, cause);
        return Unreadable;
    }

    /// <summary>
    /// The reader's own syntax errors carry their line and position as numbers; the reason is worded here from what
    /// stands at that place, never taken from, or matched against, the reader's message text. The pass ends here.
    /// </summary>
    private readonly void FromReader(JsonException syntax)
    {
        var offset = OffsetOf(_utf8, syntax.LineNumber ?? 0, syntax.BytePositionInLine ?? 0);
        string reason;
        if (offset >= _utf8.Length)
        {
            reason = "The JSON ends before the document is complete.";
        }
        else
        {
            var found = _utf8[(int)offset];
            reason = found is > 0x20 and < 0x7F
                ? $"The JSON is malformed here: '{(char)found}' cannot stand at this place."
                : $"The JSON is malformed here: byte 0x{found:X2} cannot stand at this place.";
        }
        _result.Add(
            DataFormatProblemKind.Unreadable, reason,
            "Correct the JSON syntax here (quotes, commas, brackets; no comments or trailing commas) so that the file can be read; then validate it again for the rest.",
            _path, _utf8, offset, syntax);
    }

    /// <summary>The byte offset of a 0-based line and byte position, or the length when it lies past the end.</summary>
    private static long OffsetOf(ReadOnlySpan<byte> utf8, long line, long position)
    {
        var start = 0;
        for (var l = 0L; l < line; l++)
        {
            var next = utf8[start..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return utf8.Length;
            }
            start += next + 1;
        }
        return Math.Min(utf8.Length, start + position);
    }

    private enum ContractKind
    {
        String,
        Int32,
        Int64,
        Decimal,
        Double,
        Boolean,
        Nullable,
        Converter,
        List,
        Object,
    }

    /// <summary>How to read one type, built once from the context's metadata.</summary>
    private sealed class Contract
    {
        private static readonly ConcurrentDictionary<Type, Contract> s_contracts = new();

        private Contract(JsonTypeInfo info)
        {
            Type = info.Type;
            var underlying = Nullable.GetUnderlyingType(Type);
            if (underlying is not null)
            {
                Kind = ContractKind.Nullable;
                Item = For(info.Options.GetTypeInfo(underlying));
            }
            else if (info.Converter is IBoxedConverter converter)
            {
                Kind = ContractKind.Converter;
                Converter = converter;
            }
            else if (info.Kind == JsonTypeInfoKind.Enumerable && info.ElementType is { } element)
            {
                Kind = ContractKind.List;
                Item = For(info.Options.GetTypeInfo(element));
            }
            else if (info.Kind == JsonTypeInfoKind.Object)
            {
                Kind = ContractKind.Object;
                var constructor = info.ConstructorAttributeProvider as ConstructorInfo
                    ?? throw new NotSupportedException($"{Type.Name} has no constructor the contract can read.");
                Constructor = ConstructorInvoker.Create(constructor);
                // Members a constructor takes, and members written from them (Get without a parameter), read and checked.
                Members = [.. info.Properties.Where(p => p.AssociatedParameter is not null || p.Get is not null).Select(p => new Member(p))];
                ParameterCount = constructor.GetParameters().Length;
                ExpectedMembers = string.Join(", ", Members.Where(m => m.Parameter >= 0).Select(m => m.Name));
                // The member that identifies the object (a school's Id<School>), whose loss references can name.
                IdMember = Type.IsValueType
                    ? null
                    : Array.Find(Members, m => m.Parameter >= 0 && m.Type == typeof(Domain.Id<>).MakeGenericType(Type));
            }
            else
            {
                Kind = Type == typeof(string) ? ContractKind.String
                    : Type == typeof(int) ? ContractKind.Int32
                    : Type == typeof(long) ? ContractKind.Int64
                    : Type == typeof(decimal) ? ContractKind.Decimal
                    : Type == typeof(double) ? ContractKind.Double
                    : Type == typeof(bool) ? ContractKind.Boolean
                    : throw new NotSupportedException($"The contract cannot read {Type.Name}.");
            }
            Expected = Kind switch
            {
                ContractKind.String => "a string",
                ContractKind.Int32 or ContractKind.Int64 => "an integer",
                ContractKind.Decimal or ContractKind.Double => "a number",
                ContractKind.Boolean => "true or false",
                ContractKind.List => "an array",
                ContractKind.Object => "an object",
                _ => Item?.Expected ?? Converter?.Expected ?? $"a {Type.Name}",
            };
            Fix = Kind switch
            {
                ContractKind.String => "Write the text in double quotes",
                ContractKind.Int32 => "Write a whole number from -2147483648 to 2147483647, without quotes",
                ContractKind.Int64 => "Write a whole number, without quotes",
                ContractKind.Decimal => "Write a number without quotes, such as 120 or 87.5, at most 28 digits long",
                ContractKind.Double => "Write a number without quotes, such as 87.5",
                ContractKind.Boolean => "Write true or false, without quotes",
                ContractKind.List => "Write an array [ ... ] here, [] when it has no items",
                ContractKind.Object => $"Write an object {{ ... }} here with the members {ExpectedMembers}",
                _ => Item?.Fix ?? $"Write {Expected} here",
            };
        }

        internal Type Type { get; }

        internal ContractKind Kind { get; }

        internal string Expected { get; }

        /// <summary>What to write instead of a value of the wrong kind, without the final full stop.</summary>
        internal string Fix { get; }

        /// <summary>The member holding the object's own id, if it has one.</summary>
        internal Member? IdMember { get; }

        internal Contract? Item { get; }

        internal IBoxedConverter? Converter { get; }

        internal ConstructorInvoker? Constructor { get; }

        internal Member[] Members { get; } = [];

        internal int ParameterCount { get; }

        internal string ExpectedMembers { get; } = "";

        /// <summary>Whether JSON null is a value of this type (a nullable value type, or a converter that reads null).</summary>
        internal bool AcceptsNull => Kind == ContractKind.Nullable;

        internal static Contract For(JsonTypeInfo info) => s_contracts.GetOrAdd(info.Type, static (_, info) => new Contract(info), info);

        /// <summary>The member the current property name names, exactly (escapes decoded), or -1.</summary>
        internal int IndexOf(ref Utf8JsonReader reader)
        {
            var members = Members;
            for (var i = 0; i < members.Length; i++)
            {
                if (reader.ValueTextEquals(members[i].Utf8Name))
                {
                    return i;
                }
            }
            return -1;
        }

        internal int IndexOf(string name) => Array.FindIndex(Members, m => m.Name == name);
    }

    /// <summary>
    /// One member of an object: its JSON name, its constructor parameter (-1 for a member derived from the others),
    /// and what null and absence mean.
    /// </summary>
    private sealed class Member(JsonPropertyInfo property)
    {
        private readonly Func<object, object?> _get = property.Get ?? (_ => null);
        private readonly JsonSerializerOptions _options = property.Options;
        private Contract? _value;

        internal Type Type { get; } = property.PropertyType;

        internal string Name { get; } = property.Name;

        internal byte[] Utf8Name { get; } = Encoding.UTF8.GetBytes(property.Name);

        internal int Parameter { get; } = property.AssociatedParameter?.Position ?? -1;

        internal bool Required { get; } = property.AssociatedParameter is { HasDefaultValue: false };

        internal bool Nullable { get; } = property.AssociatedParameter?.IsNullable ?? false;

        internal object? Default { get; } = property.AssociatedParameter?.DefaultValue;

        /// <summary>The member's value on a built object, for checking a derived member.</summary>
        internal object? Get(object built) => _get(built);

        /// <summary>Resolved on first use, so types that contain themselves would not recurse while contracts are built.</summary>
        internal Contract Value => _value ??= Contract.For(_options.GetTypeInfo(Type));
    }
}

/// <summary>The member of a document's root that names its schema version, and the versions this library reads (the last is the current one).</summary>
internal sealed record DocumentVersion(string Member, IReadOnlyList<string> Supported);

/// <summary>
/// What one pass of <see cref="JsonContractReader"/> found: every problem (the first so many kept, all counted), in the
/// order of the file, what could be built, the ids of what could not (with the line of the cause) and, for the
/// root's lists that lost items, which file index each kept item had.
/// </summary>
internal sealed class ContractReading(long firstLine, int maxProblems)
{
    private readonly List<(DataFormatProblem Problem, long Offset, Exception? Cause)> _problems = [];
    private readonly LineMap _lines = new();
    private Dictionary<(Type, string), long>? _lost;
    private Dictionary<string, int[]>? _keptIndices;
    private DataFormatProblem? _versionProblem;

    /// <summary>What could be built: the document, or <c>null</c> when even its root could not be.</summary>
    internal object? Value { get; set; }

    /// <summary>Every problem kept, in the order of the file.</summary>
    internal IReadOnlyList<DataFormatProblem> Problems { get; private set; } = [];

    /// <summary>How many problems were found, kept or not.</summary>
    internal long ProblemCount { get; private set; }

    /// <summary>For each root list that lost items, the file index of each item kept, in order.</summary>
    internal IReadOnlyDictionary<string, int[]> KeptIndices => _keptIndices ?? (IReadOnlyDictionary<string, int[]>)System.Collections.Frozen.FrozenDictionary<string, int[]>.Empty;

    /// <summary>The line of the problem that kept the <paramref name="entity"/> with id <paramref name="id"/> from being built, if one did.</summary>
    internal long? LineOfLost(Type entity, string id) => _lost is not null && _lost.TryGetValue((entity, id), out var line) ? line : null;

    internal void Add(
        DataFormatProblemKind kind, string reason, string fix, List<JsonPathSegment> path, ReadOnlySpan<byte> utf8, long offset, Exception? cause = null)
    {
        ProblemCount++;
        if (_problems.Count >= maxProblems)
        {
            return;
        }
        var (line, position, column) = _lines.At(utf8, offset);
        var problem = new DataFormatProblem(kind, reason, fix, JsonPathSegment.Format(path), line + firstLine - 1, column, position);
        _problems.Add((problem, offset, cause));
    }

    /// <summary>Says that the problem just added (if it was kept) is the unsupported schema version.</summary>
    internal void MarkVersionProblem() => _versionProblem = ProblemCount == _problems.Count ? _problems[^1].Problem : null;

    internal long LineOf(ReadOnlySpan<byte> utf8, long offset) => _lines.At(utf8, offset).Line + firstLine - 1;

    internal void Lose(Type entity, string id, long line) => (_lost ??= []).TryAdd((entity, id), line);

    internal void KeepIndices(string member, int[] indices) => (_keptIndices ??= new(StringComparer.Ordinal))[member] = indices;

    /// <summary>Puts the problems in the order of the file (a constructor's refusal is found after the members it names).</summary>
    internal void Finish() => Problems = [.. _problems.OrderBy(p => p.Offset).Select(p => p.Problem)];

    /// <summary>
    /// The exception of a strict read: every problem kept, named after the unsupported version or else the first met in
    /// reading order (where a reader that stopped at the first problem would have stopped).
    /// </summary>
    internal DataFormatException ToException(string? fileName)
    {
        var main = _versionProblem ?? _problems[0].Problem;
        return new(main, Problems, ProblemCount, fileName, _problems.Find(p => ReferenceEquals(p.Problem, main)).Cause);
    }
}

/// <summary>
/// Turns byte offsets into lines and columns, moving forward through the text as offsets grow, so that listing many
/// problems costs one pass over the text, not one per problem.
/// </summary>
internal sealed class LineMap
{
    private long _offset;
    private long _line = 1;
    private long _lineStart;
    private long _column;

    /// <summary>The 1-based line, 0-based byte position in it and 1-based column (UTF-16 code units) of <paramref name="offset"/>.</summary>
    internal (long Line, long Position, long Column) At(ReadOnlySpan<byte> utf8, long offset)
    {
        offset = Math.Clamp(offset, 0, utf8.Length);
        if (offset >= _offset)
        {
            var ahead = utf8[(int)_offset..(int)offset];
            var newlines = ahead.Count((byte)'\n');
            if (newlines > 0)
            {
                _line += newlines;
                _lineStart = _offset + ahead.LastIndexOf((byte)'\n') + 1;
                _column = Encoding.UTF8.GetCharCount(utf8[(int)_lineStart..(int)offset]);
            }
            else
            {
                _column += Encoding.UTF8.GetCharCount(ahead);
            }
            _offset = offset;
            return (_line, offset - _lineStart, _column + 1);
        }
        // Behind the last offset (a member a constructor refused, read a little earlier): counted without moving back.
        var behind = utf8[(int)offset..(int)_offset];
        var up = behind.Count((byte)'\n');
        if (up == 0)
        {
            return (_line, offset - _lineStart, _column - Encoding.UTF8.GetCharCount(behind) + 1);
        }
        var start = utf8[..(int)offset].LastIndexOf((byte)'\n') + 1;
        return (_line - up, offset - start, Encoding.UTF8.GetCharCount(utf8[start..(int)offset]) + 1);
    }
}

/// <summary>One step of a path: a member name or an array index.</summary>
internal readonly record struct JsonPathSegment(string? Name, int Index)
{
    /// <summary>The root's path.</summary>
    internal const string Root = "$";

    private static readonly System.Buffers.SearchValues<char> s_special = System.Buffers.SearchValues.Create(". '/\"[]()\t\n\r\f\b\\\u0085\u2028\u2029");

    /// <summary><c>partnerships[0].period.end</c>; a name with dots, spaces or brackets as <c>['a name']</c>; the root as <c>$</c>.</summary>
    internal static string Format(IReadOnlyList<JsonPathSegment> segments)
    {
        if (segments.Count == 0)
        {
            return Root;
        }
        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment.Name is not { } name)
            {
                text.Append('[').Append(segment.Index).Append(']');
            }
            else if (name.AsSpan().ContainsAny(s_special))
            {
                text.Append("['").Append(name).Append("']");
            }
            else
            {
                text.Append(text.Length == 0 ? "" : ".").Append(name);
            }
        }
        return text.ToString();
    }
}
