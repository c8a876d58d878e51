using System.Text.Json;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Ingest;

/// <summary>
/// Participation CSV as a <see cref="ParticipationSource"/>: a header row naming the columns, then one record a line, read
/// by the one CSV tokenizer, so that the source options apply to a CSV file as to any source: a raw identifier column
/// pseudonymised as each row is read (so raw identifiers never reach the store, a report or a message), columns renamed
/// or ignored. Without options, <c>ParticipationStore.AppendCsv</c> reads the same file faster, in parallel chunks.
/// </summary>
/// <remarks>
/// Rows are located as CSV lines are (<c>line 12</c>), and a malformed record or a field count other than the header's is
/// refused as the store's CSV ingest refuses it. Reading stops, with the report's <see cref="IngestReport.StoppedEarly"/>
/// set, at a record longer than 1 MiB. Reads the stream once, when appended; the stream is not closed. Not thread-safe.
/// </remarks>
public sealed class CsvParticipationSource : ParticipationSource
{
    private readonly Stream _csv;

    /// <summary>Creates a source over a participation CSV.</summary>
    /// <param name="csv">UTF-8 text with a header row; read when the source is appended, not closed.</param>
    /// <param name="fileName">The file name, for the report and messages.</param>
    /// <exception cref="ArgumentNullException"><paramref name="csv"/> is null.</exception>
    public CsvParticipationSource(Stream csv, string? fileName = null)
        : base(fileName) => _csv = Preconditions.CheckNotNull(csv);

    /// <summary>Where a row is, as a CSV line.</summary>
    /// <param name="rowNumber">The line the record starts on.</param>
    /// <returns>Such as <c>line 12</c>.</returns>
    public override string Locate(long rowNumber) => TextLines.Locate(rowNumber);

    /// <inheritdoc/>
    protected internal override void ReadRows(ParticipationRowWriter rows, CancellationToken cancellationToken)
    {
        Preconditions.CheckNotNull(rows);
        var csv = new Utf8CsvReader(_csv, Name);
        if (!csv.ReadRecord())
        {
            throw ParticipationCsv.EmptyFile(Name);
        }
        var header = new string[csv.FieldCount];
        for (var f = 0; f < header.Length; f++)
        {
            header[f] = csv[f].ToString();
        }
        if (csv.Error is not null)
        {
            ParticipationCsv.ReadHeader(header, csv.Error, Name, csv.RecordLine); // throws, as the typed reader does (a header over 1 MiB too)
        }
        rows.SetColumns(header, csv.RecordLine);
        while (csv.ReadRecord())
        {
            rows.BeginRow(csv.RecordLine);
            if (csv.Stopped)
            {
                rows.RefuseRow(ValidationRules.UnreadableRecord, RecordChunker.StoppedMessage);
                TextLines.Stop(rows);
                return;
            }
            if (ParticipationCsv.RecordProblem(csv.Error, csv.BrokenQuote, csv.FieldCount, header.Length) is { } problem)
            {
                rows.RefuseRow(problem.Fault == ReadFault.BrokenQuote ? ValidationRules.RecordBrokenQuote : ValidationRules.UnreadableRecord, problem.Message);
            }
            else
            {
                for (var f = 0; f < header.Length; f++)
                {
                    rows.Set(f, csv.Field(f));
                }
            }
            if (!rows.EndRow())
            {
                return;
            }
        }
    }
}

/// <summary>
/// Participation JSON Lines as a <see cref="ParticipationSource"/>: one object a line, each member a named cell, so that
/// the source options apply to JSON Lines as to any source (a raw identifier member pseudonymised as each line is read,
/// members renamed or ignored). Without options, <c>ParticipationStore.AppendJsonLines</c> reads the same file faster.
/// </summary>
/// <remarks>
/// The members are the participation fields as the JSON contract names them (the CSV column names), or as the options
/// rename them; a string is its text, a number its digits, <c>true</c>/<c>false</c> as written, <c>null</c> an empty cell, and
/// each value goes through the one field decoder. A line that is not one JSON object of such values, that repeats a
/// member, or names one that fills no field (unless the options ignore other columns) is refused (SP8001), quoting no
/// value. Blank lines are skipped; rows are located as lines (<c>line 12</c>). Reads the stream once, when appended; the
/// stream is not closed. Not thread-safe.
/// </remarks>
public sealed class JsonLinesParticipationSource : ParticipationSource
{
    private readonly Stream _jsonLines;

