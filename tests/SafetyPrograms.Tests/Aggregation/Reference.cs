using System.Globalization;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Indexing;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>The obvious, slow implementation (LINQ and hash sets over records) that the engine must agree with.</summary>
internal static class Reference
{
    internal const string RolledUp = "*";

    internal static string Label(
        TestProgramme p, GroupingTerm term, ParticipationRecord r, AgeBandScheme? scheme = null, DisabilityCutoff? cutoff = null,
        IReadOnlyDictionary<BeneficiaryKey, FunctioningAnswers>? people = null)
    {
        if (term.Time is { } bucket)
        {
            return TimeLabel(bucket, r.Date);
        }
        var activity = p.Activities[r.Activity];
        var school = SchoolOf(p, r) is { } id ? p.Schools[id] : null;
        return term.Dimension switch
        {
            Dimension.Partnership => p.PartnershipOfPhase[activity.Phase].Id.Value,
            Dimension.Phase => activity.Phase.Value,
            Dimension.Organisation => activity.FacilitatedBy?.Value ?? string.Empty,
            Dimension.Country => school?.Location.Country.Value ?? string.Empty,
            Dimension.Province => school?.Location.Province.Value ?? string.Empty,
            Dimension.District => school is null ? string.Empty : school.Location.Province.Value + "/" + school.Location.District,
            Dimension.School => school?.Id.Value ?? string.Empty,
            Dimension.Role => EnumLabel(r.Role),
            Dimension.Sex => EnumLabel(r.Sex),
            Dimension.AgeBand => AgeOf(r) is { } age ? ListBand(age) : EnumLabel(r.AgeBand),
            Dimension.Age => SchemeLabel(scheme ?? AgeBandScheme.UnChild, r),
            Dimension.Disability => Status(
                (people ?? p.People).GetValueOrDefault(r.Beneficiary), (cutoff ?? DisabilityCutoff.WashingtonGroup).Threshold),
            Dimension.Mode => EnumLabel(r.Mode),
            _ => EnumLabel(activity.Kind),
        };
    }

    /// <summary>
    /// A date's bucket label from the documented conventions, computed independently of <see cref="TimeBucket.Label"/>
    /// (ISO weeks by the BCL's <see cref="ISOWeek"/>); school terms need the caller's dates, so they use the bucket's own.
    /// </summary>
    internal static string TimeLabel(TimeBucket bucket, LocalDate d)
    {
        var inv = CultureInfo.InvariantCulture;
        if (bucket.Name.StartsWith("fiscalYear:", StringComparison.Ordinal))
        {
            var first = int.Parse(bucket.Name["fiscalYear:".Length..], inv);
            var start = d.Month >= first ? d.Year : d.Year - 1;
            return first == 1 ? string.Create(inv, $"FY{start:D4}") : string.Create(inv, $"FY{start:D4}-{(start + 1) % 100:D2}");
        }
        var day = d.ToDateTimeUnspecified();
        return bucket.Name switch
        {
            "day" => string.Create(inv, $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}"),
            "week" => string.Create(inv, $"{ISOWeek.GetYear(day):D4}-W{ISOWeek.GetWeekOfYear(day):D2}"),
            "month" => string.Create(inv, $"{d.Year:D4}-{d.Month:D2}"),
            "quarter" => string.Create(inv, $"{d.Year:D4}-Q{(d.Month + 2) / 3}"),
            "year" => string.Create(inv, $"{d.Year:D4}"),
            _ => bucket.Label(d),
        };
    }

    /// <summary>The age in completed years at the record's date: recorded, else the date's year less the year of birth.</summary>
    internal static int? AgeOf(ParticipationRecord r) => r.Age ?? (r.YearOfBirth is { } born ? r.Date.Year - born : null);

    /// <summary>Today's band list by age, spelled out.</summary>
    private static string ListBand(int age) => age switch
    {
        < 5 => "0-4",
        < 10 => "5-9",
        < 15 => "10-14",
        < 18 => "15-17",
        < 25 => "18-24",
        < 50 => "25-49",
        _ => "50+",
    };

    /// <summary>The ages a band recorded stands for, spelled out: (first, last).</summary>
    private static (int From, int To)? Ages(AgeBand band) => band switch
    {
        AgeBand.Age0To4 => (0, 4),
        AgeBand.Age5To9 => (5, 9),
        AgeBand.Age10To14 => (10, 14),
        AgeBand.Age15To17 => (15, 17),
        AgeBand.Age18To24 => (18, 24),
        AgeBand.Age25To49 => (25, 49),
        AgeBand.Age50Plus => (50, 120),
        AgeBand.Age18Plus => (18, 120),
        _ => null,
    };

