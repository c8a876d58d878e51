using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Parquet;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Aggregation;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>
/// Parquet: records written with the documented schema read back into the store the CSV of the same records makes, with
/// the same report; the same rows through CSV, SQLite and Parquet give one store; a damaged footer or another schema is a
/// clear refusal that adds nothing; a score the file could not hold exactly is refused, never rounded.
/// </summary>
public sealed class ParquetSourceTests
{
    // Rows a Parquet file holds: its scores have four places at most, so the five-place score of the shared rows is left out.
    private static readonly List<SourceRow> Rows = [.. SameRows.Build(Programme, seed: 1502, count: 6000).Where(r => r.Pre != 1.23456m)];

    [Fact]
    public async Task AppendParquet_SameRowsAsCsvAndSqlite_SameStoreAndReport()
    {
        var parquet = await Write(Rows);
        var (csv, fromCsv) = IngestFile(Programme, SameRows.Csv(Rows), csv: true);

        var store = new ParticipationStore(Programme.Dataset);
        var report = store.AppendParquet(parquet, "parts.parquet");

        SameRows.AssertSameAsCsv(csv, fromCsv, report, store);
        Assert.Equal("parts.parquet", report.FileName);
        Assert.StartsWith("record ", report.Rejects[0].Location, StringComparison.Ordinal);

        var (sqlite, fromSqlite) = SameRows.ThroughSqlite(Programme.Dataset, Rows);
        AssertSameStore(store, fromSqlite);
        Assert.Equal(report.RejectedLines, sqlite.RejectedLines);
        Assert.Equal(report.Rejects.Select(r => (r.Code, r.Path, r.Message)), sqlite.Rejects.Select(r => (r.Code, r.Path, r.Message)));
    }

    [Fact]
    public void Write_ThenRead_ManyRowGroupsWorthOfRecords_EveryRecordBack()
    {
        var records = TestProgramme.Build(seed: 1503, records: 3000).Records;
        var parquet = new MemoryStream();

        var written = ParticipationParquet.Write(parquet, records);
        parquet.Position = 0;
        var store = new ParticipationStore(TestProgramme.Build(seed: 1503, records: 3000).Dataset);
        var report = store.AppendParquet(parquet);

        Assert.Equal(records.Count, written);
        Assert.Equal((records.Count, records.Count), (report.Read, report.Accepted));
        AssertSameStore(TestProgramme.Build(seed: 1503, records: 3000).Store(), store);
    }

    [Fact]
    public void Schema_EveryParticipationColumn_InOrder_RequiredAsTheContractSays()
    {
        var fields = ParticipationParquet.Schema.DataFields;

        Assert.Equal(ParticipationCsv.Columns, fields.Select(f => f.Name));
        Assert.Equal(fields.Select((_, c) => ParticipationColumns.IsOptional(c)), fields.Select(f => f.IsNullable));
        Assert.Equal([typeof(int), typeof(int)], fields.Skip(ParticipationColumns.Age).Take(2).Select(f => f.ClrType));
        Assert.All(fields.Skip(ParticipationColumns.FirstFunctioning), f => Assert.Equal(fields[ParticipationColumns.School].ClrType, f.ClrType)); // optional text, as the school
    }

