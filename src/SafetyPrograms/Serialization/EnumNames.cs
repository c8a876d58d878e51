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
        Names = [.. s_fromName.Keys];
    }

    /// <summary>The names in declaration order.</summary>
    internal static IReadOnlyList<string> Names { get; }

    internal static bool TryGetName(TEnum value, out string name) => s_toName.TryGetValue(value, out name!);

    internal static bool TryParse(ReadOnlySpan<char> name, out TEnum value) => s_fromSpan.TryGetValue(name, out value);

    internal static string Expected() => string.Join(", ", Names);
}
