using System.Text;
using BenchmarkDotNet.Attributes;
using nietras.SeparatedValues;
using SafetyPrograms.Benchmarks.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Benchmarks.Serialization;

/// <summary>
/// Our RFC 4180 tokenizer (<see cref="Utf8CsvRecords"/>, the store's CSV ingest) against Sep over the same participation
/// CSV held in memory, the file the side-by-side harness's <c>generate</c> verb writes (same generator, same seed). One
/// thread each, so that the figure is the tokenizer's, not the chunker's parallelism. <see cref="OursTokenize"/> and
/// <see cref="SepTokenize"/> touch every field of every record; the <c>Parse</c> pair also turns the fields into the
/// store's row values with the store's UTF-8 field parsers (Sep hands out UTF-16 fields, which are transcoded back for
/// them: what switching would cost the ingest).
/// </summary>
/// <remarks>
/// Speed is not the only question. What the ingest relies on and Sep 0.18 does not give: starting at a record boundary
/// inside a byte chunk (the ingest splits a file into chunks, quote-aware, and tokenizes them in parallel; Sep reads one
/// stream in order); refusing UTF-16 (Sep decodes a UTF-16 file with a byte-order mark, and reads one without as text
/// full of NULs); a record limit (Sep buffers a record of any length); and flagging a malformed record while reading on
/// from the next one (Sep takes a quote inside an unquoted field, or an unclosed quote, as opening a field that runs on
/// across the following lines, keeps text after a closing quote as part of the field, and returns empty lines as records).
/// It does skip a UTF-8 byte-order mark and gives each record's first line number, quoted line breaks included.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class SepTokenizerBenchmarks
{
    private const string Header = "beneficiary,activity,date,role,sex,ageBand,mode,completed,school,preScore,postScore\n";

    private byte[] _csv = [];

    [Params(1_000_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder(Header);
        foreach (var line in new ProgrammeGenerator(seed: 42, Records).CsvLines())
        {
            text.Append(line).Append('\n');
        }
        _csv = Encoding.UTF8.GetBytes(text.ToString());
        // Both must read the same fields, or the comparison means nothing.
        if (OursTokenize() != SepTokenize() || OursParse() != SepParse())
        {
            throw new InvalidOperationException("Sep and our tokenizer read the file differently.");
        }
    }

    [Benchmark(Baseline = true)]
    public long OursTokenize()
    {
        var data = _csv.AsSpan(Header.Length);
        var records = new Utf8CsvRecords();
        long total = 0;
        while (records.Read(data))
        {
            for (var f = 0; f < records.FieldCount; f++)
            {
                total += records.Field(data, f).Length;
            }
            total += records.RecordLineEnds & 1;
        }
        return total;
    }

    [Benchmark]
    public long SepTokenize()
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).From(_csv);
        long total = 0;
        foreach (var row in reader)
        {
            for (var f = 0; f < row.ColCount; f++)
            {
                total += row[f].Span.Length;
            }
            total += row.LineNumberFrom & 1;
        }
        return total;
    }

    [Benchmark]
    public long OursParse()
    {
        var data = _csv.AsSpan(Header.Length);
        var records = new Utf8CsvRecords();
        long total = 0;
        while (records.Read(data))
        {
            total += Row(
                records.Field(data, 0), records.Field(data, 1), records.Field(data, 2), records.Field(data, 3), records.Field(data, 4),
                records.Field(data, 5), records.Field(data, 6), records.Field(data, 7), records.Field(data, 8), records.Field(data, 9),
                records.Field(data, 10));
        }
        return total;
    }

    [Benchmark]
    public long SepParse()
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).From(_csv);
        long total = 0;
        Span<byte> scratch = stackalloc byte[11 * 64];
        Span<int> ends = stackalloc int[11];
        foreach (var row in reader)
        {
            var used = 0;
            for (var f = 0; f < 11; f++)
            {
                used += Encoding.UTF8.GetBytes(row[f].Span, scratch[used..]);
                ends[f] = used;
            }
            total += Row(
                scratch[..ends[0]], scratch[ends[0]..ends[1]], scratch[ends[1]..ends[2]], scratch[ends[2]..ends[3]], scratch[ends[3]..ends[4]],
                scratch[ends[4]..ends[5]], scratch[ends[5]..ends[6]], scratch[ends[6]..ends[7]], scratch[ends[7]..ends[8]],
                scratch[ends[8]..ends[9]], scratch[ends[9]..ends[10]]);
        }
        return total;
    }

    /// <summary>The store's row values of one record (identifiers by length: the dictionary lookups are the same either way).</summary>
    private static long Row(
        ReadOnlySpan<byte> beneficiary, ReadOnlySpan<byte> activity, ReadOnlySpan<byte> date, ReadOnlySpan<byte> role, ReadOnlySpan<byte> sex,
        ReadOnlySpan<byte> ageBand, ReadOnlySpan<byte> mode, ReadOnlySpan<byte> completed, ReadOnlySpan<byte> school, ReadOnlySpan<byte> pre,
        ReadOnlySpan<byte> post) =>
        beneficiary.Length + activity.Length + school.Length + ParticipationFields.Date(date) + EnumNames<BeneficiaryRole>.Index(role)
        + EnumNames<Sex>.Index(sex) + EnumNames<AgeBand>.Index(ageBand) + EnumNames<DeliveryMode>.Index(mode)
        + ParticipationFields.Bool(completed) + ParticipationFields.Score(pre, out _) + ParticipationFields.Score(post, out _);
}
