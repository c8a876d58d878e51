using SafetyPrograms.Privacy;
using SafetyPrograms.Progress;

namespace SafetyPrograms.Tests.Privacy;

/// <summary>
/// The reader of <see cref="UniformMarkAttackTests"/>, now told each hidden figure's mark (SDMX <c>C</c> primary,
/// <c>D</c> secondary): a primary figure lies in [1, minimum − 1], a secondary one is at least the minimum. Under
/// <see cref="SuppressionMarks.PrimaryAndSecondary"/> the audit assumes exactly that reader, so on the same tables that
/// reader pins nothing: every primary figure keeps the whole range its mark allows, every secondary one a range at least
/// the minimum wide. <see cref="UniformMarkAttackTests.WithReasonLabels_TheSameReaderWouldPinAFigure"/> shows the same
/// reader pinning figures of tables audited without the marks, so these tests fail if the marks-aware audit goes.
/// </summary>
public class MarkedSuppressionAttackTests
{
    private static readonly PublicationPolicy Marked = PublicationPolicy.Default with { Marks = SuppressionMarks.PrimaryAndSecondary };

    public static TheoryData<string> Cases => new(UniformMarkAttackTests.Cases);

    private static double Width((double Low, double High) range) => Math.Floor(range.High + 1e-6) - Math.Ceiling(range.Low - 1e-6);

    /// <summary>What the marks tell the reader: primary in [1, minimum − 1] (zeros are shown), secondary at least the minimum.</summary>
    private static (double, double) Marks(PublishedFigure figure, PublicationPolicy policy) => PublicationAudit.ReasonOf(figure) == SuppressionReason.Primary
        ? (policy.ShowZeros ? 1 : 0, policy.MinimumCellSize - 1)
        : (policy.MinimumCellSize, double.PositiveInfinity);

    [Theory]
    [MemberData(nameof(Cases))]
    public void WithMarksAwareAudit_TheReaderWhoSeesTheMarksPinsNoFigure(string name)
    {
        var table = UniformMarkAttackTests.Table(name);
        var published = Marked.Apply(table);
        Assert.Contains(published.Figures, f => PublicationAudit.ReasonOf(f) == SuppressionReason.Primary);

        var ranges = TableAttacker.Attack(published, bounds: f => Marks(f, Marked));
        foreach (var (figure, range) in ranges)
        {
            var truth = table[[.. figure.Coordinates]];
            if (PublicationAudit.ReasonOf(figure) == SuppressionReason.Primary)
            {
                // Nothing published narrows it: the whole of [1, 9].
                Assert.True(range.Low <= 1 + 1e-6 && range.High >= Marked.MinimumCellSize - 1 - 1e-6, $"{name}: primary {figure} (true {truth}) narrowed to {range}");
            }
            else
            {
                Assert.True(Width(range) >= Marked.MinimumCellSize, $"{name}: secondary {figure} (true {truth}) narrowed to {range}");
            }
        }
    }

    [Fact]
    public void TwoSmallFiguresUnderASmallTotal_KeepWhatTheirMarksAloneAllow()
    {
        // 3 girls and 4 boys: every figure is primary. The marks alone say each part is at most 8 (the other is at
        // least 1 and the total at most 9); that is all the reader learns.
        var table = new PublicationTable([new TableDimension("sex", [new("female"), new("male")])], [new(3, "female"), new(4, "male")]);
        var published = Marked.Apply(table);
        var ranges = TableAttacker.Attack(published, bounds: f => Marks(f, Marked));
        Assert.Equal(3, ranges.Count);
        Assert.All(ranges.Where(r => !r.Key.IsMargin), r => Assert.Equal((1.0, 8.0), (Math.Round(r.Value.Low, 6), Math.Round(r.Value.High, 6))));
    }

    [Fact]
    public void MarksThatAlonePinAFigure_AreRefused()
    {
        // Nine children in nine groups of one: nine primary figures under a primary total are each known to be 1.
        var groups = Enumerable.Range(1, 9).Select(i => $"g{i}").ToList();
        var table = new PublicationTable([new TableDimension("group", groups.Select(g => new TableCategory(g)))], groups.Select(g => new TableCell(1, g)));
        var refusal = Assert.Throws<AggregationRefusedException>(() => Marked.Apply(table));
        Assert.Equal(AggregationRefusal.PublicationMarksDisclose, refusal.Reason);
        Assert.Contains("uniform marks", refusal.Message, StringComparison.Ordinal);

        // Under a minimum of 2 a primary mark alone says "1".
        var tiny = new PublicationPolicy(minimumCellSize: 2) { Marks = SuppressionMarks.PrimaryAndSecondary };
        var two = new PublicationTable([new TableDimension("sex", [new("female"), new("male")])], [new(1, "female"), new(30, "male")]);
        Assert.Equal(AggregationRefusal.PublicationMarksDisclose, Assert.Throws<AggregationRefusedException>(() => tiny.Apply(two)).Reason);
        // Uniform marks publish the same table.
        Assert.True(PublicationPolicy.Default.Apply(table).SuppressedCount > 0);
    }

    [Fact]
    public void ZerosSuppressed_APrimaryFigureKeepsZeroToNine()
    {
        var policy = new PublicationPolicy(showZeros: false) { Marks = SuppressionMarks.PrimaryAndSecondary };
        var table = new PublicationTable(
            [new TableDimension("school", [new("s1"), new("s2")]), new TableDimension("sex", [new("female"), new("male")])],
            [new(0, "s1", "female"), new(25, "s1", "male"), new(15, "s2", "female"), new(20, "s2", "male")]);
        var published = policy.Apply(table);
        var ranges = TableAttacker.Attack(published, bounds: f => Marks(f, policy));
        var zero = ranges.Single(r => r.Key.Coordinates.SequenceEqual(["s1", "female"]));
        Assert.True(zero.Value.Low <= 1e-6 && zero.Value.High >= 9 - 1e-6, $"narrowed to {zero.Value}");
        Assert.All(ranges.Where(r => PublicationAudit.ReasonOf(r.Key) != SuppressionReason.Primary), r => Assert.True(Width(r.Value) >= 10, $"{r.Key} {r.Value}"));
    }

    [Fact]
    public void ThePolicyStatesTheMarks()
    {
        Assert.Equal("cells under 10 suppressed, zeros shown, primary and secondary suppression marked", Marked.ToString());
        Assert.NotEqual(PublicationPolicy.Default, Marked);
    }
}
