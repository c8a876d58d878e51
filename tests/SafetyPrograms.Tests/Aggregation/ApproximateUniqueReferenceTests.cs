using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// The engine keeps, per group, only the first key it meets in each HyperLogLog register (records are in hash order,
/// so that key has the largest rank). These tests hold it to a textbook sketch (<see cref="Reference.HyperLogLogEstimate"/>:
/// the largest rank per register over a group's keys) bit for bit, then hold the estimate to its documented error.
/// </summary>
public class ApproximateUniqueReferenceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Approximate_RandomQueries_EqualsTextbookHyperLogLogBitForBit(int seed)
    {
        // Enough children that registers hold several keys, so that picking the wrong key of a register would show.
        var p = TestProgramme.Build(seed: 400 + seed, records: 6000, beneficiaries: 40_000);
        var store = p.Store();
        var rng = new Random(seed);
        for (var q = 0; q < 12; q++)
        {
            var shape = QueryShape.Draw(rng, p) with { Measures = [Measure.ApproximateUniqueBeneficiaries, Measure.UniqueBeneficiaries] };
            Reference.AssertSame(shape.Expected(p), Reference.Rows(shape.ToQuery(store).Run()), tolerance: 0, context: shape.ToString());
        }
    }

    /// <summary>One record each of <paramref name="count"/> children at the programme's first activity, in 5 roles × 4 sexes in turn.</summary>
    internal static List<ParticipationRecord> Children(TestProgramme p, int count)
    {
        var activity = p.Dataset.Activities[0];
        return Enumerable.Range(0, count).Select(i => new ParticipationRecord(
            new BeneficiaryKey($"child-{i}"), activity.Id, activity.Date, (BeneficiaryRole)(i % 5), (Sex)(i / 5 % 4), AgeBand.Age10To14,
            DeliveryMode.InPerson, false)).ToList();
    }

    [Fact]
    public void Approximate_LargeGroups_WithinThreeStandardErrorsOfExact()
    {
        // 60,000 children in 5 roles x 4 sexes: groups of about 3,000 and 12,000, past the linear-counting range.
        var p = TestProgramme.Build(seed: 410, records: 0);
        var records = Children(p, 60_000);
        var shape = new QueryShape
        {
            Terms = [Dimension.Role, Dimension.Sex],
            Measures = [Measure.ApproximateUniqueBeneficiaries, Measure.UniqueBeneficiaries],
            Rollup = true,
            Threads = 2,
            MinRecordsPerThread = 1,
        };
        var result = shape.ToQuery(p.Store(records)).Run();

        Reference.AssertSame(shape.Expected(p, records), Reference.Rows(result), tolerance: 0);
        Assert.Equal(5 * 4 + 5 + 1, result.Rows.Count);
        Assert.All(result.Rows, row =>
        {
            var exact = row.Count(Measure.UniqueBeneficiaries);
            var error = (row[Measure.ApproximateUniqueBeneficiaries]!.Value - exact) / exact;
            Assert.InRange(error, -3 * Measures.ApproximateUniqueRelativeError, 3 * Measures.ApproximateUniqueRelativeError);
        });
    }
}
