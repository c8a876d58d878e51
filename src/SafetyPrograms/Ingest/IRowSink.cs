using SafetyPrograms.Indexing;

namespace SafetyPrograms.Ingest;

/// <summary>
/// Where ingest delivers checked rows: the participation store implements it, so rows flow one way, from Ingest up to
/// the store, and Ingest names nothing of the layer above it.
/// </summary>
/// <remarks>
/// Ingest reads the sink's dataset facts from worker threads and calls <see cref="Reserve"/> and <see cref="Commit"/>
/// only from the thread that runs the append, one batch at a time, in file order.
/// </remarks>
internal interface IRowSink
{
    /// <summary>The dataset, indexed once.</summary>
    ProgrammeIndex Index { get; }

    /// <summary>The row rules every append applies.</summary>
    RowChecker Rules { get; }

    /// <summary>The dataset's activity and school ids by their bytes.</summary>
    DatasetKeys Keys { get; }

    /// <summary>The rows held so far.</summary>
    int Count { get; }

    /// <summary>Makes room for <paramref name="records"/> rows in all, when an append can estimate its size.</summary>
    void Reserve(long records);

    /// <summary>Takes a batch of checked rows in order; counts accepted and refused lines in <paramref name="report"/>.</summary>
    /// <param name="batch">The rows and rejects of one chunk, resolved.</param>
    /// <param name="firstLine">The line number the chunk starts on.</param>
    /// <param name="report">Where lines are counted.</param>
    void Commit(ParsedBatch batch, long firstLine, IngestReportBuilder report);
}
