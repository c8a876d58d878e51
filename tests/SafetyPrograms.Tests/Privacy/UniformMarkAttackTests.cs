using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

/// <summary>
/// The reader knows the policy and its threshold, and sees the published output: one mark for every hidden figure. For
/// each hidden figure, the interval they can work out is at least the minimum wide. Had the output labelled figures
/// "primary" (under the minimum) and "secondary" (at least the minimum), the same reader would pin some of them: each
/// case shows that too, so the test fails if the labels come back.
/// </summary>
public class UniformMarkAttackTests
{
    private static readonly PublicationPolicy Policy = PublicationPolicy.Default;

    public static TheoryData<string> Cases => ["one-way", "two-by-two", "three-by-three", "hierarchy"];

    internal static PublicationTable Table(string name) => name switch
    {
        // female = 1 beside a total of 11: with labels, female is 1 exactly.
        "one-way" => new([new TableDimension("sex", [new("female"), new("male")])], [new(1, "female"), new(10, "male")]),
        "two-by-two" => new(
            [new TableDimension("school", [new("s1"), new("s2")]), new TableDimension("sex", [new("female"), new("male")])],
            [new(1, "s1", "female"), new(12, "s1", "male"), new(15, "s2", "female"), new(20, "s2", "male")]),
        "three-by-three" => new(
            [new TableDimension("school", [new("s1"), new("s2"), new("s3")]), new TableDimension("age", [new("a1"), new("a2"), new("a3")])],
            [
                new(2, "s1", "a1"), new(14, "s1", "a2"), new(30, "s1", "a3"),
                new(11, "s2", "a1"), new(25, "s2", "a2"), new(40, "s2", "a3"),
                new(35, "s3", "a1"), new(28, "s3", "a2"), new(19, "s3", "a3"),
            ]),
        "hierarchy" => new(
            [new TableDimension("district", [new("PK"), new("PB", "PK"), new("SD", "PK"), new("PB-1", "PB"), new("PB-2", "PB"), new("SD-1", "SD"), new("SD-2", "SD")])],
            [new(3, "PB-1"), new(11, "PB-2"), new(12, "SD-1"), new(40, "SD-2")]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static double Width((double Low, double High) range) => Math.Floor(range.High + 1e-6) - Math.Ceiling(range.Low - 1e-6);

    [Theory]
    [MemberData(nameof(Cases))]
    public void UniformMark_NoHiddenFigureIsNarrowerThanTheMinimum(string name)
    {
        var table = Table(name);
        var published = Policy.Apply(table);
        Assert.True(published.SuppressedCount >= 2, $"{name}: the case should hide a small figure and its complement");

        // What the reader sees: values and one mark; the reasons are not in the output.
        using var csv = new StringWriter();
        PublishedTableWriter.WriteCsv(published, csv);
        Assert.DoesNotContain("primary", csv.ToString(), StringComparison.Ordinal);

        // The reader knows the policy: zeros are shown, so a hidden figure is taken to be at least 1.
        var attacks = new[]
        {
            TableAttacker.Attack(published), TableAttacker.Attack(published, wholeNumbers: true),
            TableAttacker.Attack(published, bounds: _ => (1, double.PositiveInfinity)),
        };
        foreach (var (figure, range) in attacks.SelectMany(a => a))
        {
            Assert.True(Width(range) >= Policy.MinimumCellSize, $"{name}: {figure} (true {table[[.. figure.Coordinates]]}) narrowed to {range}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WithReasonLabels_TheSameReaderWouldPinAFigure(string name)
    {
        var published = Policy.Apply(Table(name));
        // A labelled output would tell: primary is 1 to minimum − 1 (zeros are shown), secondary at least the minimum.
        (double, double) Known(PublishedFigure f) => PublicationAudit.ReasonOf(f) == SuppressionReason.Primary
            ? (1, Policy.MinimumCellSize - 1)
            : (Policy.MinimumCellSize, double.PositiveInfinity);

        var ranges = TableAttacker.Attack(published, bounds: Known);
        Assert.Contains(ranges, r => Width(r.Value) < Policy.MinimumCellSize);
    }
}
