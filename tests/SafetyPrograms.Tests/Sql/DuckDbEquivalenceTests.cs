using System.Globalization;
using DuckDB.NET.Data;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Sql;
using SafetyPrograms.Tests.Aggregation;

namespace SafetyPrograms.Tests.Sql;

/// <summary>
/// The seeded random query suite compiled to SQL and run by DuckDB over the same records (loaded from the participation
/// CSV we write, with the dataset views the compiler writes): every row and figure equals the engine's, but
/// approximate unique, which is DuckDB's own sketch.
/// </summary>
public sealed class DuckDbEquivalenceTests
{
    /// <summary>DuckDB's approx_count_distinct is its own sketch: the bound on its mean relative error against the exact count.</summary>
    private const double SketchMeanError = 0.10;

    /// <summary>An in-memory DuckDB with the participations table and the dataset views.</summary>
    internal static DuckDBConnection Load(TestProgramme p, IEnumerable<ParticipationRecord> records)
    {
        var csv = Path.Combine(Path.GetTempPath(), $"sp-duckdb-{Guid.NewGuid():N}.csv");
        try
        {
            using (var file = File.Create(csv))
            {
                ParticipationCsv.Write(file, records);
            }
            var connection = new DuckDBConnection("DataSource=:memory:");
            connection.Open();
            // The documented columns, typed, whatever other columns the CSV carries.
            Execute(connection, $"""
                CREATE TABLE participations AS
                SELECT beneficiary, activity, school, CAST(date AS DATE) AS date, role, sex, ageBand, mode,
                  CAST(age AS INTEGER) AS age, CAST(yearOfBirth AS INTEGER) AS yearOfBirth, CAST(completed AS BOOLEAN) AS completed, CAST(preScore AS DECIMAL(18,4)) AS preScore, CAST(postScore AS DECIMAL(18,4)) AS postScore,
                  {string.Join(", ", ParticipationCsv.Columns.Skip(ParticipationColumns.FirstFunctioning))}
                FROM read_csv('{csv.Replace("'", "''", StringComparison.Ordinal)}', header = true, all_varchar = true)
                """);
            foreach (var view in AggregationSql.DatasetViews(p.Dataset, SqlDialect.DuckDb))
            {
                Execute(connection, view);
            }
            return connection;
        }
        finally
        {
            File.Delete(csv);
        }
    }

