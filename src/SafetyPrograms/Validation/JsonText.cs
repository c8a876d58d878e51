using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Validation;

/// <summary>Values as the JSON contract writes them, for attempted values and messages.</summary>
internal static class JsonText
{
    internal const string NotRecorded = "notRecorded";

    internal static string Of(LocalDate date) => LocalDatePattern.Iso.Format(date);

    internal static string Of(LocalDate? date) => date is { } d ? Of(d) : "null";

    internal static string Of(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Of(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Of(DatePeriod period) => $"{Of(period.Start)}..{(period.End is { } end ? Of(end) : "ongoing")}";

    internal static string Of(DateInterval interval) => $"{Of(interval.Start)}..{Of(interval.End)}";

    internal static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => EnumNames<TEnum>.Names.GetValueOrDefault(value) ?? value.ToString();

    /// <summary>The JSON names of an enum's values: the <see cref="JsonStringEnumMemberNameAttribute"/> value or the camelCase name.</summary>
    internal static class EnumNames<TEnum>
        where TEnum : struct, Enum
    {
        internal static readonly Dictionary<TEnum, string> Names = Build();

        private static Dictionary<TEnum, string> Build()
        {
            var names = new Dictionary<TEnum, string>();
            foreach (var field in typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var value = (TEnum)field.GetValue(null)!;
                names[value] = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(field.Name);
            }
            return names;
        }
    }
}
