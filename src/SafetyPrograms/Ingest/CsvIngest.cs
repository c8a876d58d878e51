using SafetyPrograms.Serialization;

namespace SafetyPrograms.Ingest;

/// <summary>
/// Reads participation CSV straight into the store's columns: a header row naming the columns in any order
/// (<c>beneficiary,activity,date,role,sex,ageBand,mode,completed,school,preScore,postScore</c>; the last three optional),
/// then one record per line, values exactly as in JSON, an empty cell for null. Records follow RFC 4180, read by the one
/// tokenizer (<see cref="Utf8CsvRecords"/>) the typed reader also uses, so both count every file alike.
/// </summary>
internal static class CsvIngest
{
    internal static IngestReport Append(
        IRowSink sink, Stream stream, string? fileName, int chunkBytes = 1 << 20, int? degree = null, CancellationToken cancellationToken = default)
    {
        var chunker = new RecordChunker(stream, RecordSyntax.Csv, fileName, chunkBytes);
        var bytes = ChunkedIngest.BytesAhead(stream);
        var records = new Utf8CsvRecords(); // the one CSV tokenizer, shared with the typed reader
        var line = 1L; // where the chunk in hand starts
        RecordChunk first;
        while (true)
        {
            // Blank lines before the header may fill whole chunks: read on until a record starts.
            if (!chunker.TryRead(out first))
            {
                throw ParticipationCsv.EmptyFile(fileName);
            }
            if (first.TooLong)
            {
                throw new DataFormatException("The header row is longer than 1 MiB: expected a header naming the participation columns.", fileName, null, line, null);
            }
            records.Reset();
            if (records.Read(first.Bytes))
            {
                break;
            }
            line += records.LineEnds;
            first.Return();
        }
        try
        {
            var header = first.Bytes;
            var names = new string[records.FieldCount];
            for (var f = 0; f < names.Length; f++)
            {
                names[f] = System.Text.Encoding.UTF8.GetString(records.Field(header, f));
            }
            var columns = ParticipationCsv.ReadHeader(names, records.Error, fileName, line + records.RecordLineEnds);
            var rows = new Rows(columns, records.FieldCount);
            var report = new IngestReportBuilder(fileName);
            ChunkedIngest.Run(
                sink, chunker, header[records.Position..], line + records.LineEnds, rows.Parse, report, degree ?? ChunkedIngest.DefaultDegree, bytes, cancellationToken);
            return report.Build();
        }
        finally
        {
            first.Return();
        }
    }

    /// <summary>Parses chunks of data records by the header's column positions; one tokenizer a worker.</summary>
    private sealed class Rows(HeaderColumns header, int width)
    {
        [ThreadStatic]
        private static Utf8CsvRecords? t_records;

        internal void Parse(ReadOnlySpan<byte> data, ParsedBatch batch)
        {
            var records = t_records ??= new Utf8CsvRecords();
            records.Reset();
            var row = default(ParticipationRow); // refilled by every record: the header sets the same columns each time
            while (records.Read(data))
            {
                var lineEnds = records.RecordLineEnds;
                RowError? error;
                if (ParticipationCsv.RecordProblem(records.Error, records.BrokenQuote, records.FieldCount, width) is { } problem)
                {
                    error = RowParser.Unreadable(problem);
                }
                else
                {
                    ParticipationCsv.Refill(records, data, header, ref row);
                    error = RowParser.Add(batch, lineEnds, in row);
                }
                if (error is not null)
                {
                    batch.Rejects.Add((lineEnds, error));
                }
            }
            batch.ChunkLineEnds = records.LineEnds;
        }
    }
}
