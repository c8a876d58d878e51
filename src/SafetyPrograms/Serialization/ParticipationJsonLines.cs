using System.Text.Json;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Serialization;

/// <summary>
/// Participation records as JSON Lines: one <see cref="ParticipationRecord"/> object per line, read lazily so a file
/// of millions of records streams in constant memory. Every non-blank line gives one result, a record or the reason
/// it was refused with its line number; nothing is dropped silently.
/// </summary>
/// <remarks>Each line has the shape of <see cref="JsonSchemas.ParticipationRecord"/>. Blank lines are skipped. Thread-safe.</remarks>
public static class ParticipationJsonLines
{
    /// <summary>Reads records lazily: the stream is read as the results are enumerated, once.</summary>
    /// <param name="utf8JsonLines">The UTF-8 stream (a UTF-8 byte order mark is accepted); not closed.</param>
    /// <param name="fileName">The file name, for error messages.</param>
    /// <returns>One result per non-blank line, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8JsonLines"/> is null.</exception>
    /// <exception cref="DataFormatException">
    /// Thrown on enumeration when the file is UTF-16 or UTF-32 (it starts with that encoding's byte order mark; line 1):
    /// save it as UTF-8; or at a line longer than 1 MiB, where reading stops (it is not read to its end, which may never
    /// come), after the lines before it and that line's failure.
    /// </exception>
    public static IEnumerable<ParticipationReadResult> Read(Stream utf8JsonLines, string? fileName = null)
    {
        Preconditions.CheckNotNull(utf8JsonLines);
        return ReadLines(utf8JsonLines, fileName);
    }

    /// <summary>Writes records, one compact JSON object per line, each line ending in <c>\n</c>.</summary>
    /// <param name="utf8JsonLines">Where to write; not closed.</param>
    /// <param name="records">The records.</param>
    /// <exception cref="ArgumentNullException">An argument is null or a record is null.</exception>
    public static void Write(Stream utf8JsonLines, IEnumerable<ParticipationRecord> records)
    {
        Preconditions.CheckNotNull(utf8JsonLines);
        Preconditions.CheckNotNull(records);
        using var writer = new Utf8JsonWriter(utf8JsonLines, ProgrammeDatasetJson.WriterOptions(indented: false));
        foreach (var record in records)
        {
            Preconditions.CheckNotNull(record, nameof(records));
            JsonSerializer.Serialize(writer, record, SafetyProgramsJsonContext.Default.ParticipationRecord);
            writer.Flush();
            utf8JsonLines.WriteByte((byte)'\n');
            writer.Reset();
        }
    }

    private static IEnumerable<ParticipationReadResult> ReadLines(Stream stream, string? fileName)
    {
        // The one chunker, line rule and line scanner the store's ingest uses.
        var lines = new Utf8LineReader(stream, fileName);
        var scanner = new ParticipationJsonLine();
        var builder = new ParticipationRecordBuilder();
        while (lines.TryReadLine(out var line, out var tooLong))
        {
            if (lines.Stopped)
            {
                // The line is refused like any unreadable one, then the reader says it cannot go on.
                yield return ParticipationRecordBuilder.Failure(Stopped, lines.LineNumber, fileName);
                throw new DataFormatException(RecordChunker.StoppedMessage, fileName, null, lines.LineNumber, null);
            }
            if (tooLong)
            {
                yield return ParticipationRecordBuilder.Failure(TooLong, lines.LineNumber, fileName);
            }
            else if (!line.Span.Trim(" \t"u8).IsEmpty)
            {
                yield return Read(line.Span, lines.LineNumber, scanner, builder, fileName);
            }
        }
    }

    /// <summary>What every reader says of a line longer than <see cref="RecordChunker.MaxRecordBytes"/> inside a chunk (skipped).</summary>
    internal static readonly FieldProblem TooLong = new(RecordChunker.TooLongMessage, "$");

    /// <summary>What every reader says of the record longer than <see cref="RecordChunker.MaxRecordBytes"/> where reading stopped.</summary>
    internal static readonly FieldProblem Stopped = new(RecordChunker.StoppedMessage, "$");

    private static ParticipationReadResult Read(
        ReadOnlySpan<byte> line, long lineNumber, ParticipationJsonLine scanner, ParticipationRecordBuilder builder, string? fileName) =>
        scanner.Scan(line, out var row) is { } problem
            ? ParticipationRecordBuilder.Failure(problem, lineNumber, fileName)
            : builder.Read(row, lineNumber, fileName);
}
