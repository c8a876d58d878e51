using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Orleans;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Aggregation;

namespace SafetyPrograms.Tests.Orleans;

/// <summary>
/// What travels between silos and the client through the Orleans serializer: shard partials in their column form, exactly
/// (every group, sum, count, set, register and level count), damaged columns refused, a data error as itself, and a
/// partial cut into chunks each within its bound, in key order, together exactly the whole.
/// </summary>
[Collection(OrleansCollection.Name)]
public class ShardWireTests(OrleansCluster fixture)
{
    private static readonly Measure[] AllMeasures = Enum.GetValues<Measure>();

    private Serializer Serializer => fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();

    [Fact]
    public void ShardPartial_ManyGroups_RoundTripsExactly()
    {
        var p = OrleansCluster.Programmes["wide"];
        var ranges = ShardRange.Split(3);
        var parts = ShardPartialTests.Route(p.Records, ranges);
        // Every measure (sets, registers, counts of people) over the finest grouping the data has, with every rollup level.
        var partials = parts
            .Select((records, i) => p.Store(records).Query().GroupBy(TimeBucket.Day, Dimension.School, Dimension.Role, Dimension.Sex)
                .Measure(AllMeasures).Rollup().RunShardPartial(ranges[i]))
            .ToArray();

        var travelled = partials.Select(RoundTrip).ToArray();

        Assert.True(partials[0].GroupCount > 1000, $"premise: many groups ({partials[0].GroupCount})");
        Assert.True(partials[0].Subtotals.Sum(l => l.Count) > 100, "premise: many level counts");
        Assert.All(partials[0].Groups.Take(50), g => Assert.NotNull(g.Hll));
        for (var i = 0; i < partials.Length; i++)
        {
            Assert.Equal(partials[i].ToJson(), travelled[i].ToJson());
        }
        Assert.Equal(ShardPartial.Merge(partials).ToJson(), ShardPartial.Merge(travelled).ToJson());
        var whole = p.Store().Query().GroupBy(TimeBucket.Day, Dimension.School, Dimension.Role, Dimension.Sex).Measure(AllMeasures).Rollup().Run();
        Reference.AssertSame(Reference.Rows(whole), Reference.Rows(ShardPartial.Merge(travelled).ToResult()), tolerance: 0, "merged after the wire");
    }

    [Theory]
    [MemberData(nameof(RandomQueryEquivalenceTests.Stores), MemberType = typeof(RandomQueryEquivalenceTests))]
    public void ShardPartial_SeededRandomQueries_RoundTripExactly(int store)
    {
        // The random suite's shapes carry school-term calendars, age schemes, disability cut-offs, filters and rollups.
        var p = RandomQueryEquivalenceTests.Programme(store);
        var ranges = ShardRange.Split(2);
        var half = p.Store(ShardPartialTests.Route(p.Records, ranges)[1]);
        var rng = new Random(1650 + store);
        for (var q = 0; q < 15; q++)
        {
            var shape = QueryShape.Draw(rng, p);
            var partial = shape.ToQuery(half).RunShardPartial(ranges[1]);

            Assert.Equal(partial.ToJson(), RoundTrip(partial).ToJson());
        }
    }

    [Fact]
    public void ShardPartial_DamagedColumns_Refused()
    {
        var partial = OneShard();
        var converter = new ShardPartialConverter();
        var wire = converter.ConvertToSurrogate(partial);
        var rows = wire.Keys.Length / partial.GroupCount;
        var swapped = (byte[])wire.Keys.Clone();
        wire.Keys.AsSpan(0, rows).CopyTo(swapped.AsSpan(rows));
        wire.Keys.AsSpan(rows, rows).CopyTo(swapped.AsSpan(0, rows));

        Assert.Equal(partial.ToJson(), converter.ConvertFromSurrogate(wire).ToJson());
        Assert.Contains("keys in order", Assert.Throws<InvalidDataException>(() => converter.ConvertFromSurrogate(wire with { Keys = swapped })).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => converter.ConvertFromSurrogate(wire with { Sums = wire.Sums[..^8] }));
        Assert.Throws<InvalidDataException>(() => converter.ConvertFromSurrogate(wire with { Labels = [.. wire.Labels.Select(l => l[..1])] }));
        Assert.Throws<InvalidDataException>(() => converter.ConvertFromSurrogate(wire with { People = [.. wire.People.Select(_ => (byte)0xff)] }));
        Assert.Throws<InvalidDataException>(() => converter.ConvertFromSurrogate(wire with { LevelSizes = [.. wire.LevelSizes.Select(_ => (byte)0)] }));
    }

