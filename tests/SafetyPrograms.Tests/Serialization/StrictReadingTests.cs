using System.Text;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Serialization;

/// <summary>
/// Every way a dataset document can be wrong ends in one <see cref="DataFormatException"/> that says where:
/// the JSON path (root <c>$</c>) and the 1-based line. Documents are laid out so each defect sits on a known line.
/// </summary>
public class StrictReadingTests
{
    private const string Organisation = """{"id":"o1","name":"N","kind":"ngo"}""";

    /// <summary>Lines: 1 "{", 2 schemaVersion, 3 organisations, 4 partnerships, 5.. <paramref name="extra"/>.</summary>
    private static string Doc(string organisations = "[" + Organisation + "]", string partnerships = "[]", string extra = "", string version = "1.0") =>
        $"{{\n  \"schemaVersion\": \"{version}\",\n  \"organisations\": {organisations},\n  \"partnerships\": {partnerships}{extra}\n}}";

    /// <summary>A partnership whose period sits on line 5 (and 6 when the period spans two lines).</summary>
    private static string WithPeriod(string period) =>
        Doc(partnerships: "[\n  {\"id\":\"p1\",\"name\":\"P\",\"status\":\"active\",\"members\":[{\"organisation\":\"o1\",\"role\":\"lead\"}],\n   \"period\": " + period + "}]");

