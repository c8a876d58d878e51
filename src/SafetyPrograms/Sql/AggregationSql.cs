using System.Globalization;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Indexing;
using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Sql;

/// <summary>
/// Compiles an <see cref="AggregationQuery"/> to one SQL statement for DuckDB or Spark SQL, with the engine's meaning:
/// the same groups and labels, unique people recounted at every rollup level (<c>GROUPING SETS</c>, never a sum of
/// subtotals), fiscal years from any month, ISO weeks, school terms through a calendar table, and every measure.
/// </summary>
/// <remarks>
/// <para>The tables it reads (names as <see cref="ParticipationsTable"/> and the others):</para>
/// <list type="bullet">
/// <item><c>participations</c>: one row per participation record, with the participation fields' names: <c>beneficiary</c>,
/// <c>activity</c>, <c>school</c> (text, the record's own school or NULL), <c>date</c> (DATE), <c>role</c>, <c>sex</c>,
/// <c>ageBand</c>, <c>mode</c> (text, the interchange names such as <c>teacher</c> and <c>10-14</c>), <c>age</c> and
/// <c>yearOfBirth</c> (INTEGER, NULL when absent: the age band is derived from them where a record has one), <c>completed</c>
/// (BOOLEAN), <c>preScore</c>, <c>postScore</c> (DECIMAL(18,4) or DOUBLE, NULL when absent): the participation CSV's
/// header and values, or the Parquet columns of the same names.</item>
/// <item><c>activities</c> (<c>id</c>, <c>phase</c>, <c>kind</c>, <c>organisation</c>, <c>school</c>), <c>phases</c> (<c>id</c>,
/// <c>partnership</c>) and <c>schools</c> (<c>id</c>, <c>country</c>, <c>province</c>, <c>district</c> labelled
/// <c>PK-PB/Lahore</c>), all text: <see cref="DatasetViews"/> writes them from the dataset as views.</item>
/// <item>School-term calendars travel inside the statement, one inline table per school-terms grouping
/// (<c>term</c>, <c>firstDay</c>, <c>lastDay</c>), joined on the date; a date outside every term is <c>outsideTerms</c>.</item>
/// </list>
/// <para>The result has one column per grouping term (named by the term; a repeated name gets <c>_2</c>, <c>_3</c>), then
/// <c>level</c> (0 for the finest groups, up to the number of terms for the grand total; a rolled-up term is NULL, and
/// "none" is the empty string as in the engine), then one column per measure named by the measure
/// (<see cref="Measures.Name"/>). <c>approxUnique</c> is each engine's own sketch (<c>approx_count_distinct</c>; in
/// Spark with a relative standard deviation of 0.01, 2^14 registers like ours; DuckDB's takes no precision and is
/// coarser), not our HyperLogLog: approximate, and its figures differ from the engine's estimate. An undefined mean or rate is NULL.</para>
/// <para>Every identifier is quoted and every value (filter labels, term names, dataset identifiers) is a literal
/// escaped for the dialect, so no value can change the statement.</para>
/// </remarks>
public static class AggregationSql
{
    /// <summary>The participation records' table.</summary>
    public const string ParticipationsTable = "participations";

    /// <summary>The dataset's activities: <c>id</c>, <c>phase</c>, <c>kind</c>, <c>organisation</c>, <c>school</c>.</summary>
    public const string ActivitiesTable = "activities";

    /// <summary>The dataset's phases: <c>id</c>, <c>partnership</c>.</summary>
    public const string PhasesTable = "phases";

    /// <summary>The dataset's schools: <c>id</c>, <c>country</c>, <c>province</c>, <c>district</c>.</summary>
    public const string SchoolsTable = "schools";

    /// <summary>The column of the result that holds the rollup level.</summary>
    public const string LevelColumn = "level";

    /// <summary>The label of a date outside every school term, as the engine gives it.</summary>
    private const string Outside = TimeBucket.OutsideTermsLabel;

    /// <summary>
    /// Where each dimension's value comes from: the table alias (p participations, a activities, ph phases, s schools)
    /// and column. A dimension added to the engine is one entry here (and, for a record field, a column of the table).
    /// </summary>
    private static readonly Dictionary<Dimension, (string Table, string Column)> DimensionSources = new()
    {
        [Dimension.Partnership] = ("ph", "partnership"),
        [Dimension.Phase] = ("a", "phase"),
        [Dimension.Organisation] = ("a", "organisation"),
        [Dimension.Country] = ("s", "country"),
        [Dimension.Province] = ("s", "province"),
        [Dimension.District] = ("s", "district"),
        // The effective school (the record's own, else the activity's) is a column of every query: the schools measure reads it.
        [Dimension.School] = ("p", "school"),
        [Dimension.Role] = ("p", "role"),
        [Dimension.Sex] = ("p", "sex"),
        [Dimension.AgeBand] = ("p", "ageBand"),
        [Dimension.Mode] = ("p", "mode"),
        [Dimension.ActivityKind] = ("a", "kind"),
    };

