using System.Text;
using SafetyPrograms.Exchange;
using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Exchange;

/// <summary>
/// Every export of the sample programmes and of generated ones is valid by the standard's own schema, run by xmllint
/// (and, for strict ADX, the schema IHE's stylesheet makes from our structure); broken exports are not, so the check bites.
/// </summary>
public sealed class SchemaValidationTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("safetyprograms-exchange-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    public static TheoryData<int> Seeds => [11, 12, 13];

    [InteropFact("xmllint", "xsltproc")]
    public void SampleExports_AreValid_ByEveryStandardsSchema() =>
        AssertAllValid(ExchangeSamples.Sample(), ExchangeSamples.SampleMapping(), "sample");

    [InteropTheory("xmllint", "xsltproc")]
    [MemberData(nameof(Seeds))]
    public void GeneratedExports_AreValid_ByEveryStandardsSchema(int seed)
    {
        var (dataset, store) = ExchangeSamples.Generated(seed);
        var data = ExchangeData.Publish(dataset, new PublicationPolicy(minimumCellSize: 5), ExchangeSamples.AsOf, ExchangeSamples.Exported, store);
        Assert.Contains(data.Series, s => s.Figures.Any(f => f.IsSuppressed));
        AssertAllValid(data, ExchangeSamples.GeneratedMapping(dataset), $"seed{seed}");
    }

    private void AssertAllValid(ExchangeData data, AdxMapping mapping, string name)
    {
        var iati = ExchangeSamples.WriteFile(_temp, name + ".iati.xml", s => IatiActivities.Write(data, s, IatiUnidentifiedProgrammes.LeaveOut));
        var adx = ExchangeSamples.WriteFile(_temp, name + ".adx.xml", s => Adx.Write(data, mapping, s));
        var adxStructure = ExchangeSamples.WriteFile(_temp, name + ".adx-dsd.xml", s => Adx.WriteStructure(mapping, data.Exported, s));
        var sdmx = ExchangeSamples.WriteFile(_temp, name + ".sdmx.xml", s => Sdmx.WriteGenericData(data, s));
        var sdmxStructure = ExchangeSamples.WriteFile(_temp, name + ".sdmx-dsd.xml", s => Sdmx.WriteStructure(data, s));
        AssertValid(Interop.IatiSchema, iati);
        AssertValid(Interop.AdxLooseSchema, adx);
        AssertValid(Interop.StrictAdxSchema(adxStructure, _temp), adx);
        AssertValid(Interop.SdmxMessageSchema, sdmx);
        AssertValid(Interop.SdmxMessageSchema, sdmxStructure);
        AssertValid(Interop.SdmxMessageSchema, adxStructure);
    }

    [InteropFact("xmllint")]
    public void IatiWithElementsOutOfOrder_FailsTheSchema()
    {
        var valid = Write(s => IatiActivities.Write(ExchangeSamples.Sample(), s, IatiUnidentifiedProgrammes.LeaveOut));
        // The schema fixes the order: title after reporting-org. Moving the first title before it must be refused.
        var start = valid.IndexOf("<title>", StringComparison.Ordinal);
        var end = valid.IndexOf("</title>", start, StringComparison.Ordinal) + "</title>".Length;
        var title = valid[start..end];
        var broken = valid.Remove(start, end - start);
        broken = broken.Insert(broken.IndexOf("<reporting-org", StringComparison.Ordinal), title);
        AssertValid(Interop.IatiSchema, Save("valid.iati.xml", valid));
        AssertInvalid(Interop.IatiSchema, Save("order.iati.xml", broken));
    }

    [InteropFact("xmllint")]
    public void IatiWithAnImpossibleDate_FailsTheSchema()
    {
        var valid = Write(s => IatiActivities.Write(ExchangeSamples.Sample(), s, IatiUnidentifiedProgrammes.LeaveOut));
        var at = valid.IndexOf("<period-end iso-date=\"", StringComparison.Ordinal) + "<period-end iso-date=\"".Length;
        var broken = valid[..at] + "2025-02-30" + valid[(at + "yyyy-MM-dd".Length)..];
        AssertInvalid(Interop.IatiSchema, Save("date.iati.xml", broken));
    }

    [InteropFact("xmllint", "xsltproc")]
    public void AdxWithABadPeriod_FailsLooseAndStrictSchemas()
    {
        var data = ExchangeSamples.Sample();
        var mapping = ExchangeSamples.SampleMapping();
        var valid = Write(s => Adx.Write(data, mapping, s));
        var structure = ExchangeSamples.WriteFile(_temp, "dsd.xml", s => Adx.WriteStructure(mapping, data.Exported, s));
        var strict = Interop.StrictAdxSchema(structure, _temp);
        // A period is a start and an ISO 8601 duration; a month name is neither.
        var period = valid.IndexOf("period=\"", StringComparison.Ordinal) + "period=\"".Length;
        var broken = valid[..period] + "July 2025" + valid[valid.IndexOf('"', period)..];
        AssertInvalid(Interop.AdxLooseSchema, Save("period.adx.xml", broken));
        AssertInvalid(strict, Save("period.adx.xml", broken));
    }

    [InteropFact("xmllint", "xsltproc")]
    public void AdxWithACodeTheMappingDoesNotHave_FailsOnlyTheStrictSchema()
    {
        var data = ExchangeSamples.Sample();
        var mapping = ExchangeSamples.SampleMapping();
        var valid = Write(s => Adx.Write(data, mapping, s));
        var strict = Interop.StrictAdxSchema(ExchangeSamples.WriteFile(_temp, "dsd.xml", s => Adx.WriteStructure(mapping, data.Exported, s)), _temp);
        var broken = ReplaceFirst(valid, "dataElement=\"", "dataElement=\"NOT_MAPPED_");
        var path = Save("code.adx.xml", broken);
        AssertValid(Interop.AdxLooseSchema, path);
        AssertInvalid(strict, path);
    }

    [InteropFact("xmllint")]
    public void SdmxWithTheValueBeforeTheKey_FailsTheSchema()
    {
        var valid = Write(s => Sdmx.WriteGenericData(ExchangeSamples.Sample(), s));
        var keyStart = valid.IndexOf("<generic:ObsKey>", StringComparison.Ordinal);
        var keyEnd = valid.IndexOf("</generic:ObsKey>", keyStart, StringComparison.Ordinal) + "</generic:ObsKey>".Length;
        var valueEnd = valid.IndexOf("/>", keyEnd, StringComparison.Ordinal) + 2;
        var broken = valid[..keyStart] + valid[keyEnd..valueEnd] + valid[keyStart..keyEnd] + valid[valueEnd..];
        AssertInvalid(Interop.SdmxMessageSchema, Save("order.sdmx.xml", broken));
    }

    private static string Write(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private string Save(string name, string text)
    {
        var path = Path.Combine(_temp, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string ReplaceFirst(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{what}' is not in the export");
        return text[..at] + with + text[(at + what.Length)..];
    }

    private static void AssertValid(string schema, string file)
    {
        var result = Interop.Xmllint(schema, file);
        Assert.True(result.ExitCode == 0, $"{Path.GetFileName(file)} against {Path.GetFileName(schema)}: {result}");
    }

    private static void AssertInvalid(string schema, string file)
    {
        var result = Interop.Xmllint(schema, file);
        Assert.True(result.ExitCode == 3, $"{Path.GetFileName(file)} against {Path.GetFileName(schema)} should fail validation (exit 3): {result}");
    }
}
