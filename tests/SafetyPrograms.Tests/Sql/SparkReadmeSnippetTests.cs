using System.Text.RegularExpressions;
using SafetyPrograms.Serialization;
using SafetyPrograms.Sql;
using SafetyPrograms.Tests.Aggregation;

namespace SafetyPrograms.Tests.Sql;

/// <summary>
/// The README's PySpark snippet stays in step with the reviewed Spark golden files: it runs a query whose golden file
/// exists, built as the golden query is, and creates every table those files read, with every column they read from
/// the participations table in the Parquet layout it loads.
/// </summary>
public sealed partial class SparkReadmeSnippetTests
{
    private static readonly string Snippet = ReadSnippet();

    [Fact]
    public void Snippet_RunsAGoldenQuery_BuiltAsTheGoldenIs()
    {
        var name = SqlFile().Matches(Snippet).Select(m => m.Groups[1].Value).Single(n => n != "views");

        Assert.True(File.Exists(GoldenPath(name)), $"spark-{name}.sql is a golden file");
        var query = SparkSqlTests.GoldenQuery(name, TestProgramme.Build(seed: 940, records: 50).Store());
        var compile = Snippet[Snippet.IndexOf($"\"{name}.sql\"", StringComparison.Ordinal)..];
        Assert.Contains($".GroupBy({string.Join(", ", query.Terms.Select(t => $"Dimension.{t.Dimension}"))})", compile, StringComparison.Ordinal);
        Assert.Contains($".Measure({string.Join(", ", query.Measures.Select(m => $"Measure.{m}"))})", compile, StringComparison.Ordinal);
        Assert.Equal(query.IsRollup, compile.Contains(".Rollup()", StringComparison.Ordinal));
        Assert.Contains("SqlDialect.Spark));", compile, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SparkSqlTests.Golden), MemberType = typeof(SparkSqlTests))]
    public void Snippet_CreatesEveryTableTheGoldenReads(string name)
    {
        var dataset = TestProgramme.Build(seed: 940, records: 50).Dataset;
        var created = CreatedView().Matches(Snippet).Select(m => m.Groups[1].Value)
            .Concat(AggregationSql.DatasetViews(dataset, SqlDialect.Spark).Select(v => SparkView().Match(v).Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        var read = TableRead().Matches(File.ReadAllText(GoldenPath(name))).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        // The dataset views come from the file the snippet runs line by line, written with the Spark dialect.
        Assert.Contains("AggregationSql.DatasetViews(dataset, SqlDialect.Spark)", Snippet, StringComparison.Ordinal);
        Assert.Contains("open(\"views.sql\").read().splitlines()", Snippet, StringComparison.Ordinal);
        Assert.All(AggregationSql.DatasetViews(dataset, SqlDialect.Spark), v => Assert.DoesNotContain('\n', v));
        Assert.Contains("participations", read);
        Assert.Subset(created, read);
    }

    [Theory]
    [MemberData(nameof(SparkSqlTests.Golden), MemberType = typeof(SparkSqlTests))]
    public void Snippet_LoadsTheParquetLayout_WithEveryColumnTheGoldenReads(string name)
    {
        var columns = ParticipationColumn().Matches(File.ReadAllText(GoldenPath(name)))
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("ParticipationParquet.Write(file, records)", Snippet, StringComparison.Ordinal);
        Assert.Contains("spark.read.parquet(\"participations.parquet\").createOrReplaceTempView(\"participations\")", Snippet, StringComparison.Ordinal);
        Assert.NotEmpty(columns);
        Assert.Subset(ParticipationColumns.Names.ToHashSet(StringComparer.Ordinal), columns);
    }

    private static string GoldenPath(string name) =>
        Path.Combine(RepositoryPaths.Root, "tests", "SafetyPrograms.Tests", "Sql", "Golden", $"spark-{name}.sql");

    /// <summary>The python block of README's "Scaling out".</summary>
    private static string ReadSnippet()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("\n## Scaling out", StringComparison.Ordinal)..];
        var block = Regex.Match(section, "```python\n(.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "README's Scaling out has a PySpark snippet");
        return block.Groups[1].Value;
    }

    [GeneratedRegex("open\\(\"([a-z-]+)\\.sql\"\\)")]
    private static partial Regex SqlFile();

    [GeneratedRegex("createOrReplaceTempView\\(\"([A-Za-z_]+)\"\\)")]
    private static partial Regex CreatedView();

    [GeneratedRegex("^CREATE OR REPLACE TEMPORARY VIEW `([A-Za-z_]+)`")]
    private static partial Regex SparkView();

    [GeneratedRegex("(?:FROM|JOIN) `([A-Za-z_]+)`")]
    private static partial Regex TableRead();

    /// <summary>A column of the participations table: through its alias, or an answer column the persons' summary reads.</summary>
    [GeneratedRegex("\\bp\\.`([A-Za-z]+)`|CASE `([A-Za-z]+)` WHEN")]
    private static partial Regex ParticipationColumn();
}
