using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Serialization;

/// <summary>
/// The interchange names that are not simply an enum member's camelCase name. Every other enum of ours is written
/// with its members' camelCase names. The domain carries no names (it depends on nothing of ours), so its enums' names
/// are listed here; an enum of a layer above this one declares its own with <see cref="InterchangeNamesAttribute"/>,
/// so that this layer never names a type above it.
/// </summary>
internal static class DeclaredEnumNames
{
    private static readonly FrozenDictionary<Type, string[]> s_names = new Dictionary<Type, string[]>
    {
        // Age bands read as the bands people write on forms.
        [typeof(AgeBand)] = ["5-9", "10-14", "15-17", "18-24", "25-49", "50+", "notRecorded", "0-4", "18+"],
    }.ToFrozenDictionary();

    /// <summary>The names of <paramref name="enumType"/>'s members in declaration order, or <c>null</c> when they are camelCase.</summary>
    internal static string[]? For(Type enumType) =>
        s_names.GetValueOrDefault(enumType) ?? enumType.GetCustomAttribute<InterchangeNamesAttribute>()?.Names;
}

/// <summary>Declares the interchange names of an enum's members, in declaration order, where they are not camelCase.</summary>
/// <param name="names">One name per member, in declaration order.</param>
[AttributeUsage(AttributeTargets.Enum)]
internal sealed class InterchangeNamesAttribute(params string[] names) : Attribute
{
    /// <summary>The names, in the members' declaration order.</summary>
    internal string[] Names { get; } = names;
}

