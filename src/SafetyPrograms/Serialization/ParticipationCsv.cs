using System.Globalization;
using System.Text;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Serialization;

/// <summary>A row's cells by participation column (the position of its name in <see cref="ParticipationCsv.Columns"/>), UTF-8 text as the JSON contract writes it, empty for none.</summary>
internal interface IParticipationCells
{
    /// <summary>The columns the source has (any order): the others are empty in every row.</summary>
    ReadOnlySpan<int> Columns { get; }

    /// <summary>The cell of column <paramref name="column"/>.</summary>
    ReadOnlySpan<byte> Cell(int column);
}

/// <summary>
/// Participation records as CSV (RFC 4180, UTF-8): a header row naming the columns, in any order, then one record
/// per row. Values are written exactly as in JSON (enum names, ISO dates, <c>true</c>/<c>false</c>); an empty cell
/// is null for an optional column. Reading streams: every row gives one result, a record or the reason it was
/// refused with the line it starts on; nothing is dropped silently.
/// </summary>
/// <remarks>
/// Columns: <c>beneficiary,activity,date,role,sex,ageBand,mode,completed</c> (required) and
/// <c>school,preScore,postScore</c>, the person's <c>age,yearOfBirth</c> and Washington Group answers
/// <c>seeing,hearing,walking,cognition,selfCare,communication</c> with the Child Functioning Module's
/// <c>learning,remembering,concentrating,acceptingChange,controllingBehaviour,makingFriends</c> (optional; a missing
/// column means null throughout). Empty lines are skipped.
/// Thread-safe.
/// </remarks>
public static class ParticipationCsv
{
    private const int RequiredCount = ParticipationColumns.RequiredCount;

    /// <summary>The column names, in the order they are written: the record's, then the person's <c>age</c>, <c>yearOfBirth</c> and functioning answers (<c>seeing</c> … <c>makingFriends</c>).</summary>
    public static IReadOnlyList<string> Columns { get; } = ValueList<string>.From(ParticipationColumns.Names, "columns");

    /// <summary>Reads records lazily: the stream is read as the results are enumerated, once.</summary>
    /// <param name="utf8Csv">The UTF-8 CSV (a UTF-8 byte order mark is accepted); not closed.</param>
    /// <param name="fileName">The file name, for error messages.</param>
    /// <returns>One result per row after the header, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Csv"/> is null.</exception>
    /// <exception cref="DataFormatException">
    /// Thrown on enumeration when the file is empty or its header misses a required column, repeats one or has an
    /// unknown one (line 1; the message lists the expected columns), or when the file is UTF-16 or UTF-32 (it starts
    /// with that encoding's byte order mark; line 1): save it as UTF-8; or at a record longer than 1 MiB, where reading
    /// stops (it is not read to its end, which may never come), after the records before it and that record's failure.
    /// </exception>
    public static IEnumerable<ParticipationReadResult> Read(Stream utf8Csv, string? fileName = null)
    {
        Preconditions.CheckNotNull(utf8Csv);
        return ReadRows(utf8Csv, fileName);
    }

