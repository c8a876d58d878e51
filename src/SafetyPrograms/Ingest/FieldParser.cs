using System.Globalization;
using SafetyPrograms.Domain;
using SafetyPrograms.Indexing;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Ingest;

/// <summary>Parses the values of a participation row from UTF-8 bytes, exactly as the JSON contract writes them.</summary>
internal static class FieldParser
{
    internal const int Invalid = -1;

    /// <summary>An ISO date <c>yyyy-MM-dd</c> as a day number (days since 0001-01-01), or <see cref="Invalid"/>.</summary>
    internal static int Date(ReadOnlySpan<byte> s)
    {
        if (s.Length != 10 || s[4] != '-' || s[7] != '-')
        {
            return Invalid;
        }
        int y = Digits(s[..4]), m = Digits(s.Slice(5, 2)), d = Digits(s.Slice(8, 2));
        if (y < 1 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return Invalid;
        }
        return new DateOnly(y, m, d).DayNumber;
    }

    private static int Digits(ReadOnlySpan<byte> s)
    {
        var v = 0;
        foreach (var b in s)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                return -1;
            }
            v = (v * 10) + digit;
        }
        return v;
    }

    internal static int Role(ReadOnlySpan<byte> s) => EnumNames<BeneficiaryRole>.Index(s);

    internal static int Sex(ReadOnlySpan<byte> s) => EnumNames<Domain.Sex>.Index(s);

    internal static int AgeBand(ReadOnlySpan<byte> s) => EnumNames<Domain.AgeBand>.Index(s);

    internal static int Mode(ReadOnlySpan<byte> s) => EnumNames<DeliveryMode>.Index(s);

    internal static int Bool(ReadOnlySpan<byte> s) => s.SequenceEqual("true"u8) ? 1 : s.SequenceEqual("false"u8) ? 0 : Invalid;

    /// <summary>
    /// A score in ten-thousandths: <see cref="RowChecker.NoScore"/> for an empty value, <see cref="RowChecker.BadScore"/>
    /// when it has more than four decimal places or is not a number (then <paramref name="isNumber"/> is false).
    /// </summary>
    internal static long Score(ReadOnlySpan<byte> s, out bool isNumber)
    {
        isNumber = true;
        if (s.IsEmpty)
        {
            return RowChecker.NoScore;
        }
        // Fast path: -?digits(.digits)? with at most 4 decimals, as writers emit.
        var i = 0;
        var negative = s[0] == '-';
        if (negative)
        {
            i++;
        }
        long whole = 0;
        var digits = 0;
        for (; i < s.Length && (uint)(s[i] - '0') <= 9 && digits < 12; i++, digits++)
        {
            whole = (whole * 10) + (s[i] - '0');
        }
        if (digits > 0 && digits < 12)
        {
            long fraction = 0;
            var places = 0;
            if (i < s.Length && s[i] == '.')
            {
                i++;
                for (; i < s.Length && (uint)(s[i] - '0') <= 9 && places < 4; i++, places++)
                {
                    fraction = (fraction * 10) + (s[i] - '0');
                }
                if (places == 0)
                {
                    i = -1;
                }
            }
            if (i == s.Length)
            {
                for (; places < 4; places++)
                {
                    fraction *= 10;
                }
                var scaled = (whole * RowChecker.ScoreScale) + fraction;
                if (scaled > RowChecker.MaxScaledScore || (digits > 1 && s[negative ? 1 : 0] == '0'))
                {
                    // Beyond the store's range, or a leading zero, which the general path explains.
                    return General(s, out isNumber);
                }
                return negative ? -scaled : scaled;
            }
        }
        return General(s, out isNumber);
    }

    /// <summary>Any JSON number (exponents, long fractions, large values) through decimal; anything else is not a number.</summary>
    private static long General(ReadOnlySpan<byte> s, out bool isNumber)
    {
        isNumber = JsonNumberText.IsValid(s);
        if (!isNumber)
        {
            return RowChecker.BadScore;
        }
        if (!decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            // Too large for decimal: the typed readers cannot read it either, so the line is unreadable (SP8001).
            isNumber = false;
            return RowChecker.BadScore;
        }
        // The value as decimal reads it, as the typed readers take it (a number too small for decimal reads as zero), so
        // that the store and the validator judge the same value.
        return RowChecker.Scaled(value);
    }
}