    internal static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The statement's rows in the shape of <see cref="Reference.Rows"/>: a rolled-up term (NULL) is "*", NULL figures NaN.</summary>
    internal static Dictionary<string, double[]> Rows(DuckDBConnection connection, string sql, int terms, int measures)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, double[]>();
        while (reader.Read())
        {
            var key = string.Join('|', Enumerable.Range(0, terms).Select(t => reader.IsDBNull(t) ? Reference.RolledUp : reader.GetString(t)));
            var values = Enumerable.Range(terms + 1, measures)
                .Select(i => reader.IsDBNull(i) ? double.NaN : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture))
                .ToArray();
            Assert.True(rows.TryAdd(key, values), $"the row {key} appears twice");
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(RandomQueryEquivalenceTests.Stores), MemberType = typeof(RandomQueryEquivalenceTests))]
    public void Compile_RandomQueries_DuckDbEqualsTheEngine(int store)
    {
        var p = RandomQueryEquivalenceTests.Programme(store);
        var s = p.Store();
        using var duck = Load(p, p.Records);
        // The suite's own seeds: the same queries the engine is checked with against the LINQ reference.
        var rng = new Random(7919 * store);
        var sketch = new List<(double Exact, double Approx)>();
        var compiled = 0;
        for (var q = 0; q < 60; q++)
        {
            var shape = QueryShape.Draw(rng, p);
            compiled++;
            var query = shape.ToQuery(s);
            var sql = AggregationSql.Compile(query, SqlDialect.DuckDb);
            var measures = shape.EffectiveMeasures;
            var engine = Reference.Rows(query.Run());
            var duckRows = Rows(duck, sql, shape.Terms.Length, measures.Count);
            var context = $"store {store}, query {q}: {shape}\n{sql}";

            var approx = measures.ToList().IndexOf(Measure.ApproximateUniqueBeneficiaries);
            if (approx >= 0)
            {
                var exact = Reference.Rows((shape with { Measures = [Measure.UniqueBeneficiaries] }).ToQuery(s).Run());
                foreach (var (key, values) in duckRows)
                {
                    var truth = exact[key][0];
                    sketch.Add((truth, values[approx]));
                    values[approx] = engine.TryGetValue(key, out var e) ? e[approx] : double.NaN;
                }
            }
            Reference.AssertSame(engine, duckRows, QueryShape.ExactEnough, context);
        }
        Assert.Equal(60, compiled);
        // DuckDB's sketch is much coarser than ours (on these suites its mean relative error is 3% to 9% by group
        // size, ours 0.81%): each group within half its size (or 3), and on average within a tenth for groups of 10 or more.
        Assert.All(sketch, x => Assert.True(Math.Abs(x.Approx - x.Exact) <= Math.Max(3, 0.5 * x.Exact), $"approximate {x.Approx}, exact {x.Exact}"));
        var sizable = sketch.Where(x => x.Exact >= 10).ToList();
        Assert.True(sizable.Count > 50, "premise: the suite asks approximate unique of sizable groups");
        Assert.True(sizable.Average(x => Math.Abs(x.Approx - x.Exact) / x.Exact) < SketchMeanError, "DuckDB's approximate unique strays further than its sketch should");
    }

    [Fact]
    public void Compile_HostileTermNames_StayLiterals()
    {
        // School-term names are free text: a name that closes the literal and appends a statement must come back as
        // the label, with the table intact.
        var p = TestProgramme.Build(seed: 930, records: 400);
        string[] hostile = ["T1'); DROP TABLE participations; --", "T2 \\' OR 1=1 --", "T3 \" ` ''"];
        var terms = TimeBucket.SchoolTerms(hostile.Select((name, i) =>
            new SchoolTerm(name, new DateInterval(new LocalDate(2023 + i, 1, 1), new LocalDate(2023 + i, 12, 31)))));
        using var duck = Load(p, p.Records);
        var query = p.Store().Query().GroupBy(terms).Measure(Measure.Participations);

        var rows = Rows(duck, AggregationSql.Compile(query, SqlDialect.DuckDb), 1, 1);

        Reference.AssertSame(Reference.Rows(query.Run()), rows, tolerance: 0);
        Assert.Contains(hostile[0], rows.Keys);
        Assert.Equal(p.Records.Count, (int)Rows(duck, "SELECT 'all', 0, COUNT(*) FROM participations", 1, 1)["all"][0]);
    }

    [Fact]
    public void Compile_AgeBand_FromTheAgeInYearsElseTheBandRecorded()
    {
        var p = TestProgramme.Build(seed: 932, records: 800);
        // Premise: records whose age in years falls outside the band recorded, and records known only by a band.
        Assert.Contains(p.Records, r => Reference.AgeOf(r) is { } age && AgeBands.Of(age) != r.AgeBand);
        Assert.Contains(p.Records, r => Reference.AgeOf(r) is null);
        using var duck = Load(p, p.Records);
        var grouped = p.Store().Query().GroupBy(Dimension.AgeBand, Dimension.Sex)
            .Measure(Measure.Participations, Measure.UniqueBeneficiaries).Rollup();
        var filtered = p.Store().Query().GroupBy(Dimension.Sex).Measure(Measure.Participations)
            .Where(Dimension.AgeBand, AgeBand.Age5To9, AgeBand.Age10To14, AgeBand.Age18Plus);

        Reference.AssertSame(Reference.Rows(grouped.Run()), Rows(duck, AggregationSql.Compile(grouped, SqlDialect.DuckDb), 2, 2), tolerance: 0);
        Reference.AssertSame(Reference.Rows(filtered.Run()), Rows(duck, AggregationSql.Compile(filtered, SqlDialect.DuckDb), 1, 1), tolerance: 0);
    }

    [Fact]
    public void Compile_AgeInEveryScheme_AndDisabilityUnderEveryCutoff_EqualTheEngine()
    {
        var p = TestProgramme.Build(seed: 933, records: 1500, beneficiaries: 300);
        var people = p.Store();
        // Premise: ages in years, years of birth, bands alone, answered and unanswered people, both question sets.
        Assert.Contains(p.Records, r => r.Age is not null);
        Assert.Contains(p.Records, r => r.Age is null && r.YearOfBirth is not null);
        Assert.Contains(p.Records, r => Reference.AgeOf(r) is null);
        Assert.Contains(p.Records, r => r.Learning is not null);
        Assert.Contains(p.Records, r => r.Seeing is null);
        using var duck = Load(p, p.Records);
        foreach (var scheme in QueryShape.Schemes)
        {
            foreach (var cutoff in QueryShape.Cutoffs)
            {
                var grouped = people.Query().AgeScheme(scheme).DisabilityCutoff(cutoff).GroupBy(Dimension.Age, Dimension.Disability, Dimension.Sex)
                    .Measure(Measure.Participations, Measure.UniqueBeneficiaries, Measure.Completions).Rollup();
                var status = people.Query().DisabilityCutoff(cutoff).GroupBy(Dimension.Disability).Measure(Measure.UniqueBeneficiaries);
                var filtered = people.Query().AgeScheme(scheme).DisabilityCutoff(cutoff).GroupBy(Dimension.Role).Measure(Measure.UniqueBeneficiaries)
                    .Where(Dimension.Age, scheme.Bands[1].Label, AggregationQuery.NotComparable)
                    .Where(Dimension.Disability, DisabilityStatus.Disability, DisabilityStatus.NotRecorded);
                var context = $"{scheme.Code}, {cutoff.Code}";

                Reference.AssertSame(Reference.Rows(grouped.Run()), Rows(duck, AggregationSql.Compile(grouped, SqlDialect.DuckDb), 3, 3), 0, context);
                Reference.AssertSame(Reference.Rows(status.Run()), Rows(duck, AggregationSql.Compile(status, SqlDialect.DuckDb), 1, 1), 0, context);
                Reference.AssertSame(Reference.Rows(filtered.Run()), Rows(duck, AggregationSql.Compile(filtered, SqlDialect.DuckDb), 1, 1), 0, context);
                // Premise: every status occurs, so the cut-off decides something.
                Assert.Equal(3, status.Run().Rows.Count);
            }
        }
    }

    [Fact]
    public void Compile_FilterKeepingNothing_NoRows()
    {
        var p = TestProgramme.Build(seed: 931, records: 300);
        using var duck = Load(p, p.Records);
        var query = p.Store().Query().GroupBy(Dimension.Role).Measure(Measure.UniqueBeneficiaries).Rollup()
            .Where(Dimension.Role, BeneficiaryRole.Teacher).Where(Dimension.Role, BeneficiaryRole.Student);

        Assert.Empty(Rows(duck, AggregationSql.Compile(query, SqlDialect.DuckDb), 1, 1));
        Assert.Empty(query.Run().Rows);
    }
}