    /// <summary>Writes a header row and one row per record, lines ending in <c>\n</c>, UTF-8 without byte order mark.</summary>
    /// <param name="utf8Csv">Where to write; not closed.</param>
    /// <param name="records">The records.</param>
    /// <exception cref="ArgumentNullException">An argument is null or a record is null.</exception>
    public static void Write(Stream utf8Csv, IEnumerable<ParticipationRecord> records)
    {
        Preconditions.CheckNotNull(utf8Csv);
        Preconditions.CheckNotNull(records);
        using var writer = new StreamWriter(utf8Csv, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(string.Join(',', Columns));
        foreach (var r in records)
        {
            Preconditions.CheckNotNull(r, nameof(records));
            WriteField(writer, r.Beneficiary.Value, ',');
            WriteField(writer, r.Activity.Value, ',');
            WriteField(writer, LocalDateConverter.FormatDate(r.Date), ',');
            WriteField(writer, Name(r.Role), ',');
            WriteField(writer, Name(r.Sex), ',');
            WriteField(writer, Name(r.AgeBand), ',');
            WriteField(writer, Name(r.Mode), ',');
            WriteField(writer, r.Completed ? "true" : "false", ',');
            WriteField(writer, r.School?.Value, ',');
            WriteField(writer, r.PreScore?.ToString(CultureInfo.InvariantCulture), ',');
            WriteField(writer, r.PostScore?.ToString(CultureInfo.InvariantCulture), ',');
            WriteField(writer, r.Age?.ToString(CultureInfo.InvariantCulture), ',');
            WriteField(writer, r.YearOfBirth?.ToString(CultureInfo.InvariantCulture), ',');
            var answers = r.Functioning();
            var domains = Enum.GetValues<FunctioningDomain>();
            for (var d = 0; d < domains.Length; d++)
            {
                WriteField(writer, ParticipationFields.AnswerName(answers, domains[d]), d == domains.Length - 1 ? '\n' : ',');
            }
        }
    }

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        EnumNames<TEnum>.TryGetName(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, "Not a defined value.");

    /// <summary>Writes a field, quoted (quotes doubled) only when it holds a comma, quote or line break, then the separator.</summary>
    internal static void WriteField(TextWriter writer, string? value, char separator)
    {
        if (value is not null)
        {
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                writer.Write('"');
                writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
                writer.Write('"');
            }
            else
            {
                writer.Write(value);
            }
        }
        writer.Write(separator);
    }

    private static IEnumerable<ParticipationReadResult> ReadRows(Stream stream, string? fileName)
    {
        // The one chunker and tokenizer the store's ingest uses: a UTF-8 byte order mark is skipped, UTF-16 and UTF-32 refused.
        var csv = new Utf8CsvReader(stream, fileName);
        if (!csv.ReadRecord())
        {
            throw EmptyFile(fileName);
        }
        var names = new string[csv.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Encoding.UTF8.GetString(csv.Field(i));
        }
        var header = ReadHeader(names, csv.Error, fileName, csv.RecordLine);
        var width = csv.FieldCount;
        var builder = new ParticipationRecordBuilder();
        while (csv.ReadRecord())
        {
            if (csv.Stopped)
            {
                // The record is refused like any unreadable one, then the reader says it cannot go on.
                yield return ParticipationRecordBuilder.Failure(ParticipationJsonLines.Stopped, csv.RecordLine, fileName);
                throw new DataFormatException(RecordChunker.StoppedMessage, fileName, null, csv.RecordLine, null);
            }
            yield return ReadRow(csv, header, width, builder, fileName);
        }
    }

    private static ParticipationReadResult ReadRow(Utf8CsvReader csv, HeaderColumns header, int width, ParticipationRecordBuilder builder, string? fileName)
    {
        if (RecordProblem(csv.Error, csv.BrokenQuote, csv.FieldCount, width) is { } problem)
        {
            return ParticipationRecordBuilder.Failure(problem, csv.RecordLine, fileName);
        }
        Row(csv.Records, csv.Data, header, out var row);
        return builder.Read(in row, csv.RecordLine, fileName);
    }

    /// <summary>What makes a CSV record unreadable as a whole: the tokenizer's finding, or a field count other than the header's.</summary>
    internal static FieldProblem? RecordProblem(string? malformed, bool brokenQuote, int fieldCount, int width) =>
        malformed is not null ? new FieldProblem(malformed, "$", brokenQuote ? ReadFault.BrokenQuote : ReadFault.Unreadable)
        : fieldCount != width ? new FieldProblem($"The record has {fieldCount} fields; the header has {width}.", "$")
        : null;

    /// <summary>The current record of <paramref name="records"/> as a participation row, its fields found by the header's positions.</summary>
    internal static void Row(Utf8CsvRecords records, ReadOnlySpan<byte> data, HeaderColumns header, out ParticipationRow row) =>
        Row(new CsvCells(records, data, header), out row);

