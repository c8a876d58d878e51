using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
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

    /// <summary>Converts a participation file to Parquet, streaming, by its format (the formats <see cref="Append"/> reads).</summary>
    public static IngestReport ConvertToParquet(ProgrammeDataset dataset, Stream stream, string path, Stream output, CancellationToken cancellationToken) =>
        IsWorkbook(path) ? ParticipationParquet.Convert(new WorkbookParticipationSource(stream, path), dataset, output, cancellationToken: cancellationToken)
        : Inputs.IsJsonLines(path) ? ParticipationParquet.ConvertJsonLines(stream, path, dataset, output, cancellationToken)
        : Inputs.IsParquet(path) ? ParticipationParquet.Convert(new ParquetSource(stream, path), dataset, output, cancellationToken: cancellationToken)
        : ParticipationParquet.ConvertCsv(stream, path, dataset, output, cancellationToken);
}
