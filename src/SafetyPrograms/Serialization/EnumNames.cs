using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetyPrograms.Serialization;

/// <summary>
/// The one table of an enum's interchange names: the camelCase member name, or its
/// <see cref="JsonStringEnumMemberNameAttribute"/> where one is given (AgeBand's "10-14"). JSON, CSV and the schema all use it,
/// so they cannot disagree. Reading is exact (case-sensitive), unlike the built-in string enum converter.
/// </summary>
internal static class EnumNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> s_toName;
    private static readonly Dictionary<string, TEnum> s_fromName;
    private static readonly Dictionary<string, TEnum>.AlternateLookup<ReadOnlySpan<char>> s_fromSpan;
    private static readonly string[] s_names;
    private static readonly TEnum[] s_values;

    static EnumNames()
    {
        var toName = new Dictionary<TEnum, string>();
        s_fromName = new Dictionary<string, TEnum>(StringComparer.Ordinal);
        foreach (var field in typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var value = (TEnum)field.GetValue(null)!;
            var name = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                ?? JsonNamingPolicy.CamelCase.ConvertName(field.Name);
            toName[value] = name;
            s_fromName[name] = value;
        }
        s_toName = toName.ToFrozenDictionary();
        s_fromSpan = s_fromName.GetAlternateLookup<ReadOnlySpan<char>>();
        s_names = [.. s_fromName.Keys];
        s_values = [.. s_fromName.Values];
        Names = s_names;
    }

    /// <summary>The names in declaration order.</summary>
    internal static IReadOnlyList<string> Names { get; }

    internal static bool TryGetName(TEnum value, out string name) => s_toName.TryGetValue(value, out name!);

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

    internal static string Expected() => string.Join(", ", Names);
}
