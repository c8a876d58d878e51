using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Tests.Corpus;

/// <summary>
/// Files in <c>Corpus/files/several</c> each plant several problems of different kinds in base.json, contract and
/// business rules mixed. Validation must list every one in the order of the file, each once, with its code, line and
/// path; an element that could not be built is left out, and what refers to it names the cause and its line.
/// </summary>
public sealed class SeveralProblemsFileTests
{
    /// <summary>File, then every finding, as <c>code line n path</c>, in the order of the file.</summary>
    public static TheoryData<string, string[]> Files => new()
    {
        {
            // The issue's new user: an end before its start, an impossible date, an unknown member and a repeated school id.
            "issue-example.json",
            [
                "SP0003 line 8 organisations[0].colour",
                "SP1001 line 80 schools[1].id",
                "SP0007 line 107 activities[0].date",
                "SP0008 line 126 actuals[0].period.end",
            ]
        },
        {
            // An unknown code and a mistyped number lose an organisation and a cohort: each reference to them names the
            // cause; an unknown member leaves its indicator built; a reference to a school that was never there is plain.
            "types-and-references.json",
            [
                "SP0009 line 7 organisations[0].kind",
                "SP1101 line 22 partnerships[0].members[0].organisation",
                "SP0003 line 65 indicators[0].colour",
                "SP0006 line 87 cohorts[0].size",
                "SP1102 line 98 activities[0].school",
                "SP1101 line 99 activities[0].facilitatedBy",
                "SP1105 line 104 activities[0].attendance[0].cohort",
                "SP1101 line 122 actuals[0].reportedBy",
            ]
        },
        {
            // A newer schema version, repeated members, a negative count and a business rule on what was built.
            "numbers-and-structure.json",
            [
                "SP0002 line 2 schemaVersion",
                "SP0005 line 20 partnerships[0].status",
                "SP0005 line 100 activities[0].durationMinutes",
                "SP0008 line 105 activities[0].attendance[0].count",
                "SP3001 line 118 actuals[0].value",
            ]
        },
        {
            // Root lists that lose items keep the file's numbering: the repeated school is schools[2], first used by schools[1].
            "lost-list-items.json",
            [
                "SP0008 line 5 organisations[0].id",
                "SP0008 line 79 schools[0].location.province",
                "SP1001 line 94 schools[2].id",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Validate_FileWithSeveralProblems_ListsEachOnceInTheOrderOfTheFile(string file, string[] expected)
    {
        var report = await Validate(file);

        Assert.Equal(expected, report.Findings.Select(Corpus.Describe));
        Assert.Equal(0, report.FindingsOmitted);
        Assert.False(report.IsValid);
        Assert.All(report.Findings, f => Assert.NotNull(f.Column));
        Assert.All(report.Findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Fix)));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Read_FileWithSeveralProblems_ExceptionCarriesEveryContractProblem(string file, string[] expected)
    {
        var contract = expected.Where(BrokenDatasetFileTests.IsContractFinding).ToArray();

        var error = await Record.ExceptionAsync(() => Corpus.Bounded(() =>
        {
            using var stream = File.OpenRead(PathOf(file));
            return ProgrammeDatasetJson.Read(stream, file);
        }));

        var format = Assert.IsType<DataFormatException>(error);
        Assert.Equal(contract.Length, format.ProblemCount);
        Assert.Equal(
            contract.Select(c => string.Join(' ', c.Split(' ').Skip(2))),
            format.Problems.Select(p => $"{p.LineNumber} {ProgrammeValidator.JsonPathOf(p.Path)}"));
        Assert.Equal(
            contract.Select(c => c.Split(' ')[0]),
            ProgrammeValidator.FromReadError(format).Findings.Select(f => f.Code));
    }

    [Fact]
    public async Task Validate_IssueExample_FixesSayWhatToChangeInThisCase()
    {
        var report = await Validate("issue-example.json");

        Assert.Equal(
            "The end 2024-01-02 is before the start 2024-03-31: swap them, or correct the end.",
            report.Findings.Single(f => f.Code == "SP0008").Fix);
        Assert.Contains("2025-02 has 28 days", report.Findings.Single(f => f.Code == "SP0007").Fix, StringComparison.Ordinal);
        Assert.Contains("id, name, kind, country, shortName", report.Findings.Single(f => f.Code == "SP0003").Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ReferenceToAnElementThatCouldNotBeRead_NamesTheCauseAndItsLine()
    {
        var report = await Validate("types-and-references.json");

        var cohort = report.Findings.Single(f => f.Code == "SP1105");
        Assert.Equal("This refers to cohort 'students-1', which could not be read: see line 87.", cohort.Message);
        Assert.Contains("line 87", cohort.Fix, StringComparison.Ordinal);
        var plain = report.Findings.Single(f => f.Code == "SP1102");
        Assert.DoesNotContain("could not be read", plain.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Validate_MaxFindings_KeepsTheFirstInTheFileAndCountsTheRest(int max)
    {
        var all = Files.Single(row => (string)row[0] == "types-and-references.json")[1] as string[];
        using var stream = File.OpenRead(PathOf("types-and-references.json"));

        var report = await Corpus.Bounded(() => ProgrammeValidator.Validate(stream, "types-and-references.json", new ValidationOptions { MaxFindings = max }));

        Assert.Equal(all![..max], report.Findings.Select(Corpus.Describe));
        Assert.Equal(all.Length - max, report.FindingsOmitted);
        Assert.Contains($"{all.Length - max} more finding(s) not kept", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Corpus_EverySeveralProblemsFileHasAnExpectation()
    {
        var listed = Files.Select(row => (string)row[0]).Order(StringComparer.Ordinal);
        var present = Directory.EnumerateFiles(Folder, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(present, listed);
    }

    private static string Folder => Path.Combine(Corpus.Folder, "several");

    private static string PathOf(string file) => Path.Combine(Folder, file);

    private static Task<ValidationReport> Validate(string file) => Corpus.Bounded(() =>
    {
        using var stream = File.OpenRead(PathOf(file));
        return ProgrammeValidator.Validate(stream, file);
    });
}