    [Fact]
    public void Write_ScoreWithFivePlaces_RefusedNotRounded()
    {
        var r = Programme.Records[0];
        var records = new[] { r, new ParticipationRecord(r.Beneficiary, r.Activity, r.Date, r.Role, r.Sex, r.AgeBand, r.Mode, r.Completed, null, 1.23456m) };

        var error = Assert.Throws<ArgumentException>(() => ParticipationParquet.Write(new MemoryStream(), records));

        Assert.Contains("Record 2: its pre score has more than 4 decimal places", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("1.23456", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AppendParquet_DamagedFooter_RefusedBeforeAnyRow_NothingAdded()
    {
        var parquet = new MemoryStream();
        ParticipationParquet.Write(parquet, Programme.Records.Take(200));
        var bytes = parquet.ToArray();
        bytes.AsSpan(bytes.Length - 40, 32).Fill(0xAB); // the footer's metadata, before its length and the closing magic
        var store = new ParticipationStore(Programme.Dataset);
        store.Append(Programme.Records.Take(10));

        var error = Assert.Throws<DataFormatException>(() => store.AppendParquet(new MemoryStream(bytes), "parts.parquet"));

        Assert.Contains("footer", error.Message, StringComparison.Ordinal);
        Assert.Equal("parts.parquet", error.FileName);
        Assert.Equal(10, store.Count);
    }

    [Fact]
    public void AppendParquet_NotParquetAtAll_Refused()
    {
        var error = Assert.Throws<DataFormatException>(() =>
            new ParticipationStore(Programme.Dataset).AppendParquet(new MemoryStream(SameRows.Csv(Rows.Take(10))), "parts.csv"));

        Assert.Contains("not a Parquet file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendParquet_AnotherSchema_RefusedNamingTheColumns()
    {
        var parquet = new MemoryStream();
        var schema = new global::Parquet.Schema.ParquetSchema(
            new global::Parquet.Schema.DataField<string>("learner"), new global::Parquet.Schema.DataField<DateOnly>("date"));
        await using (var writer = await global::Parquet.ParquetWriter.CreateAsync(schema, parquet))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(schema.DataFields[0], new ArraySegment<string>(["a"]));
            await group.WriteAsync<DateOnly>(schema.DataFields[1], new ReadOnlyMemory<DateOnly?>([new DateOnly(2024, 1, 1)]));
        }
        parquet.Position = 0;

        var error = Assert.Throws<DataFormatException>(() => new ParticipationStore(Programme.Dataset).AppendParquet(parquet, "other.parquet"));

        Assert.Contains("unknown column 'learner'", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing required column 'beneficiary'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The rows as a partner's file of the documented schema, bad values and all (a role that is no role, a key that is no key).</summary>
    internal static async Task<MemoryStream> Write(List<SourceRow> rows)
    {
        var parquet = new MemoryStream();
        var fields = ParticipationParquet.Schema.DataFields;
        await using (var writer = await global::Parquet.ParquetWriter.CreateAsync(ParticipationParquet.Schema, parquet, new global::Parquet.ParquetOptions { UseDateOnlyTypeForDates = true }))
        {
            using var group = writer.CreateRowGroup();
            Task Text(int field, Func<SourceRow, string?> value) => group.WriteAsync(fields[field], new ArraySegment<string>([.. rows.Select(r => value(r)!)]));
            await Text(0, r => r.Beneficiary);
            await Text(1, r => r.Activity);
            await group.WriteAsync<DateOnly>(fields[2], new ReadOnlyMemory<DateOnly>([.. rows.Select(r => r.Date)]));
            await Text(3, r => r.Role);
            await Text(4, r => r.Sex);
            await Text(5, r => r.AgeBand);
            await Text(6, r => r.Mode);
            await group.WriteAsync<bool>(fields[7], new ReadOnlyMemory<bool>([.. rows.Select(r => r.Completed)]));
            await Text(8, r => r.School);
            await group.WriteAsync<decimal>(fields[9], new ReadOnlyMemory<decimal?>([.. rows.Select(r => r.Pre)]));
            await group.WriteAsync<decimal>(fields[10], new ReadOnlyMemory<decimal?>([.. rows.Select(r => r.Post)]));
            await group.WriteAsync<int>(fields[11], new ReadOnlyMemory<int?>([.. rows.Select(r => r.Age)]));
            await group.WriteAsync<int>(fields[12], new ReadOnlyMemory<int?>([.. rows.Select(r => r.YearOfBirth)]));
            for (var d = 0; d < rows[0].Answers.Count; d++)
            {
                await Text(13 + d, r => r.Answers[d]);
            }
        }
        parquet.Position = 0;
        return parquet;
    }
}
