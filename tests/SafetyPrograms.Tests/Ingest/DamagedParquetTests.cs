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
            if (refusal.Reason.StartsWith(PageFaultStart, StringComparison.Ordinal))
            {
                AssertPageFault(refusal);
            }
            Assert.Equal(7, store.Count);
        }
    }

    [Fact]
    public void AppendParquet_APageThatCannotBeDecoded_NamesThePlaceAndAFixedFault_NeverTheDecodersWords()
    {
        var faults = new List<DataFormatException>();
        for (var seed = 0; seed < 150 && faults.Count < 5; seed++)
        {
            try
            {
                new ParticipationStore(Programme.Dataset).AppendParquet(new MemoryStream(Damaged(Original.Value, seed, pagesOnly: true)), "damaged.parquet");
            }
            catch (DataFormatException refusal) when (refusal.Reason.StartsWith(PageFaultStart, StringComparison.Ordinal))
            {
                faults.Add(refusal);
            }
        }

        Assert.NotEmpty(faults);
        Assert.All(faults, AssertPageFault);
    }

    private const string PageFaultStart = "The file is damaged: row group ";

    /// <summary>
    /// A page that does not decode: the file, row group and column and one of the fixed kinds of fault, nothing more, so no
    /// text from the damaged bytes can reach the message; the decoder's error stays the inner exception.
    /// </summary>
    private static void AssertPageFault(DataFormatException refusal)
    {
        Assert.Matches(
            @"^The file is damaged: row group [0-9]+, column '[A-Za-z]+' cannot be decoded \((its data ends early|its pages are not valid|its values cannot be read)\)\. Write it again from its source\.$",
            refusal.Reason);
        Assert.Equal("damaged.parquet", refusal.FileName);
        Assert.Matches("^[A-Za-z]+$", refusal.Path);
        var inner = Assert.IsAssignableFrom<Exception>(refusal.InnerException);
        if (inner.Message.Length > 0)
        {
            Assert.DoesNotContain(inner.Message, refusal.Message, StringComparison.Ordinal);
        }
    }

    private static readonly Lazy<byte[]> Original = new(() =>
    {
        var parquet = new MemoryStream();
        ParticipationParquet.Write(parquet, Programme.Records);
        return parquet.ToArray();
    });

    /// <summary>
    /// A copy with a few bytes overwritten: most seeds hit pages, some the footer, some a run of bytes; with
    /// <paramref name="pagesOnly"/>, only bytes between the leading magic and the footer.
    /// </summary>
    private static byte[] Damaged(byte[] original, int seed, bool pagesOnly = false)
    {
        var random = new Random(seed);
        var bytes = (byte[])original.Clone();
        // The footer ends with its length and the closing magic; the pages lie between the leading magic and the footer.
        var end = pagesOnly ? bytes.Length - 8 - BitConverter.ToInt32(bytes, bytes.Length - 8) : bytes.Length - 8;
        var hits = 1 + random.Next(4);
        for (var i = 0; i < hits; i++)
        {
            var at = 4 + random.Next(end - 4); // past the leading magic, before the end
            var run = random.Next(3) == 0 ? 1 + random.Next(16) : 1;
            for (var b = at; b < Math.Min(end, at + run); b++)
            {
                bytes[b] = (byte)random.Next(256);
            }
        }
        return bytes;
    }
}
