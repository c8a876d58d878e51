using SafetyPrograms.Ingest;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>A participation source over rows held in memory: UTF-8 cells (null: unset), each row with its number.</summary>
internal sealed class TableSource(
    string? name, IReadOnlyList<string> columns, IReadOnlyList<(long Row, byte[]?[] Cells)> rows, Func<long, string>? locate = null)
    : ParticipationSource(name)
{
    /// <summary>How many rows the source handed over before it was told to stop or ran out.</summary>
    internal int RowsGiven { get; private set; }

    /// <summary>Called with the number of rows handed over, after each.</summary>
    internal Action<int>? AfterRow { get; init; }

    /// <summary>Throws this after handing over so many rows, as a source that fails part way.</summary>
    internal (int After, Exception Error)? FailAfter { get; init; }

    public override string Locate(long rowNumber) => locate is null ? base.Locate(rowNumber) : locate(rowNumber);

    protected internal override void ReadRows(ParticipationRowWriter writer, CancellationToken cancellationToken)
    {
        writer.SetColumns(columns);
        foreach (var (number, cells) in rows)
        {
            if (FailAfter is { } fail && RowsGiven == fail.After)
            {
                writer.BeginRow(number); // a row begun and never ended, as when a connection drops mid-row
                throw fail.Error;
            }
            writer.BeginRow(number);
            for (var c = 0; c < cells.Length; c++)
            {
                if (cells[c] is { } cell)
                {
                    writer.Set(c, cell);
                }
            }
            RowsGiven++;
            AfterRow?.Invoke(RowsGiven);
            if (!writer.EndRow())
            {
                return;
            }
        }
    }
}
