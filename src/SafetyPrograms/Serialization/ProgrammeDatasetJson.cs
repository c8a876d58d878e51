using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Serialization;

/// <summary>
/// Reads and writes a <see cref="ProgrammeDataset"/> as one JSON document, strictly: unknown, missing, repeated or
/// mistyped members, impossible dates and values, and unsupported schema versions are refused with a
/// <see cref="DataFormatException"/> that names the file, the JSON path and the line.
/// </summary>
/// <remarks>
/// The format is the one described by <see cref="JsonSchemas.Dataset"/>: camelCase members, enums as camelCase
/// strings, ISO dates, identifiers as plain strings, null optional members omitted. A UTF-8 byte order mark is
/// accepted; a UTF-16 or UTF-32 one is refused (save the file as UTF-8). The whole document is read into memory, up to a cap (256 MiB unless
/// <see cref="ProgrammeDatasetReadOptions.MaxDocumentBytes"/> says otherwise; a larger document is refused with a
/// <see cref="DataFormatException"/>), and nested at most 32 levels deep (datasets are small; participation records, the large data,
/// stream through <see cref="ParticipationJsonLines"/> and <see cref="ParticipationCsv"/>). All members are thread-safe.
/// </remarks>
public static class ProgrammeDatasetJson
{
    /// <summary>The interchange format versions this library reads.</summary>
    public static IReadOnlyList<string> SupportedSchemaVersions { get; } = [ProgrammeDataset.CurrentSchemaVersion];

    /// <summary>Reads a dataset from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The JSON; read to its end (or one byte past the size cap), not closed.</param>
    /// <param name="fileName">The file name, for error messages.</param>
    /// <param name="options">
    /// How to read, such as the size cap; <see cref="ProgrammeDatasetReadOptions.Default"/> (documents of up to
    /// 256 MiB) when <c>null</c>.
    /// </param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is null.</exception>
    /// <exception cref="DataFormatException">
    /// The input is not a valid dataset document, or is larger than <see cref="ProgrammeDatasetReadOptions.MaxDocumentBytes"/>.
    /// </exception>
    public static ProgrammeDataset Read(Stream utf8Json, string? fileName = null, ProgrammeDatasetReadOptions? options = null)
    {
        Preconditions.CheckNotNull(utf8Json);
        var limit = (options ?? ProgrammeDatasetReadOptions.Default).MaxDocumentBytes;
        using var document = Buffer(utf8Json, limit);
        return Read(document, limit, fileName);
    }

    /// <summary>Reads a dataset from UTF-8 JSON without blocking on the stream.</summary>
    /// <param name="utf8Json">The JSON; read to its end (or one byte past the size cap), not closed.</param>
    /// <param name="fileName">The file name, for error messages.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is null.</exception>
    /// <exception cref="DataFormatException">
    /// The input is not a valid dataset document, or is larger than <see cref="ProgrammeDatasetReadOptions.DefaultMaxDocumentBytes"/>.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<ProgrammeDataset> ReadAsync(Stream utf8Json, string? fileName = null, CancellationToken cancellationToken = default) =>
        ReadAsync(utf8Json, fileName, ProgrammeDatasetReadOptions.Default, cancellationToken);

    /// <summary>Reads a dataset from UTF-8 JSON without blocking on the stream, with the given options.</summary>
    /// <param name="utf8Json">The JSON; read to its end (or one byte past the size cap), not closed.</param>
    /// <param name="fileName">The file name, for error messages.</param>
    /// <param name="options">How to read, such as the size cap.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="DataFormatException">
    /// The input is not a valid dataset document, or is larger than <see cref="ProgrammeDatasetReadOptions.MaxDocumentBytes"/>.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<ProgrammeDataset> ReadAsync(
        Stream utf8Json, string? fileName, ProgrammeDatasetReadOptions options, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(utf8Json);
        Preconditions.CheckNotNull(options);
        var limit = options.MaxDocumentBytes;
        using var document = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while (document.Length <= limit
                && (read = await utf8Json.ReadAsync(chunk.AsMemory(0, NextReadSize(document, limit, chunk)), cancellationToken).ConfigureAwait(false)) > 0)
            {
                Append(document, chunk.AsSpan(0, read), limit);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return Read(document, limit, fileName);
    }

    /// <summary>Reads a dataset from a JSON string.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="DataFormatException">The input is not a valid dataset document.</exception>
    public static ProgrammeDataset Parse(string json)
    {
        Preconditions.CheckNotNull(json);
        return Read(Encoding.UTF8.GetBytes(json), null);
    }

    /// <summary>Writes a dataset as UTF-8 JSON (no byte order mark, <c>\n</c> line ends).</summary>
    /// <param name="utf8Json">Where to write; not closed.</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="indented">Whether to indent (two spaces) or write one line.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(Stream utf8Json, ProgrammeDataset dataset, bool indented = true)
    {
        Preconditions.CheckNotNull(utf8Json);
        Preconditions.CheckNotNull(dataset);
        using var writer = new Utf8JsonWriter(utf8Json, WriterOptions(indented));
        SafetyProgramsJsonContext.Write(writer, dataset);
    }

