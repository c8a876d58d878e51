using System.Data.Common;
using System.Globalization;
using System.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Aggregation;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>One participation row as a database or file holds it: typed where a database types it.</summary>
internal sealed record SourceRow(
    string Beneficiary, string Activity, DateOnly Date, string Role, string Sex, string AgeBand, string Mode, bool Completed,
    string? School, decimal? Pre, decimal? Post, int? Age, int? YearOfBirth, IReadOnlyList<string?> Answers);

/// <summary>
/// The same rows through every source: seeded rows over a test programme, among them rows each row rule refuses (an
/// unknown activity or school, a date the store cannot hold, a role that is no role, a score with five places, a key
/// that is no key), written as CSV or put into a database table, and the check that two ingests came out the same.
/// </summary>
internal static class SameRows
{
    /// <summary>The table's columns, as the participation fields are named.</summary>
    internal static IReadOnlyList<string> Columns => ParticipationCsv.Columns;

    internal static List<SourceRow> Build(TestProgramme p, int seed, int count)
    {
        var rng = new Random(seed);
        var rows = new List<SourceRow>(count);
        for (var i = 0; i < count; i++)
        {
            var r = p.Records[i % p.Records.Count];
            var row = new SourceRow(
                r.Beneficiary.Value, r.Activity.Value, r.Date.ToDateOnly(), Reference.EnumLabel(r.Role), Reference.EnumLabel(r.Sex),
                TestProgramme.AgeLabel(r.AgeBand), Reference.EnumLabel(r.Mode), r.Completed, r.School?.Value, r.PreScore, r.PostScore,
                r.Age, r.YearOfBirth, Answers(r));
            rows.Add(rng.Next(30) switch
            {
                0 => row with { Activity = "act-nope" },
                1 => row with { School = "sch-nope" },
                2 => row with { Date = new DateOnly(1999, 12, 31) },
                3 => row with { Role = "pupil" },
                4 => row with { Pre = 1.23456m },
                5 => row with { Beneficiary = "ben 1" },
                6 => row with { Date = row.Date.AddYears(-3) },
                _ => row,
            });
        }
        return rows;
    }

    /// <summary>A record's functioning answers by their interchange names, in column order, null where not given.</summary>
    private static string?[] Answers(ParticipationRecord r)
    {
        var answers = r.Functioning();
        return [.. Enum.GetValues<FunctioningDomain>().Select(d => SafetyPrograms.Tests.Aggregation.Reference.AnswerLabel(answers, d))];
    }

