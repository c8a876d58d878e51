using Parquet;
using Parquet.Meta;
using SafetyPrograms.Parquet;
using SafetyPrograms.Tests.Aggregation;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>
/// The documented schema as the writer writes it: text columns dictionary-encoded (Parquet.Net 6 writes plain text unless a
/// column asks), dates as DATE, scores as exact decimals of four places.
/// </summary>
public sealed class ParquetEncodingTests
{
    [Fact]
    public async Task Write_TextColumnsDictionaryEncoded_DatesAsDates_ScoresExactDecimals()
    {
        var p = TestProgramme.Build(seed: 1503, records: 20000);
        var parquet = new MemoryStream();
        ParticipationParquet.Write(parquet, p.Records);
        parquet.Position = 0;

        await using var reader = await ParquetReader.CreateAsync(parquet, leaveStreamOpen: true);

        var chunks = reader.Metadata!.RowGroups[0].Columns.ToDictionary(c => c.MetaData!.PathInSchema[0], c => c.MetaData!);
        foreach (var text in new[] { "beneficiary", "activity", "role", "sex", "ageBand", "mode", "school", "seeing", "depression" })
        {
            Assert.Contains(chunks[text].Encodings, e => e is Encoding.PLAIN_DICTIONARY or Encoding.RLE_DICTIONARY);
        }
        var fields = reader.Schema.DataFields.ToDictionary(f => f.Name, f => f.SchemaElement!);
        Assert.Equal((global::Parquet.Meta.Type.INT32, true), (fields["date"].Type!.Value, fields["date"].LogicalType?.DATE is not null));
        Assert.DoesNotContain(chunks["date"].Encodings, e => e is Encoding.PLAIN_DICTIONARY or Encoding.RLE_DICTIONARY);
        foreach (var score in new[] { "preScore", "postScore" })
        {
            Assert.Equal((global::Parquet.Meta.Type.INT64, ParticipationParquet.ScoreScale, 18), (fields[score].Type!.Value, fields[score].Scale!.Value, fields[score].Precision!.Value));
        }
    }
}
