using System.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Ingest;
using SafetyPrograms.Privacy;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Aggregation;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>
/// A source of rows with named columns runs the one row pipeline: the rows of a messy CSV file handed over cell by cell
/// give the store and the reasons the CSV ingest gives; columns map by name; raw identifiers are keyed before they land;
/// a dry run changes nothing; a source that fails part way leaves the store as it was.
/// </summary>
public sealed class ParticipationSourceTests
{
    public static TheoryData<int, bool, string> Files => ChunkedIngestTests.Files;

    [Theory]
    [MemberData(nameof(Files))]
    public void Append_RowsOfAMessyCsvFileAsASource_SameStoreAndReasonsAsTheCsvIngest(int seed, bool bom, string ending)
    {
        var file = ChunkedIngestTests.File(csv: true, seed, bom, ending);
        var (csv, expected) = IngestFile(Programme, file, csv: true, name: "parts");
        var (columns, rows, malformed) = Table(file);
        Assert.NotEmpty(rows);

        var store = new ParticipationStore(Programme.Dataset);
        var report = store.Append(new TableSource("parts.csv", columns, rows, line => $"line {line}"));

        AssertSameStore(expected, store);
        // The source never hands over the records CSV finds malformed (a field count unlike the header's, a broken quote).
        Assert.Equal(csv.Read - malformed.Count, report.Read);
        Assert.Equal(csv.Accepted, report.Accepted);
        Assert.Equal(csv.RejectedLines.Except(malformed), report.RejectedLines);
        Assert.Equal(
            csv.Rejects.Where(r => !malformed.Contains(r.LineNumber)).Select(r => r.ToString()),
            report.Rejects.Select(r => r.ToString()));
        Assert.Equal("parts.csv", report.FileName);
    }