    internal static byte[] Csv(IEnumerable<SourceRow> rows)
    {
        var text = new StringBuilder(string.Join(',', Columns)).Append('\n');
        foreach (var r in rows)
        {
            text.AppendJoin(',', Cells(r)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>A row's cells as text, in <see cref="Columns"/> order, empty for none.</summary>
    internal static string[] Cells(SourceRow r) =>
    [
        r.Beneficiary, r.Activity, r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Role, r.Sex, r.AgeBand, r.Mode,
        r.Completed ? "true" : "false", r.School ?? "", r.Pre?.ToString(CultureInfo.InvariantCulture) ?? "",
        r.Post?.ToString(CultureInfo.InvariantCulture) ?? "", r.Age?.ToString(CultureInfo.InvariantCulture) ?? "",
        r.YearOfBirth?.ToString(CultureInfo.InvariantCulture) ?? "", .. r.Answers.Select(a => a ?? ""),
    ];

    /// <summary>
    /// The rows as an Excel sheet <c>Attendance</c> (header on row 1), each cell typed as Excel stores it: dates as day
    /// numbers formatted as dates, completed as TRUE/FALSE, scores, ages and years of birth as numbers, the rest as text.
    /// </summary>
    internal static byte[] Xlsx(IReadOnlyList<SourceRow> rows)
    {
        var book = new Spreadsheets.TestWorkbook();
        var xml = new StringBuilder("<row r=\"1\">");
        for (var c = 0; c < Columns.Count; c++)
        {
            xml.Append(book.S(Ref(c, 1), Columns[c]));
        }
        xml.Append("</row>");
        for (var n = 0; n < rows.Count; n++)
        {
            var r = rows[n];
            var at = n + 2;
            xml.Append(CultureInfo.InvariantCulture, $"<row r=\"{at}\">");
            string Number<T>(int c, T? value) where T : struct, IFormattable =>
                value is { } v ? Spreadsheets.TestWorkbook.N(Ref(c, at), v.ToString(null, CultureInfo.InvariantCulture)) : "";
            var cells = Cells(r);
            for (var c = 0; c < cells.Length; c++)
            {
                xml.Append(c switch
                {
                    2 => Spreadsheets.TestWorkbook.N(Ref(c, at), SafetyPrograms.Spreadsheets.Reading.NumberFormats.Serial(r.Date).ToString(CultureInfo.InvariantCulture), Spreadsheets.TestWorkbook.DateStyle),
                    7 => Spreadsheets.TestWorkbook.B(Ref(c, at), r.Completed),
                    9 => Number(c, r.Pre),
                    10 => Number(c, r.Post),
                    11 => Number(c, r.Age),
                    12 => Number(c, r.YearOfBirth),
                    _ => cells[c].Length == 0 ? "" : book.S(Ref(c, at), cells[c]),
                });
            }
            xml.Append("</row>");
        }
        return book.Sheet("Attendance", xml.ToString()).Build();

        static string Ref(int column, int row) => SafetyPrograms.Spreadsheets.Reading.CellReference.Of(column, row);
    }

    /// <summary>Creates table <paramref name="table"/> with the given column types and inserts the rows, in one transaction.</summary>
    internal static void Insert(DbConnection connection, string table, IReadOnlyList<SourceRow> rows, string textType, string dateType, string boolType, string numberType)
    {
        // Every participation column, by the one column list: the age and year of birth as whole numbers, the answers as text.
        string[] types =
        [
            textType, textType, dateType, textType, textType, textType, textType, boolType, textType, numberType, numberType, "integer", "integer",
            .. Enumerable.Repeat(textType, Columns.Count - ParticipationColumns.FirstFunctioning),
        ];
        using var transaction = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = $"create table {table} (id integer primary key, {string.Join(", ", Columns.Select((c, i) => $"\"{c}\" {types[i]}"))})";
            create.ExecuteNonQuery();
        }
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"insert into {table} values (@id, {string.Join(", ", Columns.Select((_, i) => $"@p{i}"))})";
        var parameters = Enumerable.Range(-1, Columns.Count + 1).Select(i =>
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = i < 0 ? "id" : $"p{i}";
            insert.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        for (var n = 0; n < rows.Count; n++)
        {
            var r = rows[n];
            object?[] values =
                [n + 1, r.Beneficiary, r.Activity, r.Date, r.Role, r.Sex, r.AgeBand, r.Mode, r.Completed, r.School, r.Pre, r.Post, r.Age, r.YearOfBirth, .. r.Answers];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>Drops table <paramref name="table"/> if it exists, then creates it holding the rows (<see cref="Insert"/>).</summary>
    internal static void Replace(DbConnection connection, string table, IReadOnlyList<SourceRow> rows, string textType, string dateType, string boolType, string numberType)
    {
        using (var drop = connection.CreateCommand())
        {
            drop.CommandText = $"drop table if exists {table}";
            drop.ExecuteNonQuery();
        }
        Insert(connection, table, rows, textType, dateType, boolType, numberType);
    }

    /// <summary>
    /// The rows through SQLite with its own types (dates as text, yes/no declared boolean and held as 0 or 1, scores as
    /// real numbers), read back with a data reader into a fresh store.
    /// </summary>
    internal static (IngestReport Report, ParticipationStore Store) ThroughSqlite(ProgrammeDataset dataset, IReadOnlyList<SourceRow> rows)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        Insert(connection, "participation", rows, "text", "text", "boolean", "real");
        using var command = connection.CreateCommand();
        command.CommandText = Select("participation");
        using var reader = command.ExecuteReader();
        var store = new ParticipationStore(dataset);
        return (store.Append(reader), store);
    }

    /// <summary>The query that reads the table back in row order, its columns named as the participation fields.</summary>
    internal static string Select(string table) => $"select {string.Join(", ", Columns.Select(c => $"\"{c}\""))} from {table} order by id";

    /// <summary>
    /// The source gave the store and report the CSV ingest gave: the same records, the same refusals for the same codes,
    /// columns and reasons, on the same rows (CSV line n is row n - 1: the header is line 1).
    /// </summary>
    internal static void AssertSameAsCsv(IngestReport csv, ParticipationStore fromCsv, IngestReport report, ParticipationStore store, long firstRow = 1)
    {
        MessyParticipation.AssertSameStore(fromCsv, store);
        Assert.Equal(csv.Read, report.Read);
        Assert.Equal(csv.Accepted, report.Accepted);
        Assert.True(report.Rejected > 0, "the rows include refused ones");
        Assert.Equal(csv.RejectedLines.Select(line => line - 2 + firstRow), report.RejectedLines);
        Assert.Equal(csv.RejectedByCode, report.RejectedByCode);
        Assert.Equal(csv.Rejects.Select(r => (r.Code, r.Path, r.Message)), report.Rejects.Select(r => (r.Code, r.Path, r.Message)));
    }
}
