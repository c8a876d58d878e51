using System.Buffers;
using System.Globalization;
using System.Text;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>
/// The one decision on how an input value may appear in text a person reads: messages, findings, reports and logs.
/// </summary>
/// <remarks>
/// <para>A value is shown only when it is short (at most <see cref="MaxShownLength"/> characters), is text (no control
/// characters, no U+FFFD left by undecodable bytes, no unpaired surrogates) and does not look like a raw identifier: not a
/// phone number, national identity number or e-mail address (<see cref="RawIdentifierDetector"/>) and no run of
/// <see cref="MaxDigitRun"/> or more digits. Any other value is described instead (its length and what it looks like),
/// never repeated. A beneficiary key that failed validation is never shown at all (<see cref="Withhold"/>): a key
/// that is not a valid pseudonym may be a child's name or number.</para>
/// <para><see cref="Escape(string?)"/> is the one escaping function for text that reaches a terminal: control
/// characters, bidirectional overrides and unpaired surrogates become <c>\u001B</c>-style escapes, so an input value
/// cannot move the cursor, recolour the screen or reorder what is shown.</para>
/// <para>Stateless and thread-safe.</para>
/// </remarks>
public static class ValueText
{
    /// <summary>The longest value that is repeated in a message.</summary>
    public const int MaxShownLength = 64;

    /// <summary>The shortest run of digits that is never repeated: long digit runs are how phone and identity numbers look.</summary>
    public const int MaxDigitRun = 8;

