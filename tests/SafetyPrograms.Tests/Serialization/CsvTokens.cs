using System.Globalization;
using System.Text;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Serialization;

/// <summary>What the RFC 4180 tokenizer makes of some bytes, as comparable text: one line a record.</summary>
internal static class CsvTokens
{
    /// <summary>Separates fields in a described record (never in the test inputs).</summary>
    internal const char Separator = '\u001F';

    /// <summary>
    /// Each record of <paramref name="data"/> as <c>line N: field␟field</c>, or <c>line N: error</c> for a malformed one
    /// (whose field values are the tokenizer's business); <paramref name="firstLine"/> is the data's first line.
    /// </summary>
    internal static List<string> Records(ReadOnlySpan<byte> data, ref long firstLine)
    {
        var records = new Utf8CsvRecords();
        var list = new List<string>();
        while (records.Read(data))
        {
            list.Add(Describe(firstLine + records.RecordLineEnds, records.Error is not null, Fields(records, data)));
        }
        firstLine += records.LineEnds;
        return list;
    }

    /// <summary>The current record's fields, decoded.</summary>
    internal static string[] Fields(Utf8CsvRecords records, ReadOnlySpan<byte> data)
    {
        var fields = new string[records.FieldCount];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = Encoding.UTF8.GetString(records.Field(data, i));
        }
        return fields;
    }

    /// <summary>The records of all of <paramref name="data"/>, from line 1.</summary>
    internal static List<string> Records(byte[] data)
    {
        var line = 1L;
        return Records(data, ref line);
    }

    /// <summary>The records of chunks read one after the other, each by a fresh tokenizer, lines counted on from chunk to chunk.</summary>
    internal static List<string> RecordsByChunk(IEnumerable<byte[]> chunks)
    {
        var line = 1L;
        var list = new List<string>();
        foreach (var chunk in chunks)
        {
            list.AddRange(Records(chunk, ref line));
        }
        return list;
    }

    /// <summary>One record as comparable text.</summary>
    internal static string Describe(long line, bool error, string[] fields) =>
        string.Create(CultureInfo.InvariantCulture, $"line {line}: {(error ? "error" : string.Join(Separator, fields))}");

    /// <summary>A seeded random CSV-ish text: mostly the bytes that matter (commas, quotes, line ends) and a few letters.</summary>
    internal static string RandomText(Random rng, int maxLength)
    {
        const string alphabet = "aaaabc ,,,\"\"\"\r\r\n\n\n";
        var chars = new char[rng.Next(maxLength + 1)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[rng.Next(alphabet.Length)];
        }
        return new string(chars);
    }
}
