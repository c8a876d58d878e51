namespace SafetyPrograms.Privacy;

/// <summary>Writes RFC 4180 records: a field is quoted, with quotes doubled, only when it holds a comma, quote or line break.</summary>
internal static class CsvText
{
    internal static void WriteRecord(TextWriter output, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                output.Write(',');
            }
            var field = fields[i];
            if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
            {
                output.Write(field);
            }
            else
            {
                output.Write('"');
                output.Write(field.Replace("\"", "\"\"", StringComparison.Ordinal));
                output.Write('"');
            }
        }
        output.Write('\n');
    }
}
