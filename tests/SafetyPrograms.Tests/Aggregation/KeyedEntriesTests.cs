using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// How a shard partial holds its entries in key order: the run refuses an entry out of order or repeated and finds every
/// key it holds; the finest groups sorted by label ranks come out in exactly the order their joined keys sort in, and
/// labels for which that would not hold are sorted as strings instead.
/// </summary>
public class KeyedEntriesTests
{
    [Fact]
    public void Append_OutOfOrderOrRepeated_Refused()
    {
        var run = new KeyedEntries<int>();
        run.Append("b", 1);

        Assert.Throws<ArgumentException>(() => run.Append("a", 2));
        Assert.Throws<ArgumentException>(() => run.Append("b", 3));
        Assert.False(run.TryAppend("b", 4));
        Assert.True(run.TryAppend("c", 5));
        Assert.Equal(["b", "c"], run.Keys);
        Assert.Equal([1, 5], run.Values);
    }

    [Fact]
    public void FromSorted_RepeatedKey_Refused() =>
        Assert.Throws<ArgumentException>(() => KeyedEntries<int>.FromSorted(["a", "b", "b"], [1, 2, 3]));

    [Fact]
    public void Of_AnyOrder_SortedOrdinallyAndFoundByKey()
    {
        var rng = new Random(7);
        var entries = Enumerable.Range(0, 500).Select(i => KeyValuePair.Create(RandomLabel(rng) + "#" + i, i)).ToArray();

        var run = KeyedEntries<int>.Of(entries.OrderBy(_ => rng.Next()));

        Assert.Equal(entries.Select(e => e.Key).Order(StringComparer.Ordinal), run.Keys);
        Assert.All(entries, e => Assert.Equal(e.Value, run[e.Key]));
        Assert.False(run.TryGetValue("absent", out _));
        Assert.False(run.ContainsKey(string.Empty));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 2)]
    public void SortByRanks_RandomLabels_SameOrderAsJoinedKeys(int seed, int terms)
    {
        var rng = new Random(seed);
        // Labels that are prefixes of one another, with spaces, accents and surrogate pairs: where the separator's place matters.
        var tables = Enumerable.Range(0, terms).Select(_ => Enumerable.Range(0, 40).Select(_ => RandomLabel(rng)).ToArray()).ToArray();
        var rows = Enumerable.Range(0, 2000)
            .Select(_ => tables.Select(t => rng.Next(t.Length)).ToArray())
            .DistinctBy(r => AggregatePartial.KeyOf([.. r.Select((v, t) => tables[t][v])]))
            .ToArray();
        var values = rows.SelectMany(r => r).ToArray();
        var order = Enumerable.Range(0, rows.Length).ToArray();

        var ranks = QueryEngine.LabelRanks(tables);

        Assert.NotNull(ranks);
        Assert.True(QueryEngine.SortByRanks(ranks, values, terms, order));
        var byRank = order.Select(i => KeyOf(tables, rows[i])).ToArray();
        var byString = rows.Select(r => KeyOf(tables, r)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(byString, byRank);
    }

    [Fact]
    public void LabelRanks_ControlCharacterBelowSeparator_SortedAsStrings()
    {
        // "a\u0001b" follows "a" as a label, but "a\u0001b\u001fy" comes before "a\u001fx" as a key.
        Assert.Null(QueryEngine.LabelRanks([["a", "a\u0001b"], ["x", "y"]]));
        Assert.Null(QueryEngine.LabelRanks([["a", "a\u001fb"]]));
        Assert.NotNull(QueryEngine.LabelRanks([["a", "a b"], ["x"]]));
    }

    [Fact]
    public void LabelRanks_EqualLabels_EqualRanks()
    {
        var ranks = QueryEngine.LabelRanks([["b", "a", "b", "c"]])!;

        Assert.Equal([1, 0, 1, 2], ranks[0]);
    }

    private static string KeyOf(string[][] tables, int[] row) => AggregatePartial.KeyOf([.. row.Select((v, t) => tables[t][v])]);

    private static string RandomLabel(Random rng)
    {
        string[] pieces = ["a", "ab", "b", " ", "-", "Z", "é", "\U0001F600", "0", "~"];
        return string.Concat(Enumerable.Range(0, rng.Next(0, 4)).Select(_ => pieces[rng.Next(pieces.Length)]));
    }
}
