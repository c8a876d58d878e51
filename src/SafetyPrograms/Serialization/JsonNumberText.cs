using System.Numerics;

namespace SafetyPrograms.Serialization;

/// <summary>
/// The JSON number grammar (RFC 8259: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>), the one rule for what a
/// score looks like in every format: CSV cells hold values "exactly as in JSON", so <c>+5</c>, <c>.25</c>, <c>4.</c> and
/// <c>05</c> are refused by the typed reader and the store alike.
/// </summary>
internal static class JsonNumberText
{
    /// <summary>Whether <paramref name="text"/> (UTF-8 bytes or UTF-16 chars) is one JSON number, nothing more.</summary>
    internal static bool IsValid<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        var i = 0;
        if (i < text.Length && text[i] == T.CreateTruncating('-'))
        {
            i++;
        }
        if (i < text.Length && text[i] == T.CreateTruncating('0'))
        {
            i++;
        }
        else if (Digits(text, ref i) == 0)
        {
            return false;
        }
        if (i < text.Length && text[i] == T.CreateTruncating('.'))
        {
            i++;
            if (Digits(text, ref i) == 0)
            {
                return false;
            }
        }
        if (i < text.Length && (text[i] == T.CreateTruncating('e') || text[i] == T.CreateTruncating('E')))
        {
            i++;
            if (i < text.Length && (text[i] == T.CreateTruncating('+') || text[i] == T.CreateTruncating('-')))
            {
                i++;
            }
            if (Digits(text, ref i) == 0)
            {
                return false;
            }
        }
        return i == text.Length;
    }

    private static int Digits<T>(ReadOnlySpan<T> text, ref int i)
        where T : unmanaged, IBinaryInteger<T>
    {
        var start = i;
        while (i < text.Length && uint.CreateTruncating(text[i] - T.CreateTruncating('0')) <= 9)
        {
            i++;
        }
        return i - start;
    }
}
