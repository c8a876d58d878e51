using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// A partial's HyperLogLog registers, sparse while few are non-empty and dense beyond: every form and every mix of forms
/// merges to the registers a plain dense maximum gives, and merged partials estimate exactly as one store does.
/// </summary>
public class HllRegistersTests
{
    /// <summary>Registers of <paramref name="keys"/> random hashes, dense as a textbook sketch keeps them.</summary>
    private static byte[] DenseOf(Random rng, int keys)
    {
        var registers = new byte[HyperLogLog.RegisterCount];
        for (var i = 0; i < keys; i++)
        {
            HyperLogLog.Add(registers, (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63));
        }
        return registers;
    }

    private static int NonEmpty(byte[] registers) => registers.Count(r => r != 0);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Max_SparseDenseAndMixed_SameRegistersAsDenseMax(int seed)
    {
        var rng = new Random(seed);
        var sparseMerges = 0;
        var denseMerges = 0;
        var mixedMerges = 0;
        for (var round = 0; round < 60; round++)
        {
            // Sizes from empty to far past the sparse limit, so that sparse, dense and sparse-turning-dense all occur:
            // every third round only small sets, every third only large ones, the rest any.
            var dense = Enumerable.Range(0, rng.Next(1, 6))
                .Select(_ => DenseOf(rng, (round % 3 == 2 ? rng.Next(3) : round % 3) switch { 0 => rng.Next(0, 50), 1 => rng.Next(6000, 20_000), _ => rng.Next(1000, 4000) }))
                .ToArray();
            var sets = dense.Select(d => HllRegisters.FromDense((byte[])d.Clone())).ToArray();
            var expected = new byte[HyperLogLog.RegisterCount];
            foreach (var d in dense)
            {
                HyperLogLog.MaxInto(expected, d);
            }

            var merged = HllRegisters.Max(sets);

            Assert.Equal(expected, merged.ToDense());
            Assert.Equal(NonEmpty(expected) <= HllRegisters.SparseLimit, merged.IsSparse);
            Assert.Equal(HyperLogLog.Summarize(expected), merged.Summarize());
            // Merging never changes its inputs, which partials share.
            for (var i = 0; i < sets.Length; i++)
            {
                Assert.Equal(dense[i], sets[i].ToDense());
            }
            sparseMerges += sets.Length > 1 && sets.All(s => s.IsSparse) ? 1 : 0;
            denseMerges += sets.Length > 1 && sets.All(s => !s.IsSparse) ? 1 : 0;
            mixedMerges += sets.Any(s => s.IsSparse) && sets.Any(s => !s.IsSparse) ? 1 : 0;
        }
        Assert.True(sparseMerges > 3 && denseMerges > 1 && mixedMerges > 3, $"premise: every kind of merge ({sparseMerges}, {denseMerges}, {mixedMerges})");
    }

    [Fact]
    public void Form_FollowsTheNonEmptyRegisters_AndEntriesRoundTrip()
    {
        var rng = new Random(7);
        foreach (var keys in new[] { 0, 1, 100, 4500, 5000, 30_000 })
        {
            var dense = DenseOf(rng, keys);
            var registers = HllRegisters.FromDense((byte[])dense.Clone());
            var entries = registers.Entries().ToArray();

            Assert.Equal(NonEmpty(dense) <= HllRegisters.SparseLimit, registers.IsSparse);
            Assert.Equal(NonEmpty(dense), entries.Length);
            Assert.True(entries.Zip(entries.Skip(1)).All(e => e.First / 64 < e.Second / 64), "entries in register order");
            Assert.All(entries, e => Assert.Equal(dense[e / 64], e % 64));
            var back = HllRegisters.FromEntries(entries);
            Assert.Equal(registers.IsSparse, back.IsSparse);
            Assert.Equal(dense, back.ToDense());
        }
    }

