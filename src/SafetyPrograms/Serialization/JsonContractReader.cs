using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

using SafetyPrograms.Utility;

namespace SafetyPrograms.Serialization;

/// <summary>
/// Reads one JSON value held in memory into the types <see cref="SafetyProgramsJsonContext"/> describes, in one pass
/// of a <see cref="Utf8JsonReader"/> that knows its path as it goes. Every way the value can be wrong (syntax, an
/// unknown, repeated or missing member, a value of the wrong kind, text that is not UTF-8, a value a domain constructor
/// refuses) becomes one <see cref="DataFormatException"/> with the path, line and position where it was found.
/// </summary>
/// <remarks>
/// The members, their JSON names, which are required and which may be null come from the context's own metadata, so
/// writing (the generated serializer), reading (this) and the schemas (generated from the same metadata) describe one
/// contract. Values with a converter of ours (dates, identifiers, codes, enums, periods) are read by that converter.
/// Domain objects are built by their public constructors; an <see cref="ArgumentException"/> from one is turned into
/// a <see cref="DataFormatException"/> at the member its parameter names, where the path and line are known.
/// Every refusal goes through <see cref="Refuse"/>, the one place a later reader that lists every problem would change.
/// </remarks>
internal ref struct JsonContractReader
{
    /// <summary>The reason given when a value of the right kind fails because its text cannot be decoded.</summary>
    internal const string UndecodableText =
        "The text of this value, or of a member name in it, is not valid UTF-8 or holds an unpaired surrogate escape such as \\ud800.";

    private readonly ReadOnlySpan<byte> _utf8;
    private readonly JsonSerializerOptions _options;
    private readonly string? _fileName;
    private readonly long _firstLine;
    private readonly List<JsonPathSegment> _path = [];
    private Utf8JsonReader _reader;

    private JsonContractReader(ReadOnlySpan<byte> utf8, JsonSerializerOptions options, string? fileName, long firstLine)
    {
        _utf8 = utf8;
        _options = options;
        _fileName = fileName;
        _firstLine = firstLine;
        _reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = options.MaxDepth });
    }

    /// <summary>
    /// Reads <paramref name="utf8"/> (one whole JSON value, no byte order mark) as a <typeparamref name="T"/>.
    /// <paramref name="firstLine"/> is the file line the value starts on (JSON Lines hold one value per line).
    /// </summary>
    internal static T Read<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo, string? fileName, long firstLine = 1)
        where T : class
    {
        var reader = new JsonContractReader(utf8, typeInfo.Options, fileName, firstLine);
        return (T)reader.ReadDocument(Contract.For(typeInfo));
    }

    private object ReadDocument(Contract contract)
    {
        try
        {
            _reader.Read();
            if (_reader.TokenType == JsonTokenType.Null)
            {
                throw Refuse($"The document is null; expected a {contract.Type.Name} object.");
            }
            var value = ReadValue(contract, nullable: false)!;
            // Only whitespace may follow; the reader refuses anything else (a second value, trailing text).
            _reader.Read();
            return value;
        }
        catch (JsonException syntax)
        {
            throw FromReader(syntax);
        }
    }

    private object? ReadValue(Contract contract, bool nullable)
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
                throw WrongKind(contract);
            }
        }
        switch (contract.Kind)
        {
            case ContractKind.String:
                if (token != JsonTokenType.String)
                {
                    throw WrongKind(contract);
                }
                try
                {
                    return _reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    throw Refuse(UndecodableText);
                }
            case ContractKind.Int32:
                return token == JsonTokenType.Number && _reader.TryGetInt32(out var int32) ? int32 : throw WrongKind(contract);
            case ContractKind.Int64:
                return token == JsonTokenType.Number && _reader.TryGetInt64(out var int64) ? int64 : throw WrongKind(contract);
            case ContractKind.Decimal:
                return token == JsonTokenType.Number && _reader.TryGetDecimal(out var number) ? number : throw WrongKind(contract);
            case ContractKind.Double:
                return token == JsonTokenType.Number && _reader.TryGetDouble(out var real) ? real : throw WrongKind(contract);
            case ContractKind.Boolean:
                return token is JsonTokenType.True or JsonTokenType.False ? token == JsonTokenType.True : throw WrongKind(contract);
            case ContractKind.Nullable:
                return ReadValue(contract.Item!, nullable: true);
            case ContractKind.Converter:
                return ReadConverted(contract);
            case ContractKind.List:
                return token == JsonTokenType.StartArray ? ReadList(contract) : throw WrongKind(contract);
            default:
                return token == JsonTokenType.StartObject ? ReadObject(contract) : throw WrongKind(contract);
        }
    }

    private object? ReadConverted(Contract contract)
    {
        if (_reader.TokenType == JsonTokenType.StartObject && contract.Converter is IObjectFormConverter objectForm)
        {
            return objectForm.FromObjectForm(ReadObject(Contract.For(_options.GetTypeInfo(objectForm.ObjectForm))));
        }
        try
        {
            return contract.Converter!.ReadBoxed(ref _reader, _options);
        }
        catch (JsonException ex) when (ex.LineNumber is null)
        {
            // Our converters' own refusals; the reader's syntax errors carry a line and are handled with the others.
            if (ex.Data[JsonErrors.MemberKey] is string member)
            {
                _path.Add(new(member, 0));
            }
            throw Refuse(ex.Message, ex.InnerException ?? ex);
        }
    }

    private Array ReadList(Contract contract)
    {
        var item = contract.Item!;
        var items = new List<object?>();
        for (var index = 0; ; index++)
        {
            _path.Add(new(null, index));
            _reader.Read();
            if (_reader.TokenType == JsonTokenType.EndArray)
            {
                _path.RemoveAt(_path.Count - 1);
                break;
            }
            if (_reader.TokenType == JsonTokenType.Null && !item.AcceptsNull)
            {
                throw Refuse("A list item must not be null.");
            }
            items.Add(ReadValue(item, nullable: false));
            _path.RemoveAt(_path.Count - 1);
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
        var members = contract.Members;
        var objectStart = _reader.TokenStartIndex;
        var valueStarts = new long[members.Length];
        Array.Fill(valueStarts, -1);
        var arguments = new object?[contract.ParameterCount];
        object?[]? derived = null;
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            int index;
            try
            {
                index = contract.IndexOf(ref _reader);
            }
            catch (InvalidOperationException)
            {
                // An escape that is no character (an unpaired surrogate): the name cannot even be shown.
                throw Refuse(UndecodableText);
            }
            if (index < 0)
            {
                _path.Add(new(UnknownMemberName(), 0));
                throw Refuse($"Unknown member '{_path[^1].Name}'. Expected: {contract.ExpectedMembers}.");
            }
            var member = members[index];
            _path.Add(new(member.Name, 0));
            if (valueStarts[index] >= 0)
            {
                throw Refuse($"Member '{member.Name}' appears more than once.");
            }
            _reader.Read();
            valueStarts[index] = _reader.TokenStartIndex;
            var value = ReadValue(member.Value, member.Nullable);
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
        var missing = new List<string>();
        for (var i = 0; i < members.Length; i++)
        {
            if (valueStarts[i] < 0 && members[i].Parameter >= 0)
            {
                if (members[i].Required)
                {
                    missing.Add($"'{members[i].Name}'");
                }
                arguments[members[i].Parameter] = members[i].Default;
            }
        }
        if (missing.Count > 0)
        {
            throw Refuse($"Missing required member(s) {string.Join(", ", missing)}.");
        }
        object built;
        try
        {
            built = contract.Constructor!.Invoke(arguments);
        }
        catch (ArgumentException refused)
        {
            throw Refused(contract, refused, valueStarts, objectStart);
        }
        if (derived is not null)
        {
            CheckDerived(built, members, derived, valueStarts);
        }
        return built;
    }

    /// <summary>
    /// A member written from the others (a report's <c>errorCount</c>, <c>isValid</c>) must say what the object
    /// built from the others says: a report edited by hand or cut short is refused at that member, not believed.
    /// </summary>
    private void CheckDerived(object built, Member[] members, object?[] derived, long[] valueStarts)
    {
        for (var i = 0; i < members.Length; i++)
        {
            if (members[i].Parameter < 0 && valueStarts[i] >= 0 && members[i].Get(built) is var actual && !Equals(actual, derived[i]))
            {
                _path.Add(new(members[i].Name, 0));
                throw Refuse(
                    $"Member '{members[i].Name}' says {Describe(derived[i])}, but the other members make it {Describe(actual)}; it is derived from them.",
                    offset: valueStarts[i]);
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
    private DataFormatException Refused(Contract contract, ArgumentException refused, long[] valueStarts, long objectStart)
    {
        var offset = objectStart;
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
        return Refuse(Preconditions.ReasonOf(refused), refused, offset);
    }

    private string UnknownMemberName()
    {
        if (!_reader.ValueIsEscaped)
        {
            // Undecodable bytes show as U+FFFD: the member is unknown whatever they were meant to say.
            return Encoding.UTF8.GetString(_reader.ValueSpan);
        }
        try
        {
            return _reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Refuse(UndecodableText);
        }
    }

    private DataFormatException WrongKind(Contract contract) => Refuse($"Expected {contract.Expected} but found {Found()}.");

    private string Found()
    {
        switch (_reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return "an object";
            case JsonTokenType.StartArray:
                return "an array";
            case JsonTokenType.Null:
                return "null";
            default:
                var start = (int)_reader.TokenStartIndex;
                var length = (int)_reader.BytesConsumed - start;
                return length <= 42 ? Encoding.UTF8.GetString(_utf8.Slice(start, length)) : "a long value";
        }
    }

    /// <summary>The one place a refusal is made: the reason, at the current path and at <paramref name="offset"/> (default: the current token).</summary>
    private readonly DataFormatException Refuse(string reason, Exception? inner = null, long offset = -1)
    {
        var (line, position) = LineAndPosition(_utf8, offset < 0 ? _reader.TokenStartIndex : offset);
        return new DataFormatException(reason, _fileName, JsonPathSegment.Format(_path), line + _firstLine - 1, position, inner);
    }

    /// <summary>The 1-based line and 0-based byte position in that line of byte <paramref name="offset"/>.</summary>
    internal static (long Line, long Position) LineAndPosition(ReadOnlySpan<byte> utf8, long offset)
    {
        var before = utf8[..(int)offset];
        return (before.Count((byte)'\n') + 1, offset - before.LastIndexOf((byte)'\n') - 1);
    }

    /// <summary>
    /// The reader's own syntax errors carry their line and position as numbers; the reason is worded here from what
    /// stands at that place, never taken from, or matched against, the reader's message text. (Nesting deeper than
    /// the contract's is refused by kind before the reader's depth limit is reached.)
    /// </summary>
    private readonly DataFormatException FromReader(JsonException syntax)
    {
        var line = syntax.LineNumber ?? 0;
        var position = syntax.BytePositionInLine ?? 0;
        var offset = OffsetOf(_utf8, line, position);
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
        return new DataFormatException(reason, _fileName, JsonPathSegment.Format(_path), line + _firstLine, position, syntax);
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
                _ => Item?.Expected ?? $"a {Type.Name}",
            };
        }

        internal Type Type { get; }

        internal ContractKind Kind { get; }

        internal string Expected { get; }

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
        private readonly Type _type = property.PropertyType;
        private Contract? _value;

        internal string Name { get; } = property.Name;

        internal byte[] Utf8Name { get; } = Encoding.UTF8.GetBytes(property.Name);

        internal int Parameter { get; } = property.AssociatedParameter?.Position ?? -1;

        internal bool Required { get; } = property.AssociatedParameter is { HasDefaultValue: false };

        internal bool Nullable { get; } = property.AssociatedParameter?.IsNullable ?? false;

        internal object? Default { get; } = property.AssociatedParameter?.DefaultValue;

        /// <summary>The member's value on a built object, for checking a derived member.</summary>
        internal object? Get(object built) => _get(built);

        /// <summary>Resolved on first use, so types that contain themselves would not recurse while contracts are built.</summary>
        internal Contract Value => _value ??= Contract.For(_options.GetTypeInfo(_type));
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