    /// <summary>Creates a source over participation JSON Lines.</summary>
    /// <param name="jsonLines">UTF-8 text, one object a line; read when the source is appended, not closed.</param>
    /// <param name="fileName">The file name, for the report and messages.</param>
    /// <exception cref="ArgumentNullException"><paramref name="jsonLines"/> is null.</exception>
    public JsonLinesParticipationSource(Stream jsonLines, string? fileName = null)
        : base(fileName) => _jsonLines = Preconditions.CheckNotNull(jsonLines);

    /// <summary>Where a row is, as a line of the file.</summary>
    /// <param name="rowNumber">The line's number.</param>
    /// <returns>Such as <c>line 12</c>.</returns>
    public override string Locate(long rowNumber) => TextLines.Locate(rowNumber);

    /// <inheritdoc/>
    protected internal override void ReadRows(ParticipationRowWriter rows, CancellationToken cancellationToken)
    {
        Preconditions.CheckNotNull(rows);
        var options = rows.Options;
        // One column a participation field, under the name the options give it; the raw identifier's member fills the beneficiary.
        var columns = ParticipationCsv.Columns.Select(f => options.Columns?.GetValueOrDefault(f) ?? f).ToArray();
        if (options.RawIdentifierColumn is { } raw)
        {
            columns[ParticipationColumns.Beneficiary] = raw;
        }
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var c = 0; c < columns.Length; c++)
        {
            byName[columns[c]] = c;
        }
        rows.SetColumns(columns);
        var lines = new Utf8LineReader(_jsonLines, Name);
        var set = new bool[columns.Length];
        while (lines.TryReadLine(out var line, out var tooLong))
        {
            var text = line.Span;
            if (!lines.Stopped && !tooLong && text.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }
            rows.BeginRow(lines.LineNumber);
            if (lines.Stopped || tooLong)
            {
                rows.RefuseRow(ValidationRules.UnreadableRecord, lines.Stopped ? RecordChunker.StoppedMessage : RecordChunker.TooLongMessage);
                if (lines.Stopped)
                {
                    TextLines.Stop(rows);
                    return;
                }
            }
            else if (Read(rows, text, byName, options.IgnoreOtherColumns, set) is { } problem)
            {
                rows.RefuseRow(problem);
            }
            if (!rows.EndRow())
            {
                return;
            }
        }
    }

    /// <summary>Sets the line's members as cells, or says why the line cannot be read (naming no value).</summary>
    private static string? Read(ParticipationRowWriter rows, ReadOnlySpan<byte> line, Dictionary<string, int> byName, bool ignoreOthers, bool[] set)
    {
        Array.Clear(set);
        var reader = new Utf8JsonReader(line);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "The line must hold one JSON object.";
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (!byName.TryGetValue(name, out var column))
                {
                    if (!ignoreOthers)
                    {
                        return "The line has a member that fills no participation field.";
                    }
                    reader.Skip();
                    continue;
                }
                if (set[column])
                {
                    return "The line names one member twice.";
                }
                set[column] = true;
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        rows.Set(column, reader.GetString());
                        break;
                    case JsonTokenType.Number:
                    case JsonTokenType.True:
                    case JsonTokenType.False:
                        rows.Set(column, reader.ValueSpan);
                        break;
                    case JsonTokenType.Null:
                        break;
                    default:
                        return "A member holds an object or an array, which no participation field takes.";
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return "Only one JSON object is allowed per line.";
            }
        }
        catch (JsonException)
        {
            return "The line is not valid JSON.";
        }
        return null;
    }
}

/// <summary>What the line-based sources share: how a line reads, and stopping at a record too long to read.</summary>
internal static class TextLines
{
    internal static string Locate(long line) => RowLocator.Line(line);

    /// <summary>Ends the row refused for its length and marks the report stopped early, as the chunked readers do.</summary>
    internal static void Stop(ParticipationRowWriter rows)
    {
        rows.EndRow();
        rows.StopEarly();
    }
}