/// <summary>
/// The one table of an enum's interchange names: the name <see cref="DeclaredEnumNames"/> declares, else the camelCase
/// member name. JSON, CSV, the schemas, the byte decoder of the ingest, command lines and messages all read it, so they
/// cannot disagree. Reading is exact (case-sensitive), unlike the built-in string enum converter.
/// </summary>
internal static class EnumNames<TEnum>
    where TEnum : struct, Enum
{
    /// <summary>What <see cref="Index"/> returns for text that is no name.</summary>
    internal const int NotAName = -1;

    private static readonly FrozenDictionary<TEnum, string> s_toName;
    private static readonly Dictionary<string, TEnum>.AlternateLookup<ReadOnlySpan<char>> s_fromSpan;
    private static readonly string[] s_names;
    private static readonly byte[][] s_utf8;
    private static readonly TEnum[] s_values;
    private static readonly int[] s_numbers;
    private static readonly int[][] s_byLength;
    private static readonly PackedName[][] s_packedByLength;

    static EnumNames()
    {
        var fields = typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static);
        var declared = DeclaredEnumNames.For(typeof(TEnum));
        if (declared is not null && declared.Length != fields.Length)
        {
            throw new InvalidOperationException($"{typeof(TEnum).Name} has {fields.Length} members but {declared.Length} declared names.");
        }
        s_values = [.. fields.Select(f => (TEnum)f.GetValue(null)!)];
        s_names = declared ?? [.. fields.Select(f => JsonNamingPolicy.CamelCase.ConvertName(f.Name))];
        s_utf8 = [.. s_names.Select(Encoding.UTF8.GetBytes)];
        s_numbers = [.. s_values.Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))];
        s_byLength = [.. Enumerable.Range(0, s_utf8.Max(n => n.Length) + 1)
            .Select(length => Enumerable.Range(0, s_utf8.Length).Where(i => s_utf8[i].Length == length).ToArray())];
        s_packedByLength = [.. s_byLength.Select(candidates => candidates
            .Where(i => s_utf8[i].Length <= PackedName.MaxLength)
            .Select(i => PackedName.Of(s_utf8[i], s_numbers[i])).ToArray())];
        s_toName = s_values.Zip(s_names).ToFrozenDictionary(p => p.First, p => p.Second);
        var fromName = s_names.Zip(s_values).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        s_fromSpan = fromName.GetAlternateLookup<ReadOnlySpan<char>>();
        Names = Array.AsReadOnly(s_names);
        Alternatives = s_names.Length == 1 ? s_names[0] : $"{string.Join(", ", s_names[..^1])} or {s_names[^1]}";
    }

    /// <summary>The names in declaration order.</summary>
    internal static IReadOnlyList<string> Names { get; }

    /// <summary>The names for a message: <c>inPerson, online or hybrid</c>.</summary>
    internal static string Alternatives { get; }

    internal static bool TryGetName(TEnum value, out string name) => s_toName.TryGetValue(value, out name!);

    /// <summary>The name of a defined value; <paramref name="value"/>'s .NET name when it is undefined (for messages only).</summary>
    internal static string NameOf(TEnum value) => TryGetName(value, out var name) ? name : value.ToString();

    internal static bool TryParse(ReadOnlySpan<char> name, out TEnum value)
    {
        // Our enums have a handful of names: comparing them in turn beats hashing the text.
        var names = s_names;
        if (names.Length <= 16)
        {
            for (var i = 0; i < names.Length; i++)
            {
                if (name.SequenceEqual(names[i]))
                {
                    value = s_values[i];
                    return true;
                }
            }
            value = default;
            return false;
        }
        return s_fromSpan.TryGetValue(name, out value);
    }

    /// <summary>Finds a value by its name ignoring case, as command lines accept (<c>--by AgeBand</c>).</summary>
    internal static bool TryParseIgnoringCase(string? name, out TEnum value)
    {
        for (var i = 0; i < s_names.Length; i++)
        {
            if (string.Equals(s_names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                value = s_values[i];
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>
    /// The numeric value of the member named by exact UTF-8 <paramref name="utf8"/>, or <see cref="NotAName"/>: the
    /// ingest's decoder, called for millions of fields a second, so it compares bytes and allocates nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Index(ReadOnlySpan<byte> utf8)
    {
        // Names grouped by their length: usually one candidate, compared as two words (no call, no loop over bytes).
        var packed = s_packedByLength;
        if ((uint)utf8.Length >= (uint)packed.Length || utf8.Length > PackedName.MaxLength)
        {
            return LongIndex(utf8);
        }
        var (head, tail) = PackedName.Words(utf8);
        foreach (ref readonly var name in packed[utf8.Length].AsSpan())
        {
            if (name.Head == head && name.Tail == tail)
            {
                return name.Number;
            }
        }
        return NotAName;
    }

    /// <summary><see cref="Index"/> of text longer than <see cref="PackedName.MaxLength"/>, compared byte by byte.</summary>
    private static int LongIndex(ReadOnlySpan<byte> utf8)
    {
        var byLength = s_byLength;
        if ((uint)utf8.Length >= (uint)byLength.Length)
        {
            return NotAName;
        }
        var candidates = byLength[utf8.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            if (utf8.SequenceEqual(s_utf8[candidates[i]]))
            {
                return s_numbers[candidates[i]];
            }
        }
        return NotAName;
    }

    /// <summary>Finds the member named by exact UTF-8 <paramref name="utf8"/>.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> utf8, out TEnum value)
    {
        var names = s_utf8;
        for (var i = 0; i < names.Length; i++)
        {
            if (utf8.SequenceEqual(names[i]))
            {
                value = s_values[i];
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>The names for a list: <c>inPerson, online, hybrid</c>.</summary>
    internal static string Expected() => string.Join(", ", s_names);
}

/// <summary>
/// A name of at most 16 UTF-8 bytes as two words, for <see cref="EnumNames{TEnum}.Index"/>: the first and the last
/// bytes of the name, read as overlapping little-endian words, which with the length tell the name exactly.
/// </summary>
/// <param name="Head">The first up to 8 bytes (all of a name of up to 8 bytes).</param>
/// <param name="Tail">The last 8 bytes of a longer name; 0 for a name of up to 8 bytes.</param>
/// <param name="Number">The member's numeric value.</param>
internal readonly record struct PackedName(ulong Head, ulong Tail, int Number)
{
    /// <summary>The longest name packed.</summary>
    internal const int MaxLength = 16;

    internal static PackedName Of(byte[] utf8, int number)
    {
        var (head, tail) = Words(utf8);
        return new(head, tail, number);
    }

    /// <summary>The words of <paramref name="s"/>, at most <see cref="MaxLength"/> bytes; names of one length never collide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (ulong Head, ulong Tail) Words(ReadOnlySpan<byte> s) => s.Length switch
    {
        >= 8 => (BinaryPrimitives.ReadUInt64LittleEndian(s), BinaryPrimitives.ReadUInt64LittleEndian(s[^8..])),
        >= 4 => (BinaryPrimitives.ReadUInt32LittleEndian(s) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(s[^4..]) << 32), 0),
        >= 2 => (BinaryPrimitives.ReadUInt16LittleEndian(s) | ((ulong)BinaryPrimitives.ReadUInt16LittleEndian(s[^2..]) << 16), 0),
        1 => (s[0], 0),
        _ => (0, 0),
    };
}
