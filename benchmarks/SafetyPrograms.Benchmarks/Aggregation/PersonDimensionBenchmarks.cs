using BenchmarkDotNet.Attributes;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Benchmarks.Aggregation;

/// <summary>
/// Grouping by disability (answers held once per beneficiary) and by an age scheme (one age byte a record), against
/// grouping by sex (the flags byte, the baseline), on one store of the seeded programme whose people carry ages, years
/// of birth and Washington Group answers.
/// </summary>
[MemoryDiagnoser]
public class PersonDimensionBenchmarks
{
    private ParticipationStore _store = null!;

    [Params(1_000_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var generator = new ProgrammeGenerator(42, Records);
        _store = new ParticipationStore(generator.Dataset);
        _store.Append(generator.ParticipationRecords().Select(WithPerson));
        _store.Query().Run();
    }

    /// <summary>A person's attributes from their key alone, so every record of a person agrees: a third by age, a third by year of birth.</summary>
    private static ParticipationRecord WithPerson(ParticipationRecord r)
    {
        var n = r.Beneficiary.Value.GetHashCode(StringComparison.Ordinal) & int.MaxValue;
        var answer = (FunctioningAnswer)(n % 23 < 17 ? 0 : n % 4);
        return new ParticipationRecord(
            r.Beneficiary, r.Activity, r.Date, r.Role, r.Sex, r.AgeBand, r.Mode, r.Completed, r.School, r.PreScore, r.PostScore,
            age: n % 3 == 0 ? 5 + (n % 15) : null, yearOfBirth: n % 3 == 1 ? r.Date.Year - 5 - (n % 40) : null,
            seeing: answer, hearing: FunctioningAnswer.NoDifficulty, walking: FunctioningAnswer.NoDifficulty,
            cognition: n % 29 == 0 ? FunctioningAnswer.Refused : FunctioningAnswer.NoDifficulty, selfCare: FunctioningAnswer.NoDifficulty,
            communication: FunctioningAnswer.NoDifficulty);
    }

    [Benchmark(Baseline = true)]
    public AggregationResult BySex() =>
        _store.Query().GroupBy(Dimension.Sex).Measure(Measure.Participations, Measure.UniqueBeneficiaries).Run();

    [Benchmark]
    public AggregationResult ByDisability() =>
        _store.Query().GroupBy(Dimension.Disability).Measure(Measure.Participations, Measure.UniqueBeneficiaries).Run();

    [Benchmark]
    public AggregationResult ByAgeScheme() =>
        _store.Query().AgeScheme(AgeBandScheme.UnChild).GroupBy(Dimension.Age).Measure(Measure.Participations, Measure.UniqueBeneficiaries).Run();

    [Benchmark]
    public AggregationResult ByProvinceAndDisability() =>
        _store.Query().GroupBy(Dimension.Province, Dimension.Disability).Measure(Measure.Participations, Measure.UniqueBeneficiaries).Run();

    [Benchmark]
    public AggregationResult ByProvinceAndSex() =>
        _store.Query().GroupBy(Dimension.Province, Dimension.Sex).Measure(Measure.Participations, Measure.UniqueBeneficiaries).Run();
}
