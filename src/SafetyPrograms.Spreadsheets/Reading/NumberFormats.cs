namespace SafetyPrograms.Spreadsheets.Reading;

/// <summary>Which number formats show a date, and Excel's day numbers (serial dates) as dates.</summary>
internal static class NumberFormats
{
    /// <summary>Whether a built-in number format (by id) shows a date or time: ECMA-376 §18.8.30, with the East Asian ids.</summary>
    internal static bool IsBuiltInDate(int id) => id is (>= 14 and <= 22) or (>= 27 and <= 36) or (>= 45 and <= 47) or (>= 50 and <= 58);

    /// <summary>Whether a custom format code shows a date or time: a d, m, y, h or s outside quoted text, escapes and brackets.</summary>
    internal static bool IsDate(string code)
    {
        var quoted = false;
        var bracket = false;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (quoted)
            {
                quoted = c != '"';
                continue;
            }
            if (bracket)
            {
                bracket = c != ']';
                continue;
            }
            switch (char.ToLowerInvariant(c))
            {
                case '"':
                    quoted = true;
                    break;
                case '[':
                    bracket = true;
                    break;
                case '\\' or '_' or '*':
                    i++; // the next character is shown, spaced or repeated as is
                    break;
                case ';':
                    return false; // a date format has one section; the first section decided
                case 'd' or 'm' or 'y' or 'h' or 's':
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The date of an Excel day number: in the 1900 system day 1 is 1 January 1900 and day 60 is the 29 February 1900
    /// that Excel counts but never was; in the 1904 system day 0 is 1 January 1904. A time of day (the fraction) is dropped.
    /// </summary>
    /// <returns>The date, or <c>null</c> for a number that is no date (negative, day 0 or 60 of 1900, past 9999).</returns>
    internal static DateOnly? Date(double serial, bool date1904)
    {
        if (!double.IsFinite(serial) || serial < 0 || serial >= 2_958_466)
        {
            return null;
        }
        var day = (int)Math.Floor(serial);
        if (date1904)
        {
            var number = new DateOnly(1904, 1, 1).DayNumber + day;
            return number <= DateOnly.MaxValue.DayNumber ? DateOnly.FromDayNumber(number) : null;
        }
        return day switch
        {
            0 or 60 => null,
            < 60 => new DateOnly(1899, 12, 31).AddDays(day),
            _ => new DateOnly(1899, 12, 30).AddDays(day),
        };
    }

    /// <summary>The Excel day number (1900 system) of a date, for writing.</summary>
    internal static int Serial(DateOnly date) => date.DayNumber - new DateOnly(1899, 12, 30).DayNumber;
}
