using System.Text;

namespace SafetyPrograms.Privacy;

/// <summary>
/// The normalisation rules of <see cref="IdentifierScheme"/>. Each returns the canonical text or <c>null</c> with a
/// problem that never repeats the identifier, because problems end up in logs and rejection reports.
/// </summary>
internal static class IdentifierNormaliser
{
    private const int MinPhoneDigits = 8;
    private const int MaxPhoneDigits = 15;
    private const int MaxLength = 200;

    internal static string? PhoneNumber(string? raw, string defaultCallingCode, out string? problem)
    {
        if (!CheckPresent(raw, "phone number", out problem))
        {
            return null;
        }
        var text = raw.AsSpan().Trim();
        var international = false;
        if (text[0] == '+')
        {
            international = true;
            text = text[1..];
        }
        var digits = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '/' or '(' or ')'))
            {
                problem = "a phone number may contain only digits, spaces, dashes, dots, slashes, brackets and a leading '+'";
                return null;
            }
        }
        var number = digits.ToString();
        if (!international && number.StartsWith("00", StringComparison.Ordinal))
        {
            international = true;
            number = number[2..];
        }
        if (international)
        {
            // "+92 (0)300 1234567": the bracketed trunk prefix is written by people, never dialled.
            if (number.StartsWith(defaultCallingCode + "0", StringComparison.Ordinal))
            {
                number = defaultCallingCode + number[(defaultCallingCode.Length + 1)..];
            }
        }
        else if (number.StartsWith('0'))
        {
            number = defaultCallingCode + number[1..];
        }
        else if (!(number.StartsWith(defaultCallingCode, StringComparison.Ordinal) && number.Length >= 11))
        {
            number = defaultCallingCode + number;
        }
        if (number.Length is < MinPhoneDigits or > MaxPhoneDigits || number[0] == '0')
        {
            problem = $"a phone number with its country code has {MinPhoneDigits} to {MaxPhoneDigits} digits and does not start with 0; this one has {number.Length}";
            return null;
        }
        return number;
    }

    internal static string? NationalId(string? raw, out string? problem)
    {
        if (!CheckPresent(raw, "national id", out problem))
        {
            return null;
        }
        var id = new StringBuilder(raw.Length);
        foreach (var c in raw.AsSpan().Trim())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                id.Append(char.ToUpperInvariant(c));
            }
            else if (c is not (' ' or '-' or '.' or '/'))
            {
                problem = "a national id may contain only letters, digits, spaces, dashes, dots and slashes";
                return null;
            }
        }
        if (id.Length is < 4 or > 32)
        {
            problem = $"a national id has 4 to 32 letters and digits; this one has {id.Length}";
            return null;
        }
        return id.ToString();
    }

    internal static string? LearnerId(string? raw, out string? problem)
    {
        if (!CheckPresent(raw, "learner id", out problem))
        {
            return null;
        }
        var id = new StringBuilder(raw.Length);
        var pendingSpace = false;
        foreach (var c in raw.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }
            if (char.IsControl(c))
            {
                problem = "a learner id must not contain control characters";
                return null;
            }
            if (pendingSpace)
            {
                id.Append(' ');
                pendingSpace = false;
            }
            id.Append(c);
        }
        return id.ToString().ToUpperInvariant();
    }

    private static bool CheckPresent([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? raw, string what, out string? problem)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            problem = $"the {what} is empty";
            return false;
        }
        if (raw.Length > MaxLength)
        {
            problem = $"the {what} is longer than {MaxLength} characters";
            return false;
        }
        problem = null;
        return true;
    }
}
