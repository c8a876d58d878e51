using System.Globalization;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Benchmarks.Aggregation;

/// <summary>The six benchmark questions, for our engine and as a user would write them in LINQ.</summary>
internal static class BenchmarkQueries
{
    internal static readonly string[] Names = ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"];

    internal static readonly string[] Descriptions =
    [
        "participations by province x month",
        "participations, completions, mean gain by school x quarter",
        "exact unique by district x role x fiscal year",
        "approximate unique (HLL) by school",
        "geographic rollup, exact unique at every level",
        "exact unique by province, teachers in hybrid delivery",
    ];

    internal static AggregationResult Engine(ParticipationStore store, int q) => Build(store.Query(), q).Run();

    /// <summary>Question <paramref name="q"/> built on <paramref name="query"/> (a store's, or a sharded programme's).</summary>
    internal static AggregationQuery Build(AggregationQuery query, int q) => q switch
    {
        0 => query.GroupBy(Dimension.Province, TimeBucket.Month).Measure(Measure.Participations),
        1 => query.GroupBy(Dimension.School, TimeBucket.Quarter).Measure(Measure.Participations, Measure.Completions, Measure.MeanGain),
        2 => query.GroupBy(Dimension.District, Dimension.Role, TimeBucket.FiscalYear(7)).Measure(Measure.UniqueBeneficiaries),
        3 => query.GroupBy(Dimension.School).Measure(Measure.ApproximateUniqueBeneficiaries),
        4 => query.GroupBy(Dimension.Country, Dimension.Province, Dimension.District, Dimension.School)
            .Measure(Measure.UniqueBeneficiaries).Rollup(),
        _ => query.GroupBy(Dimension.Province).Measure(Measure.UniqueBeneficiaries)
            .Where(Dimension.Role, BeneficiaryRole.Teacher).Where(Dimension.Mode, DeliveryMode.Hybrid),
    };

    /// <summary>Rows as "label|label" → values, with "*" for a rolled-up term and null for an undefined value.</summary>
    internal static SortedDictionary<string, double?[]> Answer(AggregationResult result)
    {
        var rows = new SortedDictionary<string, double?[]>(StringComparer.Ordinal);
        foreach (var r in result.Rows)
        {
            rows[string.Join('|', r.Keys.Select(k => k ?? "*"))] = result.Measures.Select(m => r[m]).ToArray();
        }
        return rows;
    }

    /// <summary>The LINQ baseline: what a developer writes over a list of records and dictionaries of the dataset.</summary>
    internal sealed class Linq
    {
        private readonly List<ParticipationRecord> _records;
        private readonly Dictionary<Id<Activity>, Activity> _activities;
        private readonly Dictionary<Id<School>, School> _schools;

        internal Linq(ProgrammeDataset dataset, List<ParticipationRecord> records)
        {
            _records = records;
            _activities = dataset.Activities.ToDictionary(a => a.Id);
            _schools = dataset.Schools.ToDictionary(s => s.Id);
        }

        private School SchoolOf(ParticipationRecord r) => _schools[(r.School ?? _activities[r.Activity].School)!.Value];

        internal SortedDictionary<string, double?[]> Run(int q)
        {
            var inv = CultureInfo.InvariantCulture;
            IEnumerable<(string Key, double?[] Values)> rows = q switch
            {
                0 => _records
                    .GroupBy(r => (Province: SchoolOf(r).Location.Province.Value, r.Date.Year, r.Date.Month))
                    .Select(g => (string.Create(inv, $"{g.Key.Province}|{g.Key.Year:D4}-{g.Key.Month:D2}"), new double?[] { g.Count() })),
                1 => _records
                    .GroupBy(r => (School: SchoolOf(r).Id.Value, r.Date.Year, Quarter: ((r.Date.Month - 1) / 3) + 1))
                    .Select(g =>
                    {
                        var scored = g.Where(r => r.PreScore.HasValue && r.PostScore.HasValue).ToList();
                        double? gain = scored.Count == 0 ? null : (double)scored.Average(r => r.PostScore!.Value - r.PreScore!.Value);
                        return (string.Create(inv, $"{g.Key.School}|{g.Key.Year:D4}-Q{g.Key.Quarter}"), new double?[] { g.Count(), g.Count(r => r.Completed), gain });
                    }),
                2 => _records
                    .GroupBy(r => (District: District(SchoolOf(r)), r.Role, Fy: r.Date.Month >= 7 ? r.Date.Year : r.Date.Year - 1))
                    .Select(g => (string.Create(inv, $"{g.Key.District}|{ProgrammeGenerator.RoleName(g.Key.Role)}|FY{g.Key.Fy:D4}-{(g.Key.Fy + 1) % 100:D2}"),
                        new double?[] { g.Select(r => r.Beneficiary).Distinct().Count() })),
                // LINQ has no sketch: the user counts exactly.
                3 => _records
                    .GroupBy(r => SchoolOf(r).Id.Value)
                    .Select(g => (g.Key, new double?[] { g.Select(r => r.Beneficiary).Distinct().Count() })),
                4 => Rollup(),
                _ => _records
                    .Where(r => r.Role == BeneficiaryRole.Teacher && r.Mode == DeliveryMode.Hybrid)
                    .GroupBy(r => SchoolOf(r).Location.Province.Value)
                    .Select(g => (g.Key, new double?[] { g.Select(r => r.Beneficiary).Distinct().Count() })),
            };
            var result = new SortedDictionary<string, double?[]>(StringComparer.Ordinal);
            foreach (var (key, values) in rows)
            {
                result[key] = values;
            }
            return result;
        }

        private static string District(School s) => s.Location.Province.Value + "/" + s.Location.District;

        private IEnumerable<(string, double?[])> Rollup()
        {
            var withSchool = _records.Select(r => (r, s: SchoolOf(r))).ToList();
            foreach (var g in withSchool.GroupBy(x => x.s.Id))
            {
                var s = g.First().s;
                yield return ($"{s.Location.Country}|{s.Location.Province}|{District(s)}|{s.Id}", [g.Select(x => x.r.Beneficiary).Distinct().Count()]);
            }
            foreach (var g in withSchool.GroupBy(x => District(x.s)))
            {
                var s = g.First().s;
                yield return ($"{s.Location.Country}|{s.Location.Province}|{g.Key}|*", [g.Select(x => x.r.Beneficiary).Distinct().Count()]);
            }
            foreach (var g in withSchool.GroupBy(x => x.s.Location.Province))
            {
                yield return ($"{g.First().s.Location.Country}|{g.Key}|*|*", [g.Select(x => x.r.Beneficiary).Distinct().Count()]);
            }
            foreach (var g in withSchool.GroupBy(x => x.s.Location.Country))
            {
                yield return ($"{g.Key}|*|*|*", [g.Select(x => x.r.Beneficiary).Distinct().Count()]);
            }
            yield return ("*|*|*|*", [withSchool.Select(x => x.r.Beneficiary).Distinct().Count()]);
        }
    }
}