    /// <summary>Writes a dataset as a JSON string.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="indented">Whether to indent (two spaces) or write one line.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    public static string ToJson(ProgrammeDataset dataset, bool indented = true)
    {
        using var buffer = new MemoryStream();
        Write(buffer, dataset, indented);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The writer settings every writer of ours uses, so output is byte-for-byte reproducible.</summary>
    internal static JsonWriterOptions WriterOptions(bool indented) => SafetyProgramsJsonContext.WriterOptions(indented, readable: true);

    private const int ChunkBytes = 81_920;

    /// <summary>Never asks the stream for more than one byte past the cap: that byte is enough to know the document is too large.</summary>
    private static int NextReadSize(MemoryStream document, int limit, byte[] chunk) =>
        (int)Math.Min(chunk.Length, limit + 1L - document.Length);

    /// <summary>Grows the buffer as MemoryStream would (doubling), but never past the cap and its one extra byte.</summary>
    private static void Append(MemoryStream document, ReadOnlySpan<byte> bytes, int limit)
    {
        var needed = document.Length + bytes.Length;
        if (needed > document.Capacity)
        {
            document.Capacity = (int)Math.Min(Math.Max(needed, Math.Max(ChunkBytes, 2L * document.Capacity)), limit + 1L);
        }
        document.Write(bytes);
    }

    /// <summary>
    /// Reads a dataset for validation: the whole document in one pass, every contract problem listed, and what could
    /// be built kept, so that the business rules can run on it. Problems that stop the reading (too large, a foreign
    /// byte order mark, malformed JSON) are listed as <see cref="DataFormatProblemKind.Unreadable"/>.
    /// </summary>
    /// <param name="utf8Json">The JSON; read to its end (or one byte past the size cap), not closed.</param>
    /// <param name="fileName">The file name, for messages.</param>
    /// <param name="options">The size cap.</param>
    /// <param name="maxProblems">The most problems kept; the rest are counted.</param>
    /// <returns>The reading, with the document's bytes (without a byte order mark) for locating later findings.</returns>
    internal static (ContractReading Reading, ReadOnlyMemory<byte> Utf8) ReadForValidation(
        Stream utf8Json, string? fileName, ProgrammeDatasetReadOptions options, int maxProblems)
    {
        var limit = options.MaxDocumentBytes;
        var document = Buffer(utf8Json, limit);
        ReadOnlyMemory<byte> utf8 = document.GetBuffer().AsMemory(0, (int)document.Length);
        try
        {
            CheckSize(document, limit, fileName);
            ByteOrderMarks.RefuseForeign(utf8.Span, fileName, JsonErrors.Root);
        }
        catch (DataFormatException refused)
        {
            var reading = new ContractReading(1, maxProblems);
            reading.Add(DataFormatProblemKind.Unreadable, refused.Reason, FixOf(refused), [], ReadOnlySpan<byte>.Empty, 0);
            reading.Finish();
            return (reading, ReadOnlyMemory<byte>.Empty);
        }
        utf8 = JsonErrors.WithoutBom(utf8);
        return (JsonContractReader.ReadListing(utf8.Span, SafetyProgramsJsonContext.TypeInfo<ProgrammeDataset>(), 1, Version, maxProblems), utf8);
    }

    private static string FixOf(DataFormatException refused) =>
        refused.Reason.StartsWith("The document is larger", StringComparison.Ordinal)
            ? "Check that this is a dataset file; if it is, split it, or validate it with a larger size cap."
            : "Save the file as UTF-8 and validate it again.";

    private static readonly DocumentVersion Version = new("schemaVersion", SupportedSchemaVersions);

    private static MemoryStream Buffer(Stream utf8Json, int limit)
    {
        var document = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while (document.Length <= limit && (read = utf8Json.Read(chunk, 0, NextReadSize(document, limit, chunk))) > 0)
            {
                Append(document, chunk.AsSpan(0, read), limit);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return document;
    }

    private static void CheckSize(MemoryStream document, int limit, string? fileName)
    {
        if (document.Length > limit)
        {
            throw new DataFormatException(
                $"The document is larger than {DescribeSize(limit)}, the most this reader holds in memory. "
                + "Check that this is a dataset file (participation records belong in JSON Lines or CSV files); "
                + $"if it is, split it, or read it with a larger {nameof(ProgrammeDatasetReadOptions)}.{nameof(ProgrammeDatasetReadOptions.MaxDocumentBytes)}.",
                fileName, JsonErrors.Root, null, null);
        }
    }

    private static ProgrammeDataset Read(MemoryStream document, int limit, string? fileName)
    {
        CheckSize(document, limit, fileName);
        return Read(document.GetBuffer().AsMemory(0, (int)document.Length), fileName);
    }

    private static string DescribeSize(int bytes)
    {
        const int MiB = 1024 * 1024;
        var exact = bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
        return bytes % MiB == 0 ? $"{bytes / MiB} MiB ({exact})" : exact;
    }

    private static ProgrammeDataset Read(ReadOnlyMemory<byte> utf8, string? fileName)
    {
        ByteOrderMarks.RefuseForeign(utf8.Span, fileName, JsonErrors.Root);
        utf8 = JsonErrors.WithoutBom(utf8);
        // The schema version is checked as the root is read, in the same pass: a newer document is reported for its
        // version (the exception names it first), with the problems that follow from it listed after.
        return JsonContractReader.Read(utf8.Span, SafetyProgramsJsonContext.TypeInfo<ProgrammeDataset>(), fileName, version: Version);
    }
}
