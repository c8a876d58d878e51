using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>The obvious, slow implementation (LINQ and hash sets over records) that the engine must agree with.</summary>
internal static class Reference
{
    internal const string RolledUp = "*";

    internal static string Label(TestProgramme p, GroupingTerm term, ParticipationRecord r)
    {
        if (term.Time is { } bucket)
        {
            return bucket.Label(r.Date);
        }
        var activity = p.Dataset.Activities.First(a => a.Id == r.Activity);
        var schoolId = r.School ?? activity.School;
        var school = schoolId is { } id ? p.Dataset.Schools.First(s => s.Id == id) : null;
        var partnership = p.Dataset.Partnerships.First(x => x.Phases.Any(ph => ph.Id == activity.Phase));
        return term.Dimension switch
        {
            Dimension.Partnership => partnership.Id.Value,
            Dimension.Phase => activity.Phase.Value,
            Dimension.Organisation => activity.FacilitatedBy?.Value ?? string.Empty,
            Dimension.Country => school?.Location.Country.Value ?? string.Empty,
            Dimension.Province => school?.Location.Province.Value ?? string.Empty,
            Dimension.District => school is null ? string.Empty : school.Location.Province.Value + "/" + school.Location.District,
            Dimension.School => school?.Id.Value ?? string.Empty,
            Dimension.Role => Camel(r.Role.ToString()),
            Dimension.Sex => Camel(r.Sex.ToString()),
            Dimension.AgeBand => TestProgramme.AgeLabel(r.AgeBand),
            Dimension.Mode => Camel(r.Mode.ToString()),
            _ => Camel(activity.Kind.ToString()),
        };
    }

    private static string Camel(string s) => char.ToLowerInvariant(s[0]) + s[1..];

    /// <summary>Expected rows: "label|label|*" → value per measure (NaN when undefined).</summary>
    internal static Dictionary<string, double[]> Compute(
        TestProgramme p, IReadOnlyList<GroupingTerm> terms, IReadOnlyList<Measure> measures, Func<ParticipationRecord, bool>? filter = null,
        bool rollup = false)
    {
        var records = p.Records.Where(filter ?? (_ => true)).Select(r => (r, labels: terms.Select(t => Label(p, t, r)).ToArray())).ToList();
        var expected = new Dictionary<string, double[]>();
        var levels = rollup ? terms.Count + 1 : 1;
        for (var l = 0; l < levels; l++)
        {
            var kept = terms.Count - l;
            foreach (var g in records.GroupBy(x => string.Join('|', x.labels.Take(kept).Concat(Enumerable.Repeat(RolledUp, l)))))
            {
                expected[g.Key] = measures.Select(m => Measure(p, m, g.Select(x => x.r).ToList())).ToArray();
            }
        }
        return expected;
    }

    private static double Measure(TestProgramme p, Measure m, List<ParticipationRecord> rs)
    {
        var both = rs.Where(r => r.PreScore is not null && r.PostScore is not null).ToList();
        return m switch
        {
            SafetyPrograms.Aggregation.Measure.Participations => rs.Count,
            SafetyPrograms.Aggregation.Measure.UniqueBeneficiaries => rs.Select(r => r.Beneficiary).Distinct().Count(),
            SafetyPrograms.Aggregation.Measure.Activities => rs.Select(r => r.Activity).Distinct().Count(),
            SafetyPrograms.Aggregation.Measure.Schools => rs.Select(r => r.School ?? p.Dataset.Activities.First(a => a.Id == r.Activity).School)
                .Where(s => s is not null).Distinct().Count(),
            SafetyPrograms.Aggregation.Measure.Completions => rs.Count(r => r.Completed),
            SafetyPrograms.Aggregation.Measure.CompletionRate => (double)rs.Count(r => r.Completed) / rs.Count,
            SafetyPrograms.Aggregation.Measure.MeanPreScore => Mean(rs.Where(r => r.PreScore is not null).Select(r => r.PreScore!.Value)),
            SafetyPrograms.Aggregation.Measure.MeanPostScore => Mean(rs.Where(r => r.PostScore is not null).Select(r => r.PostScore!.Value)),
            SafetyPrograms.Aggregation.Measure.MeanGain => Mean(both.Select(r => r.PostScore!.Value - r.PreScore!.Value)),
            SafetyPrograms.Aggregation.Measure.ImprovedShare => both.Count == 0
                ? double.NaN
                : (double)both.Where(r => r.PostScore > r.PreScore).Select(r => r.Beneficiary).Distinct().Count()
                    / both.Select(r => r.Beneficiary).Distinct().Count(),
            _ => throw new ArgumentOutOfRangeException(nameof(m)),
        };
    }

    private static double Mean(IEnumerable<decimal> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? double.NaN : (double)(list.Sum() / list.Count);
    }

    /// <summary>The engine's rows in the same shape as <see cref="Compute"/>.</summary>
    internal static Dictionary<string, double[]> Rows(AggregationResult result) =>
        result.Rows.ToDictionary(
            r => string.Join('|', r.Keys.Select(k => k ?? RolledUp)),
            r => result.Measures.Select(m => r[m] ?? double.NaN).ToArray());

    internal static void AssertSame(Dictionary<string, double[]> expected, Dictionary<string, double[]> actual, double tolerance = 1e-9)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, values) in expected)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var a = actual[key][i];
                if (double.IsNaN(values[i]))
                {
                    Assert.True(double.IsNaN(a), $"{key} measure {i}: expected undefined, got {a}");
                }
                else
                {
                    Assert.True(Math.Abs(values[i] - a) <= tolerance * Math.Max(1, Math.Abs(values[i])), $"{key} measure {i}: expected {values[i]}, got {a}");
                }
            }
        }
    }
}
