using System.Globalization;
using NodaTime;
using NodaTime.Text;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

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
        where TEnum : struct, Enum => EnumNames<TEnum>.NameOf(value);
}
