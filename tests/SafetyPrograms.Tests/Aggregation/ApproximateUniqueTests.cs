using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Aggregation;

public class ApproximateUniqueTests
{
    [Fact]
    public void Estimate_SmallGroups_NearlyExact()
    {
        var p = TestProgramme.Build(seed: 71);
        var result = p.Store().Query().GroupBy(Dimension.School).Measure(Measure.UniqueBeneficiaries, Measure.ApproximateUniqueBeneficiaries).Run();
        foreach (var row in result.Rows)
        {
            var exact = row.Count(Measure.UniqueBeneficiaries);
            // Below a few hundred distinct keys in 16384 registers the sketch is in its linear-counting range:
            // the standard error is about 1/sqrt(2m) = 0.55% of the count; allow 4 of those, and at least 1.
            var tolerance = Math.Max(1, 0.022 * exact);
            Assert.InRange(row[Measure.ApproximateUniqueBeneficiaries]!.Value, exact - tolerance, exact + tolerance);
        }
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(20_000)]
    [InlineData(150_000)]
    public void Estimate_ManyKeys_WithinThreeStandardErrors(int distinct)
    {
        var p = TestProgramme.Build(seed: 72, records: 0);
        var activity = p.Dataset.Activities[0];
        var errors = new List<double>();
        for (var seed = 0; seed < 5; seed++)
        {
            var records = Enumerable.Range(0, distinct).Select(i => new ParticipationRecord(
                new BeneficiaryKey($"s{seed}-k{i}"), activity.Id, activity.Date, BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14,
                DeliveryMode.InPerson, false));
            var row = p.Store(records).Query().Measure(Measure.ApproximateUniqueBeneficiaries).Run().Rows[0];
            var error = (row[Measure.ApproximateUniqueBeneficiaries]!.Value - distinct) / distinct;
            Assert.InRange(Math.Abs(error), 0, 3 * Measures.ApproximateUniqueRelativeError);
            errors.Add(error);
        }
        Assert.Contains(errors, e => e != 0);
    }

    [Fact]
    public void Estimate_SameAsFromMergedPartialRegisters()
    {
        var p = TestProgramme.Build(seed: 73, records: 3000, beneficiaries: 2500);
        var direct = p.Store().Query().GroupBy(Dimension.Province).Measure(Measure.ApproximateUniqueBeneficiaries).Rollup().Run();
        var merged = p.Store(p.Records.Take(1000)).Query().GroupBy(Dimension.Province).Measure(Measure.ApproximateUniqueBeneficiaries).RunPartial()
            .Merge(p.Store(p.Records.Skip(1000)).Query().GroupBy(Dimension.Province).Measure(Measure.ApproximateUniqueBeneficiaries).RunPartial());
        Reference.AssertSame(Reference.Rows(direct), Reference.Rows(merged.ToResult(rollup: true)), tolerance: 0);
    }

    [Fact]
    public void Estimate_AnyNonEmptyCount_IsErtlsImprovedEstimator_WhicheverCountCameFirst()
    {
        const double m = HyperLogLog.RegisterCount;
        // σ(x) = x + Σ_{k≥1} x^(2^k)·2^(k−1), summed here term by term until the terms vanish.
        static double Sigma(double x)
        {
            var sum = x;
            var power = x;
            for (var k = 1; k < 64; k++)
            {
                power *= power;
                sum += power * Math.Pow(2, k - 1);
            }
            return sum;
        }
        static double Ertl(int nonEmpty, UInt128 scaledSum) =>
            m * m / (2 * Math.Log(2) * (((double)scaledSum / Math.Pow(2, 51)) + (m * Sigma((m - nonEmpty) / m))));

        int[] counts = [16_384, 1, 2, 3, 57, 58, 1_000, 9_999, 16_383, 57, 1, 16_384];
        var first = new Dictionary<(int, UInt128), double>();
        foreach (var nonEmpty in counts)
        {
            // Sums as a sketch of that many registers can hold: every register at rank 1 (2^50 each), or at rank 20.
            foreach (var scaledSum in new[] { (UInt128)nonEmpty << 50, (UInt128)nonEmpty << 31 })
            {
                var estimate = HyperLogLog.Estimate(nonEmpty, scaledSum);
                Assert.Equal(Ertl(nonEmpty, scaledSum), estimate, 1e-12 * estimate);
                if (first.TryGetValue((nonEmpty, scaledSum), out var before))
                {
                    Assert.Equal(before, estimate);
                }
                first[(nonEmpty, scaledSum)] = estimate;
            }
        }
        Assert.Equal(0, HyperLogLog.Estimate(0, 0));
    }
}
