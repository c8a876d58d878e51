using System.Globalization;
using System.Text;
using NodaTime;

namespace SafetyPrograms.Sql;

/// <summary>
/// What differs between dialects: quoting, type names, the few functions without a common spelling. Everything a query
/// names or compares passes through <see cref="Identifier"/> or <see cref="Text"/>, so no value from a dataset, a term
/// calendar or a filter is ever read as SQL.
/// </summary>
internal abstract class SqlSyntax
{
    internal static SqlSyntax For(SqlDialect dialect) => dialect switch
    {
        SqlDialect.DuckDb => DuckDbSyntax.Instance,
        SqlDialect.Spark => SparkSyntax.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "Undefined SQL dialect."),
    };

    /// <summary>The type of text columns.</summary>
    internal abstract string TextType { get; }

    /// <summary>The statement that names a query as a view for the session.</summary>
    internal abstract string CreateView { get; }

    /// <summary>The character that quotes an identifier; doubled inside one.</summary>
    private protected abstract char IdentifierQuote { get; }

    /// <summary>Whether a string literal reads backslash escapes, so that a backslash is doubled and a quote escaped with one.</summary>
    private protected abstract bool TextReadsBackslashes { get; }

    /// <summary>A quoted identifier: any name, even one holding quotes, stays one identifier.</summary>
    internal string Identifier(string name) => Quoted(name, IdentifierQuote, backslashes: false);

    /// <summary>A string literal holding exactly <paramref name="value"/>.</summary>
    internal string Text(string value) => Quoted(value, '\'', TextReadsBackslashes);

    /// <summary>The engine's own sketch of distinct values: approximate.</summary>
    internal abstract string ApproximateDistinct(string expression);

    /// <summary>The ISO week-numbering year of a date.</summary>
    internal abstract string IsoYear(string date);

    /// <summary>A date as the number of days since 1970-01-01, for ordering records by date in one integer.</summary>
    internal abstract string DayNumber(string date);

    /// <summary>An inline table of rows (already literals), named with its columns, for a FROM clause; text columns when there are no rows.</summary>
    internal string Values(IReadOnlyList<string[]> rows, string alias, IReadOnlyList<string> columns) => rows.Count == 0
        ? $"(SELECT {string.Join(", ", columns.Select(c => $"CAST(NULL AS {TextType}) AS {Identifier(c)}"))} WHERE 1 = 0) AS {Identifier(alias)}"
        : InlineTable(string.Join(", ", rows.Select(Tuple)), alias, columns);

    private protected abstract string InlineTable(string rows, string alias, IReadOnlyList<string> columns);

    /// <summary>A date literal.</summary>
    internal string Date(LocalDate date) => "DATE " + Text(date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>A text literal or NULL (typed, so that a column of NULLs still has the text type).</summary>
    internal string TextOrNull(string? value) => value is null ? $"CAST(NULL AS {TextType})" : Text(value);

    /// <summary>An integer expression as text, padded with zeros on the left to <paramref name="width"/> digits.</summary>
    internal string Padded(string integer, int width) =>
        string.Create(CultureInfo.InvariantCulture, $"lpad(CAST({integer} AS {TextType}), {width}, '0')");

    /// <summary>The one quoting rule: <paramref name="value"/> between quotes, its quotes doubled, or escaped with a backslash (and backslashes doubled) where the dialect reads them.</summary>
    private static string Quoted(string value, char quote, bool backslashes)
    {
        var text = new StringBuilder(value.Length + 2).Append(quote);
        foreach (var c in value)
        {
            if (c == quote)
            {
                text.Append(backslashes ? '\\' : quote);
            }
            else if (backslashes && c == '\\')
            {
                text.Append('\\');
            }
            text.Append(c);
        }
        return text.Append(quote).ToString();
    }

    private protected static string Tuple(IEnumerable<string> items) => "(" + string.Join(", ", items) + ")";

    private sealed class DuckDbSyntax : SqlSyntax
    {
        internal static readonly DuckDbSyntax Instance = new();

        internal override string TextType => "VARCHAR";

        internal override string CreateView => "CREATE OR REPLACE TEMP VIEW";

        // Standard SQL: a doubled quote is a quote; a backslash is an ordinary character.
        private protected override char IdentifierQuote => '"';

        private protected override bool TextReadsBackslashes => false;

        internal override string IsoYear(string date) => $"isoyear({date})";

        internal override string DayNumber(string date) => $"date_diff('day', DATE '1970-01-01', {date})";

        // DuckDB's sketch takes no precision.
        internal override string ApproximateDistinct(string expression) => $"approx_count_distinct({expression})";

        private protected override string InlineTable(string rows, string alias, IReadOnlyList<string> columns) =>
            $"(VALUES {rows}) AS {Identifier(alias)}{Tuple(columns.Select(Identifier))}";
    }

    private sealed class SparkSyntax : SqlSyntax
    {
        internal static readonly SparkSyntax Instance = new();

        internal override string TextType => "STRING";

        internal override string CreateView => "CREATE OR REPLACE TEMPORARY VIEW";

        // Spark doubles a back quote inside an identifier.
        private protected override char IdentifierQuote => '`';

        // Spark reads backslash escapes in literals and joins adjacent literals ('a''b' is 'ab'), so a quote is
        // escaped with a backslash and a backslash doubled.
        private protected override bool TextReadsBackslashes => true;

        // The year of the Thursday of the date's ISO week (dayofweek: Sunday 1 to Saturday 7).
        internal override string IsoYear(string date) => $"year(date_add({date}, 3 - ((dayofweek({date}) + 5) % 7)))";

        internal override string DayNumber(string date) => $"datediff({date}, DATE '1970-01-01')";

        // A relative standard deviation of 0.01 makes Spark's HyperLogLog++ use 2^14 registers, as our sketch does.
        internal override string ApproximateDistinct(string expression) => $"approx_count_distinct({expression}, 0.01)";

        private protected override string InlineTable(string rows, string alias, IReadOnlyList<string> columns) =>
            $"VALUES {rows} AS {Identifier(alias)}{Tuple(columns.Select(Identifier))}";
    }
}
