using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>One data row of a CSV file that was not written, and why.</summary>
/// <param name="LineNumber">The 1-based physical line the row starts on (the header is line 1).</param>
/// <param name="Reason">What is wrong; it never repeats the raw identifier.</param>
public sealed record CsvRowRejection(long LineNumber, string Reason);

/// <summary>What <see cref="CsvColumnPseudonymiser.Pseudonymise(TextReader, TextWriter, CancellationToken)"/> did: every data row is either written or rejected.</summary>
/// <param name="RowsRead">Data rows read (the header and blank lines are not rows).</param>
/// <param name="RowsWritten">Data rows written with a key in place of the raw identifier.</param>
/// <param name="Rejections">The rows not written, in file order.</param>
public sealed record CsvPseudonymisationSummary(long RowsRead, long RowsWritten, IReadOnlyList<CsvRowRejection> Rejections);

/// <summary>
/// Streams a partner's CSV file, replacing a column of raw identifiers with a column of pseudonymous beneficiary
/// keys, so that raw identifiers never need to enter a dataset.
/// </summary>
/// <remarks>
/// <para>Input is RFC 4180 CSV with a header row: commas, fields in double quotes may hold commas, line breaks and
/// doubled quotes; CRLF, LF and CR line breaks are accepted. The raw column is found by its exact header name and
/// replaced in place by <see cref="OutputColumn"/>; every other field is copied (re-quoted only where needed).
/// Output lines end with LF.</para>
/// <para>Every data row is accounted for: it is written, or it is rejected with its line number and a reason
/// (empty or invalid identifier, wrong number of fields, malformed quoting, longer than a megabyte). A rejected row is
/// never written, so a raw identifier never passes through, and reasons never repeat it. Blank lines are skipped. The
/// reader holds one chunk of rows at a time, and reads CSV exactly as the participation readers do (one tokenizer).</para>
/// <para>Immutable and thread-safe; each call reads and writes its own streams.</para>
/// </remarks>
public sealed class CsvColumnPseudonymiser
{
    private readonly BeneficiaryPseudonymiser _pseudonymiser;

    /// <summary>Creates a column pseudonymiser.</summary>
    /// <param name="pseudonymiser">The pseudonymiser holding the programme's secret.</param>
    /// <param name="scheme">The kind of identifier in the raw column.</param>
    /// <param name="rawColumn">The header name of the raw identifier column.</param>
    /// <param name="outputColumn">The header name of the key column written in its place; <c>beneficiary</c> by default.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A column name is empty or white space.</exception>
    public CsvColumnPseudonymiser(BeneficiaryPseudonymiser pseudonymiser, IdentifierScheme scheme, string rawColumn, string outputColumn = "beneficiary")
    {
        _pseudonymiser = Preconditions.CheckNotNull(pseudonymiser);
        Scheme = Preconditions.CheckNotNull(scheme);
        RawColumn = Preconditions.CheckNotBlank(rawColumn);
        OutputColumn = Preconditions.CheckNotBlank(outputColumn);
    }

    /// <summary>The kind of identifier in the raw column.</summary>
    public IdentifierScheme Scheme { get; }

    /// <summary>The header name of the raw identifier column.</summary>
    public string RawColumn { get; }

    /// <summary>The header name of the key column.</summary>
    public string OutputColumn { get; }

    /// <summary>Reads CSV from <paramref name="input"/> and writes it with keys in place of raw identifiers to <paramref name="output"/>.</summary>
    /// <param name="input">The partner's CSV, header first.</param>
    /// <param name="output">Where the pseudonymised CSV is written.</param>
    /// <param name="cancellationToken">Checked between rows.</param>
    /// <returns>How many rows were read and written, and each rejected row.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="DataFormatException">
    /// The input has no header, or the header is malformed, lacks <see cref="RawColumn"/>, names it twice or already has
    /// <see cref="OutputColumn"/>. Nothing is written then. (A record longer than a megabyte, usually a quote never
    /// closed, is a rejected row.)
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public CsvPseudonymisationSummary Pseudonymise(TextReader input, TextWriter output, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(input);
        Preconditions.CheckNotNull(output);
        return Pseudonymise(new Utf8CsvReader(new TextReaderStream(input), null), output, cancellationToken);
    }

