using SafetyPrograms.Serialization;

namespace SafetyPrograms.Ingest;

/// <summary>
/// Reads participation JSON Lines straight into the store's columns: one ParticipationRecord object per line, read by the
/// one line scanner (<see cref="ParticipationJsonLine"/>) and field decoder the typed reader also uses.
/// </summary>
internal static class JsonLinesIngest
{
    internal static IngestReport Append(
        IRowSink sink, Stream stream, string? fileName, int chunkBytes = 1 << 20, int? degree = null, CancellationToken cancellationToken = default)
    {
        var bytes = ChunkedIngest.BytesAhead(stream);
        var chunker = new RecordChunker(stream, RecordSyntax.JsonLines, fileName, chunkBytes);
        var report = new IngestReportBuilder(fileName);
        ChunkedIngest.Run(sink, chunker, default, 1, Parse, report, degree ?? ChunkedIngest.DefaultDegree, bytes, cancellationToken);
        return report.Build();
    }

    [ThreadStatic]
    private static ParticipationJsonLine? t_scanner;

    /// <summary>Parses a chunk's lines; blank lines are skipped, as the typed reader skips them.</summary>
    private static void Parse(ReadOnlySpan<byte> data, ParsedBatch batch)
    {
        var scanner = t_scanner ??= new ParticipationJsonLine();
        var lineEnds = 0;
        var position = 0;
        while (Utf8LineReader.NextLine(data, ref position, out var range, out var tooLong))
        {
            var line = data[range];
            if (tooLong)
            {
                batch.Rejects.Add((lineEnds, RowParser.Unreadable(ParticipationJsonLines.TooLong)));
            }
            else if (line is [(byte)'{', ..] || line.IndexOfAnyExcept((byte)' ', (byte)'\t') >= 0) // not blank
            {
                var error = scanner.Scan(line, out var row) is { } problem ? RowParser.Unreadable(problem) : RowParser.Add(batch, lineEnds, row);
                if (error is not null)
                {
                    batch.Rejects.Add((lineEnds, error));
                }
            }
            if (data[position - 1] == (byte)'\n')
            {
                lineEnds++;
            }
        }
        batch.ChunkLineEnds = lineEnds;
    }
}
