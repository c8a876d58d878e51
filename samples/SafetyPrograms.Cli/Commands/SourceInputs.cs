using SafetyPrograms.Aggregation;
using SafetyPrograms.Ingest;
using SafetyPrograms.Parquet;
using SafetyPrograms.Spreadsheets;

namespace SafetyPrograms.Cli.Commands;

/// <summary>Participation inputs by their extension: .xlsx through the workbook source, .jsonl and .ndjson as JSON Lines, .parquet as Parquet, anything else as CSV.</summary>
internal static class SourceInputs
{
    /// <summary>Whether a participation file is an Excel workbook (by extension).</summary>
    public static bool IsWorkbook(string path) =>
        path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".xlsm", StringComparison.OrdinalIgnoreCase);

    /// <summary>Appends a participation file to the store, by its format.</summary>
    public static IngestReport Append(ParticipationStore store, Stream stream, string path, CancellationToken cancellationToken) =>
        IsWorkbook(path) ? store.Append(new WorkbookParticipationSource(stream, path), null, cancellationToken)
        : Inputs.IsJsonLines(path) ? store.AppendJsonLines(stream, path, cancellationToken)
        : Inputs.IsParquet(path) ? store.AppendParquet(stream, path, cancellationToken: cancellationToken)
        : store.AppendCsv(stream, path, cancellationToken);
}
