using System.Text.Json.Nodes;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Schema;

/// <summary>What the generated schemas say about each part of the contract, as (JSON pointer, expected schema) pairs.</summary>
public class SchemaContentTests
{
    private static readonly JsonNode Dataset = JsonNode.Parse(JsonSchemaGenerator.Dataset(JsonSchemaGenerator.LoadDocumentation()))!;
    private static readonly JsonNode Record = JsonNode.Parse(JsonSchemaGenerator.ParticipationRecord(JsonSchemaGenerator.LoadDocumentation()))!;

    private static JsonNode At(JsonNode root, string pointer)
    {
        var node = root;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            // The exporter writes a type's schema once and refers to it with "$ref" where it recurs.
            while (node[part] is null && node["$ref"] is JsonValue reference)
            {
                node = At(root, ((string)reference!).TrimStart('#'));
            }
            node = node[part] ?? throw new Xunit.Sdk.XunitException($"{pointer}: no '{part}'");
        }
        return node;
    }

    private static void Has(JsonNode root, string pointer, string expected)
    {
        var actual = At(root, pointer).DeepClone().AsObject();
        actual.Remove("description");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"{pointer}: {actual.ToJsonString()}");
    }

    [Fact]
    public void Root_IsDraft202012_WithIdTitleAndDescription()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)Dataset["$schema"]);
        Assert.StartsWith("urn:safetyprograms:schema:programme-dataset:", (string?)Dataset["$id"], StringComparison.Ordinal);
        Assert.Equal("Programme dataset", (string?)Dataset["title"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)Dataset["description"]));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)Record["$schema"]);
    }

    [Fact]
    public void Root_RequiresTheContractMembers_AndNothingElse()
    {
        Assert.Equal(["schemaVersion", "organisations", "partnerships"], At(Dataset, "required").AsArray().Select(n => (string)n!));
        Assert.False((bool)Dataset["additionalProperties"]!);
    }

    [Fact]
    public void SchemaVersion_IsOneOfTheSupportedVersions() =>
        Assert.Equal(ProgrammeDatasetJson.SupportedSchemaVersions, At(Dataset, "properties/schemaVersion/enum").AsArray().Select(n => (string)n!));

    [Fact]
    public void LocalDate_IsAStringWithDateFormat() =>
        Has(Record, "properties/date", """{"type":"string","format":"date","pattern":"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}""");

    [Fact]
    public void Identifiers_UseTheDomainPattern()
    {
        Has(Record, "properties/beneficiary", $$"""{"type":"string","pattern":"{{Identifiers.Pattern}}"}""");
        Has(Record, "properties/activity", $$"""{"type":"string","pattern":"{{Identifiers.Pattern}}"}""");
        Has(Record, "properties/school", $$"""{"type":["string","null"],"pattern":"{{Identifiers.Pattern}}"}""");
    }

    [Fact]
    public void Codes_UseTheDomainPatterns()
    {
        Has(Dataset, "properties/schools/items/properties/location/properties/country", $$"""{"type":"string","pattern":"{{CountryCode.Pattern}}"}""");
        Has(Dataset, "properties/schools/items/properties/location/properties/province", $$"""{"type":"string","pattern":"{{SubdivisionCode.Pattern}}"}""");
    }

    [Fact]
    public void Enums_AreStringEnums_WithJsonNames() =>
        Has(Record, "properties/ageBand", """{"type":"string","enum":["5-9","10-14","15-17","18-24","25-49","50+","notRecorded","0-4","18+"]}""");

    [Fact]
    public void NullableEnum_AllowsNull() =>
        Has(Dataset, "properties/partnerships/items/properties/targets/items/properties/role",
            """{"type":["string","null"],"enum":["student","youth","teacher","parent","community",null]}""");

    [Fact]
    public void EnumWithDefault_IsStillAStringEnum() =>
        Has(Dataset, "properties/indicators/items/properties/direction", """{"type":"string","enum":["higherIsBetter","lowerIsBetter"]}""");

    [Fact]
    public void DatePeriod_IsAnObjectWithOptionalEnd() =>
        Has(Dataset, "properties/partnerships/items/properties/period", """
            {"type":"object","properties":{
              "start":{"type":"string","format":"date","pattern":"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
              "end":{"type":["string","null"],"format":"date","pattern":"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}},
             "required":["start"],"additionalProperties":false}
            """);

    [Fact]
    public void DateInterval_RequiresBothEnds() =>
        Assert.Equal(["start", "end"], At(Dataset, "properties/actuals/items/properties/period/required").AsArray().Select(n => (string)n!));

    [Theory]
    [InlineData("properties/cohorts/items/properties/size", 0)]
    [InlineData("properties/activities/items/properties/attendance/items/properties/count", 0)]
    [InlineData("properties/activities/items/properties/durationMinutes", 0)]
    [InlineData("properties/partnerships/items/properties/phases/items/properties/sequence", 1)]
    [InlineData("properties/partnerships/items/properties/targets/items/properties/value", 0)]
    [InlineData("properties/actuals/items/properties/value", 0)]
    [InlineData("properties/actuals/items/properties/disaggregations/items/properties/cells/items/properties/value", 0)]
    public void CountsValuesAndSizes_HaveMinimums(string pointer, int minimum) =>
        Assert.Equal(minimum, (int)At(Dataset, pointer + "/minimum"));

    [Fact]
    public void ListOfIdentifiers_HasItemPattern() =>
        Has(Dataset, "properties/partnerships/items/properties/phases/items/properties/schools",
            $$$"""{"type":["array","null"],"items":{"type":"string","pattern":"{{{Identifiers.Pattern}}}"}}""");

    [Fact]
    public void RequiredText_MustNotBeBlank() =>
        Has(Dataset, "properties/organisations/items/properties/name", """{"type":"string","pattern":"\\S"}""");

    [Fact]
    public void EveryObject_IsClosed_AndEveryMemberDescribed()
    {
        var objects = 0;
        Walk(Dataset, "#");
        Walk(Record, "#");
        Assert.True(objects > 15);

        void Walk(JsonNode? node, string pointer)
        {
            if (node is not JsonObject o)
            {
                return;
            }
            if (o["properties"] is JsonObject properties)
            {
                objects++;
                Assert.True(o["additionalProperties"] is JsonValue v && !v.GetValue<bool>(), $"{pointer} allows unknown members");
                foreach (var (name, member) in properties)
                {
                    // start/end of periods are described by the period itself.
                    Assert.True(name is "start" or "end" || member?["description"] is not null, $"{pointer}/{name} has no description");
                }
            }
            foreach (var (key, child) in o)
            {
                Walk(child, $"{pointer}/{key}");
            }
        }
    }
}
