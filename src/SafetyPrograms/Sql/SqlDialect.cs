namespace SafetyPrograms.Sql;

/// <summary>The SQL engines <see cref="AggregationSql"/> writes for.</summary>
public enum SqlDialect
{
    /// <summary>DuckDB (1.x): double-quoted identifiers, standard string literals; approximate unique by <c>approx_count_distinct</c>.</summary>
    DuckDb,

    /// <summary>Spark SQL (3.x): back-quoted identifiers, string literals with backslash escapes; approximate unique by <c>approx_count_distinct</c>.</summary>
    Spark,
}
