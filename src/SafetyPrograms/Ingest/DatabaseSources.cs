using System.Data.Common;
using System.Globalization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Ingest;

/// <summary>
/// Participation rows from an open ADO.NET data reader (any provider: PostgreSQL, SQL Server, SQLite, …): its result
/// columns are mapped by name onto the participation fields, and each value is handed over by its type (a date, text,
/// a number, a yes/no), as <see cref="ParticipationRowWriter"/> describes.
/// </summary>
/// <remarks>
/// Row numbers count the result's rows from 1, and a row reads <c>row 12</c> in the report. A column declared
/// <c>boolean</c>, <c>bool</c> or <c>bit</c> is read as yes/no even where the provider holds it as a number (SQLite); a
/// binary value refuses its row. The reader is read once, from where it stands, and is not closed.
/// </remarks>
/// <param name="reader">The open reader, before its first row.</param>
/// <param name="name">What the report calls the source; never put a connection string here.</param>
public sealed class DataReaderSource(DbDataReader reader, string? name = null) : ParticipationSource(name)
{
    private readonly DbDataReader _reader = Preconditions.CheckNotNull(reader);

    /// <summary>Where a row is: its position in the result, as a database client shows it.</summary>
    /// <param name="rowNumber">The row's 1-based position in the result.</param>
    /// <returns>Such as <c>row 12 of the query result</c>.</returns>
    public override string Locate(long rowNumber) => ResultRows.Locate(rowNumber);

    /// <inheritdoc/>
    protected internal override void ReadRows(ParticipationRowWriter rows, CancellationToken cancellationToken)
    {
        Preconditions.CheckNotNull(rows);
        var count = _reader.FieldCount;
        var names = new string[count];
        var boolean = new bool[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = _reader.GetName(i);
            boolean[i] = _reader.GetDataTypeName(i).ToUpperInvariant() is "BOOLEAN" or "BOOL" or "BIT";
        }
        rows.SetColumns(names);
        for (var row = 1L; _reader.Read(); row++)
        {
            rows.BeginRow(row);
            for (var i = 0; i < count; i++)
            {
                if (!_reader.IsDBNull(i))
                {
                    Set(rows, i, boolean[i] ? _reader.GetBoolean(i) : _reader.GetValue(i), names[i]);
                }
            }
            if (!rows.EndRow())
            {
                return;
            }
        }
    }

    /// <summary>Hands a value over by its type.</summary>
    private static void Set(ParticipationRowWriter rows, int column, object value, string name)
    {
        switch (value)
        {
            case string text: rows.Set(column, text); break;
            case DateOnly date: rows.Set(column, date); break;
            case DateTime dateTime: rows.Set(column, dateTime); break;
            case DateTimeOffset offset when offset.Offset == TimeSpan.Zero: rows.Set(column, offset.UtcDateTime); break;
            case decimal number: rows.Set(column, number); break;
            case double number: rows.Set(column, number); break;
            case float number: rows.Set(column, (decimal)number); break;
            case long or int or short or sbyte or byte or ushort or uint: rows.Set(column, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case bool yes: rows.Set(column, yes); break;
            case byte[]: rows.RefuseRow($"The column '{name}' holds binary data, not a participation value.", name); break;
            default: rows.Set(column, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}

/// <summary>
/// Participation rows from a query over a database connection of any ADO.NET provider: the source opens the connection
/// (when it is closed), runs the query and reads its result as <see cref="DataReaderSource"/> does.
/// </summary>
/// <remarks>
/// <para>The report names the source by the connection's data source (its host) and database, never by its
/// connection string. When the connection is refused, <see cref="ParticipationSourceException"/> says so naming the
/// host and the database; the password never appears in a message, even where a provider would quote it.</para>
/// <para>When the query fails part way, the append keeps none of its rows (the store is as it was) and the exception's
/// <see cref="ParticipationSourceException.ReadSoFar"/> says what had been read.</para>
/// <para>The connection is closed afterwards if the source opened it; it is never disposed. Read once.</para>
/// </remarks>
public sealed class DatabaseQuerySource : ParticipationSource
{
    private readonly DbConnection _connection;
    private readonly string _query;
    private readonly string? _password;

    /// <summary>Creates the source.</summary>
    /// <param name="connection">The connection, open or closed.</param>
    /// <param name="query">The query whose result holds the participation columns (renamed with <c>AS</c>, or mapped with
    /// <see cref="ParticipationSourceOptions.Columns"/>).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="query"/> is blank.</exception>
    public DatabaseQuerySource(DbConnection connection, string query)
        : base(Describe(Preconditions.CheckNotNull(connection)))
    {
        Preconditions.CheckNotNull(query);
        Preconditions.CheckArgument(!string.IsNullOrWhiteSpace(query), nameof(query), "The query is blank.");
        _connection = connection;
        _query = query;
        _password = PasswordOf(connection.ConnectionString);
    }

    /// <summary>How long the query may run before the provider gives up; <c>null</c> for the provider's default.</summary>
    public TimeSpan? CommandTimeout { get; init; }

    /// <summary>Where a row is: its position in the query's result, as a database client shows it.</summary>
    /// <param name="rowNumber">The row's 1-based position in the result.</param>
    /// <returns>Such as <c>row 12 of the query result</c>.</returns>
    public override string Locate(long rowNumber) => ResultRows.Locate(rowNumber);

    /// <inheritdoc/>
    protected internal override void ReadRows(ParticipationRowWriter rows, CancellationToken cancellationToken)
    {
        var opened = false;
        try
        {
            if (_connection.State != System.Data.ConnectionState.Open)
            {
                Open(cancellationToken);
                opened = true;
            }
            using var command = _connection.CreateCommand();
            command.CommandText = _query;
            if (CommandTimeout is { } timeout)
            {
                command.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds);
            }
            using var registration = cancellationToken.Register(command.Cancel);
            using var reader = command.ExecuteReader();
            new DataReaderSource(reader, Name).ReadRows(rows, cancellationToken);
        }
        finally
        {
            if (opened)
            {
                _connection.Close();
            }
        }
    }

    private void Open(CancellationToken cancellationToken)
    {
        try
        {
            _connection.OpenAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or System.Net.Sockets.SocketException or TimeoutException or IOException)
        {
            throw new ParticipationSourceException(
                $"Could not connect to the database '{_connection.Database}' on '{_connection.DataSource}': {Withhold(ex.GetBaseException().Message)}",
                ex);
        }
    }

    /// <summary>A provider's message with the password taken out, should the provider have quoted it.</summary>
    private string Withhold(string message) =>
        string.IsNullOrEmpty(_password) ? message : message.Replace(_password, "(password withheld)", StringComparison.Ordinal);

    private static string? PasswordOf(string? connectionString)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return null; // not in the common key=value form: the provider will say so when it opens
        }
        foreach (var key in new[] { "Password", "Pwd" })
        {
            if (builder.TryGetValue(key, out var value) && value is string { Length: > 0 } password)
            {
                return password;
            }
        }
        return null;
    }

    /// <summary>The source's name: the connection's data source and database, which hold no password.</summary>
    private static string Describe(DbConnection connection) => $"database '{connection.Database}' on '{connection.DataSource}'";
}

/// <summary>How the database sources name a row: a table has no lines or cells to point at, so its place in the result.</summary>
internal static class ResultRows
{
    internal static string Locate(long row) => $"row {row.ToString(System.Globalization.CultureInfo.InvariantCulture)} of the query result";
}