    [Fact]
    public void ShardPartial_SparseRegisters_TravelAsTheirEntries()
    {
        var partial = OneShard();
        var wire = new ShardPartialConverter().ConvertToSurrogate(partial);

        var travelled = RoundTrip(partial);

        var pairs = partial.Groups.Zip(travelled.Groups).ToArray();
        Assert.Equal(partial.GroupCount, travelled.GroupCount);
        Assert.All(pairs, pair =>
        {
            Assert.True(pair.First.Hll!.IsSparse, "premise: a small group's registers are sparse");
            Assert.True(pair.Second.Hll!.IsSparse);
            Assert.Equal(pair.First.Hll.Entries().ToArray(), pair.Second.Hll.Entries().ToArray());
        });
        // Four bytes per non-empty register, nothing per empty one.
        Assert.Equal(partial.Groups.Sum(g => g.Hll!.Entries().Length) * sizeof(int), wire.Hll.Length);
    }

    [Fact]
    public void ShardPartial_DenseRegisters_TravelExactly()
    {
        // 40,000 children in 5 roles: 8,000 in a group fill most registers, the dense form, which travels as the same entries.
        var p = OrleansCluster.Programmes["chunks"];
        var records = ApproximateUniqueReferenceTests.Children(p, 40_000);
        var range = ShardRange.Split(1)[0];
        var partial = p.Store(records).Query().GroupBy(Dimension.Role).Measure(Measure.ApproximateUniqueBeneficiaries).RunShardPartial(range);

        var travelled = RoundTrip(partial);

        Assert.Equal(5, travelled.GroupCount);
        Assert.All(partial.Groups.Zip(travelled.Groups), pair =>
        {
            Assert.False(pair.First.Hll!.IsSparse, "premise: dense");
            Assert.False(pair.Second.Hll!.IsSparse);
            Assert.Equal(pair.First.Hll.ToDense(), pair.Second.Hll.ToDense());
        });
        Assert.Equal(partial.ToJson(), travelled.ToJson());
    }

    [Fact]
    public void DataFormatException_OfAContractRead_TravelsAsItself()
    {
        var json = OneShard().ToJson();
        var original = Assert.Throws<DataFormatException>(() => ShardPartial.FromJson(json.Replace("\"rollup\":true", "\"rollup\":\"yes\"", StringComparison.Ordinal)));

        var travelled = Travel(original);

        Assert.NotNull(original.Path);
        AssertSameError(original, travelled);
    }

    [Fact]
    public void DataFormatException_OfAFile_TravelsAsItself()
    {
        var original = new DataFormatException("The file is not a Parquet file.", "chunk-000001.parquet", "school", 3, 7);

        var travelled = Travel(original);

        AssertSameError(original, travelled);
        Assert.Equal("chunk-000001.parquet", travelled.FileName);
        Assert.Equal((3L, 7L), (travelled.LineNumber!.Value, travelled.BytePositionInLine!.Value));
    }

    private static void AssertSameError(DataFormatException expected, DataFormatException actual)
    {
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(expected.Reason, actual.Reason);
        Assert.Equal(expected.FileName, actual.FileName);
        Assert.Equal(expected.Path, actual.Path);
        Assert.Equal((expected.LineNumber, expected.BytePositionInLine), (actual.LineNumber, actual.BytePositionInLine));
        Assert.Equal(expected.ProblemCount, actual.ProblemCount);
        Assert.Equal(expected.Problems, actual.Problems);
    }

    /// <summary>The exception through the Orleans serializer as a call's error travels: typed only as an exception.</summary>
    private DataFormatException Travel(DataFormatException error) =>
        Assert.IsType<DataFormatException>(Serializer.Deserialize<Exception>(Serializer.SerializeToArray<Exception>(error)));

    private ShardPartial RoundTrip(ShardPartial partial) => Serializer.Deserialize<ShardPartial>(Serializer.SerializeToArray(partial))!;

