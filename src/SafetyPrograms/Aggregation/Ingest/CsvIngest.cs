using SafetyPrograms.Serialization;

namespace SafetyPrograms.Aggregation.Ingest;

/// <summary>
/// Reads participation CSV straight into the store's columns: a header row naming the columns in any order
/// (<c>beneficiary,activity,date,role,sex,ageBand,mode,completed,school,preScore,postScore</c>; the last three optional),
/// then one record per line, values exactly as in JSON, an empty cell for null. Fields may be double-quoted.
/// </summary>
internal static class CsvIngest
{
    private static readonly string[] Columns =
        ["beneficiary", "activity", "date", "role", "sex", "ageBand", "mode", "completed", "school", "preScore", "postScore"];

    private const int Required = 8;

    internal static IngestReport Append(ParticipationStore store, Stream stream, string? fileName)
    {
        var reader = new Utf8LineReader(stream); // the one line reader, shared with the typed readers
        if (!reader.TryReadLine(out var headerBytes, out var headerTooLong))
        {
            throw new DataFormatException("The file is empty: a header row is required.", fileName, null, 1, null);
        }
        var header = headerBytes.Span;
        if (headerTooLong)
        {
            throw new DataFormatException("The header row is longer than 1 MiB: expected a header naming the participation columns.", fileName, null, 1, null);
        }
        var position = ReadHeader(header, fileName);
        var width = CountFields(header);
        var report = new IngestReportBuilder(fileName);
        var appender = new RowAppender(store);
        Span<Range> fields = stackalloc Range[Columns.Length + 1];
        while (reader.TryReadLine(out var bytes, out var tooLong))
        {
            if (tooLong)
            {
                report.Reject(reader.LineNumber, Utf8LineReader.TooLongMessage);
                continue;
            }
            var line = bytes.Span;
            var n = Split(line, fields);
            if (n != width)
            {
                report.Reject(reader.LineNumber, line.IsEmpty ? "The line is blank." : $"The line has {n} fields; the header has {width}.");
                continue;
            }
            var error = appender.Append(
                Field(line, fields, position[0]), Field(line, fields, position[1]), Field(line, fields, position[2]),
                Field(line, fields, position[3]), Field(line, fields, position[4]), Field(line, fields, position[5]),
                Field(line, fields, position[6]), FieldParser.Bool(Field(line, fields, position[7])),
                Field(line, fields, position[8]), Field(line, fields, position[9]), Field(line, fields, position[10]));
            if (error is null)
            {
                report.Read++;
                report.Accepted++;
            }
            else
            {
                report.Reject(reader.LineNumber, error.Message, error.Column);
            }
        }
        return report.Build();
    }

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> line, Span<Range> fields, int position)
    {
        if (position < 0)
        {
            return default;
        }
        var f = line[fields[position]];
        return f.Length >= 2 && f[0] == '"' && f[^1] == '"' ? f[1..^1] : f;
    }

    /// <summary>Splits on commas outside double quotes; returns the field count (more than the span holds counts as too many).</summary>
    private static int Split(ReadOnlySpan<byte> line, Span<Range> fields)
    {
        if (line.IsEmpty)
        {
            return 0;
        }
        var n = 0;
        var start = 0;
        var quoted = false;
        var i = 0;
        while (true)
        {
            // Vectorised search for the next delimiter or quote; a quote toggles, a comma inside quotes is data.
            var next = line[i..].IndexOfAny((byte)',', (byte)'"');
            if (next < 0)
            {
                break;
            }
            i += next;
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted)
            {
                if (n < fields.Length)
                {
                    fields[n] = new Range(start, i);
                }
                n++;
                start = i + 1;
            }
            i++;
        }
        if (n < fields.Length)
        {
            fields[n] = new Range(start, line.Length);
        }
        return n + 1;
    }

    private static int CountFields(ReadOnlySpan<byte> header)
    {
        Span<Range> fields = stackalloc Range[64];
        return Split(header, fields);
    }

    private static int[] ReadHeader(ReadOnlySpan<byte> header, string? fileName)
    {
        Span<Range> fields = stackalloc Range[64];
        var n = Split(header, fields);
        if (n > fields.Length)
        {
            throw new DataFormatException("The header has too many columns.", fileName, null, 1, null);
        }
        var position = Enumerable.Repeat(-1, Columns.Length).ToArray();
        for (var f = 0; f < n; f++)
        {
            var name = System.Text.Encoding.UTF8.GetString(Field(header, fields, f)).Trim();
            var c = Array.IndexOf(Columns, name);
            if (c < 0)
            {
                throw new DataFormatException(
                    $"Unknown column '{name}': the columns are {string.Join(", ", Columns)}.", fileName, name, 1, null);
            }
            if (position[c] >= 0)
            {
                throw new DataFormatException($"The column '{name}' appears twice.", fileName, name, 1, null);
            }
            position[c] = f;
        }
        for (var c = 0; c < Required; c++)
        {
            if (position[c] < 0)
            {
                throw new DataFormatException($"The required column '{Columns[c]}' is missing.", fileName, Columns[c], 1, null);
            }
        }
        return position;
    }
}