    [Fact]
    public void Append_ColumnsInAnyOrderAndCase_RenamedAndOthersIgnored_MapByName()
    {
        var store = new ParticipationStore(Programme.Dataset);
        var source = new TableSource(
            "attendance", ["NOTES", "Attended_On", "Activity", "beneficiary", "role", "sex", "AgeBand", "mode", "completed"],
            [(2, Cells("free text", "2024-01-01", "act-1", "ben-1", "student", "female", "10-14", "online", "true"))]);

        var report = store.Append(source, new ParticipationSourceOptions
        {
            Columns = new Dictionary<string, string> { ["date"] = "attended_on" },
            IgnoreOtherColumns = true,
        });

        Assert.Equal((1, 1), (report.Read, report.Accepted));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Append_UnknownRepeatedAndMissingColumns_RefusedWithEveryProblemNamed_NothingAdded()
    {
        var store = new ParticipationStore(Programme.Dataset);
        var source = new TableSource("attendance", ["beneficiary", "Beneficiary", "activity", "notes"], [(2, Cells("a", "b", "act-1", "x"))]);

        var error = Assert.Throws<DataFormatException>(() => store.Append(source));

        Assert.Contains("unknown column 'notes'", error.Message, StringComparison.Ordinal);
        Assert.Contains("appears more than once", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing required column 'date'", error.Message, StringComparison.Ordinal);
        Assert.Equal("attendance", error.FileName);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Append_TypedCells_WrittenAsTheContractWritesThem()
    {
        var store = new ParticipationStore(Programme.Dataset);
        var source = new TypedSource();

        var report = store.Append(source);

        // Row 1: typed values that are right; row 2: a date with a time of day, refused as an unreadable date;
        // row 3: a score that is not a number (NaN).
        Assert.Equal((3, 1), (report.Read, report.Accepted));
        Assert.Equal([2L, 3L], report.RejectedLines);
        Assert.Equal(["date", "preScore"], report.Rejects.Select(r => r.Path));
        Assert.Equal("row 2", report.Rejects[0].Location);
        var expected = new ParticipationStore(Programme.Dataset);
        expected.Append([new ParticipationRecord(
            new BeneficiaryKey("ben-1"), new Id<Activity>("act-1"), new NodaTime.LocalDate(2024, 1, 1), BeneficiaryRole.Student,
            Sex.Female, AgeBand.Age10To14, DeliveryMode.Online, true, null, 4.5m, 12m)]);
        AssertSameStore(expected, store);
    }

    [Fact]
    public void Append_RawIdentifierColumn_KeyedBeforeItLands_NeverInTheStoreOrReport()
    {
        using var pseudonymiser = new BeneficiaryPseudonymiser(BeneficiaryPseudonymiser.GenerateSecret());
        var keys = new RawIdentifierKeys(pseudonymiser, IdentifierScheme.NationalId);
        const string RawId = "35202-1234567-1";
        var store = new ParticipationStore(Programme.Dataset);
        var source = new TableSource(
            "attendance", ["national_id", "activity", "date", "role", "sex", "ageBand", "mode", "completed"],
            [
                (2, Cells(RawId, "act-1", "2024-01-01", "student", "female", "10-14", "online", "true")),
                (3, Cells("no #1 id", "act-1", "2024-01-01", "student", "female", "10-14", "online", "true")),
            ]);

        var report = store.Append(source, new ParticipationSourceOptions { RawIdentifierColumn = "national_id", RawIdentifiers = keys });

        Assert.Equal((2, 1), (report.Read, report.Accepted));
        var key = pseudonymiser.Pseudonymise(RawId, IdentifierScheme.NationalId);
        Assert.Equal([key.Value], Keys(store.Sorted().Beneficiaries, store.BeneficiaryCount));
        var reject = Assert.Single(report.Rejects);
        Assert.Equal(("SP8001", "beneficiary"), (reject.Code, reject.Path));
        Assert.DoesNotContain("no #1", reject.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Append_RawIdentifierColumnBesideABeneficiaryColumn_Refused()
    {
        using var pseudonymiser = new BeneficiaryPseudonymiser(BeneficiaryPseudonymiser.GenerateSecret());
        var source = new TableSource(
            "attendance", ["phone", "beneficiary", "activity", "date", "role", "sex", "ageBand", "mode", "completed"], []);

        var error = Assert.Throws<DataFormatException>(() => new ParticipationStore(Programme.Dataset).Append(
            source, new ParticipationSourceOptions { RawIdentifierColumn = "phone", RawIdentifiers = new RawIdentifierKeys(pseudonymiser, IdentifierScheme.NationalId) }));

        Assert.Contains("'beneficiary' appears more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DryRun_ReportsAsTheAppendWould_AndAddsNothing()
    {
        var file = ChunkedIngestTests.File(csv: true, 11, true, nameof(Ending.NoLineEnd));
        var (columns, rows, _) = Table(file);
        var store = new ParticipationStore(Programme.Dataset);

        var dry = store.DryRun(new TableSource("parts.csv", columns, rows));
        var appended = new ParticipationStore(Programme.Dataset).Append(new TableSource("parts.csv", columns, rows));

        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.BeneficiaryCount);
        AssertSameReport(appended, dry);
        Assert.True(dry.Accepted > 0);
    }

    [Fact]
    public void Append_SourceFailsPartWay_StoreAsItWas_ReportSaysHowFarItGot()
    {
        var file = ChunkedIngestTests.File(csv: true, 13, true, nameof(Ending.LineEnd));
        var (columns, rows, _) = Table(file);
        var store = Hundred();
        var cause = new IOException("connection reset; the row held 'secret-value'");
        // Past one batch of 4096 rows, so part of the source was committed before it failed.
        var many = Enumerable.Range(0, 40).SelectMany(k => rows.Select(r => (r.Row + (k * 100_000L), r.Cells))).ToList();
        var source = new TableSource("db", columns, many) { FailAfter = (5000, cause) };

        var error = Assert.Throws<ParticipationSourceException>(() => store.Append(source));

        Assert.Same(cause, error.InnerException);
        Assert.Equal(5000, error.ReadSoFar.Read);
        Assert.Contains("failed after row", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
        AssertSameStore(Hundred(), store);
        // And the store goes on as if the failed append had never been: the same rows again give what they give fresh.
        var again = store.Append(new TableSource("db", columns, many.Take(5000).ToList()));
        var fresh = Hundred();
        fresh.Append(new TableSource("db", columns, many.Take(5000).ToList()));
        AssertSameStore(fresh, store);
        Assert.Equal(error.ReadSoFar.Read, again.Read);
        Assert.Equal(error.ReadSoFar.Accepted, again.Accepted);
    }

    [Fact]
    public void Append_SourceFailsPartWay_AnswersItBroughtForgotten_NextAppendsAnswersHeld()
    {
        // A person's answers are held once (the first set recorded), so answers a failed append brought, for a person
        // known before it (ben-1) or new in it (ben-2), must go with it: the next append's answers are the first.
        string[] columns = ["beneficiary", "activity", "date", "role", "sex", "ageBand", "mode", "completed", "seeing"];
        (long, byte[]?[]) Row(long line, string person, string seeing) =>
            (line, Cells(person, "act-1", "2024-01-01", "student", "female", "10-14", "online", "true", seeing));
        ParticipationStore Known()
        {
            var store = new ParticipationStore(Programme.Dataset);
            Assert.Equal(1, store.Append(new TableSource("first", columns, [Row(2, "ben-1", "")])).Accepted);
            return store;
        }
        var store = Known();
        var failing = new TableSource("db", columns, [Row(2, "ben-1", "aLotOfDifficulty"), Row(3, "ben-2", "cannotDoAtAll"), Row(4, "ben-3", "")])
        {
            FailAfter = (2, new IOException("connection reset")),
        };

        Assert.Throws<ParticipationSourceException>(() => store.Append(failing));
        var next = new TableSource("db", columns, [Row(2, "ben-1", "noDifficulty"), Row(3, "ben-2", "noDifficulty")]);
        Assert.Equal(2, store.Append(next).Accepted);

        var fresh = Known();
        fresh.Append(new TableSource("db", columns, [Row(2, "ben-1", "noDifficulty"), Row(3, "ben-2", "noDifficulty")]));
        AssertSameStore(fresh, store);
        var byStatus = (ParticipationStore s) => Reference.Rows(s.Query().GroupBy(Dimension.Disability)
            .Measure(Measure.UniqueBeneficiaries, Measure.Participations).Run());
        var rows = byStatus(store);
        Reference.AssertSame(byStatus(fresh), rows, 0, "disability after a failed append");
        // The failed append's "a lot of difficulty" and "cannot do at all" would each make a person count as disabled.
        Assert.DoesNotContain("disability", rows.Keys);
    }

    [Fact]
    public void Append_Cancelled_StoreAsItWas()
    {
        var file = ChunkedIngestTests.File(csv: true, 13, true, nameof(Ending.LineEnd));
        var (columns, rows, _) = Table(file);
        var many = Enumerable.Range(0, 40).SelectMany(k => rows.Select(r => (r.Row + (k * 100_000L), r.Cells))).ToList();
        var store = new ParticipationStore(Programme.Dataset);
        using var cancel = new CancellationTokenSource();
        var source = new TableSource("db", columns, many) { AfterRow = n => { if (n == 6000) { cancel.Cancel(); } } };

        Assert.ThrowsAny<OperationCanceledException>(() => store.Append(source, cancellationToken: cancel.Token));

        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.BeneficiaryCount);
    }

    [Fact]
    public void Append_RowNumbersThatDoNotIncrease_ASourceBug_Reported()
    {
        var source = new TableSource("db", [.. ParticipationCsv.Columns],
            [(2, Cells("b1", "act-1", "2024-01-01", "student", "female", "10-14", "online", "true")), (2, Cells("b2", "act-1"))]);

        var error = Assert.Throws<ParticipationSourceException>(() => new ParticipationStore(Programme.Dataset).Append(source));

        Assert.IsType<ArgumentOutOfRangeException>(error.InnerException);
        Assert.Equal(1, error.ReadSoFar.Read);
    }

    /// <summary>The well-formed records of a CSV file as a table with their line numbers, and the lines of the others.</summary>
    internal static (string[] Columns, List<(long Row, byte[]?[] Cells)> Rows, HashSet<long> Malformed) Table(byte[] file)
    {
        var csv = new Utf8CsvReader(new MemoryStream(file), "parts.csv");
        Assert.True(csv.ReadRecord());
        var columns = Enumerable.Range(0, csv.FieldCount).Select(i => Encoding.UTF8.GetString(csv.Field(i))).ToArray();
        var rows = new List<(long, byte[]?[])>();
        var malformed = new HashSet<long>();
        while (csv.ReadRecord())
        {
            if (ParticipationCsv.RecordProblem(csv.Error, csv.BrokenQuote, csv.FieldCount, columns.Length) is not null)
            {
                malformed.Add(csv.RecordLine);
                continue;
            }
            rows.Add((csv.RecordLine, [.. Enumerable.Range(0, csv.FieldCount).Select(i => csv.Field(i).ToArray())]));
        }
        return (columns, rows, malformed);
    }

    internal static byte[]?[] Cells(params string[] values) => [.. values.Select(v => (byte[]?)Encoding.UTF8.GetBytes(v))];

    /// <summary>A store holding the first hundred records of the programme.</summary>
    private static ParticipationStore Hundred()
    {
        var store = new ParticipationStore(Programme.Dataset);
        store.Append(Programme.Records.Take(100));
        return store;
    }

    /// <summary>Cells given typed, as a database reader gives them.</summary>
    private sealed class TypedSource() : ParticipationSource(null)
    {
        protected internal override void ReadRows(ParticipationRowWriter rows, CancellationToken cancellationToken)
        {
            rows.SetColumns([.. ParticipationCsv.Columns]);
            Row(rows, 1, new DateTime(2024, 1, 1), 4.5);
            Row(rows, 2, new DateTime(2024, 1, 1, 10, 30, 0), 4.5);
            Row(rows, 3, new DateTime(2024, 1, 1), double.NaN);
        }

        private static void Row(ParticipationRowWriter rows, long number, DateTime date, double pre)
        {
            rows.BeginRow(number);
            rows.Set(0, "ben-1");
            rows.Set(1, "act-1".AsSpan());
            rows.Set(2, date);
            rows.Set(3, "student");
            rows.Set(4, "female");
            rows.Set(5, "10-14");
            rows.Set(6, "online");
            rows.Set(7, true);
            rows.Set(9, pre);
            rows.Set(10, 12L);
            rows.EndRow();
        }
    }
}
