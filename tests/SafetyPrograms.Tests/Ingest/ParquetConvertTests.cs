using SafetyPrograms.Aggregation;
using SafetyPrograms.Parquet;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Aggregation;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>
/// Streaming conversion to Parquet refuses and reports the rows an append refuses and writes the rest, so the file read
/// back gives the CSV's store; the file is renamed into place whole, never over its input. A file in the store's query
/// order keeps a store sorted as it is read, so its first query need not sort; a file out of that order, whatever its
/// metadata claims, is sorted as any other.
/// </summary>
public sealed class ParquetConvertTests
{
    private static readonly List<SourceRow> Rows = SameRows.Build(Programme, seed: 1601, count: 6000);

    [Fact]
    public void ConvertCsv_SameRefusalsAsAppendCsv_FileReadBackIsTheCsvStore()
    {
        var csv = SameRows.Csv(Rows);
        var (fromCsvReport, fromCsv) = IngestFile(Programme, csv, csv: true);
        var parquet = new MemoryStream();

        var report = ParticipationParquet.ConvertCsv(new MemoryStream(csv), "parts.csv", Programme.Dataset, parquet);

        Assert.True(report.Rejected > 0, "the rows include refused ones");
        AssertSameReport(fromCsvReport, report);
        parquet.Position = 0;
        var back = new ParticipationStore(Programme.Dataset);
        var read = back.AppendParquet(parquet, "parts.parquet");
        Assert.Equal((report.Accepted, report.Accepted, 0L), (read.Read, read.Accepted, read.Rejected));
        AssertSameStore(fromCsv, back);
    }

    [Fact]
    public void Convert_ParquetSource_SameRecordsAsItsStore()
    {
        var p = TestProgramme.Build(seed: 1602, records: 2000);
        var source = new MemoryStream();
        ParticipationParquet.Write(source, p.Records);
        source.Position = 0;
        var converted = new MemoryStream();

        var report = ParticipationParquet.Convert(new ParquetSource(source, "in.parquet"), p.Dataset, converted);

        Assert.Equal((p.Records.Count, (long)p.Records.Count), (report.Read, report.Accepted));
        converted.Position = 0;
        var back = new ParticipationStore(p.Dataset);
        back.AppendParquet(converted);
        AssertSameStore(p.Store(), back);
    }

