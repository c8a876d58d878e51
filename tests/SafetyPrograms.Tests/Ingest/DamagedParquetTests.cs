using SafetyPrograms.Aggregation;
using SafetyPrograms.Parquet;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Aggregation;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>
/// A Parquet file damaged anywhere (page headers, compressed pages, dictionary pages, the footer) is read to a clear end:
/// every row accounted for, or a <see cref="DataFormatException"/> that adds nothing; never another exception, a hang or
/// a partial append. The direct column-chunk reader decodes pages itself, so it must hold where Parquet.Net would.
/// </summary>
public sealed class DamagedParquetTests
{
    private static readonly TestProgramme Programme = TestProgramme.Build(seed: 1507, records: 4000);

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 150)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task AppendParquet_BytesDamagedAnywhere_EveryRowAccountedForOrRefusedWhole(int seed)
    {
        var bytes = Damaged(Original.Value, seed);
        var store = new ParticipationStore(Programme.Dataset);
        store.Append(Programme.Records.Take(7));

        var append = Task.Run(() =>
        {
            try
            {
                return (Report: store.AppendParquet(new MemoryStream(bytes), "damaged.parquet"), Error: (Exception?)null);
            }
            catch (Exception ex)
            {
                return (Report: (SafetyPrograms.Ingest.IngestReport?)null, Error: ex);
            }
        });
        var finished = await Task.WhenAny(append, Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.True(finished == append, "reading a damaged file must end");
        var (report, error) = await append;
        if (error is null)
        {
            Assert.Equal(report!.Read, report.Accepted + report.Rejected);
            Assert.Equal(7 + report.Accepted, store.Count);
        }
        else
        {
            var refusal = Assert.IsType<DataFormatException>(error);
            Assert.Equal("damaged.parquet", refusal.FileName);
            Assert.Contains("damaged", refusal.Message, StringComparison.Ordinal);
            Assert.Equal(7, store.Count);
        }
    }

    private static readonly Lazy<byte[]> Original = new(() =>
    {
        var parquet = new MemoryStream();
        ParticipationParquet.Write(parquet, Programme.Records);
        return parquet.ToArray();
    });

    /// <summary>A copy with a few bytes overwritten: most seeds hit pages, some the footer, some a run of bytes.</summary>
    private static byte[] Damaged(byte[] original, int seed)
    {
        var random = new Random(seed);
        var bytes = (byte[])original.Clone();
        var hits = 1 + random.Next(4);
        for (var i = 0; i < hits; i++)
        {
            var at = 4 + random.Next(bytes.Length - 12); // past the leading magic, before the footer length and closing magic
            var run = random.Next(3) == 0 ? 1 + random.Next(16) : 1;
            for (var b = at; b < Math.Min(bytes.Length - 8, at + run); b++)
            {
                bytes[b] = (byte)random.Next(256);
            }
        }
        return bytes;
    }
}
