namespace SafetyPrograms.Serialization;

/// <summary>The JSON Schemas (Draft 2020-12) of the interchange formats, as embedded in this package.</summary>
/// <remarks>They are generated from the same serialization contract the readers use, and checked into the repository.</remarks>
public static class JsonSchemas
{
    private static readonly Lazy<string> s_dataset = new(() => Load("programme-dataset.schema.json"));
    private static readonly Lazy<string> s_record = new(() => Load("participation-record.schema.json"));

    /// <summary>The schema of a dataset document (<see cref="ProgrammeDatasetJson"/>).</summary>
    public static string Dataset => s_dataset.Value;

    /// <summary>The schema of one participation record (one JSON Lines line, <see cref="ParticipationJsonLines"/>).</summary>
    public static string ParticipationRecord => s_record.Value;

    private static string Load(string fileName)
    {
        using var stream = typeof(JsonSchemas).Assembly.GetManifestResourceStream("SafetyPrograms.Schemas." + fileName)
            ?? throw new InvalidOperationException($"The embedded schema {fileName} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