    /// <summary>Reads UTF-8 CSV from <paramref name="input"/> and writes UTF-8 CSV (without a byte order mark) with keys in place of raw identifiers.</summary>
    /// <param name="input">The partner's CSV, header first; a UTF-8 byte order mark is skipped. It is left open.</param>
    /// <param name="output">Where the pseudonymised CSV is written. It is flushed and left open.</param>
    /// <param name="cancellationToken">Checked between rows.</param>
    /// <returns>How many rows were read and written, and each rejected row.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="DataFormatException">The header is missing or unusable, or the file is UTF-16 or UTF-32.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public CsvPseudonymisationSummary Pseudonymise(Stream input, Stream output, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(input);
        Preconditions.CheckNotNull(output);
        using var writer = new StreamWriter(output, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024, leaveOpen: true);
        return Pseudonymise(new Utf8CsvReader(input, null), writer, cancellationToken);
    }

    /// <summary>The one pass both overloads make, with the tokenizer every CSV reader of the library shares.</summary>
    private CsvPseudonymisationSummary Pseudonymise(Utf8CsvReader reader, TextWriter output, CancellationToken cancellationToken)
    {
        var fields = new List<string>();
        if (!reader.ReadRecord())
        {
            throw new DataFormatException("The CSV file is empty: it needs a header row.", null, null, 1, null);
        }
        if (reader.Error is { } headerProblem)
        {
            throw new DataFormatException($"The header row is malformed: {headerProblem}", null, null, reader.RecordLine, null);
        }
        Fields(reader, fields);
        var rawIndex = FindRawColumn(fields);
        var columns = fields.Count;
        fields[rawIndex] = OutputColumn;
        CsvText.WriteRecord(output, fields);

        long read = 0, written = 0;
        var rejections = new List<CsvRowRejection>();
        while (reader.ReadRecord())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = reader.RecordLine;
            var problem = reader.Error;
            Fields(reader, fields);
            read++;
            if (problem is null && fields.Count != columns)
            {
                problem = $"the row has {fields.Count} fields; the header has {columns}";
            }
            if (problem is null && _pseudonymiser.TryPseudonymise(fields[rawIndex], Scheme, out var key, out problem))
            {
                fields[rawIndex] = key.Value;
                CsvText.WriteRecord(output, fields);
                written++;
            }
            else
            {
                rejections.Add(new CsvRowRejection(line, $"{RawColumn}: {problem}"));
            }
        }
        return new CsvPseudonymisationSummary(read, written, rejections);
    }

    private static void Fields(Utf8CsvReader reader, List<string> fields)
    {
        fields.Clear();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            fields.Add(reader[i].ToString());
        }
    }

    private int FindRawColumn(List<string> header)
    {
        var rawIndex = header.IndexOf(RawColumn);
        if (rawIndex < 0)
        {
            // The first row is not repeated: without a header it is a data row, and its values may be raw identifiers.
            throw new DataFormatException(
                $"The first row has no column {ValueText.Quote(RawColumn)} to pseudonymise among its {header.Count} field(s). "
                + "The file needs a header row naming its columns; check the column name and that the first row is not data.",
                null, RawColumn, 1, null);
        }
        if (header.LastIndexOf(RawColumn) != rawIndex)
        {
            throw new DataFormatException($"The header names the column {ValueText.Quote(RawColumn)} twice.", null, RawColumn, 1, null);
        }
        if (OutputColumn != RawColumn && header.Contains(OutputColumn))
        {
            throw new DataFormatException(
                $"The header already has a column {ValueText.Quote(OutputColumn)}; choose another output column name.", null, OutputColumn, 1, null);
        }
        return rawIndex;
    }
}
