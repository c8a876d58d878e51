using SafetyPrograms.Indexing;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Ingest;

/// <summary>Parses one chunk of whole records into a batch; <c>lineEnds</c> in the batch count from the chunk's start.</summary>
internal delegate void ChunkParser(ReadOnlySpan<byte> records, ParsedBatch batch);

/// <summary>
/// The ingest pipeline both file formats share: the calling thread reads chunks of whole records and hands each to a
/// worker, which parses and checks its rows against the dataset into a <see cref="ParsedBatch"/>; the calling thread
/// then commits the batches to the store one by one, in file order, so line numbers, beneficiary numbering and the
/// report are exactly what a single pass would give.
/// </summary>
/// <remarks>
/// At most <c>degree + 1</c> chunks are in flight, so memory stays a few MiB whatever the file's size. The costly part
/// left on the calling thread is one beneficiary lookup a row (<see cref="KeyTable"/>).
/// </remarks>
internal static class ChunkedIngest
{
    /// <summary>Workers used when the caller does not say: one a core, up to 8.</summary>
    internal static int DefaultDegree => Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>Reads every chunk and commits it to the store.</summary>
    /// <param name="sink">Where rows go: the store.</param>
    /// <param name="chunker">The chunks still to read.</param>
    /// <param name="first">Records already read before the chunker's next chunk (after a CSV header), or empty.</param>
    /// <param name="firstLine">The line number <paramref name="first"/> starts on.</param>
    /// <param name="parse">How a chunk's records become rows.</param>
    /// <param name="report">Where lines are counted.</param>
    /// <param name="degree">How many chunks are parsed at once; 1 parses on the calling thread.</param>
    /// <param name="bytesAhead">The bytes the stream held when the append began, when it knows (<see cref="BytesAhead"/>).</param>
    /// <param name="cancellationToken">Checked before each chunk is read; chunks committed before it stay in the store.</param>
    /// <remarks>Reading stops when the report says so (<see cref="IngestReportBuilder.StoppedEarly"/>): at a record over
    /// 1 MiB, or past the sink's limits.</remarks>
    internal static void Run(
        IRowSink sink, RecordChunker chunker, ReadOnlySpan<byte> first, long firstLine, ChunkParser parse,
        IngestReportBuilder report, int degree, long? bytesAhead, CancellationToken cancellationToken)
    {
        var countBefore = sink.Count;
        var spare = new Stack<ParsedBatch>();
        ParsedBatch Rent()
        {
            var batch = spare.Count > 0 ? spare.Pop() : new ParsedBatch(new RowParser(sink));
            batch.Clear();
            return batch;
        }
        var line = firstLine;
        void Commit(ParsedBatch batch)
        {
            if (bytesAhead is { } total && batch.Count >= 256 && batch.Bytes > 0)
            {
                // The first sizeable chunk tells how many bytes a record takes in this file: room for them all, plus 5%,
                // saves the columns from doubling (and copying into fresh memory) several times over.
                sink.Reserve(countBefore + (long)(total * 1.05 * batch.Count / batch.Bytes));
                bytesAhead = null;
            }
            sink.Commit(batch, line, report);
            line += batch.ChunkLineEnds;
            spare.Push(batch); // batches and the stack stay on the calling thread; workers only fill them
        }
        void Fill(RecordChunk chunk, ParsedBatch batch)
        {
            try
            {
                batch.Bytes = chunk.Bytes.Length;
                parse(chunk.Bytes, batch);
            }
            finally
            {
                chunk.Return(); // once, whatever happens: a buffer returned twice would be handed to two renters
            }
            batch.Parser.Resolve(batch);
        }

        if (!first.IsEmpty)
        {
            var batch = Rent();
            parse(first, batch);
            batch.Parser.Resolve(batch);
            Commit(batch);
        }
        var pending = new Queue<Task<ParsedBatch>>();
        try
        {
            while (!report.StoppedEarly && !Cancelled(pending, Commit, cancellationToken) && chunker.TryRead(out var chunk))
            {
                if (chunk.TooLong)
                {
                    // Commit everything before it, then refuse the record where reading stopped: the chunker reads no more.
                    Drain(pending, Commit, 0);
                    report.Reject(line, TooLong);
                    report.StoppedEarly = true;
                    continue;
                }
                var target = Rent();
                if (degree <= 1)
                {
                    Fill(chunk, target);
                    Commit(target);
                    continue;
                }
                pending.Enqueue(Task.Run(() =>
                {
                    Fill(chunk, target);
                    return target;
                }));
                Drain(pending, Commit, degree);
            }
            Drain(pending, Commit, 0);
        }
        finally
        {
            // On an exception (a bug, or the stream failing), let the workers finish before the caller sees it.
            foreach (var task in pending)
            {
                ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
            }
        }
    }

    private static readonly RowError TooLong = RowParser.Unreadable(ParticipationJsonLines.Stopped);

    /// <summary>The bytes left in <paramref name="stream"/>, when it can say (a file), for sizing the store ahead.</summary>
    internal static long? BytesAhead(Stream stream) => stream.CanSeek ? stream.Length - stream.Position : null;

    /// <summary>Whether to stop for cancellation: the batches in flight are committed first, so the store stays in file order.</summary>
    private static bool Cancelled(Queue<Task<ParsedBatch>> pending, Action<ParsedBatch> commit, CancellationToken cancellationToken)
    {
        if (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        Drain(pending, commit, 0);
        cancellationToken.ThrowIfCancellationRequested();
        return true;
    }

    /// <summary>Commits the oldest batches until at most <paramref name="keep"/> are still being parsed.</summary>
    private static void Drain(Queue<Task<ParsedBatch>> pending, Action<ParsedBatch> commit, int keep)
    {
        while (pending.Count > keep)
        {
            commit(pending.Dequeue().GetAwaiter().GetResult());
        }
    }
}
