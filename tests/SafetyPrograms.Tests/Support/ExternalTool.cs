namespace SafetyPrograms.Tests.Support;

/// <summary>
/// Finds a program a test runs (xmllint, xsltproc, PostgreSQL's initdb, chromium) on PATH or in the places Debian
/// installs it, so that a test whose tool is absent is reported as skipped with the reason, never passed silently.
/// </summary>
public static class ExternalTool
{
    private static readonly string[] ExtraDirectories = ["/usr/bin", "/usr/local/bin", "/usr/lib/chromium"];

    /// <summary>The full path of <paramref name="name"/>, or null when it is not installed.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var directories = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories);
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            // PostgreSQL's server programs are not on PATH on Debian: they live under its versioned directory.
            directories = directories.Concat(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderDescending(StringComparer.Ordinal).Select(version => Path.Combine(version, "bin")));
        }

        return directories.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>The skip reason when one of <paramref name="names"/> is missing, or null when all are installed.</summary>
    public static string? MissingReason(IEnumerable<string> names)
    {
        var missing = names.Where(name => Find(name) is null).ToList();
        return missing.Count == 0
            ? null
            : $"needs {string.Join(", ", missing)}, which is not installed (.ci/run installs it from Debian's packages)";
    }
}

/// <summary>A fact that is skipped, with the reason, when a program it runs is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FactWhenInstalledAttribute : FactAttribute
{
    /// <summary>Skips the test unless every one of <paramref name="tools"/> is installed.</summary>
    public FactWhenInstalledAttribute(params string[] tools)
    {
        Tools = tools;
        if (ExternalTool.MissingReason(tools) is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>The programs the test runs.</summary>
    public IReadOnlyList<string> Tools { get; }
}

/// <summary>A theory that is skipped, with the reason, when a program it runs is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TheoryWhenInstalledAttribute : TheoryAttribute
{
    /// <summary>Skips the test unless every one of <paramref name="tools"/> is installed.</summary>
    public TheoryWhenInstalledAttribute(params string[] tools)
    {
        Tools = tools;
        if (ExternalTool.MissingReason(tools) is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>The programs the test runs.</summary>
    public IReadOnlyList<string> Tools { get; }
}
