namespace SafetyPrograms.Tests;

/// <summary>Locates the repository from the test's output folder, so tests can read shipped samples and checked-in files.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string SamplesData => Path.Combine(Root, "samples", "data");

    /// <summary>Reads the shipped sample dataset, <c>samples/data/programmes.json</c>.</summary>
    public static SafetyPrograms.Domain.ProgrammeDataset SampleDataset()
    {
        using var stream = File.OpenRead(Path.Combine(SamplesData, "programmes.json"));
        return SafetyPrograms.Serialization.ProgrammeDatasetJson.Read(stream);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafetyPrograms.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Could not find SafetyPrograms.sln above " + AppContext.BaseDirectory);
    }
}
