using System.Text;

namespace SafetyPrograms.Tests.Corpus;

/// <summary>Builders for hostile inputs generated in the tests rather than checked in (too large, binary or repetitive).</summary>
internal static class Hostile
{
    internal const int NestingLevels = 10_000;

    internal static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    internal static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary><see cref="NestingLevels"/> nested arrays.</summary>
    internal static string DeepArray() => new string('[', NestingLevels) + new string(']', NestingLevels);

    /// <summary><see cref="NestingLevels"/> nested objects, each with member <c>a</c>.</summary>
    internal static string DeepObject() => string.Concat(Enumerable.Repeat("{\"a\":", NestingLevels)) + "1" + new string('}', NestingLevels);

    /// <summary>The smallest valid dataset document, with <paramref name="members"/> inserted after the version.</summary>
    internal static string Dataset(string members = "") =>
        "{\"schemaVersion\":\"1.0\"," + members + "\"organisations\":[],\"partnerships\":[]}";

    /// <summary>Seeded random bytes.</summary>
    internal static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A valid participation record referring to base.json, as one JSON line.</summary>
    internal static string JsonRecord(string beneficiary = "k-1") =>
        $"{{\"beneficiary\":\"{beneficiary}\",\"activity\":\"a1\",\"date\":\"2024-02-10\",\"role\":\"student\",\"sex\":\"female\",\"ageBand\":\"10-14\",\"mode\":\"inPerson\",\"completed\":true}}\n";

    /// <summary>The rest of <see cref="JsonRecord"/> after its beneficiary, for splicing a hostile beneficiary or member in.</summary>
    internal const string JsonRecordTail =
        ",\"activity\":\"a1\",\"date\":\"2024-02-10\",\"role\":\"student\",\"sex\":\"female\",\"ageBand\":\"10-14\",\"mode\":\"inPerson\",\"completed\":true}\n";

    internal const string CsvHeader = "beneficiary,activity,date,role,sex,ageBand,mode,completed,school,preScore,postScore\n";

    /// <summary>A valid participation row referring to base.json.</summary>
    internal static string CsvRow(string beneficiary = "k-1") => $"{beneficiary},a1,2024-02-10,student,female,10-14,inPerson,true,school-1,,\n";

    internal const string CsvRowTail = ",a1,2024-02-10,student,female,10-14,inPerson,true,school-1,,\n";

    /// <summary>A comma-separated run of <paramref name="count"/> made-up column names.</summary>
    internal static string Columns(int count) => string.Join(',', Enumerable.Range(0, count).Select(i => "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
