using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;
using static SafetyPrograms.Tests.Corpus.Hostile;

namespace SafetyPrograms.Tests.Corpus;

/// <summary>
/// Generated hostile dataset documents: deep nesting, bytes that are not JSON or not UTF-8, unpaired surrogates, a lone
/// byte order mark. Each must validate to the single finding SP0001 at its place and throw
/// <see cref="DataFormatException"/> from the reader, or be read as valid; never anything else, never a hang.
/// </summary>
public sealed class HostileDatasetTests
{
    private static readonly byte[] InvalidUtf8 = [0xFF];

    private static readonly Dictionary<string, (Func<byte[]> Content, string? Finding, string? Reason)> Cases = new()
    {
        ["nested arrays at the root"] = (() => Utf8(DeepArray()), "SP0001 line 1 $", null),
        ["nested arrays as a member's value"] = (() => Utf8(Dataset($"\"description\":{DeepArray()},")), "SP0001 line 1 description", null),
        ["nested arrays before the schema version"] =
            (() => Utf8($"{{\"description\":{DeepArray()},\"schemaVersion\":\"1.0\",\"organisations\":[],\"partnerships\":[]}}"), "SP0001 line 1 description", null),
        ["nested objects at the root"] = (() => Utf8(DeepObject()), "SP0001 line 1 a", null),
        ["random bytes"] = (() => RandomBytes(20261122, 4096), "SP0001 line 1 $", null),
        ["NUL bytes"] = (() => new byte[100], "SP0001 line 1 $", null),
        ["a byte order mark alone"] = (() => Bom, "SP0001 line 1 $", null),
        ["a byte order mark then blank lines"] = (() => Concat(Bom, Utf8("\n\n")), "SP0001 line 3 $", null),
        ["invalid UTF-8 in a string"] =
            (() => Concat(Utf8("{\"schemaVersion\":\"1.0\",\"description\":\"ab"), [0xFF, 0xFE], Utf8("\",\"organisations\":[],\"partnerships\":[]}")),
                "SP0001 line 1 description", JsonContractReader.UndecodableText),
        ["invalid UTF-8 in an identifier"] =
            (() => Concat(Utf8("{\"schemaVersion\":\"1.0\",\"organisations\":[{\"id\":\"a"), [0xC3, 0x28], Utf8("\",\"name\":\"n\",\"kind\":\"ngo\"}],\"partnerships\":[]}")),
                "SP0001 line 1 organisations[0].id", null),
        ["invalid UTF-8 in a member name"] =
            (() => Concat(Utf8("{\"schemaVersion\":\"1.0\",\""), [0xC3, 0x28], Utf8("\":1,\"organisations\":[],\"partnerships\":[]}")),
                "SP0001 line 1 (a value of 6 characters that is not text, not shown)", null),
        ["invalid UTF-8 in the schema version"] =
            (() => Concat(Utf8("{\"schemaVersion\":\"1."), InvalidUtf8, Utf8("\",\"organisations\":[],\"partnerships\":[]}")),
                "SP0001 line 1 schemaVersion", JsonContractReader.UndecodableText),
        ["an unpaired surrogate in the schema version"] =
            (() => Utf8("{\"schemaVersion\":\"1.\\ud800\",\"organisations\":[],\"partnerships\":[]}"), "SP0001 line 1 schemaVersion", JsonContractReader.UndecodableText),
        ["an unpaired surrogate in a string"] = (() => Utf8(Dataset("\"description\":\"\\ud800\",")), "SP0001 line 1 description", JsonContractReader.UndecodableText),
        ["an unpaired surrogate in a member name"] = (() => Utf8(Dataset("\"\\udc00\":1,")), "SP0001 line 1 $", JsonContractReader.UndecodableText),
        // Like any JSON reader, decimal rounds a number below its precision to zero: 1e-400 reads as 0.
        ["a number too small for decimal"] =
            (() => Utf8(Dataset("\"indicators\":[{\"id\":\"i\",\"name\":\"n\",\"unit\":\"score\",\"level\":\"output\",\"basis\":\"uniquePeople\",\"accumulation\":\"lastValue\",\"minimum\":1e-400,\"maximum\":10}],")),
                null, null),
        ["the smallest dataset after a byte order mark"] = (() => Concat(Bom, Utf8(Dataset())), null, null),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Validate_HostileDataset_ReportsSp0001AtItsPlaceOrIsValid(string name)
    {
        var (content, finding, reason) = Cases[name];

        var report = await Corpus.Bounded(() => Corpus.ValidateDataset(new MemoryStream(content()), "hostile.json"));

        Assert.Equal(finding is null ? [] : [finding], report.Findings.Select(Corpus.Describe));
        if (reason is not null)
        {
            Assert.Equal($"hostile.json: {reason}", report.Findings[0].Message);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Read_HostileDataset_ThrowsOnlyDataFormatException(string name)
    {
        var (content, finding, _) = Cases[name];

        var error = await Record.ExceptionAsync(() => Corpus.Bounded(() => ProgrammeDatasetJson.Read(new MemoryStream(content()), "hostile.json")));

        if (finding is null)
        {
            Assert.Null(error);
        }
        else
        {
            var format = Assert.IsType<DataFormatException>(error);
            Assert.Equal("hostile.json", format.FileName);
            Assert.EndsWith(format.Path!, finding, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Validate_SeededMutationsOfTheBaseDataset_ReportOnlyCatalogueFindings()
    {
        // Flip, drop or duplicate a few bytes of a valid document, 300 times: each outcome is a report, unreadable
        // ones with SP0001 at a line and path, readable ones with catalogue rules; never another exception.
        var original = File.ReadAllBytes(Corpus.PathOf("base.json"));
        var random = new Random(7031);
        var codes = new Dictionary<string, int>();
        await Corpus.Bounded(() =>
        {
            for (var run = 0; run < 300; run++)
            {
                var report = Corpus.ValidateDataset(new MemoryStream(Mutate(original, random)), "mutated.json");
                foreach (var finding in report.Findings)
                {
                    Assert.NotNull(ValidationRules.Find(finding.Code));
                    Assert.True(finding.Code != "SP0001" || finding.Line is not null, finding.ToString());
                    codes[finding.Code] = codes.GetValueOrDefault(finding.Code) + 1;
                }
            }
            return 0;
        });

        Assert.True(codes.GetValueOrDefault("SP0001") > 100, string.Join(", ", codes));
        Assert.True(codes.Count > 3, string.Join(", ", codes));
    }

    internal static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.Insert(at, bytes[at]);
                    break;
            }
        }
        return [.. bytes];
    }
}