    /// <summary>
    /// A record's band in a scheme: by its age; else the scheme's band holding both ages a year of birth allows, or both ends of the band recorded, or
    /// "notComparable" when no one band does; "notRecorded" when neither is known.
    /// </summary>
    internal static string SchemeLabel(AgeBandScheme scheme, ParticipationRecord r)
    {
        if (r.Age is { } age)
        {
            return scheme.Bands.Single(b => b.From <= age && age <= (b.To ?? 120)).Label;
        }
        // A year of birth alone: the age reached in the date's year, or one less before the birthday.
        var ages = r.YearOfBirth is { } born ? (Math.Max(0, r.Date.Year - born - 1), r.Date.Year - born) : Ages(r.AgeBand);
        if (ages is not var (from, to))
        {
            return "notRecorded";
        }
        var holding = scheme.Bands.Where(b => b.From <= from && to <= (b.To ?? 120)).ToList();
        return holding.Count == 1 ? holding[0].Label : "notComparable";
    }

    /// <summary>
    /// The Washington Group status, written out from the published rule: a domain at or beyond the threshold makes
    /// "disability"; every domain of the question set (the child module's when one of its own domains is answered) answered
    /// below it makes "noDisability"; anything else, missing, refused or "don't know" included, is "notRecorded".
    /// </summary>
    internal static string Status(FunctioningAnswers answers, FunctioningAnswer threshold)
    {
        FunctioningDomain[] shortSet = [FunctioningDomain.Seeing, FunctioningDomain.Hearing, FunctioningDomain.Walking, FunctioningDomain.Cognition, FunctioningDomain.SelfCare, FunctioningDomain.Communication];
        FunctioningDomain[] childOnly = [FunctioningDomain.Learning, FunctioningDomain.Remembering, FunctioningDomain.Concentrating, FunctioningDomain.AcceptingChange, FunctioningDomain.ControllingBehaviour, FunctioningDomain.MakingFriends];
        FunctioningDomain[] feelings = [FunctioningDomain.Anxiety, FunctioningDomain.Depression];
        var all = shortSet.Concat(childOnly).ToArray();
        if (all.All(d => answers[d] is null) && feelings.All(d => answers.Frequency(d) is null))
        {
            return "notRecorded";
        }
        FunctioningAnswer[] difficulty = [FunctioningAnswer.NoDifficulty, FunctioningAnswer.SomeDifficulty, FunctioningAnswer.ALotOfDifficulty, FunctioningAnswer.CannotDoAtAll];
        // The module's anxiety and depression count when daily; under the "some difficulty" cut-off, weekly too.
        FunctioningFrequency[] counted = threshold == FunctioningAnswer.SomeDifficulty ? [FunctioningFrequency.Daily, FunctioningFrequency.Weekly] : [FunctioningFrequency.Daily];
        FunctioningFrequency[] frequency = [FunctioningFrequency.Daily, FunctioningFrequency.Weekly, FunctioningFrequency.Monthly, FunctioningFrequency.AFewTimesAYear, FunctioningFrequency.Never];
        if (all.Any(d => answers[d] is { } a && difficulty.Contains(a) && Array.IndexOf(difficulty, a) >= Array.IndexOf(difficulty, threshold))
            || feelings.Any(d => answers.Frequency(d) is { } f && counted.Contains(f)))
        {
            return "disability";
        }
        if (childOnly.Any(d => answers[d] is not null) || feelings.Any(d => answers.Frequency(d) is not null))
        {
            return shortSet.Where(d => d != FunctioningDomain.Cognition).Concat(childOnly).All(d => answers[d] is { } a && difficulty.Contains(a))
                && feelings.All(d => answers.Frequency(d) is { } f && frequency.Contains(f)) ? "noDisability" : "notRecorded";
        }
        return shortSet.All(d => answers[d] is { } a && difficulty.Contains(a)) ? "noDisability" : "notRecorded";
    }

    /// <summary>A domain's answer as the files write it (a frequency for anxiety and depression), or null.</summary>
    internal static string? AnswerLabel(FunctioningAnswers answers, FunctioningDomain d) =>
        d is FunctioningDomain.Anxiety or FunctioningDomain.Depression
            ? answers.Frequency(d) is { } f ? EnumLabel(f) : null
            : answers[d] is { } a ? EnumLabel(a) : null;

