using System.Text;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Generators;

namespace SafetyPrograms.Tests.Serialization;

/// <summary>read(write(x)) equals x, over hundreds of seeded random values, in every format.</summary>
public class RoundTripTests
{
    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 300; seed++)
        {
            seeds.Add(seed);
        }
        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Dataset_WriteThenRead_EqualsOriginal_AndRewritesByteIdentical(int seed)
    {
        var dataset = new DomainGenerator(seed).Dataset(size: 1 + (seed % 5));
        foreach (var indented in new[] { true, false })
        {
            var json = ProgrammeDatasetJson.ToJson(dataset, indented);
            var read = ProgrammeDatasetJson.Parse(json);
            Assert.Equal(dataset, read);
            Assert.Equal(json, ProgrammeDatasetJson.ToJson(read, indented));
        }
    }

    [Fact]
    public void Dataset_ThroughStreams_EqualsOriginal()
    {
        var dataset = new DomainGenerator(42).Dataset(size: 6);
        using var stream = new MemoryStream();
        ProgrammeDatasetJson.Write(stream, dataset);
        stream.Position = 0;
        Assert.Equal(dataset, ProgrammeDatasetJson.Read(stream, "x.json"));
    }

    [Fact]
    public async Task Dataset_ReadAsync_EqualsOriginal()
    {
        var dataset = new DomainGenerator(43).Dataset(size: 6);
        using var stream = new MemoryStream();
        ProgrammeDatasetJson.Write(stream, dataset);
        stream.Position = 0;
        Assert.Equal(dataset, await ProgrammeDatasetJson.ReadAsync(stream, "x.json", CancellationToken.None));
    }

    [Theory]
    [InlineData("jsonl", 7)]
    [InlineData("jsonl", 8)]
    [InlineData("jsonl", 9)]
    [InlineData("csv", 7)]
    [InlineData("csv", 8)]
    [InlineData("csv", 9)]
    public void Participations_WriteThenRead_EqualsOriginal_AndRewritesByteIdentical(string format, int seed)
    {
        var (write, read, firstLine) = format == "csv"
            ? ((Action<Stream, IEnumerable<ParticipationRecord>>)ParticipationCsv.Write, (Func<Stream, IEnumerable<ParticipationReadResult>>)(s => ParticipationCsv.Read(s)), 2)
            : (ParticipationJsonLines.Write, s => ParticipationJsonLines.Read(s), 1);
        var records = Records(seed, 400);
        using var stream = new MemoryStream();
        write(stream, records);
        var bytes = stream.ToArray();
        stream.Position = 0;
        var results = read(stream).ToList();
        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Equal(records, results.Select(r => r.Record!));
        Assert.Equal(Enumerable.Range(firstLine, records.Count).Select(i => (long)i), results.Select(r => r.LineNumber));

        using var again = new MemoryStream();
        write(again, results.Select(r => r.Record!));
        Assert.Equal(bytes, again.ToArray());
    }

    [Fact]
    public void Participations_CsvAndJsonLines_AgreeRecordForRecord()
    {
        var records = Records(11, 200);
        using var csv = new MemoryStream();
        using var jsonl = new MemoryStream();
        ParticipationCsv.Write(csv, records);
        ParticipationJsonLines.Write(jsonl, records);
        csv.Position = jsonl.Position = 0;
        Assert.Equal(
            ParticipationJsonLines.Read(jsonl).Select(r => r.Record),
            ParticipationCsv.Read(csv).Select(r => r.Record));
    }

    [Fact]
    public void Dataset_Unicode_IsWrittenReadably()
    {
        var dataset = new ProgrammeDataset(
            ProgrammeDataset.CurrentSchemaVersion, [new Organisation(new("org-1"), "محفوظ انٹرنیٹ, \"Zürich\"\n", OrganisationKind.Ngo)], []);
        var json = ProgrammeDatasetJson.ToJson(dataset);
        Assert.Contains("محفوظ انٹرنیٹ", json, StringComparison.Ordinal);
        Assert.Equal(dataset, ProgrammeDatasetJson.Parse(json));
    }

    private static List<ParticipationRecord> Records(int seed, int count)
    {
        var generator = new DomainGenerator(seed);
        var activities = Enumerable.Range(0, 5).Select(_ => generator.Id<Activity>("act-")).ToList();
        return [.. Enumerable.Range(0, count).Select(_ => generator.ParticipationRecord(generator.Pick(activities)))];
    }

    internal static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));
}