    /// <summary>
    /// Refills <paramref name="row"/> with the current record of <paramref name="records"/>: only the header's columns are
    /// set, so a row that started empty and is refilled under one header holds exactly the current record. Ingest keeps
    /// one row a chunk this way rather than clearing every field of a fresh row per record.
    /// </summary>
    /// <remarks>
    /// The record's own fields are assigned one by one, each a slice of the data at the bounds the tokenizer found: no loop
    /// or switch runs per field, and no field is asked whether it was unescaped unless the record had a doubled quote. The
    /// person's columns (age, year of birth, functioning), which most files lack, are visited only when the header names
    /// any. An optional record column the header lacks is set empty, as it always is.
    /// </remarks>
    internal static void Refill(Utf8CsvRecords records, ReadOnlySpan<byte> data, HeaderColumns header, ref ParticipationRow row)
    {
        var at = header.FieldOf.AsSpan();
        var fields = records.InPlace;
        if (fields.IsEmpty)
        {
            // A field had a doubled quote (rare): each field is read through the tokenizer.
            Fill(new CsvCells(records, data, header), ref row);
            return;
        }
        // The required columns: the header has them all. Every field lies in the data, so each is one slice.
        row.Beneficiary = Slice(data, fields[at[ParticipationColumns.Beneficiary]]);
        row.Activity = Slice(data, fields[at[ParticipationColumns.Activity]]);
        row.Date = Slice(data, fields[at[ParticipationColumns.Date]]);
        row.Role = Slice(data, fields[at[ParticipationColumns.Role]]);
        row.Sex = Slice(data, fields[at[ParticipationColumns.Sex]]);
        row.AgeBand = Slice(data, fields[at[ParticipationColumns.AgeBand]]);
        row.Mode = Slice(data, fields[at[ParticipationColumns.Mode]]);
        row.Completed = Slice(data, fields[at[ParticipationColumns.Completed]]);
        row.School = Optional(data, fields, at[ParticipationColumns.School]);
        row.PreScore = Optional(data, fields, at[ParticipationColumns.PreScore]);
        row.PostScore = Optional(data, fields, at[ParticipationColumns.PostScore]);
        row.Functioning.Restart();
        foreach (var c in header.PersonColumns)
        {
            row.Set(c, Slice(data, fields[at[c]]));
        }
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, FieldBounds field) => data.Slice(field.Start, field.Length);

    private static ReadOnlySpan<byte> Optional(ReadOnlySpan<byte> data, ReadOnlySpan<FieldBounds> fields, int field) =>
        field < 0 ? default : Slice(data, fields[field]);

    /// <summary>
    /// A participation row from its cells, each found by its column's position in <see cref="Columns"/>: the one place
    /// that says which column fills which field, for CSV and every other source of rows with named columns.
    /// </summary>
    /// <remarks>
    /// The row is filled where the caller holds it, never returned: a row is a few hundred bytes of spans, and copying it
    /// out once a row goes through the runtime's bulk copy for references, which costs ingest more than filling it.
    /// </remarks>
    internal static void Row<TCells>(scoped in TCells cells, out ParticipationRow row)
        where TCells : IParticipationCells, allows ref struct
    {
        row = default;
        Fill(cells, ref row);
    }

    /// <summary>Sets the fields of the columns <paramref name="cells"/> has; the others keep what they hold.</summary>
    private static void Fill<TCells>(scoped in TCells cells, ref ParticipationRow row)
        where TCells : IParticipationCells, allows ref struct
    {
        row.Functioning.Restart();
        foreach (var c in cells.Columns)
        {
            row.Set(c, cells.Cell(c));
        }
    }

    /// <summary>A CSV record's fields by column: only the columns the header names are read.</summary>
    private readonly ref struct CsvCells(Utf8CsvRecords records, ReadOnlySpan<byte> data, HeaderColumns header) : IParticipationCells
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public ReadOnlySpan<int> Columns => header.Columns;

