using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Ingest;

/// <summary>
/// A source read as records (<see cref="ParticipationSource.ReadRecords"/>): the source pushes its rows, a validator pulls
/// them, so the source runs on a worker thread a few batches ahead and the enumeration takes them in order.
/// </summary>
internal static class SourceRecords
{
    /// <summary>How many batches of rows the source may read ahead of the enumeration.</summary>
    private const int Ahead = 4;

    internal static IEnumerable<ParticipationReadResult> Read(ParticipationSource source, ParticipationSourceOptions options, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var batches = new BlockingCollection<ParticipationReadResult[]>(Ahead);
        Exception? failure = null;
        var reader = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    SourceIngest.ReadRecords(source, options, batch => batches.Add(batch, stop.Token), stop.Token);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
                finally
                {
                    batches.CompleteAdding();
                }
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (var batch in batches.GetConsumingEnumerable(cancellationToken))
            {
                foreach (var result in batch)
                {
                    yield return result;
                }
            }
            reader.Wait(CancellationToken.None);
            if (failure is not null)
            {
                // The source's own exception, on the enumerating thread, as a typed reader throws it.
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }
        finally
        {
            // An enumeration ended early (or failed) stops the source before its stream is closed under it.
            stop.Cancel();
            reader.Wait(CancellationToken.None);
        }
    }
}
