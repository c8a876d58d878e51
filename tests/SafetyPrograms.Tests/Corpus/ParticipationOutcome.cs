using System.Globalization;
using SafetyPrograms.Serialization;
using SafetyPrograms.Validation;

namespace SafetyPrograms.Tests.Corpus;

/// <summary>
/// The two assertions every participation case makes, against base.json: what the validator reports, and what the
/// aggregation store's ingest reports or throws.
/// </summary>
internal static class ParticipationOutcome
{
    /// <summary>
    /// The validator reports exactly <paramref name="findings"/> (<c>code line n path</c>), reads
    /// <paramref name="read"/> records of which <paramref name="accepted"/> are accepted, and rejects one line per
    /// rejected record; it stops early exactly when the file as a whole is unreadable (SP0001).
    /// </summary>
    internal static async Task AssertValidated(byte[] content, string name, string[] findings, long read, long accepted)
    {
        var dataset = Corpus.BaseDataset();

        var report = await Corpus.Bounded(() => Corpus.ValidateParticipation(dataset, new MemoryStream(content, writable: false), name));

        Assert.Equal(findings, report.Findings.Select(Corpus.Describe));
        var counts = Assert.IsType<ParticipationCounts>(report.Participation);
        Assert.Equal(read, counts.Read);
        Assert.Equal(accepted, counts.Accepted);
        Assert.Equal(read - accepted, counts.Rejected);
        Assert.Equal(counts.Rejected, Corpus.RejectedLines(report).Length);
        Assert.Equal(findings.Any(f => f.StartsWith("SP0001 ", StringComparison.Ordinal)), counts.StoppedEarly);
    }

    /// <summary>
    /// The store's ingest matches <paramref name="expected"/>: <c>read N rejects a,b</c> (every line accounted for,
    /// each rejected line named with the file; a last word <c>stopped</c>: reading stopped there) or <c>throws line L [path]</c> (<c>*</c>: any path) (a <see cref="DataFormatException"/> and nothing else).
    /// </summary>
    internal static async Task AssertIngested(byte[] content, string name, string expected)
    {
        var words = expected.Split(' ');

        var error = await Record.ExceptionAsync(async () =>
        {
            var report = await Corpus.Bounded(() => Corpus.IngestFile(Corpus.BaseDataset(), new MemoryStream(content, writable: false), name));
            Assert.Equal("read", words[0]);
            long[] rejected = words.Length > 3 && words[3] != "stopped" ? [.. words[3].Split(',').Select(n => long.Parse(n, CultureInfo.InvariantCulture))] : [];
            Assert.Equal(long.Parse(words[1], CultureInfo.InvariantCulture), report.Read);
            Assert.Equal(report.Read, report.Accepted + report.Rejected);
            Assert.Equal(rejected, report.RejectedLines);
            Assert.Equal(rejected, report.Rejects.Select(r => r.LineNumber));
            Assert.Equal(name, report.FileName);
            Assert.Equal(words[^1] == "stopped", report.StoppedEarly);
        });

        if (words[0] == "throws")
        {
            var format = Assert.IsType<DataFormatException>(error);
            Assert.Equal(name, format.FileName);
            Assert.Equal(long.Parse(words[2], CultureInfo.InvariantCulture), format.LineNumber);
            if (words is not [.., "*"])
            {
                Assert.Equal(words.Length > 3 ? words[3] : string.Empty, format.Path ?? string.Empty);
            }
        }
        else
        {
            Assert.Null(error);
        }
    }

    /// <summary>
    /// The store refuses exactly the lines <paramref name="findings"/> (<c>code line n path</c>, the validator's) give an
    /// error, each for a code among that line's error codes: one rule catalogue, applied alike by both paths.
    /// </summary>
    internal static async Task AssertStoreRefusesAsValidator(byte[] content, string name, string[] findings)
    {
        var report = await Corpus.Bounded(() => Corpus.IngestFile(Corpus.BaseDataset(), new MemoryStream(content, writable: false), name));

        var codes = findings.Select(f => f.Split(' '))
            .Where(f => f.Length > 2 && f[1] == "line" && ValidationRules.Find(f[0])!.Severity == FindingSeverity.Error)
            .ToLookup(f => long.Parse(f[2], CultureInfo.InvariantCulture), f => f[0]);
        Assert.Equal(codes.Select(g => g.Key).Order(), report.RejectedLines);
        Assert.All(report.Rejects, r => Assert.Contains(r.Code, codes[r.LineNumber]));
    }
}
