using System.Globalization;
using SafetyPrograms.Ingest;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Tests.Corpus;

/// <summary>
/// The checked-in broken files (tests/SafetyPrograms.Tests/Corpus/files) and the one way every corpus test runs
/// them through the public entry points, so each test states only the file and what must come out.
/// </summary>
internal static class Corpus
{
    /// <summary>Long enough for the 100 MB cases on a loaded machine; a hang fails the test instead of blocking the run.</summary>
    internal static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    internal static string Folder { get; } = Path.Combine(RepositoryPaths.Root, "tests", "SafetyPrograms.Tests", "Corpus", "files");

    internal static string PathOf(string file) => Path.Combine(Folder, file);

    /// <summary>The valid dataset every broken file is a copy of (one organisation, partnership, phase, school, cohort, activity, actual).</summary>
    internal static ProgrammeDataset BaseDataset()
    {
        using var stream = File.OpenRead(PathOf("base.json"));
        return ProgrammeDatasetJson.Read(stream, "base.json");
    }

    /// <summary>Validates a dataset file the way <c>validate</c> does: every problem of the file in one report.</summary>
    internal static ValidationReport ValidateDataset(Stream stream, string name) =>
        ProgrammeValidator.Validate(stream, name);

    /// <summary>Validates a participation stream against <paramref name="dataset"/>, choosing the reader by extension.</summary>
    internal static ValidationReport ValidateParticipation(ProgrammeDataset dataset, Stream stream, string name) =>
        ProgrammeValidator.ValidateParticipation(dataset, IsCsv(name) ? ParticipationCsv.Read(stream, name) : ParticipationJsonLines.Read(stream, name));

    /// <summary>Appends a participation stream to a new store over <paramref name="dataset"/>, choosing the format by extension.</summary>
    internal static IngestReport IngestFile(ProgrammeDataset dataset, Stream stream, string name)
    {
        var store = new ParticipationStore(dataset);
        return IsCsv(name) ? store.AppendCsv(stream, name) : store.AppendJsonLines(stream, name);
    }

    internal static bool IsCsv(string name) => name.EndsWith(".csv", StringComparison.Ordinal);

    /// <summary>A finding as one comparable line: <c>SP0001 line 29 partnerships[0].phases[0].sequence</c> (no line when it has none).</summary>
    internal static string Describe(ValidationFinding finding) =>
        finding.Line is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"{finding.Code} line {line} {finding.Path}")
            : $"{finding.Code} {finding.Path}";

    /// <summary>The records a participation report rejected: the lines with an error finding other than "the file is unreadable".</summary>
    internal static long[] RejectedLines(ValidationReport report) =>
        [.. report.Findings
            .Where(f => f.Severity == FindingSeverity.Error && f.Line is not null && f.Code != ValidationRules.UnreadableInput.Code)
            .Select(f => f.Line!.Value).Distinct().Order()];

    /// <summary>Runs <paramref name="work"/> on the thread pool and fails, rather than blocking the run, if it does not finish.</summary>
    internal static async Task<T> Bounded<T>(Func<T> work) =>
        await Task.Run(work).WaitAsync(HangGuard);

    /// <summary><see cref="Bounded{T}"/>, also returning the bytes <paramref name="work"/> allocated (on its own thread).</summary>
    internal static Task<(T Result, long Allocated)> BoundedAndMeasured<T>(Func<T> work) =>
        Bounded(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var result = work();
            return (result, GC.GetAllocatedBytesForCurrentThread() - before);
        });
}