    [Fact]
    public void ConvertCsvFile_WrittenWholeUnderItsName_NoTemporaryFileLeft()
    {
        using var directory = new TemporaryDirectory();
        var csv = Path.Combine(directory.Path, "parts.csv");
        var parquet = Path.Combine(directory.Path, "parts.parquet");
        File.WriteAllBytes(csv, SameRows.Csv(Rows));
        File.WriteAllText(parquet, "an older file, replaced");

        var report = ParticipationParquet.ConvertCsvFile(csv, parquet, Programme.Dataset);

        Assert.Equal(["parts.csv", "parts.parquet"], Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var store = new ParticipationStore(Programme.Dataset);
        using (var file = File.OpenRead(parquet))
        {
            Assert.Equal(report.Accepted, store.AppendParquet(file).Accepted);
        }
        Assert.Equal("parts.csv", report.FileName);
    }

    [Fact]
    public void ConvertCsvFile_OverItsOwnInput_RefusedInputUntouched()
    {
        using var directory = new TemporaryDirectory();
        var csv = Path.Combine(directory.Path, "parts.csv");
        var bytes = SameRows.Csv(Rows);
        File.WriteAllBytes(csv, bytes);

        Assert.Throws<ArgumentException>(() => ParticipationParquet.ConvertCsvFile(csv, Path.Combine(directory.Path, ".", "parts.csv"), Programme.Dataset));

        Assert.Equal(bytes, File.ReadAllBytes(csv));
        Assert.Single(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void ConvertCsvFile_HeaderOfAnotherFile_Refused_ExistingFileKept_NoTemporaryFileLeft()
    {
        using var directory = new TemporaryDirectory();
        var csv = Path.Combine(directory.Path, "parts.csv");
        var parquet = Path.Combine(directory.Path, "parts.parquet");
        File.WriteAllText(csv, "name,town\nAda,Lagos\n");
        File.WriteAllText(parquet, "the file before");

        Assert.Throws<DataFormatException>(() => ParticipationParquet.ConvertCsvFile(csv, parquet, Programme.Dataset));

        Assert.Equal("the file before", File.ReadAllText(parquet));
        Assert.Equal(2, Directory.GetFiles(directory.Path).Length);
    }

    [Fact]
    public async Task WriteStore_ReadBack_ArrivesInQueryOrder_StoreNeedsNoSort_SameColumnsAsSorted()
    {
        var p = TestProgramme.Build(seed: 1603, records: 3000);
        var store = p.Store();
        var parquet = new MemoryStream();
        ParticipationParquet.WriteStore(parquet, store);
        parquet.Position = 0;
        var back = new ParticipationStore(p.Dataset);

        back.AppendParquet(parquet);

        Assert.True(back.IsSorted);
        // Read in query order, the columns are already what sorting them would make: the keys and days row by row.
        var sorted = store.Sorted();
        var unsortedBack = back.Sorted();
        Assert.Equal(
            Enumerable.Range(0, store.Count).Select(i => (sorted.Beneficiaries.KeyOf(sorted.Beneficiary[i]), sorted.Day[i], sorted.Flags[i])),
            Enumerable.Range(0, back.Count).Select(i => (unsortedBack.Beneficiaries.KeyOf(unsortedBack.Beneficiary[i]), unsortedBack.Day[i], unsortedBack.Flags[i])));
        parquet.Position = 0;
        await using var reader = await global::Parquet.ParquetReader.CreateAsync(parquet);
        Assert.Equal(ParticipationParquet.StoreOrder, reader.CustomMetadata[ParticipationParquet.OrderKey]);
    }

    [Fact]
    public void FileClaimingQueryOrder_RowsOutOfIt_SortedAsAnyOther_SameAnswers()
    {
        var p = TestProgramme.Build(seed: 1604, records: 3000);
        var store = p.Store();
        var reversed = ParticipationParquet.StoreRecords(store).Reverse().ToList();
        var parquet = new MemoryStream();
        ParticipationParquet.Write(parquet, reversed, new Dictionary<string, string> { [ParticipationParquet.OrderKey] = ParticipationParquet.StoreOrder });
        parquet.Position = 0;
        var back = new ParticipationStore(p.Dataset);

        back.AppendParquet(parquet);

        Assert.False(back.IsSorted);
        var rng = new Random(1604);
        for (var q = 0; q < 25; q++)
        {
            var shape = QueryShape.Draw(rng, p);
            Reference.AssertSame(Reference.Rows(shape.ToQuery(store).Run()), Reference.Rows(shape.ToQuery(back).Run()), 0, $"query {q}: {shape}");
        }
    }

    [Fact]
    public void SecondFileInQueryOrder_AfterTheFirst_StoreSortsTheWhole_SameAnswersAsFromCsv()
    {
        var p = TestProgramme.Build(seed: 1605, records: 3000);
        var store = p.Store();
        var parquet = new MemoryStream();
        ParticipationParquet.WriteStore(parquet, store);
        var twice = new ParticipationStore(p.Dataset);
        var expected = new ParticipationStore(p.Dataset);

        for (var i = 0; i < 2; i++)
        {
            parquet.Position = 0;
            twice.AppendParquet(parquet);
            Assert.Equal(i == 0, twice.IsSorted); // each file is in order; the two together are not
            expected.Append(p.Records);
        }

        var rng = new Random(1605);
        for (var q = 0; q < 25; q++)
        {
            var shape = QueryShape.Draw(rng, p);
            Reference.AssertSame(Reference.Rows(shape.ToQuery(expected).Run()), Reference.Rows(shape.ToQuery(twice).Run()), 0, $"query {q}: {shape}");
        }
    }
}

/// <summary>A directory of its own for one test, removed with everything in it afterwards.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    internal string Path { get; } = Directory.CreateTempSubdirectory("sp-convert-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