    /// <summary>The record's own school, else its activity's.</summary>
    internal static Id<School>? SchoolOf(TestProgramme p, ParticipationRecord r) => r.School ?? p.Activities[r.Activity].School;

    /// <summary>An enum value as the files write it (camelCase; age bands by their own table).</summary>
    internal static string EnumLabel<TEnum>(TEnum value)
        where TEnum : struct, Enum => value is AgeBand a ? TestProgramme.AgeLabel(a) : Camel(value.ToString());

    private static string Camel(string s) => char.ToLowerInvariant(s[0]) + s[1..];

    /// <summary>Expected rows: "label|label|*" → value per measure (NaN when undefined).</summary>
    internal static Dictionary<string, double[]> Compute(
        TestProgramme p, IReadOnlyList<GroupingTerm> terms, IReadOnlyList<Measure> measures, Func<ParticipationRecord, bool>? filter = null,
        bool rollup = false, AgeBandScheme? scheme = null, DisabilityCutoff? cutoff = null) =>
        ComputeOver(p, p.Records.Where(filter ?? (_ => true)), terms, measures, rollup, scheme, cutoff);

    /// <summary>Expected rows over the given records (already filtered), as <see cref="Compute"/>.</summary>
    internal static Dictionary<string, double[]> ComputeOver(
        TestProgramme p, IEnumerable<ParticipationRecord> included, IReadOnlyList<GroupingTerm> terms, IReadOnlyList<Measure> measures, bool rollup,
        AgeBandScheme? scheme = null, DisabilityCutoff? cutoff = null, IReadOnlyDictionary<BeneficiaryKey, FunctioningAnswers>? people = null)
    {
        var records = included.Select(r => (r, labels: terms.Select(t => Label(p, t, r, scheme, cutoff, people)).ToArray())).ToList();
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
            SafetyPrograms.Aggregation.Measure.ApproximateUniqueBeneficiaries => HyperLogLogEstimate(rs.Select(r => r.Beneficiary.Value)),
            SafetyPrograms.Aggregation.Measure.Schools => rs.Select(r => SchoolOf(p, r)).Where(s => s is not null).Distinct().Count(),
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

    /// <summary>
    /// Textbook HyperLogLog: each register holds the largest rank of the keys that fall in it. It shares with the engine
    /// only the library's decisions (the key hash, how a hash splits into register and rank, the estimator formula), not
    /// the engine's shortcut of taking the first key seen per register in hash order, so equality checks that shortcut
    /// through threads, filters and rollup levels.
    /// </summary>
    internal static double HyperLogLogEstimate(IEnumerable<string> beneficiaryKeys)
    {
        var registers = new Dictionary<int, int>();
        foreach (var key in beneficiaryKeys)
        {
            var hash = BeneficiaryHash.Of(key);
            var register = HyperLogLog.Register(hash);
            registers[register] = Math.Max(registers.GetValueOrDefault(register), HyperLogLog.Rank(hash));
        }
        UInt128 weight = 0;
        foreach (var rank in registers.Values)
        {
            weight += HyperLogLog.Weight(rank);
        }
        return HyperLogLog.Estimate(registers.Count, weight);
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

    /// <summary>Asserts the same rows with the same values; <paramref name="context"/> (such as the query) prefixes every message.</summary>
    internal static void AssertSame(
        Dictionary<string, double[]> expected, Dictionary<string, double[]> actual, double tolerance = 1e-9, string context = "")
    {
        var missing = expected.Keys.Except(actual.Keys).Order(StringComparer.Ordinal).Take(5).ToList();
        var extra = actual.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).Take(5).ToList();
        Assert.True(
            missing.Count == 0 && extra.Count == 0,
            $"{context}\nrows missing: [{string.Join("; ", missing)}]\nrows not expected: [{string.Join("; ", extra)}]");
        foreach (var (key, values) in expected)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var a = actual[key][i];
                if (double.IsNaN(values[i]))
                {
                    Assert.True(double.IsNaN(a), $"{context}\n{key} measure {i}: expected undefined, got {a}");
                }
                else
                {
                    Assert.True(
                        Math.Abs(values[i] - a) <= tolerance * Math.Max(1, Math.Abs(values[i])),
                        $"{context}\n{key} measure {i}: expected {values[i]:R}, got {a:R}");
                }
            }
        }
    }
}
