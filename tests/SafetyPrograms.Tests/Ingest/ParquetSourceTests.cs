using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Ingest;
using SafetyPrograms.Parquet;
using SafetyPrograms.Serialization;
using SafetyPrograms.Tests.Aggregation;
using SafetyPrograms.Validation;
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
    public async Task Write_ThenRead_ManyRowGroupsWorthOfRecords_EveryRecordBack()
    {
        var records = TestProgramme.Build(seed: 1503, records: 3000).Records;
        var parquet = new MemoryStream();

        var written = ParticipationParquet.Write(parquet, records, rowGroupRecords: 700);
        parquet.Position = 0;
        await using (var reader = await global::Parquet.ParquetReader.CreateAsync(parquet, leaveStreamOpen: true))
        {
            // Premise: several row groups, the last one short.
            Assert.Equal([700, 700, 700, 700, 200], reader.Metadata!.RowGroups.Select(g => g.NumRows));
        }
        parquet.Position = 0;
        var store = new ParticipationStore(TestProgramme.Build(seed: 1503, records: 3000).Dataset);
        var report = store.AppendParquet(parquet);

        Assert.Equal(records.Count, written);
        Assert.Equal((records.Count, records.Count), (report.Read, report.Accepted));
        AssertSameStore(TestProgramme.Build(seed: 1503, records: 3000).Store(), store);
    }

    [Fact]
    public async Task Write_FewerRecordsThanARowGroup_OneRowGroupOfThem()
    {
        // The writer's arrays grow as records come (a small file costs no full row group); past their first size, still one row group.
        var records = TestProgramme.Build(seed: 1509, records: 9000).Records;
        var parquet = new MemoryStream();

        ParticipationParquet.Write(parquet, records);
        parquet.Position = 0;

        await using var reader = await global::Parquet.ParquetReader.CreateAsync(parquet, leaveStreamOpen: true);
        Assert.Equal([(long)records.Count], reader.Metadata!.RowGroups.Select(g => g.NumRows));
        parquet.Position = 0;
        var store = new ParticipationStore(TestProgramme.Build(seed: 1509, records: 9000).Dataset);
        Assert.Equal(records.Count, store.AppendParquet(parquet).Accepted);
        AssertSameStore(TestProgramme.Build(seed: 1509, records: 9000).Store(), store);
    }

    [Fact]
    public async Task AppendParquet_StoreOrder_SmallRowGroups_SameStoreAndReportAsOneRowGroup()
    {
        // Row groups of any size are read as one: here 5,000 records each, so every row group has dictionaries of its own
        // (its activity entries joined to their rule entries again, fewer than the group before's in the last), batches
        // end at row group ends, persons' rows straddle them, and an activity the dataset lacks is in the dictionaries of
        // two row groups: those rows alone are refused, on their own records, and the store is that of one row group.
        var p = TestProgramme.Build(seed: 1508, records: 90_000, beneficiaries: 4000);
        var ordered = p.Records.Where(r => r.Age is null && r.YearOfBirth is null)
            .OrderBy(r => SafetyPrograms.Indexing.BeneficiaryHash.Of(System.Text.Encoding.ASCII.GetBytes(r.Beneficiary.Value)))
            .ThenBy(r => r.Beneficiary.Value, StringComparer.Ordinal).ToList();
        Assert.True(ordered.Count > 30_001, "several row groups, two with the unknown activity");
        Assert.Equal(ordered[4_999].Beneficiary, ordered[5_000].Beneficiary);
        int[] gone = [12_345, 30_001];
        foreach (var i in gone)
        {
            var r = ordered[i];
            ordered[i] = new ParticipationRecord(
                r.Beneficiary, new Id<Activity>("act-gone"), r.Date, r.Role, r.Sex, r.AgeBand, r.Mode, r.Completed, r.School, r.PreScore, r.PostScore,
                r.Age, r.YearOfBirth, r.Functioning());
        }
        var small = new MemoryStream();
        var whole = new MemoryStream();
        ParticipationParquet.Write(small, ordered, rowGroupRecords: 5_000);
        ParticipationParquet.Write(whole, ordered);
        small.Position = 0;
        await using (var reader = await global::Parquet.ParquetReader.CreateAsync(small, leaveStreamOpen: true))
        {
            Assert.Equal((ordered.Count + 4_999) / 5_000, reader.RowGroupCount);
        }
        (small.Position, whole.Position) = (0, 0);
        var expected = new ParticipationStore(p.Dataset);
        var store = new ParticipationStore(p.Dataset);

        var expectedReport = expected.AppendParquet(whole, "store.parquet");
        var report = store.AppendParquet(small, "store.parquet");

        Assert.Equal(gone.Select(i => i + 1L), report.RejectedLines);
        Assert.Equal(ValidationRules.RecordUnknownActivity.Code, Assert.Single(report.RejectedByCode.Keys));
        Assert.Equal(
            expectedReport.Rejects.Select(r => (r.LineNumber, r.Code, r.Path, r.Message, r.Location)),
            report.Rejects.Select(r => (r.LineNumber, r.Code, r.Path, r.Message, r.Location)));
        Assert.Equal((expectedReport.Read, expectedReport.Accepted), (report.Read, report.Accepted));
        // Asked before the stores are compared: comparing sorts them.
        Assert.True(store.IsSorted, "rows that arrive in query order keep the store sorted, refused rows left out");
        Assert.Equal(expected.IsSorted, store.IsSorted);
        AssertSameStore(expected, store);
    }

    [Fact]
    public async Task AppendParquet_RowGroupsGrowingAndShrinking_ColumnsNullInSomeAndNotOthers_SameStoreAndReportAsRowByRow()
    {
        // The reader keeps two sets of decoded columns and reuses them from row group to row group, and a column that is
        // null in every row of a row group (or written plain in every row) keeps no entry a row: here row groups grow and
        // shrink, and the optional columns are full in some (ages, scores, schools, answers), null in every row of others
        // (after a full one decoded into the same set), and in the last a pre-score in every row (its levels one run of
        // values) beside post-scores in some; rows with ages go row by row. The store, its order and the report are those
        // of the same records appended one by one.
        var p = TestProgramme.Build(seed: 1510, records: 130_000, beneficiaries: 4000);
        var ordered = p.Records
            .OrderBy(r => SafetyPrograms.Indexing.BeneficiaryHash.Of(System.Text.Encoding.ASCII.GetBytes(r.Beneficiary.Value)))
            .ThenBy(r => r.Beneficiary.Value, StringComparer.Ordinal).ToList();
        int[] sizes = [3_000, 20_000, 500, 40_000, 100_000];
        var starts = new[] { 0, 3_000, 23_000, 23_500, 63_500, ordered.Count };
        var records = new List<ParticipationRecord>(ordered.Count);
        for (var g = 0; g < 5; g++)
        {
            foreach (var r in ordered.Take(starts[g + 1]).Skip(starts[g]).Where(r => g < 4 || r.PreScore is not null))
            {
                records.Add(g switch
                {
                    0 or 3 => r,
                    1 or 2 => new ParticipationRecord(r.Beneficiary, r.Activity, r.Date, r.Role, r.Sex, r.AgeBand, r.Mode, r.Completed),
                    _ => new ParticipationRecord(r.Beneficiary, r.Activity, r.Date, r.Role, r.Sex, r.AgeBand, r.Mode, r.Completed, r.School, r.PreScore, r.PostScore),
                });
            }
        }
        // Premise: the full row groups have values in the optional columns that the others lack.
        foreach (var full in new[] { records.Take(3_000), records.Skip(23_500).Take(40_000) })
        {
            Assert.Contains(full, r => r.PreScore is not null);
            Assert.Contains(full, r => r.Age is not null || r.YearOfBirth is not null);
            Assert.Contains(full, r => !r.Functioning().IsEmpty);
        }
        Assert.InRange(records.Count - 63_500, 16_385, 100_000); // a last row group of more than one batch
        Assert.All(records.Skip(63_500), r => Assert.NotNull(r.PreScore));
        Assert.Contains(records.Skip(63_500), r => r.PostScore is null);
        var parquet = new MemoryStream();
        ParticipationParquet.Write(parquet, records, sizes);
        parquet.Position = 0;
        await using (var reader = await global::Parquet.ParquetReader.CreateAsync(parquet, leaveStreamOpen: true))
        {
            Assert.Equal([3_000L, 20_000, 500, 40_000, records.Count - 63_500], reader.Metadata!.RowGroups.Select(g => g.NumRows));
        }
        parquet.Position = 0;
        var expected = new ParticipationStore(p.Dataset);
        var store = new ParticipationStore(p.Dataset);

        var expectedReport = expected.Append(records);
        var report = store.AppendParquet(parquet, "store.parquet");

        Assert.Equal((expectedReport.Read, expectedReport.Accepted, expectedReport.Rejected), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal(
            expectedReport.Rejects.Select(r => (r.LineNumber, r.Code, r.Path, r.Message)),
            report.Rejects.Select(r => (r.LineNumber, r.Code, r.Path, r.Message)));
        // Asked before the stores are compared: comparing sorts them.
        Assert.True(store.IsSorted, "records in query order keep the store sorted");
        Assert.Equal(expected.IsSorted, store.IsSorted);
        AssertSameStore(expected, store);
        var byPerson = (ParticipationStore s) => Reference.Rows(s.Query().GroupBy(Dimension.Disability, Dimension.AgeBand)
            .Measure(Measure.UniqueBeneficiaries, Measure.Participations, Measure.MeanPreScore).Rollup().Run());
        Reference.AssertSame(byPerson(expected), byPerson(store), 0, "disability and age by person");
    }

    [Fact]
    public async Task Write_NullsAndValuesInEveryOptionalColumn_ParquetNetReadsThemBackEqual()
    {
        // Parquet.Net 6.1.0 was seen to give wrong values reading a required column as nullable; here every optional
        // column, read as nullable by Parquet.Net itself, gives back exactly the values and nulls written.
        var records = TestProgramme.Build(seed: 1504, records: 2500).Records;
        var optional = Enumerable.Range(0, ParticipationColumns.Count).Where(ParticipationColumns.IsOptional).ToArray();
        var parquet = new MemoryStream();
        ParticipationParquet.Write(parquet, records);
        parquet.Position = 0;

        await using var reader = await global::Parquet.ParquetReader.CreateAsync(parquet);
        using var group = reader.OpenRowGroupReader(0);
        var fields = reader.Schema.DataFields;
        foreach (var column in optional)
        {
            var field = fields[column];
            Assert.True(field.IsNullable, field.Name);
            string?[] expected = [.. records.Select(r => OptionalValue(r, column))];
            // Premise: both nulls and values in every optional column.
            Assert.Contains(expected, v => v is null);
            Assert.Contains(expected, v => v is not null);
            string?[] actual;
            if (column is ParticipationColumns.Age or ParticipationColumns.YearOfBirth)
            {
                var values = new int?[records.Count];
                await group.ReadAsync<int>(field, values.AsMemory());
                actual = [.. values.Select(v => v?.ToString(System.Globalization.CultureInfo.InvariantCulture))];
            }
            else if (column is ParticipationColumns.PreScore or ParticipationColumns.PostScore)
            {
                var values = new decimal?[records.Count];
                await group.ReadAsync<decimal>(field, values.AsMemory());
                // Compared as numbers: read back with the column's four places, 12.5 is 12.5000.
                Assert.Equal(records.Select(r => column == ParticipationColumns.PreScore ? r.PreScore : r.PostScore), values);
                continue;
            }
            else
            {
                var values = new string?[records.Count];
                await group.ReadAsync(field, values.AsMemory(), null);
                actual = values;
            }
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>A record's value for an optional column, as text, or null.</summary>
    private static string? OptionalValue(ParticipationRecord r, int column) => column switch
    {
        ParticipationColumns.School => r.School?.Value,
        ParticipationColumns.PreScore => r.PreScore is { } pre ? JsonText.Of(pre) : null,
        ParticipationColumns.PostScore => r.PostScore is { } post ? JsonText.Of(post) : null,
        ParticipationColumns.Age => r.Age?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ParticipationColumns.YearOfBirth => r.YearOfBirth?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => SafetyPrograms.Tests.Aggregation.Reference.AnswerLabel(r.Functioning(), (FunctioningDomain)(column - ParticipationColumns.FirstFunctioning)),
    };

    [Fact]
    public void WriteStore_ThenRead_SameAnswers()
    {
        var p = TestProgramme.Build(seed: 1505, records: 3000);
        var store = p.Store();
        var parquet = new MemoryStream();

        var written = ParticipationParquet.WriteStore(parquet, store);
        parquet.Position = 0;
        var back = new ParticipationStore(p.Dataset);
        var report = back.AppendParquet(parquet, "store.parquet");

        Assert.Equal(store.Count, written);
        Assert.Equal(store.Count, report.Accepted);
        Assert.Empty(report.Rejects);
        Assert.Equal(store.BeneficiaryCount, back.BeneficiaryCount);
        var rng = new Random(1505);
        for (var q = 0; q < 25; q++)
        {
            var shape = QueryShape.Draw(rng, p);
            Reference.AssertSame(Reference.Rows(shape.ToQuery(store).Run()), Reference.Rows(shape.ToQuery(back).Run()), 0, $"query {q}: {shape}");
        }
        // Age and disability are person facts: the store written and read back keeps them.
        var byPerson = (ParticipationStore s) => Reference.Rows(s.Query().AgeScheme(AgeBandScheme.UnChildAdults)
            .GroupBy(Dimension.Age, Dimension.Disability).Measure(Measure.UniqueBeneficiaries, Measure.Participations).Rollup().Run());
        Reference.AssertSame(byPerson(store), byPerson(back), 0, "age × disability");
    }

    [Fact]
    public async Task AppendParquet_FileWrittenByDuckDb_DictionaryPages_SameStoreAsCsv()
    {
        // DuckDB writes dictionary pages and its own row groups: the direct reader decodes them as our own files.
        var p = TestProgramme.Build(seed: 1506, records: 5000);
        var path = Path.Combine(Path.GetTempPath(), $"sp-duck-{Guid.NewGuid():N}.parquet");
        try
        {
            using (var duck = Sql.DuckDbEquivalenceTests.Load(p, p.Records))
            {
                Sql.DuckDbEquivalenceTests.Execute(duck, $"COPY (SELECT * FROM participations) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 2048)");
            }
            using var file = File.OpenRead(path);
            await using (var reader = await global::Parquet.ParquetReader.CreateAsync(file, leaveStreamOpen: true))
            {
                // Premise: several row groups, dictionary pages, and a file the direct reader takes (not Parquet.Net's path).
                Assert.True(reader.RowGroupCount > 1);
                Assert.Contains(reader.Metadata!.RowGroups[0].Columns, c => c.MetaData!.Encodings.Any(e => e is global::Parquet.Meta.Encoding.PLAIN_DICTIONARY or global::Parquet.Meta.Encoding.RLE_DICTIONARY));
                Assert.True(ColumnChunks.CanRead(reader.Metadata, reader.Schema.DataFields));
            }
            file.Position = 0;
            var store = new ParticipationStore(p.Dataset);
            var report = store.AppendParquet(file, "duck.parquet");

            Assert.Equal((p.Records.Count, p.Records.Count), (report.Read, report.Accepted));
            AssertSameStore(p.Store(), store);
        }
        finally
        {
            File.Delete(path);
        }
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

    [Fact]
    public async Task AppendParquet_DictionaryPages_BadEntriesUsedByManyRows_EachRowRefusedAsCsvWould()
    {
        // An unknown activity and a sex that is no sex, each one dictionary entry that many rows use: the entry is decoded
        // once a row group, and every row using it is still refused, counted and located as the CSV of the rows is.
        var rows = Rows.Select((r, i) => i % 9 == 4 ? r with { Sex = "f" } : i % 13 == 6 ? r with { Activity = "act-gone" } : r).ToList();
        var parquet = await Write(rows, dictionary: true);
        await using (var reader = await global::Parquet.ParquetReader.CreateAsync(parquet, leaveStreamOpen: true))
        {
            // Premise: the text columns are dictionary-encoded, and the file is one the direct reader takes.
            var columns = reader.Metadata!.RowGroups[0].Columns;
            foreach (var name in new[] { "activity", "sex", "role" })
            {
                Assert.Contains(columns.Single(c => c.MetaData!.PathInSchema[0] == name).MetaData!.Encodings, e => e is global::Parquet.Meta.Encoding.PLAIN_DICTIONARY or global::Parquet.Meta.Encoding.RLE_DICTIONARY);
            }
            Assert.True(ColumnChunks.CanRead(reader.Metadata, reader.Schema.DataFields));
        }
        parquet.Position = 0;
        var (csv, fromCsv) = IngestFile(Programme, SameRows.Csv(rows), csv: true);

        var store = new ParticipationStore(Programme.Dataset);
        var report = store.AppendParquet(parquet, "parts.parquet");

        SameRows.AssertSameAsCsv(csv, fromCsv, report, store);
        // Rows whose only fault is the bad entry (their CSV line, one past the record number, was accepted before): each
        // is refused on its own record number.
        var (before, _) = IngestFile(Programme, SameRows.Csv(Rows), csv: true);
        var clean = Enumerable.Range(1, Rows.Count).Select(n => (long)n).Where(n => !before.RejectedLines.Contains(n + 1)).ToList();
        var badSex = clean.Where(n => n % 9 == 5).ToList();
        var gone = clean.Where(n => n % 9 != 5 && n % 13 == 7).ToList();
        Assert.True(badSex.Count > 300 && gone.Count > 200, "many rows use each bad entry");
        Assert.Subset(report.RejectedLines.ToHashSet(), badSex.Concat(gone).ToHashSet());
        Assert.All(report.Rejects.Where(r => badSex.Contains(r.LineNumber)), r => Assert.Equal(("SP8001", "sex", $"record {r.LineNumber}"), (r.Code, r.Path, r.Location)));
        Assert.Contains(report.Rejects, r => gone.Contains(r.LineNumber) && r.Path == "activity" && r.Code != "SP8001");
    }

    [Fact]
    public async Task AppendParquet_OneRowOutsideItsPhaseAmongCleanBatches_RefusedAsCsvWould_OthersKept()
    {
        // Clean rows in batches of 16,384 are decoded and checked column by column; one row dated outside its activity's
        // phase, late in the second batch, sends that batch row by row: it alone is refused, worded and located as in CSV.
        // Without ages: a row with an age or a year of birth is read row by row anyway.
        var built = SameRows.Build(Programme, seed: 1504, count: 72_000).Select(r => r with { Age = null, YearOfBirth = null }).ToList();
        var (all, _) = IngestFile(Programme, SameRows.Csv(built), csv: true);
        var refused = all.RejectedLines.ToHashSet();
        var rows = built.Where((_, i) => !refused.Contains(i + 2)).ToList();
        Assert.True(rows.Count > 3 * 16_384, "three batches of clean rows");
        const int late = 32_000;
        rows[late] = rows[late] with { Date = rows[late].Date.AddYears(-3) };
        var parquet = await Write(rows, dictionary: true);
        var (csv, fromCsv) = IngestFile(Programme, SameRows.Csv(rows), csv: true);

        var store = new ParticipationStore(Programme.Dataset);
        var report = store.AppendParquet(parquet, "parts.parquet");

        SameRows.AssertSameAsCsv(csv, fromCsv, report, store);
        var reject = Assert.Single(report.Rejects);
        Assert.Equal((late + 1L, $"record {late + 1}"), (reject.LineNumber, reject.Location));
        Assert.Equal(rows.Count - 1, store.Count);
    }

    [Fact]
    public async Task AppendParquet_StoreOrder_UnknownActivityInTheDictionary_EachRowRefusedOnItsRecord_StillInQueryOrder()
    {
        // A file in the store's query order (each person's rows together, by key hash), as WriteStore writes it: clean
        // batches are decoded column by column, each activity entry looked up once a row group, and a person's rows share
        // one beneficiary. One activity entry the dataset lacks, used by rows in the first and third batches, one of them
        // between two rows of the same person: those rows alone are refused, each on its own record and as CSV words it.
        var built = SameRows.Build(Programme, seed: 1506, count: 72_000).Select(r => r with { Age = null, YearOfBirth = null }).ToList();
        var (all, _) = IngestFile(Programme, SameRows.Csv(built), csv: true);
        var refused = all.RejectedLines.ToHashSet();
        var rows = built.Where((_, i) => !refused.Contains(i + 2))
            .OrderBy(r => SafetyPrograms.Indexing.BeneficiaryHash.Of(r.Beneficiary.AsSpan())).ThenBy(r => r.Beneficiary, StringComparer.Ordinal).ToList();
        Assert.True(rows.Count > 3 * 16_384, "three batches of clean rows");
        var between = Enumerable.Range(40_000, 1000).First(i => rows[i - 1].Beneficiary == rows[i].Beneficiary && rows[i + 1].Beneficiary == rows[i].Beneficiary);
        int[] gone = [5, 9_000, 9_001, between];
        foreach (var i in gone)
        {
            rows[i] = rows[i] with { Activity = "act-gone" };
        }
        var parquet = await Write(rows, dictionary: true);
        var (csv, fromCsv) = IngestFile(Programme, SameRows.Csv(rows), csv: true);

        var store = new ParticipationStore(Programme.Dataset);
        var report = store.AppendParquet(parquet, "parts.parquet");

        SameRows.AssertSameAsCsv(csv, fromCsv, report, store);
        Assert.Equal(gone.Select(i => i + 1L), report.RejectedLines);
        Assert.All(report.Rejects, r => Assert.Equal(("activity", $"record {r.LineNumber}"), (r.Path, r.Location)));
        Assert.Equal(ValidationRules.RecordUnknownActivity.Code, Assert.Single(report.RejectedByCode.Keys));
        Assert.Equal(rows.Count - gone.Length, store.Count);
        Assert.True(store.IsSorted, "rows that arrive in query order keep the store sorted, refused rows left out");
    }

    [Fact]
    public void AppendParquet_StoreOrderCleanBatches_TwiceOver_SameStorePersonsAndOrderAsRowByRow()
    {
        // A store-order file whose batches are all clean (no ages, which are read row by row) is committed a column at a
        // time, each person's run of rows looked up once. A person's rows straddle the first batch's end, some give their
        // answers only on a later row, and the second append of the file starts below the first's last key hash: the
        // store, its persons' answers and whether it is sorted are those of the same records appended one by one.
        var p = TestProgramme.Build(seed: 1507, records: 80_000, beneficiaries: 4000);
        var ordered = p.Records.Where(r => r.Age is null && r.YearOfBirth is null)
            .OrderBy(r => SafetyPrograms.Indexing.BeneficiaryHash.Of(System.Text.Encoding.ASCII.GetBytes(r.Beneficiary.Value)))
            .ThenBy(r => r.Beneficiary.Value, StringComparer.Ordinal).ToList();
        Assert.True(ordered.Count > 2 * 16_384, "more than two batches");
        Assert.Equal(ordered[16_383].Beneficiary, ordered[16_384].Beneficiary);
        Assert.Contains(ordered.GroupBy(r => r.Beneficiary), g => g.First().Functioning().IsEmpty && !g.Last().Functioning().IsEmpty);
        var parquet = new MemoryStream();
        ParticipationParquet.Write(parquet, ordered);
        var expected = new ParticipationStore(p.Dataset);
        var store = new ParticipationStore(p.Dataset);

        for (var append = 1; append <= 2; append++)
        {
            Assert.Equal(0, expected.Append(ordered).Rejected);
            parquet.Position = 0;
            var report = store.AppendParquet(parquet, "store.parquet");

            Assert.Equal((ordered.Count, ordered.Count, 0L), (report.Read, report.Accepted, report.Rejected));
            // Asked before the stores are compared: comparing sorts them.
            Assert.Equal(append == 1, store.IsSorted);
            Assert.Equal(expected.IsSorted, store.IsSorted);
            AssertSameStore(expected, store);
            var byPerson = (ParticipationStore s) => Reference.Rows(s.Query().GroupBy(Dimension.Disability, Dimension.Sex)
                .Measure(Measure.UniqueBeneficiaries, Measure.Participations).Rollup().Run());
            Reference.AssertSame(byPerson(expected), byPerson(store), 0, $"disability after append {append}");
        }
    }

    [Fact]
    public async Task AppendParquet_DictionaryPages_OtherColumnFirst_Ignored_SameStoreAndReportAsCsv()
    {
        // A column the participation fields do not take, before them all: every column after it is found by its field.
        var parquet = await Write(Rows, dictionary: true, otherColumnFirst: "note");
        var (csv, fromCsv) = IngestFile(Programme, SameRows.Csv(Rows), csv: true);

        var store = new ParticipationStore(Programme.Dataset);
        var report = store.AppendParquet(parquet, "parts.parquet", new ParticipationSourceOptions { IgnoreOtherColumns = true });

        SameRows.AssertSameAsCsv(csv, fromCsv, report, store);
    }

    /// <summary>
    /// A column named as a participation field but of a type its field cannot take, one at a time: a value type is read
    /// and every row refused naming that column (a yes/no for a date, a date for a yes/no or a score, a number for a
    /// role), nothing kept and every row counted; binary data or lists are refused before any row, naming the column.
    /// </summary>
    [Theory]
    [InlineData("date", "bool")]
    [InlineData("completed", "date")]
    [InlineData("preScore", "date")]
    [InlineData("role", "int")]
    [InlineData("beneficiary", "binary")]
    [InlineData("activity", "list")]
    public async Task AppendParquet_AColumnOfAWrongType_RefusedNamingIt_NothingKept(string column, string type)
    {
        var (csv, _) = IngestFile(Programme, SameRows.Csv(Rows), csv: true);
        var rejected = csv.RejectedLines.ToHashSet();
        var clean = Rows.Take(300).Where((_, i) => !rejected.Contains(i + 2)).ToList();
        var n = clean.Count;
        (string, global::Parquet.Schema.DataField, Func<global::Parquet.ParquetRowGroupWriter, global::Parquet.Schema.DataField, Task>) wrong = type switch
        {
            "bool" => (column, new global::Parquet.Schema.DataField<bool>(column), (g, f) => g.WriteAsync<bool>(f, new ReadOnlyMemory<bool>(new bool[n]))),
            "date" => (column, new global::Parquet.Schema.DataField<DateOnly?>(column), (g, f) => g.WriteAsync<DateOnly>(f, new ReadOnlyMemory<DateOnly?>([.. Enumerable.Repeat<DateOnly?>(new DateOnly(2025, 7, 27), n)]))),
            "int" => (column, new global::Parquet.Schema.DataField<int>(column), (g, f) => g.WriteAsync<int>(f, new ReadOnlyMemory<int>([.. Enumerable.Repeat(12, n)]))),
            "binary" => (column, new global::Parquet.Schema.DataField<byte[]>(column), (g, f) => g.WriteAsync(f, [.. Enumerable.Repeat(new byte[] { 0, 0xFF }, n)])),
            _ => (column, new global::Parquet.Schema.DataField<string[]>(column), (g, f) => g.WriteAsync(f, [.. Enumerable.Repeat("act-1", n)], new ReadOnlyMemory<int>([.. Enumerable.Repeat(0, n)]))),
        };
        var file = await Write(clean, wrong: wrong);
        var store = new ParticipationStore(Programme.Dataset);

        if (type is "binary" or "list")
        {
            var error = Assert.Throws<DataFormatException>(() => store.AppendParquet(file, "wrong.parquet"));
            Assert.Contains($"'{column}'", error.Message, StringComparison.Ordinal);
        }
        else
        {
            var report = store.AppendParquet(file, "wrong.parquet");
            Assert.Equal((n, 0L, (long)n), (report.Read, report.Accepted, report.Rejected));
            Assert.All(report.Rejects, r => Assert.Equal(column, r.Path));
        }
        Assert.Equal(0, store.Count);
    }

    /// <summary>
    /// The rows as a partner's file of the documented schema, bad values and all (a role that is no role, a key that is no
    /// key); with <paramref name="dictionary"/>, its text columns dictionary-encoded; with <paramref name="otherColumnFirst"/>,
    /// a text column of that name before the others, saying which row it is; with <paramref name="wrong"/>, one column
    /// replaced by a field of another type and the values it writes.
    /// </summary>
    internal static async Task<MemoryStream> Write(
        List<SourceRow> rows, bool dictionary = false, string? otherColumnFirst = null,
        (string Column, global::Parquet.Schema.DataField Field, Func<global::Parquet.ParquetRowGroupWriter, global::Parquet.Schema.DataField, Task> Values)? wrong = null)
    {
        var parquet = new MemoryStream();
        global::Parquet.Schema.DataField[] fields = wrong is { } replaced
            ? [.. ParticipationParquet.Schema.DataFields.Select(f => f.Name == replaced.Column ? replaced.Field : f)]
            : ParticipationParquet.Schema.DataFields;
        var other = otherColumnFirst is null ? null : new global::Parquet.Schema.DataField<string>(otherColumnFirst);
        var schema = other is null && wrong is null ? ParticipationParquet.Schema : new global::Parquet.Schema.ParquetSchema(other is null ? fields : [other, .. fields]);
        var options = new global::Parquet.ParquetOptions { UseDateOnlyTypeForDates = true };
        foreach (var field in schema.DataFields.OfType<global::Parquet.Schema.DataField<string>>().Where(_ => dictionary))
        {
            options.ColumnEncodingHints[field.Path.ToString()] = global::Parquet.EncodingHint.Dictionary;
        }
        await using (var writer = await global::Parquet.ParquetWriter.CreateAsync(schema, parquet, options))
        {
            using var group = writer.CreateRowGroup();
            if (other is not null)
            {
                await group.WriteAsync(other, new ArraySegment<string>([.. rows.Select((_, i) => $"row {i + 1}")]));
            }
            Task Column(int field, Func<global::Parquet.Schema.DataField, Task> write) =>
                wrong is { } w && w.Column == fields[field].Name ? w.Values(group, fields[field]) : write(fields[field]);
            Task Text(int field, Func<SourceRow, string?> value) => Column(field, f => group.WriteAsync(f, new ArraySegment<string>([.. rows.Select(r => value(r)!)])));
            await Text(0, r => r.Beneficiary);
            await Text(1, r => r.Activity);
            await Column(2, f => group.WriteAsync<DateOnly>(f, new ReadOnlyMemory<DateOnly>([.. rows.Select(r => r.Date)])));
            await Text(3, r => r.Role);
            await Text(4, r => r.Sex);
            await Text(5, r => r.AgeBand);
            await Text(6, r => r.Mode);
            await Column(7, f => group.WriteAsync<bool>(f, new ReadOnlyMemory<bool>([.. rows.Select(r => r.Completed)])));
            await Text(8, r => r.School);
            await Column(9, f => group.WriteAsync<decimal>(f, new ReadOnlyMemory<decimal?>([.. rows.Select(r => r.Pre)])));
            await Column(10, f => group.WriteAsync<decimal>(f, new ReadOnlyMemory<decimal?>([.. rows.Select(r => r.Post)])));
            await Column(11, f => group.WriteAsync<int>(f, new ReadOnlyMemory<int?>([.. rows.Select(r => r.Age)])));
            await Column(12, f => group.WriteAsync<int>(f, new ReadOnlyMemory<int?>([.. rows.Select(r => r.YearOfBirth)])));
            for (var d = 0; d < rows[0].Answers.Count; d++)
            {
                await Text(13 + d, r => r.Answers[d]);
            }
        }
        parquet.Position = 0;
        return parquet;
    }
}
