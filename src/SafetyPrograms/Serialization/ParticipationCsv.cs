using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Serialization;

/// <summary>
/// Participation records as CSV (RFC 4180, UTF-8): a header row naming the columns, in any order, then one record
/// per row. Values are written exactly as in JSON (enum names, ISO dates, <c>true</c>/<c>false</c>); an empty cell
/// is null for an optional column. Reading streams: every row gives one result, a record or the reason it was
/// refused with the line it starts on; nothing is dropped silently.
/// </summary>
/// <remarks>
/// Columns: <c>beneficiary,activity,date,role,sex,ageBand,mode,completed</c> (required) and
/// <c>school,preScore,postScore</c> (optional; a missing column means null throughout). Empty lines are skipped.
/// Thread-safe.
/// </remarks>
public static class ParticipationCsv
{
    private const int Beneficiary = 0, Activity = 1, Date = 2, Role = 3, Sex = 4, AgeBand = 5, Mode = 6, Completed = 7,
        School = 8, PreScore = 9, PostScore = 10, RequiredCount = 8;

    /// <summary>The column names, in the order they are written.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["beneficiary", "activity", "date", "role", "sex", "ageBand", "mode", "completed", "school", "preScore", "postScore"];

    /// <summary>Reads records lazily: the stream is read as the results are enumerated, once.</summary>
    /// <param name="utf8Csv">The UTF-8 CSV (a UTF-8 byte order mark is accepted); not closed.</param>
    /// <param name="fileName">The file name, for error messages.</param>
    /// <returns>One result per row after the header, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Csv"/> is null.</exception>
    /// <exception cref="DataFormatException">
    /// Thrown on enumeration when the file is empty or its header misses a required column, repeats one or has an
    /// unknown one (line 1; the message lists the expected columns), or when the file is UTF-16 or UTF-32 (it starts
    /// with that encoding's byte order mark; line 1): save it as UTF-8.
    /// </exception>
    public static IEnumerable<ParticipationReadResult> Read(Stream utf8Csv, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(utf8Csv);
        return ReadRows(utf8Csv, fileName);
    }

