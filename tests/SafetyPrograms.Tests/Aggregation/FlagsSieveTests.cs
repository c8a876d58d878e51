using SafetyPrograms.Aggregation;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// The kernel's flags sieve: from any start to any end of a flags column it visits exactly the records whose masked flags
/// equal the value, in order, once each — across 64-record blocks, in a last block shorter than 64, and when every record
/// of a block passes.
/// </summary>
public class FlagsSieveTests
{
    [Fact]
    public void Next_SeededRandomColumnsAndRanges_VisitsExactlyThePassingRecordsInOrder()
    {
        var rng = new Random(6401);
        for (var round = 0; round < 3000; round++)
        {
            var flags = new byte[rng.Next(0, 400)];
            var mask = (byte)rng.Next(1, 256);
            var value = (byte)(rng.Next(256) & mask);
            // Dense rounds: most records pass, so whole blocks of 64 bits are set.
            var passShare = round % 3 == 0 ? 0.9 : 0.05;
            for (var i = 0; i < flags.Length; i++)
            {
                var other = (byte)rng.Next(256);
                flags[i] = rng.NextDouble() < passShare ? (byte)((other & ~mask) | value) : other;
            }
            var start = rng.Next(0, flags.Length + 1);
            var end = rng.Next(start, flags.Length + 1);

            var expected = Enumerable.Range(start, end - start).Where(i => (flags[i] & mask) == value).ToList();
            Assert.Equal(expected, Visit(new QueryEngine.FlagsSieve(mask, value), flags, start, end));
        }
    }

    [Fact]
    public void Next_EveryRecordPasses_VisitsEachRecordOnce()
    {
        var flags = Enumerable.Range(0, 200).Select(i => (byte)(0x40 | (i & 0x3F))).ToArray();
        Assert.Equal(Enumerable.Range(3, 190), Visit(new QueryEngine.FlagsSieve(0x40, 0x40), flags, 3, 193));
    }

    private static List<int> Visit(QueryEngine.FlagsSieve sieve, byte[] flags, int start, int end)
    {
        var visited = new List<int>();
        ulong candidates = 0;
        var block = start - 64;
        for (var i = sieve.Next(flags, ref candidates, ref block, end); i >= 0; i = sieve.Next(flags, ref candidates, ref block, end))
        {
            visited.Add(i);
        }
        return visited;
    }
}