    private static ShardPartial OneShard()
    {
        var p = OrleansCluster.Programmes["chunks"];
        var ranges = ShardRange.Split(2);
        return p.Store(ShardPartialTests.Route(p.Records, ranges)[0]).Query()
            .GroupBy(Dimension.Province, Dimension.School, Dimension.Role).Measure(AllMeasures).Rollup().RunShardPartial(ranges[0]);
    }

    [Theory]
    [InlineData(2 << 10)]
    [InlineData(16 << 10)]
    [InlineData(64 << 10)]
    public void Split_EveryChunkWithinItsBound_TogetherTheWholePartial(int bound)
    {
        var partial = WidePartial();

        var chunks = PartialChunk.Split(partial, bound);

        var sizes = chunks.Select((c, i) => Serializer.SerializeToArray(new PartialChunk(c, i + 1, chunks.Count, Guid.NewGuid())).Length).ToArray();
        var whole = Serializer.SerializeToArray(partial).Length;
        Assert.True(whole > 2 * bound, $"premise: the partial ({whole:N0} bytes) is past the bound ({bound:N0})");
        Assert.True(chunks.Count > 1, $"{chunks.Count} chunk(s)");
        Assert.All(sizes, size => Assert.InRange(size, 1, bound));
        Assert.All(chunks, c => Assert.Equal(partial.Ranges, c.Ranges));
        Assert.Equal(partial.ToJson(), Joined(chunks).ToJson());
    }

    [Fact]
    public void Split_APartialWithinTheBound_IsOneChunk()
    {
        var partial = WidePartial();

        var chunks = PartialChunk.Split(partial, 64 << 20);

        Assert.Equal(partial.ToJson(), Assert.Single(chunks).ToJson());
    }

    [Fact]
    public void Split_AGroupLargerThanTheBound_TravelsAlone()
    {
        // By sex alone, each group holds a shard's thousand people: a thousand sketch registers and more, past the bound.
        var partial = Partial(q => q.GroupBy(Dimension.Sex).Measure(AllMeasures).Rollup());
        var large = partial.GroupsByKey.Values.Max(g => ShardPartialConverter.GroupBytes(AggregatePartial.KeyOf(g.Keys), g));

        var chunks = PartialChunk.Split(partial, 1024);

        Assert.True(large > 1024, $"premise: a group takes more than the bound ({large:N0} bytes)");
        Assert.Contains(chunks, c => c.GroupCount == 1 && ShardPartialConverter.GroupBytes(c.GroupsByKey.Keys[0], c.GroupsByKey.Values[0]) > 1024);
        Assert.All(chunks, c => Assert.True(c.GroupCount + c.LevelsByKey.Sum(l => l.Count) > 0, "no empty chunk"));
        Assert.Equal(partial.ToJson(), Joined(chunks).ToJson());
    }

    /// <summary>The chunks of one partial put back together, in order: their groups, then each level's counts.</summary>
    internal static ShardPartial Joined(IEnumerable<ShardPartial> chunks)
    {
        var all = chunks.ToList();
        var groups = new SortedList<string, PartialGroup>(StringComparer.Ordinal);
        var levels = all[0].LevelsByKey.Select(_ => new SortedList<string, PersonCounts>(StringComparer.Ordinal)).ToArray();
        foreach (var chunk in all)
        {
            foreach (var (key, group) in chunk.GroupsByKey)
            {
                groups.Add(key, group);
            }
            for (var l = 0; l < levels.Length; l++)
            {
                foreach (var (key, counts) in chunk.LevelsByKey[l])
                {
                    levels[l].Add(key, counts);
                }
            }
        }
        return all[0].With(groups, levels);
    }

    /// <summary>One shard's partial of every measure over the finest grouping of the wide test programme, rolled up.</summary>
    private static ShardPartial WidePartial() =>
        Partial(q => q.GroupBy(TimeBucket.Day, Dimension.School, Dimension.Role, Dimension.Sex).Measure(AllMeasures).Rollup());

    /// <summary>The partial of the second of three shards of the wide test programme for a query.</summary>
    private static ShardPartial Partial(Func<AggregationQuery, AggregationQuery> query)
    {
        var p = OrleansCluster.Programmes["wide"];
        var ranges = ShardRange.Split(3);
        var own = ShardPartialTests.Route(p.Records, ranges)[1];
        return query(p.Store(own).Query()).RunShardPartial(ranges[1]);
    }
}
