using System.Text;
using SafetyPrograms.Indexing;
using SafetyPrograms.Ingest;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>
/// A batch's key column: a row that repeats the row before's key (a person's run in a store-order Parquet file) reads
/// back as that key with its hash, and the keys added after it start where the last copied key ended, past any growth.
/// </summary>
public sealed class KeyColumnTests
{
    [Fact]
    public void AddRepeat_BetweenAdds_EveryRowReadsItsKeyAndHash()
    {
        var column = new KeyColumn(2);
        string[] expected = ["ben-a", "ben-a", "ben-bb", "ben-bb", "ben-bb", "c", "ben-dddd", "ben-dddd"];
        for (var row = 0; row < expected.Length; row++)
        {
            var key = Encoding.ASCII.GetBytes(expected[row]);
            if (row > 0 && expected[row] == expected[row - 1])
            {
                column.AddRepeat();
            }
            else
            {
                column.Add(key, BeneficiaryHash.Of(key));
            }
        }

        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(r => Encoding.ASCII.GetString(column[r])));
        Assert.Equal(expected.Select(k => BeneficiaryHash.Of(Encoding.ASCII.GetBytes(k))), column.Hashes.ToArray());
    }
}