    [Fact]
    public void FromEntries_OutOfOrderOrRepeated_LastEntryOfARegisterHolds()
    {
        var registers = HllRegisters.FromEntries([(9 * 64) + 3, (2 * 64) + 5, (9 * 64) + 1]);

        Assert.True(registers.IsSparse);
        Assert.Equal([(2 * 64) + 5, (9 * 64) + 1], registers.Entries().ToArray());
        Assert.Equal(-1, HllRegisters.FirstInvalid([(2 * 64) + 5, (16383 * 64) + 51]));
        Assert.Equal(1, HllRegisters.FirstInvalid([(2 * 64) + 5, 16384 * 64]));
        Assert.Equal(0, HllRegisters.FirstInvalid([(2 * 64) + 52]));
        Assert.Equal(0, HllRegisters.FirstInvalid([2 * 64]));
        Assert.Equal(0, HllRegisters.FirstInvalid([-1]));
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(10, false)]
    [InlineData(12_000, true)]
    [InlineData(12_000, false)]
    public void Builder_HashesInOrderOrNot_SameRegistersAsTheDenseSketch(int keys, bool inHashOrder)
    {
        var rng = new Random(keys);
        var hashes = Enumerable.Range(0, keys).Select(_ => (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63)).ToArray();
        if (inHashOrder)
        {
            Array.Sort(hashes);
        }
        var expected = new byte[HyperLogLog.RegisterCount];
        var builder = new HllRegisters.Builder();
        foreach (var hash in hashes)
        {
            HyperLogLog.Add(expected, hash);
            builder.Add(hash);
        }

        var built = builder.Build();

        Assert.Equal(expected, built.ToDense());
        Assert.Equal(NonEmpty(expected) <= HllRegisters.SparseLimit, built.IsSparse);
    }

    [Theory]
    [MemberData(nameof(RandomQueryEquivalenceTests.Stores), MemberType = typeof(RandomQueryEquivalenceTests))]
    public void Approximate_MergedPartials_EqualOneStoreExactly(int store)
    {
        var p = RandomQueryEquivalenceTests.Programme(store);
        var whole = p.Store();
        var rng = new Random(1600 + store);
        for (var q = 0; q < 10; q++)
        {
            var shape = QueryShape.Draw(rng, p) with { Measures = [Measure.ApproximateUniqueBeneficiaries, Measure.Participations] };
            var ranges = ShardRange.Split(rng.Next(2, 6));
            var expected = Reference.Rows(shape.ToQuery(whole).Run());
            var context = $"store {store}, query {q}, {ranges.Count} shards: {shape}";

            var shards = ShardPartialTests.Route(p.Records, ranges)
                .Select((records, i) => shape.ToQuery(p.Store(records)).RunShardPartial(ranges[i]))
                .ToArray();
            Reference.AssertSame(expected, Reference.Rows(ShardPartial.Merge(shards).ToResult()), tolerance: 0, context);

            if (PartialMergeEquivalenceTests.UsesDisability(shape))
            {
                // A part's store knows only its own records' answers (see PartialMergeEquivalenceTests): not a register matter.
                continue;
            }

            // Key-set partials of any split of the records (not by hash), merged one pair at a time.
            var chunks = p.Records.Chunk(Math.Max(1, p.Records.Count / ranges.Count)).ToArray();
            var keySets = chunks.Select(c => shape.ToQuery(p.Store(c)).RunPartial()).ToArray();
            Reference.AssertSame(expected, Reference.Rows(AggregatePartial.Merge(keySets).ToResult(shape.Rollup)), tolerance: 0, context);
        }
    }

    [Fact]
    public void Approximate_SparseShardsMergingIntoDenseGroups_EqualOneStoreExactly()
    {
        // 60,000 children over 5 roles in 4 shards: each shard's role groups hold about 3,000 children (sparse registers),
        // the merged role groups 12,000 and the total 60,000 (dense).
        var p = TestProgramme.Build(seed: 411, records: 0);
        var records = ApproximateUniqueReferenceTests.Children(p, 60_000);
        var ranges = ShardRange.Split(4);
        var query = (ParticipationStore s) => s.Query().GroupBy(Dimension.Role).Measure(Measure.ApproximateUniqueBeneficiaries).Rollup();

        var shards = ShardPartialTests.Route(records, ranges).Select((r, i) => query(p.Store(r)).RunShardPartial(ranges[i])).ToArray();
        var merged = ShardPartial.Merge(shards);
        var travelled = ShardPartial.FromJson(merged.ToJson());

        Assert.All(shards.SelectMany(s => s.Groups), g => Assert.True(g.Hll!.IsSparse, "premise: sparse in every shard"));
        Assert.Contains(merged.Groups, g => !g.Hll!.IsSparse);
        var expected = Reference.Rows(query(p.Store(records)).Run());
        Reference.AssertSame(expected, Reference.Rows(merged.ToResult()), tolerance: 0);
        Reference.AssertSame(expected, Reference.Rows(travelled.ToResult()), tolerance: 0);
    }
}