        public ReadOnlySpan<byte> Cell(int column) => records.Field(_data, header.FieldOf[column]);
    }

    /// <summary>What the typed reader and the store's ingest say of a file without a header row.</summary>
    internal static DataFormatException EmptyFile(string? fileName) =>
        new($"The file is empty: expected a header row with the columns {string.Join(',', Columns)}.", fileName, null, 1, null);

    /// <summary>Names the separator of a one-field header that splits into known columns on it, or null.</summary>
    private static string? OtherSeparator(string field) =>
        field.Split(';').Any(name => Columns.Contains(name, StringComparer.Ordinal)) ? "semicolons"
        : field.Split('\t').Any(name => Columns.Contains(name, StringComparer.Ordinal)) ? "tabs"
        : null;

    /// <summary>
    /// Maps each known column to its field index (<see cref="HeaderColumns"/>): the one header rule the typed
    /// reader and the store's ingest share. Every problem is named; the exception's path is the first column at fault.
    /// </summary>
    /// <param name="names">The header's fields.</param>
    /// <param name="malformed">What the tokenizer found wrong with the header row, or null.</param>
    /// <param name="fileName">The file name, for the message.</param>
    /// <param name="line">The header's line.</param>
    /// <exception cref="DataFormatException">The header is malformed, names an unknown column, repeats one or lacks a required one.</exception>
    internal static HeaderColumns ReadHeader(IReadOnlyList<string> names, string? malformed, string? fileName, long line)
    {
        var expected = $"Expected the columns {string.Join(',', Columns)} (the first {RequiredCount} required), in any order.";
        if (malformed is not null)
        {
            throw new DataFormatException($"The header row is malformed: {malformed} {expected}", fileName, null, line, null);
        }
        if (!names.Any(name => Columns.Contains(name, StringComparer.Ordinal)))
        {
            // A row that names none of the columns is data, not a header (a file without one), or a header with another
            // separator: its values may be identifiers, so none of them is repeated.
            var separator = names.Count == 1 ? OtherSeparator(names[0]) : null;
            throw new DataFormatException(
                separator is null
                    ? $"The first row names none of the columns: it looks like data, so the file needs a header row. {expected}"
                    : $"The header row is separated by {separator}, not commas: save the file as comma-separated CSV. {expected}",
                fileName, null, line, null);
        }
        var fieldOf = new int[Columns.Count];
        Array.Fill(fieldOf, -1);
        var problems = new List<string>();
        string? first = null;
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var column = -1;
            for (var c = 0; c < Columns.Count; c++)
            {
                if (string.Equals(Columns[c], name, StringComparison.Ordinal))
                {
                    column = c;
                }
            }
            if (column < 0 || fieldOf[column] >= 0)
            {
                problems.Add(column < 0 ? $"unknown column {ValueText.Quote(name)}" : $"column '{name}' appears more than once");
                first ??= name;
                continue;
            }
            fieldOf[column] = i;
        }
        for (var c = 0; c < RequiredCount; c++)
        {
            if (fieldOf[c] < 0)
            {
                problems.Add($"missing required column '{Columns[c]}'");
                first ??= Columns[c];
            }
        }
        return problems.Count == 0
            ? new HeaderColumns(fieldOf, [.. Enumerable.Range(0, fieldOf.Length).Where(c => fieldOf[c] >= 0)])
            : throw new DataFormatException($"The header row has {string.Join("; ", problems)}. {expected}", fileName, first, line, null);
    }
}

/// <summary>What a CSV header says: each participation column's field index (-1 when absent), and the columns it names.</summary>
/// <param name="FieldOf">By participation column, the field holding it, or -1.</param>
/// <param name="Columns">The participation columns the header names, in column order.</param>
internal sealed record HeaderColumns(int[] FieldOf, int[] Columns)
{
    /// <summary>The person's columns the header names (age, year of birth, functioning answers): none in most files.</summary>
    internal int[] PersonColumns { get; } = [.. Columns.Where(c => c >= ParticipationColumns.Age)];
}