    // C0 and C1 controls, DEL, the line and paragraph separators and the bidirectional controls (the "Trojan Source" set):
    // each can change what a terminal shows without being seen.
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F"
        + "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F"
        + "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F"
        + "\u061C\u200E\u200F\u2028\u2029\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\uFFFD"
        + string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)));

    /// <summary>Whether <paramref name="value"/> may be repeated in a message, as the type's remarks define.</summary>
    /// <param name="value">The input value.</param>
    /// <returns><c>true</c> when the value is short, plain text and looks like no raw identifier.</returns>
    public static bool MayShow(string? value) =>
        value is not null
        && value.Length <= MaxShownLength
        && !IsNotText(value)
        && LongestDigitRun(value) < MaxDigitRun
        && RawIdentifierDetector.LooksLikeRawIdentifier(value) == RawIdentifierKind.None;

    /// <summary>
    /// The value in single quotes when it <see cref="MayShow"/>, otherwise a description of it that repeats none of it,
    /// such as <c>a value of 13 characters that looks like a phone number (not shown)</c>.
    /// </summary>
    /// <param name="value">The input value.</param>
    /// <returns>Text to put in a message where the value would go.</returns>
    public static string Quote(string? value) => MayShow(value) ? "'" + value + "'" : Describe(value);

    /// <summary>
    /// A description that never repeats the value, for values that must not be shown even when harmless-looking: a
    /// beneficiary key or raw identifier that failed validation.
    /// </summary>
    /// <param name="value">The input value.</param>
    /// <returns>Its length and what it looks like, such as <c>a value of 9 characters (not shown)</c>.</returns>
    public static string Withhold(string? value) => Describe(value);

    /// <summary>The value itself when it <see cref="MayShow"/>, otherwise <c>null</c>: what a finding may keep as its attempted value.</summary>
    /// <param name="value">The input value.</param>
    /// <returns><paramref name="value"/> or <c>null</c>.</returns>
    public static string? Screen(string? value) => MayShow(value) ? value : null;

    /// <summary>
    /// Screens every single-quoted value in a message already built: each one that may not be shown is replaced by its
    /// description, and control characters anywhere are escaped. Message builders quote values through
    /// <see cref="Quote"/>; this is the last guard where findings and read errors are made.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The message with nothing in it that may not be shown.</returns>
    public static string ScreenMessage(string message) => ScreenMessage(message, withholdQuoted: false);

    /// <summary>As <see cref="ScreenMessage(string)"/>; with <paramref name="withholdQuoted"/>, no quoted value is shown at all (a message about a beneficiary key).</summary>
    internal static string ScreenMessage(string message, bool withholdQuoted)
    {
        Preconditions.CheckNotNull(message);
        StringBuilder? screened = null;
        var copied = 0;
        for (var open = NextOpeningQuote(message, 0); open >= 0; open = NextOpeningQuote(message, open + 1))
        {
            var close = ClosingQuote(message, open + 1);
            if (close < 0)
            {
                break;
            }
            var value = message[(open + 1)..close];
            if (withholdQuoted || !MayShow(value))
            {
                screened ??= new StringBuilder(message.Length);
                screened.Append(message, copied, open - copied).Append(Describe(value));
                copied = close + 1;
            }
            open = close;
        }
        if (screened is null)
        {
            return Escape(message);
        }
        screened.Append(message, copied, message.Length - copied);
        return Escape(screened.ToString());
    }

    /// <summary>
    /// A column name or JSON path as it may be shown: escaped, or a description when it looks like a raw identifier or is
    /// longer than any real path (a data row read as a header names its values as columns).
    /// </summary>
    internal static string ScreenPath(string path) =>
        path.Length <= 4 * MaxShownLength && LongestDigitRun(path) < MaxDigitRun
            && RawIdentifierDetector.LooksLikeRawIdentifier(path) == RawIdentifierKind.None && !IsNotText(path)
            ? path
            : "(" + Description(path) + ", not shown)";

    /// <summary>
    /// Escapes every character that could change what a terminal shows: C0 and C1 control characters (line breaks and
    /// tabs too), DEL, bidirectional controls, line and paragraph separators, U+FFFD and unpaired surrogates. Each becomes
    /// <c>\u</c> and four hexadecimal digits; all other text is unchanged.
    /// </summary>
    /// <param name="text">The text; null is empty.</param>
    /// <returns>The escaped text, or <paramref name="text"/> itself when nothing needed escaping.</returns>
    public static string Escape(string? text) => Escape(text, keepLineBreaks: false);

    /// <summary>
    /// As <see cref="Escape(string?)"/>, but line feeds, tabs, and carriage returns directly before a line feed are kept:
    /// for whole lines of output written by the program itself, where only the values inside need escaping.
    /// </summary>
    /// <param name="text">The text; null is empty.</param>
    /// <param name="keepLineBreaks">Keep line feeds, tabs and CR LF pairs.</param>
    /// <returns>The escaped text, or <paramref name="text"/> itself when nothing needed escaping.</returns>
    public static string Escape(string? text, bool keepLineBreaks)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }
        var first = text.AsSpan().IndexOfAny(Unsafe);
        if (first < 0)
        {
            return text;
        }
        var escaped = new StringBuilder(text.Length + 16);
        escaped.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (NeedsEscape(text, i, keepLineBreaks))
            {
                escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
                if (char.IsHighSurrogate(c))
                {
                    escaped.Append(text[++i]);
                }
            }
        }
        return escaped.ToString();
    }

    private static bool NeedsEscape(string text, int i, bool keepLineBreaks)
    {
        var c = text[i];
        if (keepLineBreaks && (c is '\n' or '\t' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')))
        {
            return false;
        }
        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        }
        return Unsafe.Contains(c);
    }

    private static string Describe(string? value) => value is null ? "no value" : Description(value) + " (not shown)";

    private static string Description(string value)
    {
        var length = value.Length.ToString("N0", CultureInfo.InvariantCulture);
        var looks = IsNotText(value) ? " that is not text"
            : RawIdentifierDetector.LooksLikeRawIdentifier(value) switch
            {
                RawIdentifierKind.PhoneNumber => " that looks like a phone number",
                RawIdentifierKind.NationalIdNumber => " that looks like a national identity number",
                RawIdentifierKind.EmailAddress => " that looks like an e-mail address",
                _ => LongestDigitRun(value) >= MaxDigitRun ? " with a long run of digits" : "",
            };
        return $"a value of {length} character{(value.Length == 1 ? "" : "s")}{looks}";
    }

    private static bool IsNotText(string value)
    {
        var at = value.AsSpan().IndexOfAny(Unsafe);
        while (at >= 0)
        {
            if (NeedsEscape(value, at, keepLineBreaks: false))
            {
                return true;
            }
            // A valid surrogate pair: look on after it.
            var next = value.AsSpan(at + 2).IndexOfAny(Unsafe);
            at = next < 0 ? -1 : at + 2 + next;
        }
        return false;
    }

    private static int LongestDigitRun(string value)
    {
        int longest = 0, run = 0;
        foreach (var c in value)
        {
            run = char.IsAsciiDigit(c) ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }

    // A quote opens a value when it starts the text or follows a space or an opening bracket, so that the apostrophe in
    // "dataset's" does not; it closes at the next quote that ends the text or precedes a space or punctuation.
    private static int NextOpeningQuote(string message, int from)
    {
        for (var i = message.IndexOf('\'', from); i >= 0; i = message.IndexOf('\'', i + 1))
        {
            if (i == 0 || message[i - 1] is ' ' or '(' or '[' or '{' or '\t')
            {
                return i;
            }
        }
        return -1;
    }

    private static int ClosingQuote(string message, int from)
    {
        for (var i = message.IndexOf('\'', from); i >= 0; i = message.IndexOf('\'', i + 1))
        {
            if (i + 1 == message.Length || message[i + 1] is ' ' or '.' or ',' or ';' or ':' or ')' or ']' or '}' or '!' or '?')
            {
                return i;
            }
        }
        return -1;
    }
}
