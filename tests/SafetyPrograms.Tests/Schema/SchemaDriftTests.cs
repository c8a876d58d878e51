using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Schema;

/// <summary>
/// The checked-in schemas (src/SafetyPrograms/schemas/) are what the code generates. When the contract changes,
/// regenerate them: <c>SAFETYPROGRAMS_UPDATE_SCHEMAS=1 dotnet test tests/SafetyPrograms.Tests --filter FullyQualifiedName~SchemaDrift</c>.
/// </summary>
public class SchemaDriftTests
{
    private const string UpdateVariable = "SAFETYPROGRAMS_UPDATE_SCHEMAS";

    public static TheoryData<string> SchemaFiles() => [JsonSchemaGenerator.DatasetFileName, JsonSchemaGenerator.ParticipationRecordFileName];

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void CheckedInSchema_MatchesTheCode(string fileName)
    {
        var generated = Generate(fileName);
        var path = Path.Combine(RepositoryRoot(), "src", "SafetyPrograms", "schemas", fileName);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }
        Assert.True(File.Exists(path), $"{path} is missing. Set {UpdateVariable}=1 and rerun this test to write it.");
        var checkedIn = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(
            checkedIn == generated,
            $"{path} differs from the schema the code generates. If the change to the contract is intended, set {UpdateVariable}=1 and rerun "
            + "this test to rewrite the file, then review and commit it (and rebuild so the package embeds it).");
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void EmbeddedSchema_MatchesTheCode(string fileName)
    {
        var embedded = fileName == JsonSchemaGenerator.DatasetFileName ? JsonSchemas.Dataset : JsonSchemas.ParticipationRecord;
        Assert.True(
            embedded.ReplaceLineEndings("\n") == Generate(fileName),
            $"The schema embedded in the assembly is stale: regenerate {fileName} (set {UpdateVariable}=1) and rebuild.");
    }

    [Fact]
    public void Documentation_IsAvailableToTheGenerator() =>
        Assert.NotNull(JsonSchemaGenerator.LoadDocumentation());

    internal static string Generate(string fileName)
    {
        var docs = JsonSchemaGenerator.LoadDocumentation();
        return fileName == JsonSchemaGenerator.DatasetFileName ? JsonSchemaGenerator.Dataset(docs) : JsonSchemaGenerator.ParticipationRecord(docs);
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafetyPrograms.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Could not find the repository root (SafetyPrograms.sln) above " + AppContext.BaseDirectory);
    }
}
