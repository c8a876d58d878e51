using System.Text;
using System.Text.Json;
using SafetyPrograms.Domain;
using SafetyPrograms.Exchange;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Exchange;

/// <summary>The ADX mapping is checked before anything is exported; IATI identifiers follow the standard's rules; readers refuse broken input.</summary>
public sealed class ExchangeInputTests
{
    [Fact]
    public void SampleMapping_IsRead_AndCoversTheSampleProgrammes()
    {
        var mapping = ExchangeSamples.SampleMapping();
        var dataset = ExchangeSamples.SampleDataset();
        Assert.All(dataset.Indicators, i => Assert.True(mapping.DataElements.ContainsKey(i.Id.Value)));
        Assert.All(dataset.Partnerships, p => Assert.True(mapping.Programmes.ContainsKey(p.Id.Value)));
        Assert.Equal("sex", mapping.Categories["sex"].Attribute);
    }

    [Theory]
    [InlineData("""{"dataElements":{},"orgUnits":{},"programmes":{}}""", "$")]
    [InlineData("""{"dataSet":"S","dataElements":{},"orgUnits":{},"programmes":{},"extra":1}""", "$.extra")]
    [InlineData("""{"dataSet":"has space","dataElements":{},"orgUnits":{},"programmes":{}}""", "$.dataSet")]
    [InlineData("""{"dataSet":"S","dataElements":{"A":"X","B":"X"},"orgUnits":{},"programmes":{}}""", "$.dataElements")]
    [InlineData("""{"dataSet":"S","dataElements":{},"orgUnits":{"PK":5},"programmes":{}}""", "$.orgUnits['PK']")]
    [InlineData("""{"dataSet":"S","dataElements":{},"orgUnits":{},"programmes":{},"categories":{"sex":{"attribute":"1x","options":{}}}}""", "$.categories.sex.attribute")]
    [InlineData("""{"dataSet":"S","dataElements":{},"orgUnits":{},"programmes":{},"categories":{"sex":{"attribute":"value","options":{}}}}""", "$.categories")]
    [InlineData("""{"dataSet":"S","dataElements":{},"orgUnits":{},"programmes":{},"dataSet":"T"}""", null)]
    public void BrokenMappings_AreRefused_AtTheirPath(string json, string? path)
    {
        var error = Assert.Throws<DataFormatException>(() => AdxMapping.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "m.json"));
        if (path is not null)
        {
            Assert.Equal(path, error.Path);
        }
        Assert.Equal("m.json", error.FileName);
    }

    [Fact]
    public void MappingSchema_DescribesTheMembersTheReaderAccepts()
    {
        using var schema = JsonDocument.Parse(AdxMapping.JsonSchema);
        var properties = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["$schema", "categories", "dataElements", "dataSet", "orgUnits", "programmes"], properties);
        Assert.Equal(["dataSet", "dataElements", "orgUnits", "programmes"], schema.RootElement.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.False(schema.RootElement.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "SafetyPrograms", "schemas", "adx-mapping.schema.json")), AdxMapping.JsonSchema);
    }

    [Theory]
    [InlineData("XM-DAC-41122", "XM-DAC")]
    [InlineData("GB-COH-01234567", "GB-COH")]
    [InlineData("PK-SECP-0012345", "PK-SECP")]
    public void IatiIdentifiers_OfTheStandardsShape_AreAccepted(string value, string agency) => Assert.Equal(agency, new IatiIdentifier(value).Agency);

    [Theory]
    [InlineData("41122")]
    [InlineData("XM-DAC")]
    [InlineData("XM-DAC-")]
    [InlineData("xm-DAC-41122")]
    [InlineData("XM-DAC-41 122")]
    [InlineData("XM-DAC-41/122")]
    [InlineData("XM-DAC-41&122")]
    [InlineData("XM-DAC-41|122")]
    [InlineData("XM-DAC-41?122")]
    public void IatiIdentifiers_BreakingTheRules_AreRefused(string value)
    {
        Assert.False(IatiIdentifier.IsValid(value));
        Assert.Throws<ArgumentException>(() => new IatiIdentifier(value));
    }

    [Fact]
    public void ActivityIdentifiers_StartWithTheReportersAndCarryNoReservedCharacter() =>
        Assert.Equal("XM-DAC-41122-ps-a-b", IatiActivities.ActivityIdentifier(new IatiIdentifier("XM-DAC-41122"), "ps-a/b"));

    [Fact]
    public void OrganisationIatiIdentifier_TravelsThroughTheJsonContract()
    {
        var dataset = ExchangeSamples.SampleDataset();
        Assert.Equal("XM-DAC-41122", dataset.Organisations.Single(o => o.Id.Value == "org-unicef-pk").IatiIdentifier?.Value);
        var json = """{"schemaVersion":"1.0","organisations":[{"id":"o","name":"O","kind":"ngo","iatiIdentifier":"not an id"}],"partnerships":[]}""";
        var error = Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "d.json"));
        Assert.Contains("iatiIdentifier", error.Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<iati-activities><iati-activity><result><indicator><reference vocabulary=\"99\" code=\"I\"/><period><period-start iso-date=\"2025-13-01\"/>")]
    [InlineData("<iati-activities><iati-activity><result><indicator><reference vocabulary=\"99\" code=\"I\"/><period><period-start iso-date=\"2025-01-01\"/><period-end iso-date=\"2025-12-31\"/><actual value=\"-3\"/></period></indicator></result></iati-activity></iati-activities>")]
    [InlineData("<iati-activities><iati-activity>")]
    public void BrokenIatiResults_AreRefused(string xml) =>
        Assert.Throws<DataFormatException>(() => IatiResults.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml))));

    [Fact]
    public void BrokenAdxPeriods_AreRefused()
    {
        var mapping = ExchangeSamples.SampleMapping();
        var xml = """<adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-01-01T00:00:00Z"><group orgUnit="OU_PK" period="July" dataSet="SP_REACH" programme="PRG_CHILD_ONLINE_PROTECTION"><dataValue dataElement="DE_COP_OUT_1" value="3"/></group></adx>""";
        Assert.Throws<DataFormatException>(() => Adx.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), mapping, ExchangeSamples.SampleDataset()));
    }
}
