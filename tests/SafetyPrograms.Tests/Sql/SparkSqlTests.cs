using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Sql;
using SafetyPrograms.Tests.Aggregation;

namespace SafetyPrograms.Tests.Sql;

/// <summary>
/// Spark SQL is not run here: its text is checked against reviewed golden files (set SP_UPDATE_GOLDEN=1 to rewrite
/// them after an intended change, and review the diff), and its quoting against hostile values.
/// </summary>
public sealed class SparkSqlTests
{
    /// <summary>The golden queries: the geographic rollup (Q5) and one with every kind of term, filter and measure.</summary>
    public static TheoryData<string> Golden => ["geographic-rollup", "every-term-and-measure", "age-and-disability"];

    internal static AggregationQuery GoldenQuery(string name, ParticipationStore store) => name switch
    {
        "geographic-rollup" => store.Query()
            .GroupBy(Dimension.Country, Dimension.Province, Dimension.District, Dimension.School)
            .Measure(Measure.UniqueBeneficiaries, Measure.ApproximateUniqueBeneficiaries)
            .Rollup(),
        "age-and-disability" => store.Query()
            .AgeScheme(AgeBandScheme.UnChildAdults)
            .DisabilityCutoff(new DisabilityCutoff(FunctioningAnswer.SomeDifficulty))
            .GroupBy(Dimension.Age, Dimension.Disability, Dimension.AgeBand)
            .Measure(Measure.UniqueBeneficiaries)
            .Where(Dimension.Age, "5-9", "10-14", AggregationQuery.NotComparable)
            .Rollup(),
        _ => store.Query()
            .GroupBy(Dimension.Province, QueryShape.SchoolTerms, TimeBucket.IsoWeek, TimeBucket.FiscalYear(7), TimeBucket.FiscalYear(1), Dimension.Role)
            .Measure(Enum.GetValues<Measure>())
            .Where(Dimension.Role, BeneficiaryRole.Teacher, BeneficiaryRole.Parent)
            .Where(Dimension.Organisation, "org-ngo", string.Empty)
            .Between(new LocalDate(2023, 3, 1), new LocalDate(2024, 8, 31))
            .Rollup(),
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void Compile_Spark_MatchesGoldenText(string name)
    {
        var p = TestProgramme.Build(seed: 940, records: 200);
        var sql = AggregationSql.Compile(GoldenQuery(name, p.Store()), SqlDialect.Spark) + "\n";
        var path = Path.Combine(RepositoryPaths.Root, "tests", "SafetyPrograms.Tests", "Sql", "Golden", $"spark-{name}.sql");
        if (Environment.GetEnvironmentVariable("SP_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, sql);
        }
        Assert.Equal(File.ReadAllText(path), sql);
    }

    [Theory]
    [InlineData("plain", "'plain'", "'plain'")]
    [InlineData("it's", "'it''s'", "'it\\'s'")]
    [InlineData("a\\'; DROP TABLE participations; --", "'a\\''; DROP TABLE participations; --'", "'a\\\\\\'; DROP TABLE participations; --'")]
    [InlineData("\\", "'\\'", "'\\\\'")]
    public void Text_HostileValues_StayOneLiteral(string value, string duckDb, string spark)
    {
        Assert.Equal(duckDb, SqlSyntax.For(SqlDialect.DuckDb).Text(value));
        Assert.Equal(spark, SqlSyntax.For(SqlDialect.Spark).Text(value));
    }

    [Theory]
    [InlineData("level", "\"level\"", "`level`")]
    [InlineData("fiscalYear:7", "\"fiscalYear:7\"", "`fiscalYear:7`")]
    [InlineData("a\"b`c", "\"a\"\"b`c\"", "`a\"b``c`")]
    public void Identifier_AnyName_StaysOneIdentifier(string name, string duckDb, string spark)
    {
        Assert.Equal(duckDb, SqlSyntax.For(SqlDialect.DuckDb).Identifier(name));
        Assert.Equal(spark, SqlSyntax.For(SqlDialect.Spark).Identifier(name));
    }

    [Fact]
    public void Compile_EveryDimensionAndMeasure_HasAnSqlForm()
    {
        // A dimension added to the engine has no SQL source until it has its entry in the compiler: this test then fails,
        // and a query using it is refused by name rather than compiled with another meaning.
        var p = TestProgramme.Build(seed: 941, records: 50);
        var dimensions = Enum.GetValues<Dimension>();
        Assert.All(dimensions, d => Assert.True(AggregationSql.Supports(d), d.Name()));
        foreach (var dialect in Enum.GetValues<SqlDialect>())
        {
            var query = p.Store().Query().GroupBy([.. dimensions.Select(d => (GroupingTerm)d)]).Measure(Enum.GetValues<Measure>());
            var sql = AggregationSql.Compile(query, dialect);
            Assert.All(Enum.GetValues<Measure>(), m => Assert.Contains(SqlSyntax.For(dialect).Identifier(m.Name()), sql, StringComparison.Ordinal));
            Assert.All(dimensions, d => Assert.Contains(SqlSyntax.For(dialect).Identifier(d.Name()), sql, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void DatasetViews_OneViewPerTable_InBothDialects()
    {
        var p = TestProgramme.Build(seed: 942, records: 10);
        var duck = AggregationSql.DatasetViews(p.Dataset, SqlDialect.DuckDb);
        var spark = AggregationSql.DatasetViews(p.Dataset, SqlDialect.Spark);
        Assert.Equal(3, duck.Count);
        Assert.StartsWith("CREATE OR REPLACE TEMP VIEW \"activities\" AS SELECT * FROM (VALUES (", duck[0], StringComparison.Ordinal);
        Assert.StartsWith("CREATE OR REPLACE TEMPORARY VIEW `activities` AS SELECT * FROM VALUES (", spark[0], StringComparison.Ordinal);
        Assert.EndsWith("AS `t`(`id`, `country`, `province`, `district`)", spark[2], StringComparison.Ordinal);
    }
}
