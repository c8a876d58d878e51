using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Schema;

/// <summary>
/// The files Ajv checks against the schemas (tests/schema-conformance) get the same verdict from our readers:
/// the schema and the code describe the same contract.
/// </summary>
public class ConformanceFilesTests
{
    private static string Folder(string name) => Path.Combine(SchemaDriftTests.RepositoryRoot(), "tests", "schema-conformance", name);

    public static TheoryData<string> Valid() => [.. Directory.GetFiles(Folder("valid")).Select(f => Path.GetFileName(f))];

    public static TheoryData<string> Invalid() => [.. Directory.GetFiles(Folder("invalid")).Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Valid))]
    public void ValidFile_IsRead(string fileName)
    {
        var path = Path.Combine(Folder("valid"), fileName);
        if (fileName.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            using var stream = File.OpenRead(path);
            Assert.All(ParticipationJsonLines.Read(stream, fileName), r => Assert.True(r.IsSuccess, r.Error?.Message));
        }
        else
        {
            Read(path);
        }
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidFile_IsRefused(string fileName)
    {
        var path = Path.Combine(Folder("invalid"), fileName);
        if (fileName.EndsWith(".jsonl", StringComparison.Ordinal))
        {
            using var stream = File.OpenRead(path);
            Assert.Contains(ParticipationJsonLines.Read(stream, fileName), r => !r.IsSuccess);
        }
        else
        {
            var ex = Assert.Throws<DataFormatException>(() => Read(path));
            Assert.Equal(fileName, ex.FileName);
            Assert.NotNull(ex.LineNumber);
        }
    }

    private static void Read(string path)
    {
        var fileName = Path.GetFileName(path);
        if (fileName.StartsWith("participation", StringComparison.Ordinal))
        {
            JsonErrors.Deserialize(File.ReadAllBytes(path), SafetyProgramsJsonContext.Default.ParticipationRecord, fileName);
        }
        else
        {
            using var stream = File.OpenRead(path);
            ProgrammeDatasetJson.Read(stream, fileName);
        }
    }
}
