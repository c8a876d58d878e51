using System.Text;
using Microsoft.Data.Sqlite;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Parquet;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Aggregation;
using SafetyPrograms.Tests.Ingest;
using SafetyPrograms.Validation;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Cli;

/// <summary>
/// <c>convert</c>: participation records to a Parquet file through the one row pipeline. Refused rows are counted and
/// reported, never written, so the file reads back as the store the input gives; <c>--store-order</c> writes the same
/// records in query order; the output is never an input, and a failed conversion leaves no file (an existing one as it was).
/// </summary>
public sealed class ConvertCliTests : IDisposable
{
    private static readonly List<SourceRow> Rows = SameRows.Build(Programme, seed: 1701, count: 4000);
    private readonly string _temp = Directory.CreateTempSubdirectory("sp-convert-").FullName;
    private readonly string _dataset;

    public ConvertCliTests()
    {
        _dataset = Path.Combine(_temp, "programmes.json");
        using var file = File.Create(_dataset);
        ProgrammeDatasetJson.Write(file, Programme.Dataset);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_temp, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static ParticipationStore ReadBack(ProgrammeDataset dataset, string parquet)
    {
        var store = new ParticipationStore(dataset);
        using var file = File.OpenRead(parquet);
        Assert.True(store.AppendParquet(file, parquet).IsClean, "a converted file holds only accepted records");
        return store;
    }

    /// <summary>The folder's files other than the dataset, by name: a half-written file would show here.</summary>
    private string[] Files() => [.. Directory.GetFiles(_temp).Select(Path.GetFileName).Where(f => f != "programmes.json").Order(StringComparer.Ordinal)!];

    [Fact]
    public async Task Csv_RefusedRowsCountedAndReported_NotWritten_FileReadsBackAsTheCsvStore()
    {
        var bytes = SameRows.Csv(Rows);
        var (fromCsvReport, fromCsv) = IngestFile(Programme, bytes, csv: true);
        var csv = Write("parts.csv", bytes);
        var parquet = Path.Combine(_temp, "parts.parquet");

        var (code, output, error) = await CliRunner.Run(["convert", "--dataset", _dataset, "--participations", csv, "--out", parquet]);

        Assert.Equal(1, code); // refused rows: read, but not clean
        Assert.True(fromCsvReport.Rejected > 0, "the rows include refused ones");
        Assert.Contains($"read {fromCsvReport.Read:N0} = accepted {fromCsvReport.Accepted:N0} + rejected {fromCsvReport.Rejected:N0}", output, StringComparison.Ordinal);
        Assert.Contains($"wrote {parquet}: {fromCsvReport.Accepted:N0} records, in the input's order", output, StringComparison.Ordinal);
        foreach (var (rule, count) in fromCsvReport.RejectedByCode)
        {
            Assert.Contains($"  {rule} {ValidationRules.Find(rule)!.Title}: {count:N0}", error, StringComparison.Ordinal);
        }
        AssertSameStore(fromCsv, ReadBack(Programme.Dataset, parquet));
        Assert.Equal(["parts.csv", "parts.parquet"], Files());
    }

    [Fact]
    public async Task StoreOrder_SameRecords_FileArrivesInQueryOrder_ReaderNeedsNoSort()
    {
        var bytes = SameRows.Csv(Rows);
        var (_, fromCsv) = IngestFile(Programme, bytes, csv: true);
        var csv = Write("parts.csv", bytes);
        var streamed = Path.Combine(_temp, "streamed.parquet");
        var sorted = Path.Combine(_temp, "sorted.parquet");

        var (streamedCode, _, _) = await CliRunner.Run(["convert", "--dataset", _dataset, "--participations", csv, "--out", streamed]);
        var (sortedCode, output, _) = await CliRunner.Run(["convert", "--dataset", _dataset, "--participations", csv, "--out", sorted, "--store-order"]);

        Assert.Equal((1, 1), (streamedCode, sortedCode));
        Assert.Contains("records, in store order", output, StringComparison.Ordinal);
        var fromSorted = ReadBack(Programme.Dataset, sorted);
        var fromStreamed = ReadBack(Programme.Dataset, streamed);
        Assert.True(fromSorted.IsSorted, "a file in store order leaves the reading store sorted");
        Assert.False(fromStreamed.IsSorted, "the CSV's order is not the store's");
        AssertSameStore(fromCsv, fromStreamed);
        // In store order the beneficiaries are numbered as they come in that order: the store the library's WriteStore gives.
        var viaWriteStore = new MemoryStream();
        ParticipationParquet.WriteStore(viaWriteStore, fromCsv);
        viaWriteStore.Position = 0;
        var expected = new ParticipationStore(Programme.Dataset);
        expected.AppendParquet(viaWriteStore);
        AssertSameStore(expected, fromSorted);
        GroupingTerm[] terms = [Dimension.School, Dimension.Sex, TimeBucket.Month];
        Measure[] measures = [Measure.Participations, Measure.UniqueBeneficiaries, Measure.Completions, Measure.MeanGain];
        Reference.AssertSame(
            Reference.Rows(fromCsv.Query().GroupBy(terms).Measure(measures).Run()),
            Reference.Rows(fromSorted.Query().GroupBy(terms).Measure(measures).Run()), tolerance: 0);
    }

    [Fact]
    public async Task JsonLines_RefusedLinesReported_FileReadsBackAsTheJsonLinesStore()
    {
        var p = TestProgramme.Build(seed: 1702, records: 1500);
        var text = p.ToJsonLines(p.Records.Take(700)) + "{\"beneficiary\": \"ben-1\", broken\n" + p.ToJsonLines(p.Records.Skip(700));
        var bytes = Encoding.UTF8.GetBytes(text);
        var (fromJsonReport, fromJson) = IngestFile(p, bytes, csv: false);
        var dataset = Path.Combine(_temp, "p.json");
        using (var file = File.Create(dataset))
        {
            ProgrammeDatasetJson.Write(file, p.Dataset);
        }
        var jsonl = Write("parts.jsonl", bytes);
        var parquet = Path.Combine(_temp, "parts.parquet");

        var (code, output, error) = await CliRunner.Run(["convert", "--dataset", dataset, "--participations", jsonl, "--out", parquet]);

        Assert.Equal(1, code);
        Assert.Equal((1501L, 1500L, 1L), (fromJsonReport.Read, fromJsonReport.Accepted, fromJsonReport.Rejected));
        Assert.Contains("read 1,501 = accepted 1,500 + rejected 1", output, StringComparison.Ordinal);
        Assert.Contains("line 701", error, StringComparison.Ordinal);
        AssertSameStore(fromJson, ReadBack(p.Dataset, parquet));
    }

    [Fact]
    public async Task OutputIsAnInput_ThroughALink_Refused_InputUntouched_NothingWritten()
    {
        var bytes = SameRows.Csv(Rows);
        var csv = Write("parts.csv", bytes);
        var link = Path.Combine(_temp, "parts.parquet");
        File.CreateSymbolicLink(link, csv);

        var (code, _, error) = await CliRunner.Run(["convert", "--dataset", _dataset, "--participations", csv, "--out", link]);

        Assert.Equal(2, code);
        Assert.Contains("is the input", error, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(csv));
        Assert.Equal(["parts.csv", "parts.parquet"], Files());
    }

    [Fact]
    public async Task OutputIsTheDataset_OrNotParquet_Refused_NothingWritten()
    {
        var csv = Write("parts.csv", SameRows.Csv(Rows));
        var before = File.ReadAllBytes(_dataset);

        var notParquet = await CliRunner.Run(["convert", "--dataset", _dataset, "--participations", csv, "--out", Path.Combine(_temp, "parts.csv.out")]);
        var parquetInput = Write("in.parquet", []);
        var overItself = await CliRunner.Run(["convert", "--dataset", _dataset, "--participations", parquetInput, "--out", parquetInput]);

        Assert.Equal(2, notParquet.Code);
        Assert.Contains("--out: the file to write is Parquet", notParquet.Err, StringComparison.Ordinal);
        Assert.Equal(2, overItself.Code);
        Assert.Contains("is the input", overItself.Err, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_dataset));
        Assert.Equal(["in.parquet", "parts.csv"], Files());
    }