    /// <summary>Writes a header row and one row per record, lines ending in <c>\n</c>, UTF-8 without byte order mark.</summary>
    /// <param name="utf8Csv">Where to write; not closed.</param>
    /// <param name="records">The records.</param>
    /// <exception cref="ArgumentNullException">An argument is null or a record is null.</exception>
    public static void Write(Stream utf8Csv, IEnumerable<ParticipationRecord> records)
    {
        ArgumentNullException.ThrowIfNull(utf8Csv);
        ArgumentNullException.ThrowIfNull(records);
        using var writer = new StreamWriter(utf8Csv, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(string.Join(',', Columns));
        foreach (var r in records)
        {
            ArgumentNullException.ThrowIfNull(r, nameof(records));
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
            WriteField(writer, r.PostScore?.ToString(CultureInfo.InvariantCulture), '\n');
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
            names[i] = csv[i].ToString();
        }
        var row = new RowReader(ReadHeader(names, csv.Error, fileName, csv.RecordLine), csv.FieldCount, fileName);
        while (csv.ReadRecord())
        {
            yield return row.Read(csv);
        }
    }

    /// <summary>What the typed reader and the store's ingest say of a file without a header row.</summary>
    internal static DataFormatException EmptyFile(string? fileName) =>
        new($"The file is empty: expected a header row with the columns {string.Join(',', Columns)}.", fileName, null, 1, null);

    /// <summary>
    /// Maps each known column to its field index, or -1 when an optional column is absent: the one header rule the typed
    /// reader and the store's ingest share. Every problem is named; the exception's path is the first column at fault.
    /// </summary>
    /// <param name="names">The header's fields.</param>
    /// <param name="malformed">What the tokenizer found wrong with the header row, or null.</param>
    /// <param name="fileName">The file name, for the message.</param>
    /// <param name="line">The header's line.</param>
    /// <exception cref="DataFormatException">The header is malformed, names an unknown column, repeats one or lacks a required one.</exception>
    internal static int[] ReadHeader(IReadOnlyList<string> names, string? malformed, string? fileName, long line)
    {
        var expected = $"Expected the columns {string.Join(',', Columns)} (the first {RequiredCount} required), in any order.";
        if (malformed is not null)
        {
            throw new DataFormatException($"The header row is malformed: {malformed} {expected}", fileName, null, line, null);
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
                problems.Add(column < 0 ? $"unknown column '{name}'" : $"column '{name}' appears more than once");
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
            ? fieldOf
            : throw new DataFormatException($"The header row has {string.Join("; ", problems)}. {expected}", fileName, first, line, null);
    }

    /// <summary>Turns rows into records, reusing identifier strings that repeat across rows (activities, schools).</summary>
    private sealed class RowReader(int[] fieldOf, int fieldCount, string? fileName)
    {
        private readonly IdCache<Domain.Activity> _activities = new();
        private readonly IdCache<Domain.School> _schools = new();

        internal ParticipationReadResult Read(Utf8CsvReader csv)
        {
            var line = csv.RecordLine;
            string? column = null;
            string? problem = csv.Error;
            if (problem is null && csv.FieldCount != fieldCount)
            {
                problem = $"The row has {csv.FieldCount} field(s) but the header has {fieldCount}.";
            }
            if (problem is null)
            {
                var record = TryParse(csv, out column, out problem);
                if (record is not null)
                {
                    return ParticipationReadResult.Success(line, record);
                }
            }
            return ParticipationReadResult.Failure(line, new DataFormatException(problem!, fileName, column, line, null));
        }

        private ParticipationRecord? TryParse(Utf8CsvReader csv, out string? column, out string? problem)
        {
            problem = null;
            column = Columns[Beneficiary];
            var beneficiary = csv[fieldOf[Beneficiary]];
            if (!Identifiers.IsValid(beneficiary, BeneficiaryKey.MaxLength))
            {
                problem = Required(beneficiary) ?? $"'{beneficiary}' is not a valid beneficiary key: use 1 to {BeneficiaryKey.MaxLength} characters from A-Z, a-z, 0-9 and - _ . : /.";
                return null;
            }
            column = Columns[Activity];
            if (!_activities.TryGet(csv[fieldOf[Activity]], out var activity, out problem))
            {
                return null;
            }
            column = Columns[Date];
            if (!TryParseDate(csv[fieldOf[Date]], out var date, out problem)
                || !TryParseEnum<BeneficiaryRole>(csv, Role, out var role, out column, out problem)
                || !TryParseEnum<Sex>(csv, Sex, out var sex, out column, out problem)
                || !TryParseEnum<AgeBand>(csv, AgeBand, out var ageBand, out column, out problem)
                || !TryParseEnum<DeliveryMode>(csv, Mode, out var mode, out column, out problem))
            {
                return null;
            }
            column = Columns[Completed];
            var completedText = csv[fieldOf[Completed]];
            var completed = completedText.SequenceEqual("true");
            if (!completed && !completedText.SequenceEqual("false"))
            {
                problem = Required(completedText) ?? $"'{completedText}' is not a boolean: use true or false.";
                return null;
            }
            Id<Domain.School>? school = null;
            column = Columns[School];
            if (fieldOf[School] >= 0 && !csv[fieldOf[School]].IsEmpty)
            {
                if (!_schools.TryGet(csv[fieldOf[School]], out var id, out problem))
                {
                    return null;
                }
                school = id;
            }
            if (!TryParseScore(csv, PreScore, out var preScore, out column, out problem)
                || !TryParseScore(csv, PostScore, out var postScore, out column, out problem))
            {
                return null;
            }
            return new ParticipationRecord(new BeneficiaryKey(beneficiary.ToString()), activity, date, role, sex, ageBand, mode, completed, school, preScore, postScore);
        }

        private bool TryParseEnum<TEnum>(Utf8CsvReader csv, int index, out TEnum value, out string column, out string? problem)
            where TEnum : struct, Enum
        {
            column = Columns[index];
            var text = csv[fieldOf[index]];
            problem = EnumNames<TEnum>.TryParse(text, out value)
                ? null
                : Required(text) ?? $"'{text}' is not a {typeof(TEnum).Name}: expected one of {EnumNames<TEnum>.Expected()}.";
            return problem is null;
        }

        private bool TryParseScore(Utf8CsvReader csv, int index, out decimal? value, out string column, out string? problem)
        {
            column = Columns[index];
            value = null;
            problem = null;
            if (fieldOf[index] < 0 || csv[fieldOf[index]].IsEmpty)
            {
                return true;
            }
            var text = csv[fieldOf[index]];
            if (!JsonNumberText.IsValid(text))
            {
                problem = $"'{text}' is not a number: write it as in JSON, digits with an optional '-', '.' decimal part and exponent.";
                return false;
            }
            if (TryParsePlainDecimal(text, out var number)
                || decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out number))
            {
                value = number;
                return true;
            }
            problem = $"'{text}' is too large for a score (beyond about 7.9e28).";
            return false;
        }

        private static string? Required(ReadOnlySpan<char> text) => text.IsEmpty ? "A value is required." : null;
    }

    /// <summary>Parses an ISO date; the common well-formed case avoids NodaTime's general (allocating) parser.</summary>
    internal static bool TryParseDate(ReadOnlySpan<char> text, out LocalDate date, out string? problem)
    {
        problem = null;
        if (text is [var y1, var y2, var y3, var y4, '-', var m1, var m2, '-', var d1, var d2]
            && Digits(y1, y2, y3, y4, m1, m2, d1, d2))
        {
            var year = ((y1 - '0') * 1000) + ((y2 - '0') * 100) + ((y3 - '0') * 10) + (y4 - '0');
            var month = ((m1 - '0') * 10) + (m2 - '0');
            var day = ((d1 - '0') * 10) + (d2 - '0');
            if (year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= CalendarSystem.Iso.GetDaysInMonth(year, month))
            {
                date = new LocalDate(year, month, day);
                return true;
            }
        }
        var result = LocalDatePattern.Iso.Parse(text.ToString());
        if (result.Success)
        {
            date = result.Value;
            return true;
        }
        date = default;
        problem = text.IsEmpty ? "A value is required." : $"'{text}' is not a valid ISO date (yyyy-MM-dd): {result.Exception.Message}";
        return false;
    }

    /// <summary>
    /// The common case of a score, unsigned digits with an optional decimal point ("4.5", "12"), without the general
    /// parser; the result, scale included, is what <see cref="decimal.Parse(string, IFormatProvider)"/> gives.
    /// </summary>
    internal static bool TryParsePlainDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        value = default;
        if (text.IsEmpty || text.Length > 18)
        {
            return false;
        }
        long mantissa = 0;
        var scale = -1;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                mantissa = (mantissa * 10) + (c - '0');
                scale += scale >= 0 ? 1 : 0;
            }
            else if (c == '.' && scale < 0)
            {
                scale = 0;
            }
            else
            {
                return false;
            }
        }
        if (scale == 0 || text[0] == '.')
        {
            return false; // "4." or ".5": leave to the general parser's rules
        }
        value = new decimal((int)(mantissa & 0xFFFFFFFF), (int)(mantissa >> 32), 0, false, (byte)Math.Max(scale, 0));
        return true;
    }

    private static bool Digits(params ReadOnlySpan<char> chars)
    {
        foreach (var c in chars)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>Identifiers seen before, so that a million rows about a thousand activities make a thousand strings.</summary>
internal sealed class IdCache<TEntity>
    where TEntity : class
{
    private const int Capacity = 1 << 14;

    private readonly Dictionary<string, Id<TEntity>> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Id<TEntity>>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    internal IdCache() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    internal bool TryGet(ReadOnlySpan<char> text, out Id<TEntity> id, out string? problem)
    {
        problem = null;
        if (_lookup.TryGetValue(text, out id))
        {
            return true;
        }
        if (!Identifiers.IsValid(text, Id<TEntity>.MaxLength))
        {
            problem = text.IsEmpty
                ? "A value is required."
                : $"'{text}' is not a valid {typeof(TEntity).Name} identifier: use 1 to {Id<TEntity>.MaxLength} characters from A-Z, a-z, 0-9 and - _ . : /.";
            return false;
        }
        id = new Id<TEntity>(text.ToString());
        if (_ids.Count < Capacity)
        {
            _ids[id.Value] = id;
        }
        return true;
    }
}
