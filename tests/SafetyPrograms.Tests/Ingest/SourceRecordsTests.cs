using SafetyPrograms.Domain;
using SafetyPrograms.Ingest;
using SafetyPrograms.Privacy;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Aggregation;
using static SafetyPrograms.Tests.Ingest.ParticipationSourceTests;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>
/// A source read as records (<see cref="ParticipationSource.ReadRecords"/>), as a validator reads it: a CSV file through
/// its source gives the typed reader's results line for line; a raw identifier is keyed before it reaches a record or a
/// message, and a refusal names the source's column; a source that fails part way throws after the rows before; ending
/// the enumeration early stops the source.
/// </summary>
public sealed class SourceRecordsTests
{
    public static TheoryData<int, bool, string> Files => ParticipationSourceTests.Files;

    private static string[] Header => [.. ParticipationCsv.Columns.Take(8)];

    /// <summary>Each result as a line, record and reason; a reader's final exception as one more entry.</summary>
    private static List<(long Line, ParticipationRecord? Record, string? Reason, string? Path)> Results(IEnumerable<ParticipationReadResult> lines)
    {
        var results = new List<(long, ParticipationRecord?, string?, string?)>();
        try
        {
            foreach (var line in lines)
            {
                results.Add((line.LineNumber, line.Record, line.Error?.Message, line.Error?.Path));
            }
        }
        catch (DataFormatException end)
        {
            results.Add((-1, null, end.Message, end.Path));
        }
        return results;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ReadRecords_MessyCsvThroughItsSource_TheTypedReadersResultsLineForLine(int seed, bool bom, string ending)
    {
        var file = ChunkedIngestTests.File(csv: true, seed, bom, ending);

        var typed = Results(ParticipationCsv.Read(new MemoryStream(file), "parts.csv"));
        var source = Results(new CsvParticipationSource(new MemoryStream(file), "parts.csv").ReadRecords());

        Assert.Contains(typed, r => r.Record is null);
        Assert.Contains(typed, r => r.Record is not null);
        Assert.Equal(typed, source);
    }

    [Fact]
    public void ReadRecords_RawColumn_KeyedBeforeARecord_ARefusalNamesTheSourceColumnNeverTheValue()
    {
        using var pseudonymiser = new BeneficiaryPseudonymiser("made-up test secret: 0c7f31a9e5d24b6890f1e3a7c5b92d46");
        var keys = new RawIdentifierKeys(pseudonymiser, IdentifierScheme.PhoneNumber("92"));
        string[] columns = ["phone", .. Header[1..]];
        var source = new TableSource("parts", columns,
        [
            (2, Cells("0300-1234567", "act-1", "2024-01-01", "student", "female", "10-14", "online", "true")),
            (3, Cells("0300-CALL-ME", "act-1", "2024-01-01", "student", "female", "10-14", "online", "true")),
            (4, Cells("+92 300 1234567", "act-1", "2024-02-30", "student", "female", "10-14", "online", "true")),
        ]);

        var results = source.ReadRecords(new ParticipationSourceOptions { RawIdentifierColumn = "phone", RawIdentifiers = keys }).ToList();

        Assert.Equal([2L, 3L, 4L], results.Select(r => r.LineNumber));
        Assert.True(keys.TryKey("0300-1234567", out var key, out _));
        Assert.Equal(key, results[0].Record!.Beneficiary);
        Assert.Equal(("phone", false), (results[1].Error!.Path, results[1].Error!.Message.Contains("CALL", StringComparison.Ordinal)));
        Assert.Equal("date", results[2].Error!.Path);
    }

    [Fact]
    public void ReadRecords_SourceFailsPartWay_TheRowsBeforeThenTheFailure()
    {
        var rows = Enumerable.Range(0, 50).Select(i => ((long)i + 2, Cells($"ben-{i}", "act-1", "2024-01-01", "student", "female", "10-14", "online", "true"))).ToList();
        var source = new TableSource("parts", Header, rows) { FailAfter = (10, new IOException("connection reset")) };

        var read = new List<ParticipationReadResult>();
        var failure = Assert.Throws<ParticipationSourceException>(() =>
        {
            foreach (var line in source.ReadRecords())
            {
                read.Add(line);
            }
        });

        Assert.Equal(10, read.Count);
        Assert.Contains("10 rows had been read before", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("store", failure.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(failure.InnerException);
    }

    [Fact]
    public void ReadRecords_EndedEarly_StopsTheSource()
    {
        var rows = Enumerable.Range(0, 200_000).Select(i => ((long)i + 2, Cells($"ben-{i}", "act-1", "2024-01-01", "student", "female", "10-14", "online", "true"))).ToList();
        var source = new TableSource("parts", Header, rows);

        Assert.Equal(5, source.ReadRecords().Take(5).Count());

        // The source reads a few batches ahead, then is stopped when the enumeration is disposed.
        Assert.InRange(source.RowsGiven, 5, 100_000);
    }

    [Fact]
    public void ReadRecords_HeaderNamingNoField_ThrowsOnEnumeration()
    {
        var source = new TableSource("parts", ["who", "what"], [(2, Cells("a", "b"))]);

        var error = Assert.Throws<DataFormatException>(() => source.ReadRecords().ToList());

        Assert.Equal("parts", error.FileName);
    }
}