    [Fact]
    public async Task DatabaseQueryFailsMidway_RowsSoFarReported_NoFileLeft_ExistingFileKept()
    {
        var database = Path.Combine(_temp, "attendance.db");
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            SameRows.Insert(connection, "participation", Rows, "text", "text", "boolean", "real");
        }
        // SQLite stops the query at row 1500: the absolute value of the smallest integer overflows.
        var query = SameRows.Select("participation").Replace(
            "order by id", "where abs(case when id = 1500 then -9223372036854775808 else id end) > 0 order by id", StringComparison.Ordinal);
        var parquet = Write("parts.parquet", Encoding.UTF8.GetBytes("the file before"));

        // Streamed, the rows so far went to the temporary file; in store order, to the store: neither leaves a file.
        foreach (var order in new[] { null, "--store-order" })
        {
            string[] args = ["convert", "--dataset", _dataset, "--database", $"Data Source={database};Pooling=False", "--participations", query, "--out", parquet];
            var (code, _, error) = await CliRunner.Run(order is null ? args : [.. args, order]);

            Assert.Equal(2, code);
            Assert.Contains("failed after row 1499 of the query result (", error, StringComparison.Ordinal);
            Assert.Contains("1,499 rows had been read before", error, StringComparison.Ordinal);
            Assert.Contains($"nothing written: {parquet} is as it was.", error, StringComparison.Ordinal);
            Assert.Equal("the file before", File.ReadAllText(parquet));
            Assert.Equal(["attendance.db", "parts.parquet"], Files());
        }
    }

    [Fact]
    public async Task DamagedParquetInput_Refused_NoFileWritten()
    {
        var good = new MemoryStream();
        ParticipationParquet.Write(good, Programme.Records.Take(200));
        var bytes = good.ToArray();
        bytes[^6] ^= 0x5A; // inside the footer's length or metadata
        var input = Write("in.parquet", bytes);

        var (code, _, error) = await CliRunner.Run(["convert", "--dataset", _dataset, "--participations", input, "--out", Path.Combine(_temp, "out.parquet")]);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Equal(["in.parquet"], Files());
    }
}