    private static DataFormatException Fails(string json, string expectedPath, long expectedLine)
    {
        var ex = Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Parse(json));
        Assert.Equal(expectedPath, ex.Path);
        Assert.Equal(expectedLine, ex.LineNumber);
        Assert.NotNull(ex.BytePositionInLine);
        return ex;
    }

    [Fact]
    public void Read_ConstructorRefusesValue_GivesItsReasonInOurWordsWithoutDotNetsParameterSuffix()
    {
        var ex = Fails(Doc(extra: ",\n\"cohorts\":[{\"id\":\"c1\",\"phase\":\"ph\",\"role\":\"student\",\"sex\":\"female\",\"ageBand\":\"10-14\",\n\"size\":-3}]"), "cohorts[0].size", 6);

        Assert.Equal("Value must not be negative. Actual value was -3.", ex.Reason);
    }

    [Theory]
    [InlineData("{\n\"schemaVersion\": \"1.0\",\n", "The JSON ends before the document is complete.", 3)]
    [InlineData("{\n\"schemaVersion\": \"1.0\"\n\"organisations\": []}", "The JSON is malformed here: '\"' cannot stand at this place.", 3)]
    [InlineData("{\"schemaVersion\": \"1.0\",\n\n \u0001}", "The JSON is malformed here: byte 0x01 cannot stand at this place.", 3)]
    public void Read_Malformed_ReasonWordedFromThePlaceNotFromTheReadersMessage(string json, string reason, long line)
    {
        var ex = Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Parse(json));

        Assert.Equal((reason, (long?)line), (ex.Reason, ex.LineNumber));
    }

    [Fact]
    public void Read_UnknownMemberAtRoot_Fails() => Fails(Doc(extra: ",\n  \"foo\": 1"), "foo", 5);

    [Fact]
    public void Read_UnknownMember_ListsTheExpectedMembers_InTheFilesTerms()
    {
        var ex = Fails(Doc(organisations: "[{\"id\":\"o1\",\"name\":\"N\",\"kind\":\"ngo\",\n\"website\":\"x\"}]"), "organisations[0].website", 4);
        Assert.Contains("id, name, kind, country, shortName", ex.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("SafetyPrograms.Domain", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownMemberNested_Fails() =>
        Fails(Doc(organisations: "[{\"id\":\"o1\",\"name\":\"N\",\"kind\":\"ngo\",\n\"bar\":2}]"), "organisations[0].bar", 4);

    [Fact]
    public void Read_MissingRequiredMember_FailsAtItsPlaceInItsObject()
    {
        // The path names the member where it belongs; the line is where its object starts.
        var ex = Fails(Doc(organisations: "[{\"id\":\"o1\",\n\"kind\":\"ngo\"}]"), "organisations[0].name", 3);
        Assert.Contains("'name'", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingRequiredRootMember_FailsAtItsPlaceInTheRoot() =>
        Fails("{\n\"schemaVersion\":\"1.0\",\n\"organisations\":[]\n}", "partnerships", 1);

    [Fact]
    public void Read_DuplicateMember_Fails() =>
        Fails(Doc(organisations: "[{\"id\":\"o1\",\"name\":\"N\",\n\"name\":\"M\",\"kind\":\"ngo\"}]"), "organisations[0].name", 4);

    [Fact]
    public void Read_DuplicateRootMember_Fails() => Fails(Doc(extra: ",\n \"organisations\": []"), "organisations", 5);

    [Fact]
    public void Read_DuplicateMemberInsidePeriod_Fails() =>
        Fails(WithPeriod("{\"start\":\"2024-01-01\",\"start\":\"2024-01-02\"}"), "partnerships[0].period.start", 6);

    [Fact]
    public void Read_WrongTypeForString_Fails()
    {
        var ex = Fails(Doc(organisations: "[{\"id\":\"o1\",\"name\":5,\"kind\":\"ngo\"}]"), "organisations[0].name", 3);
        Assert.Equal("Expected a string but found the number 5.", ex.Reason);
    }

    [Fact]
    public void Read_StringForInteger_Fails() =>
        Fails(Doc(extra: ",\n\"cohorts\":[{\"id\":\"c1\",\"phase\":\"ph\",\"role\":\"student\",\"sex\":\"female\",\"ageBand\":\"10-14\",\n\"size\":\"3\"}]"), "cohorts[0].size", 6);

    [Fact]
    public void Read_FractionForInteger_Fails() =>
        Fails(Doc(extra: ",\n\"cohorts\":[{\"id\":\"c1\",\"phase\":\"ph\",\"role\":\"student\",\"sex\":\"female\",\"ageBand\":\"10-14\",\n\"size\":3.5}]"), "cohorts[0].size", 6);

    [Fact]
    public void Read_NumberForIdentifier_Fails() =>
        Fails(Doc(organisations: "[{\"id\":5,\"name\":\"x\",\"kind\":\"ngo\"}]"), "organisations[0].id", 3);

    [Fact]
    public void Read_ObjectWhereListExpected_Fails() => Fails(Doc(partnerships: "{}"), "partnerships", 4);

    [Fact]
    public void Read_NullForRequiredString_Fails() =>
        Fails(Doc(organisations: "[{\"id\":\"o1\",\"name\":null,\"kind\":\"ngo\"}]"), "organisations[0].name", 3);

    [Fact]
    public void Read_NullListItem_FailsAtTheItem() =>
        Fails(Doc(organisations: "[" + Organisation + ",\nnull]"), "organisations[1]", 4);

    [Theory]
    [InlineData("\"Ngo\"")]
    [InlineData("\"NGO\"")]
    [InlineData("\"charity\"")]
    [InlineData("2")]
    [InlineData("\"2\"")]
    public void Read_EnumNotAnExactName_Fails(string kind)
    {
        var ex = Fails(Doc(organisations: "[{\"id\":\"o1\",\"name\":\"x\",\n\"kind\":" + kind + "}]"), "organisations[0].kind", 4);
        Assert.Contains("telecomOperator", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AgeBandByItsJsonName_Reads()
    {
        var json = Doc(extra: ",\n\"cohorts\":[{\"id\":\"c1\",\"phase\":\"ph\",\"role\":\"student\",\"sex\":\"notRecorded\",\"ageBand\":\"50+\",\"size\":3}]");
        Assert.Equal(AgeBand.Age50Plus, ProgrammeDatasetJson.Parse(json).Cohorts[0].AgeBand);
    }

    [Fact]
    public void Read_AgeBandByItsCSharpName_Fails() =>
        Fails(Doc(extra: ",\n\"cohorts\":[{\"id\":\"c1\",\"phase\":\"ph\",\"role\":\"student\",\"sex\":\"female\",\n\"ageBand\":\"age50Plus\",\"size\":3}]"), "cohorts[0].ageBand", 6);

    [Theory]
    [InlineData("2025-02-30")]
    [InlineData("2023-02-29")]
    [InlineData("2025-13-01")]
    [InlineData("2025-1-01")]
    [InlineData("01/02/2025")]
    [InlineData("2025-01-01T00:00:00")]
    [InlineData("")]
    public void Read_InvalidDate_FailsNamingTheValue(string date)
    {
        var ex = Fails(WithPeriod("{\"start\":\"" + date + "\"}"), "partnerships[0].period.start", 6);
        Assert.Contains($"'{date}'", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LeapDay_Reads() =>
        Assert.Equal(new NodaTime.LocalDate(2024, 2, 29), ProgrammeDatasetJson.Parse(WithPeriod("{\"start\":\"2024-02-29\"}")).Partnerships[0].Period.Start);

    [Fact]
    public void Read_DateAsNumber_Fails() => Fails(WithPeriod("{\"start\":20250101}"), "partnerships[0].period.start", 6);

    [Fact]
    public void Read_ReversedPeriod_FailsAtTheEnd() =>
        Fails(WithPeriod("{\"start\":\"2025-02-03\",\n\"end\":\"2024-01-01\"}"), "partnerships[0].period.end", 7);

    [Fact]
    public void Read_ReversedPeriodWithEndFirst_FailsAtTheEnd() =>
        Fails(WithPeriod("{\"end\":\"2024-01-01\",\n\"start\":\"2025-02-03\"}"), "partnerships[0].period.end", 7);

    [Fact]
    public void Read_PeriodUnknownMember_Fails() => Fails(WithPeriod("{\"start\":\"2025-02-03\",\"until\":\"2026-01-01\"}"), "partnerships[0].period.until", 6);

    [Fact]
    public void Read_PeriodWithoutStart_Fails() => Fails(WithPeriod("{}"), "partnerships[0].period", 6);

    [Fact]
    public void Read_PeriodWithNullEnd_IsOngoing() =>
        Assert.True(ProgrammeDatasetJson.Parse(WithPeriod("{\"start\":\"2025-02-03\",\"end\":null}")).Partnerships[0].Period.IsOpen);

    [Fact]
    public void Read_DateIntervalWithoutEnd_Fails() =>
        Fails(Doc(extra: ",\n\"actuals\":[{\"indicator\":\"i\",\"partnership\":\"p\",\"value\":1,\n\"period\":{\"start\":\"2024-01-01\"}}]"), "actuals[0].period", 6);

    [Fact]
    public void Read_BlankName_FailsAtTheMember() =>
        Fails(Doc(organisations: "[{\"id\":\"o1\",\n\"name\":\"  \",\"kind\":\"ngo\"}]"), "organisations[0].name", 4);

    [Fact]
    public void Read_NegativeCohortSize_FailsAtTheMember() =>
        Fails(Doc(extra: ",\n\"cohorts\":[{\"id\":\"c0\",\"phase\":\"ph\",\"role\":\"student\",\"sex\":\"female\",\"ageBand\":\"10-14\",\"size\":1},\n"
            + "{\"id\":\"c1\",\"phase\":\"ph\",\"role\":\"student\",\"sex\":\"female\",\"ageBand\":\"10-14\",\n\"size\":-3}]"), "cohorts[1].size", 7);

    [Fact]
    public void Read_NegativeAttendanceDeepInside_FailsAtTheDeepestMember() =>
        Fails(Doc(extra: ",\n\"activities\":[{\"id\":\"a1\",\"phase\":\"ph\",\"kind\":\"workshop\",\"mode\":\"online\",\"date\":\"2024-01-01\",\"attendance\":[\n"
            + "{\"cohort\":\"c1\",\"count\":1},\n{\"cohort\":\"c2\",\n\"count\":-1}]}]"), "activities[0].attendance[1].count", 8);

    [Fact]
    public void Read_NegativeCellInsideNestedLists_FailsAtTheCell()
    {
        var ex = Fails(Doc(extra: ",\n\"actuals\":[{\"indicator\":\"i\",\"partnership\":\"p\",\"value\":1,\"period\":{\"start\":\"2024-01-01\",\"end\":\"2024-12-31\"},\n"
            + "\"disaggregations\":[{\"dimension\":\"sex\",\"cells\":[{\"category\":\"female\",\"value\":1},\n{\"category\":\"male\",\n\"value\":-2}]}]}]"), "actuals[0].disaggregations[0].cells[1].value", 8);
        Assert.IsType<ArgumentOutOfRangeException>(ex.InnerException);
    }

    [Fact]
    public void Read_NullCellInsideNestedLists_FailsAtTheItem() =>
        Fails(Doc(extra: ",\n\"actuals\":[{\"indicator\":\"i\",\"partnership\":\"p\",\"value\":1,\"period\":{\"start\":\"2024-01-01\",\"end\":\"2024-12-31\"},\n"
            + "\"disaggregations\":[{\"dimension\":\"sex\",\"cells\":[{\"category\":\"female\",\"value\":1},\nnull]}]}]"), "actuals[0].disaggregations[0].cells[1]", 7);

    [Fact]
    public void Read_MinimumAboveMaximum_FailsAtMaximum() =>
        Fails(Doc(extra: ",\n\"indicators\":[{\"id\":\"i\",\"name\":\"S\",\"unit\":\"count\",\"level\":\"output\",\"basis\":\"new\",\"accumulation\":\"cumulative\",\"minimum\":5,\n\"maximum\":1}]"), "indicators[0].maximum", 6);

    [Fact]
    public void Read_ProvinceOutsideCountry_FailsAtProvince() =>
        Fails(Doc(extra: ",\n\"schools\":[{\"id\":\"s1\",\"name\":\"S\",\"sector\":\"public\",\"location\":{\"country\":\"PK\",\n\"province\":\"IN-MH\",\"district\":\"d\"}}]"), "schools[0].location.province", 6);

    [Theory]
    [InlineData("o 1")]
    [InlineData("")]
    [InlineData("ö")]
    public void Read_InvalidIdentifier_Fails(string id) =>
        Fails(Doc(organisations: "[{\"id\":\"" + id + "\",\"name\":\"N\",\"kind\":\"ngo\"}]"), "organisations[0].id", 3);

    [Theory]
    [InlineData("pk")]
    [InlineData("PAK")]
    public void Read_InvalidCountryCode_Fails(string code) =>
        Fails(Doc(organisations: "[{\"id\":\"o1\",\"name\":\"N\",\"kind\":\"ngo\",\n\"country\":\"" + code + "\"}]"), "organisations[0].country", 4);

    [Fact]
    public void Read_UnsupportedSchemaVersion_FailsListingSupportedVersions()
    {
        // A newer document may hold members this version does not know; the version is what to report.
        var ex = Fails(Doc(version: "2.0", extra: ",\n \"newThing\": 1"), "schemaVersion", 2);
        Assert.Contains("'2.0'", ex.Reason, StringComparison.Ordinal);
        Assert.Contains(ProgrammeDataset.CurrentSchemaVersion, ex.Reason, StringComparison.Ordinal);
        Assert.Equal([ProgrammeDataset.CurrentSchemaVersion], ProgrammeDatasetJson.SupportedSchemaVersions);
    }

    [Fact]
    public void Read_EmptyInput_Fails() => Fails("", "$", 1);

    [Fact]
    public void Read_WhitespaceOnly_Fails() => Fails("  \n  ", "$", 2);

    [Fact]
    public void Read_NullDocument_Fails() => Fails("null", "$", 1);

    [Fact]
    public void Read_ArrayDocument_Fails() => Fails("[]", "$", 1);

    [Fact]
    public void Read_TrailingGarbage_Fails() => Fails(Doc() + "\nx", "$", 6);

    [Fact]
    public void Read_SecondDocument_Fails() => Fails(Doc() + "\n{}", "$", 6);

    [Fact]
    public void Read_MalformedJson_Fails() => Fails("{\"schemaVersion\": \"1.0\",\n \"organisations\": [,]}", "organisations[0]", 2);

    [Fact]
    public void Read_TruncatedJson_Fails() => Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Parse(Doc()[..40]));

    [Fact]
    public void Read_Comments_Fail() => Fails("// note\n" + Doc(), "$", 1);

    [Theory]
    [InlineData(40)]
    [InlineData(100_000)]
    public void Read_DeepNesting_FailsCleanly(int depth)
    {
        var deepArray = new string('[', depth) + new string(']', depth);
        Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Parse(deepArray));
        var deepInsideUnknown = Doc(extra: ",\n\"x\":" + string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));
        Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Parse(deepInsideUnknown));
    }

    [Fact]
    public void Read_DeepNestingAfterADomainError_ReportsTheDomainErrorAtItsPlace()
    {
        // The document is read once: the blank name is refused where it is read, before the deep nesting is reached.
        var json = Doc(organisations: "[{\"id\":\"o1\",\"name\":\" \",\"kind\":\"ngo\"}]", extra: ",\n\"x\":" + new string('[', 100) + new string(']', 100));
        var ex = Fails(json, "organisations[0].name", 3);
        Assert.Contains("white space", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Utf8ByteOrderMark_IsAccepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Doc())).ToArray();
        using var stream = new MemoryStream(bytes);
        Assert.Single(ProgrammeDatasetJson.Read(stream, "bom.json").Organisations);
    }

    [Theory]
    [InlineData("\"N\"", "organisations[0].name", 3)]
    [InlineData("\"o1\"", "organisations[0].id", 3)]
    [InlineData("\"1.0\"", "schemaVersion", 2)]
    public void Read_InvalidUtf8InAString_FailsAtThatMember(string value, string path, long line)
    {
        var bytes = Encoding.UTF8.GetBytes(Doc());
        bytes[bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(value)) + 1] = 0xFF;
        using var stream = new MemoryStream(bytes);
        var ex = Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Read(stream));
        Assert.Equal(path, ex.Path);
        Assert.Equal(line, ex.LineNumber);
        Assert.Contains("UTF-8", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileName_IsInTheError()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Doc(extra: ",\n\"foo\":1")));
        var ex = Assert.Throws<DataFormatException>(() => ProgrammeDatasetJson.Read(stream, "programmes.json"));
        Assert.Equal("programmes.json", ex.FileName);
        Assert.StartsWith("programmes.json, line 5, position ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_InvalidDocument_FailsTheSameWay()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(WithPeriod("{\"start\":\"2025-02-30\"}")));
        var ex = await Assert.ThrowsAsync<DataFormatException>(() => ProgrammeDatasetJson.ReadAsync(stream, "f.json", CancellationToken.None));
        Assert.Equal("partnerships[0].period.start", ex.Path);
    }

    [Fact]
    public void Write_OmitsNullMembers_AndUsesContractNames()
    {
        var dataset = new ProgrammeDataset(
            ProgrammeDataset.CurrentSchemaVersion,
            [new Organisation(new("o1"), "N", OrganisationKind.TelecomOperator)],
            [new Partnership(new("p1"), "P", new DatePeriod(new(2022, 1, 1)), ProgrammeStatus.Active, [new PartnershipMember(new("o1"), PartnershipRole.Lead)])],
            cohorts: [new Cohort(new("c1"), new("ph1"), BeneficiaryRole.Student, Sex.NotRecorded, AgeBand.Age10To14, 30)]);
        var json = ProgrammeDatasetJson.ToJson(dataset, indented: false);
        Assert.StartsWith("""{"schemaVersion":"1.0","organisations":[{"id":"o1","name":"N","kind":"telecomOperator"}],""", json, StringComparison.Ordinal);
        Assert.Contains("\"period\":{\"start\":\"2022-01-01\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"sex\":\"notRecorded\",\"ageBand\":\"10-14\",\"size\":30,\"disability\":\"notRecorded\"}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("description", json, StringComparison.Ordinal);
    }
}