    /// <summary>The table of each beneficiary's disability status under the query's cut-off, when the query uses it.</summary>
    private const string PersonsTable = "persons";

    /// <summary>The record fields every measure reads, besides the dimensions.</summary>
    private static readonly string[] RecordFields = ["beneficiary", "activity", "date", "completed", "preScore", "postScore"];

    /// <summary>Compiles a query to one SQL statement over the documented tables.</summary>
    /// <param name="query">The query, as built for the engine (its store supplies the labels of its filters).</param>
    /// <param name="dialect">The SQL dialect.</param>
    /// <returns>The statement, without a trailing semicolon.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dialect"/> is undefined.</exception>
    /// <exception cref="NotSupportedException">The query groups or filters by a dimension that has no SQL form yet (<see cref="Supports"/>).</exception>
    public static string Compile(AggregationQuery query, SqlDialect dialect)
    {
        Preconditions.CheckNotNull(query);
        var sql = SqlSyntax.For(dialect);
        var terms = query.Terms;
        var k = terms.Count;
        var with = new List<string>();
        var joins = new List<string>();
        var labels = new string[k];
        for (var t = 0; t < k; t++)
        {
            if (terms[t].Time is { Terms.Count: > 0 } calendar)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"calendar{t}");
                var rows = calendar.Terms.Select(term => new[] { sql.Text(term.Name), sql.Date(term.Dates.Start), sql.Date(term.Dates.End) }).ToList();
                with.Add($"{name} AS (SELECT * FROM {sql.Values(rows, name, ["term", "firstDay", "lastDay"])})");
                var c = string.Create(CultureInfo.InvariantCulture, $"c{t}");
                joins.Add($"LEFT JOIN {name} AS {c} ON r.{sql.Identifier("date")} BETWEEN {c}.{sql.Identifier("firstDay")} AND {c}.{sql.Identifier("lastDay")}");
                labels[t] = $"COALESCE({c}.{sql.Identifier("term")}, {sql.Text(Outside)})";
            }
            else
            {
                labels[t] = terms[t].Time is { } bucket ? TimeLabel(sql, bucket, $"r.{sql.Identifier("date")}") : DimensionLabel(sql, terms[t].Dimension);
            }
        }
        var dimensions = terms.Where(t => !t.IsTime).Select(t => t.Dimension).Concat(query.Filters.Keys).Distinct().Order().ToArray();
        if (dimensions.Contains(Dimension.Disability))
        {
            with.Add($"{PersonsTable} AS (\n{Persons(sql, query.Cutoff, query)}\n)");
        }
        with.Add($"records AS (\n{Records(sql, dimensions, query)}\n)");
        var termColumns = Enumerable.Range(0, k).Select(t => string.Create(CultureInfo.InvariantCulture, $"term{t}")).ToArray();
        var conditions = Conditions(sql, query);
        with.Add(
            "labelled AS (\n  SELECT r.*"
            + string.Concat(termColumns.Select((c, t) => $",\n    {labels[t]} AS {c}"))
            + "\n  FROM records AS r"
            + string.Concat(joins.Select(j => "\n  " + j))
            + (conditions.Count > 0 ? "\n  WHERE " + string.Join("\n    AND ", conditions) : string.Empty)
            + "\n)");

        var names = ColumnNames(terms);
        var level = query.IsRollup && k > 0 ? string.Join(" + ", termColumns.Select(c => $"GROUPING({c})")) : "0";
        var select = termColumns.Select((c, t) => $"{c} AS {sql.Identifier(names[t])}")
            .Append($"{level} AS {sql.Identifier(LevelColumn)}")
            .Concat(query.EffectiveMeasures.Select(m => $"{MeasureSql(sql, m)} AS {sql.Identifier(m.Name())}"));
        var groupBy = k == 0
            ? string.Empty
            : query.IsRollup
                ? "\nGROUP BY GROUPING SETS (" + string.Join(", ", Enumerable.Range(0, k + 1).Select(l => "(" + string.Join(", ", termColumns.Take(k - l)) + ")")) + ")"
                : "\nGROUP BY " + string.Join(", ", termColumns);
        return "WITH " + string.Join(",\n", with)
            + "\nSELECT " + string.Join(",\n  ", select)
            + "\nFROM labelled"
            + groupBy
            // A group without records is no group, as in the engine (an aggregate without GROUP BY would give one row of zeros).
            + "\nHAVING COUNT(*) > 0"
            + "\nORDER BY " + string.Join(", ", termColumns.Select(c => c).Prepend(sql.Identifier(LevelColumn)));
    }

    /// <summary>Whether queries grouped or filtered by <paramref name="dimension"/> compile to SQL.</summary>
    /// <param name="dimension">The dimension.</param>
    /// <returns>Whether the compiler knows where its value comes from: every dimension the engine has, age in the
    /// query's scheme and disability status under its cut-off included.</returns>
    public static bool Supports(Dimension dimension) => DimensionSources.ContainsKey(dimension) || dimension is Dimension.Age or Dimension.Disability;

    /// <summary>
    /// Statements that create the dataset's tables as session views (<c>activities</c>, <c>phases</c>, <c>schools</c>),
    /// from the dataset as the engine resolves it: run them before the compiled queries.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="dialect">The SQL dialect.</param>
    /// <returns>The statements, one view each, without trailing semicolons.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dialect"/> is undefined.</exception>
    public static IReadOnlyList<string> DatasetViews(ProgrammeDataset dataset, SqlDialect dialect)
    {
        Preconditions.CheckNotNull(dataset);
        var sql = SqlSyntax.For(dialect);
        var index = ProgrammeIndex.For(dataset);
        string? Entity(string[] ids, int i) => i >= 0 ? ids[i] : null;
        var activities = Enumerable.Range(0, index.ActivityIds.Length).Select(a => new[]
        {
            sql.Text(index.ActivityIds[a]),
            sql.Text(index.PhaseIds[index.ActivityPhase[a]]),
            sql.Text(index.Label(Dimension.ActivityKind, index.ActivityKind[a])),
            sql.TextOrNull(Entity(index.OrganisationIds, index.ActivityOrganisation[a])),
            sql.TextOrNull(Entity(index.SchoolIds, index.ActivitySchool[a])),
        }).ToList();
        var phases = Enumerable.Range(0, index.PhaseIds.Length)
            .Select(p => new[] { sql.Text(index.PhaseIds[p]), sql.Text(index.PartnershipIds[index.PhasePartnership[p]]) }).ToList();
        var schools = Enumerable.Range(0, index.SchoolIds.Length).Select(s =>
        {
            var district = index.SchoolDistrict[s];
            var province = index.DistrictProvince[district];
            return new[]
            {
                sql.Text(index.SchoolIds[s]),
                sql.Text(index.CountryCodes[index.ProvinceCountry[province]]),
                sql.Text(index.ProvinceCodes[province]),
                sql.Text(index.DistrictLabels[district]),
            };
        }).ToList();
        return
        [
            View(sql, ActivitiesTable, activities, ["id", "phase", "kind", "organisation", "school"]),
            View(sql, PhasesTable, phases, ["id", "partnership"]),
            View(sql, SchoolsTable, schools, ["id", "country", "province", "district"]),
        ];
    }

    private static string View(SqlSyntax sql, string table, IReadOnlyList<string[]> rows, string[] columns) =>
        $"{sql.CreateView} {sql.Identifier(table)} AS SELECT * FROM {sql.Values(rows, "t", columns)}";

    /// <summary>The records joined to the dataset: the fields measures read, and the query's dimensions under their names.</summary>
    private static string Records(SqlSyntax sql, Dimension[] dimensions, AggregationQuery query)
    {
        string Column(string table, string column) => $"{table}.{sql.Identifier(column)}";
        // A record's own school wins over its activity's, as in the engine.
        var school = $"COALESCE({Column("p", "school")}, {Column("a", "school")})";
        var columns = RecordFields.Select(f => $"{Column("p", f)} AS {sql.Identifier(f)}")
            .Append($"{school} AS {sql.Identifier(Dimension.School.Name())}")
            .Concat(dimensions.Where(d => d != Dimension.School).Select(d => $"{Value(d)} AS {sql.Identifier(d.Name())}"));
        string Value(Dimension d) => d switch
        {
            Dimension.AgeBand => AgeValue(sql, code => Dimensions.Label(AgeCodes.ListBand(code)!.Value)),
            Dimension.Age => AgeValue(sql, code => query.Label(Dimension.Age, QueryPlan.SchemeBand(query.Scheme, code))),
            // A beneficiary without a status in the table (none of their records answered) is "not recorded", never "no disability".
            Dimension.Disability => $"COALESCE({Column("pe", "status")}, {sql.Text(query.Label(Dimension.Disability, (int)DisabilityStatus.NotRecorded))})",
            _ => Column(Source(d).Table, Source(d).Column),
        };
        return "  SELECT " + string.Join(",\n    ", columns)
            + $"\n  FROM {sql.Identifier(ParticipationsTable)} AS p"
            + $"\n  JOIN {sql.Identifier(ActivitiesTable)} AS a ON {Column("a", "id")} = {Column("p", "activity")}"
            + $"\n  JOIN {sql.Identifier(PhasesTable)} AS ph ON {Column("ph", "id")} = {Column("a", "phase")}"
            + $"\n  LEFT JOIN {sql.Identifier(SchoolsTable)} AS s ON {Column("s", "id")} = {school}"
            + (dimensions.Contains(Dimension.Disability)
                ? $"\n  LEFT JOIN {PersonsTable} AS pe ON {Column("pe", "beneficiary")} = {Column("p", "beneficiary")}"
                : string.Empty);
    }

    private static (string Table, string Column) Source(Dimension d) =>
        DimensionSources.TryGetValue(d, out var source)
            ? source
            : throw new NotSupportedException($"The SQL compiler has no source for the dimension '{d.Name()}': add it to AggregationSql.DimensionSources.");

    /// <summary>
    /// A record's label for an age dimension, from its age code as the engine derives it (<see cref="AgeCodes"/>): the age
    /// in completed years at the record's date (the age recorded, else the date's year less the year of birth), else the
    /// band recorded. The labels come from the engine's own functions, code by code, so the thresholds of today's list
    /// and of any scheme are decided in one place.
    /// </summary>
    private static string AgeValue(SqlSyntax sql, Func<int, string> label)
    {
        var age = $"p.{sql.Identifier("age")}";
        var born = $"p.{sql.Identifier("yearOfBirth")}";
        var reached = $"(year(p.{sql.Identifier("date")}) - {born})";
        // A record known only by its band: each band's label; a band outside the list (none is) would stay NULL.
        var byBand = string.Concat(Enum.GetValues<AgeBand>().Select(b =>
            $" WHEN {sql.Text(EnumNames<AgeBand>.TryGetName(b, out var name) ? name : b.ToString())} THEN {sql.Text(label(AgeCodes.Of(ParticipationFields.NoAge, (int)b)))}"));
        // A year of birth alone is the age reached that year or one less: its code's label says "not comparable" where
        // those two ages fall in different bands, as the engine counts it.
        return $"CASE WHEN {age} IS NOT NULL THEN {ByAge(sql, age, a => label(AgeCodes.Of(a, 0)))}"
            + $" WHEN {born} IS NOT NULL THEN {ByAge(sql, reached, a => label(AgeCodes.Of(a, 0, fromYearOfBirth: true)))}"
            + $" ELSE (CASE p.{sql.Identifier("ageBand")}{byBand} END) END";
    }

    /// <summary>A CASE giving each age from 0 to <see cref="AgeRange.MaxAge"/> its label, as runs of one label.</summary>
    private static string ByAge(SqlSyntax sql, string age, Func<int, string> labelOf)
    {
        var runs = new List<(int Last, string Label)>();
        for (var a = 0; a <= AgeRange.MaxAge; a++)
        {
            var text = labelOf(a);
            if (runs.Count > 0 && runs[^1].Label == text)
            {
                runs[^1] = (a, text);
            }
            else
            {
                runs.Add((a, text));
            }
        }
        var whens = string.Concat(runs.SkipLast(1).Select(r => string.Create(CultureInfo.InvariantCulture, $" WHEN {age} <= {r.Last} THEN {sql.Text(r.Label)}")));
        return runs.Count == 1 ? sql.Text(runs[0].Label) : $"(CASE{whens} ELSE {sql.Text(runs[^1].Label)} END)";
    }

    /// <summary>
    /// Each beneficiary's disability status under the cut-off, from the Washington Group answers of their records:
    /// the answers summary the engine keeps (<see cref="FunctioningAnswers.Summary"/>: the worst difficulty answered,
    /// whether a domain of the question set is missing, refused or "don't know", whether any is answered), then the
    /// cut-off's status for each of the sixteen summaries (<see cref="DisabilityCutoff.StatusOf(int)"/>), so the rule is
    /// the engine's own. A person's answers are held once: the engine keeps the first set recorded and flags a
    /// different later one (SP8017); SQL takes the set of their earliest-dated record with answers (on one day, the
    /// least summary), which is the same whenever a person's records agree.
    /// </summary>
    private static string Persons(SqlSyntax sql, DisabilityCutoff cutoff, AggregationQuery query)
    {
        var domains = Enum.GetValues<FunctioningDomain>();
        string Answer(FunctioningDomain d) => $"a{(int)d}";
        var answers = domains.Select(d =>
        {
            // Each answer as its place on the difficulty scale (FunctioningAnswers.Severity), as the engine reads it.
            var cases = string.Concat(ParticipationFields.AnswerNames(d).Select((n, v) =>
                string.Create(CultureInfo.InvariantCulture, $" WHEN {sql.Text(n)} THEN {FunctioningAnswers.Severity(d, v)}")));
            var column = EnumNames<FunctioningDomain>.TryGetName(d, out var name) ? name : d.ToString();
            return $"CASE {sql.Identifier(column)}{cases} END AS {Answer(d)}";
        });
        string Incomplete(IEnumerable<FunctioningDomain> set) =>
            "(" + string.Join(" OR ", set.Select(d => string.Create(CultureInfo.InvariantCulture, $"{Answer(d)} IS NULL OR {Answer(d)} > {(int)FunctioningAnswer.CannotDoAtAll}"))) + ")";
        var worst = "GREATEST(" + string.Join(", ", domains.Select(d =>
            string.Create(CultureInfo.InvariantCulture, $"CASE WHEN {Answer(d)} <= {(int)FunctioningAnswer.CannotDoAtAll} THEN {Answer(d)} ELSE 0 END"))) + ")";
        var child = string.Join(" OR ", domains.Where(d => d >= FunctioningDomain.Learning).Select(d => $"{Answer(d)} IS NOT NULL"));
        var any = string.Join(" OR ", domains.Select(d => $"{Answer(d)} IS NOT NULL"));
        var summary = $"CASE WHEN NOT ({any}) THEN 0 ELSE {worst} + (CASE WHEN (CASE WHEN {child} THEN {Incomplete(FunctioningAnswers.ChildFunctioning)} ELSE {Incomplete(FunctioningAnswers.ShortSet)} END) THEN 4 ELSE 0 END) + 8 END";
        var statuses = string.Concat(Enumerable.Range(0, FunctioningAnswers.SummaryCount).Select(x =>
            string.Create(CultureInfo.InvariantCulture, $" WHEN {x} THEN {sql.Text(query.Label(Dimension.Disability, (int)cutoff.StatusOf(x)))}")));
        var day = sql.DayNumber(sql.Identifier("date"));
        return $"  SELECT {sql.Identifier("beneficiary")}, CASE MIN(CASE WHEN summary > 0 THEN {day} * 16 + summary END) % 16{statuses} END AS {sql.Identifier("status")}"
            + $"\n  FROM (SELECT {sql.Identifier("beneficiary")}, {sql.Identifier("date")}, {summary} AS summary"
            + $"\n    FROM (SELECT {sql.Identifier("beneficiary")}, {sql.Identifier("date")}, {string.Join(", ", answers)} FROM {sql.Identifier(ParticipationsTable)}) AS x) AS y"
            + $"\n  GROUP BY {sql.Identifier("beneficiary")}";
    }

    /// <summary>A dimension's label: its value, and the empty string for "none", as the engine labels it.</summary>
    private static string DimensionLabel(SqlSyntax sql, Dimension d) => $"COALESCE(r.{sql.Identifier(d.Name())}, {sql.Text(string.Empty)})";

    /// <summary>A time bucket's label of <paramref name="date"/>, spelled as <see cref="TimeBucket.Label"/> spells it.</summary>
    private static string TimeLabel(SqlSyntax sql, TimeBucket bucket, string date)
    {
        var year = sql.Padded($"year({date})", 4);
        var month = sql.Padded($"month({date})", 2);
        string Concat(params string[] parts) => $"concat({string.Join(", ", parts)})";
        switch (bucket.Name)
        {
            case "day":
                return Concat(year, sql.Text("-"), month, sql.Text("-"), sql.Padded($"day({date})", 2));
            case "week":
                return Concat(sql.Padded(sql.IsoYear(date), 4), sql.Text("-W"), sql.Padded($"weekofyear({date})", 2));
            case "month":
                return Concat(year, sql.Text("-"), month);
            case "quarter":
                return Concat(year, sql.Text("-Q"), $"CAST(quarter({date}) AS {sql.TextType})");
            case "year":
                return year;
            default:
                var first = int.Parse(bucket.Name.AsSpan(bucket.Name.IndexOf(':', StringComparison.Ordinal) + 1), CultureInfo.InvariantCulture);
                var start = string.Create(CultureInfo.InvariantCulture, $"(CASE WHEN month({date}) >= {first} THEN year({date}) ELSE year({date}) - 1 END)");
                return first == 1
                    ? Concat(sql.Text("FY"), sql.Padded(start, 4))
                    : Concat(sql.Text("FY"), sql.Padded(start, 4), sql.Text("-"), sql.Padded($"(({start} + 1) % 100)", 2));
        }
    }

    /// <summary>The query's filters and date range as conditions on the labelled records.</summary>
    private static List<string> Conditions(SqlSyntax sql, AggregationQuery query)
    {
        var conditions = new List<string>();
        foreach (var (dimension, keep) in query.Filters.OrderBy(f => f.Key))
        {
            // Labels as the query gives them: an age's are its scheme's bands.
            var labels = Enumerable.Range(0, keep.Length).Where(v => keep[v]).Select(v => sql.Text(query.Label(dimension, v))).ToList();
            // A filter that keeps no value keeps no record.
            conditions.Add(labels.Count == 0 ? "1 = 0" : $"{DimensionLabel(sql, dimension)} IN ({string.Join(", ", labels)})");
        }
        if (query.From is { } from && query.To is { } to)
        {
            conditions.Add($"r.{sql.Identifier("date")} BETWEEN {sql.Date(from)} AND {sql.Date(to)}");
        }
        return conditions;
    }

    /// <summary>The aggregate of each measure over a group's labelled records, with the engine's meaning.</summary>
    private static string MeasureSql(SqlSyntax sql, Measure m)
    {
        string F(string field) => sql.Identifier(field);
        string Ratio(string part, string whole) => $"CAST({part} AS DOUBLE) / NULLIF({whole}, 0)";
        var completions = $"CAST(SUM(CASE WHEN {F("completed")} THEN 1 ELSE 0 END) AS BIGINT)";
        var assessed = $"CASE WHEN {F("preScore")} IS NOT NULL AND {F("postScore")} IS NOT NULL THEN {F("beneficiary")} END";
        return m switch
        {
            Measure.Participations => "COUNT(*)",
            Measure.UniqueBeneficiaries => $"COUNT(DISTINCT {F("beneficiary")})",
            Measure.ApproximateUniqueBeneficiaries => sql.ApproximateDistinct(F("beneficiary")),
            Measure.Activities => $"COUNT(DISTINCT {F("activity")})",
            Measure.Schools => $"COUNT(DISTINCT {F(Dimension.School.Name())})",
            Measure.Completions => completions,
            Measure.CompletionRate => Ratio(completions, "COUNT(*)"),
            Measure.MeanPreScore => Ratio($"SUM({F("preScore")})", $"COUNT({F("preScore")})"),
            Measure.MeanPostScore => Ratio($"SUM({F("postScore")})", $"COUNT({F("postScore")})"),
            // The difference is NULL unless both scores are there: the engine's "records with both".
            Measure.MeanGain => Ratio($"SUM({F("postScore")} - {F("preScore")})", $"COUNT({F("postScore")} - {F("preScore")})"),
            Measure.ImprovedShare => Ratio(
                $"COUNT(DISTINCT CASE WHEN {F("postScore")} > {F("preScore")} THEN {F("beneficiary")} END)", $"COUNT(DISTINCT {assessed})"),
            _ => throw new NotSupportedException($"The SQL compiler has no aggregate for the measure '{m.Name()}'."),
        };
    }

    /// <summary>The result's column names for the terms: each term's name, a repeated one numbered from _2.</summary>
    private static string[] ColumnNames(IReadOnlyList<GroupingTerm> terms)
    {
        var names = new string[terms.Count];
        for (var t = 0; t < terms.Count; t++)
        {
            var seen = terms.Take(t).Count(other => other.Name == terms[t].Name);
            names[t] = seen == 0 ? terms[t].Name : string.Create(CultureInfo.InvariantCulture, $"{terms[t].Name}_{seen + 1}");
        }
        return names;
    }
}
