using System.Globalization;
using System.Text;
using SafetyPrograms.Indexing;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Ingest;

/// <summary>
/// Ingest takes most rows by a short test on an 8-byte activity span (<see cref="RowChecker.Passes(int, int, int, long, long, out int)"/>) and asks the full
/// row rules (<see cref="RowChecker.Refusals"/>) only of the rest: the short test never takes a row the rules refuse, it
/// does take the ordinary row, and a row that breaks each rule at the edge of a span is still refused with its code.
/// </summary>
public sealed class RowRuleShortTestTests
{
    private static readonly RowChecker Rules = RowChecker.For(Programme.Dataset);

    [Fact]
    public void ShortTest_NeverTakesARowTheRulesRefuse_AndHoldsItWhereTheRulesDo()
    {
        var index = Rules.Index;
        var schools = index.SchoolIds.Length;
        var taken = 0;
        for (var activity = -1; activity <= index.ActivityIds.Length; activity++)
        {
            var facts = activity >= 0 && activity < index.ActivityRows.Length ? index.ActivityRows[activity] : default;
            int[] days =
            [
                RowChecker.FirstDay - 1, RowChecker.FirstDay, RowChecker.LastDay, RowChecker.LastDay + 1,
                facts.PhaseStart - 1, facts.PhaseStart, facts.PhaseEnd, facts.PhaseEnd + 1,
            ];
            int[] namedSchools = [ProgrammeIndex.None, RowChecker.UnknownSchool, 0, schools - 1, facts.School, (facts.School + 1) % schools];
            foreach (var day in days)
            {
                foreach (var school in namedSchools)
                {
                    foreach (var (pre, post) in Scores())
                    {
                        if (!Rules.Passes(activity, school, day, pre, post, out var heldAt))
                        {
                            continue;
                        }
                        taken++;
                        Assert.Equal(RowFaults.None, Rules.Refusals(activity, school, day, pre, post) & RowFaults.Errors);
                        Assert.Equal(Rules.HeldAt(activity, school), heldAt);
                    }
                }
            }
        }
        Assert.True(taken > 0);
    }

    [Fact]
    public void ShortTest_TakesTheOrdinaryRow_NoSchoolNamedOrTheActivitysOwn_InsideThePhase()
    {
        var index = Rules.Index;
        var checkedActivities = 0;
        for (var activity = 0; activity < index.ActivityRows.Length; activity++)
        {
            var facts = index.ActivityRows[activity];
            if (!facts.Usable || facts.PhaseStart < RowChecker.FirstDay || facts.PhaseEnd > RowChecker.LastDay)
            {
                continue;
            }
            checkedActivities++;
            foreach (var day in new[] { facts.PhaseStart, facts.PhaseEnd })
            {
                Assert.True(Rules.Passes(activity, ProgrammeIndex.None, day, RowChecker.NoScore, RowChecker.NoScore, out var held));
                Assert.Equal(facts.School, held);
                if (facts.School >= 0)
                {
                    Assert.True(Rules.Passes(activity, facts.School, day, RowChecker.NoScore, RowChecker.NoScore, out held));
                    Assert.Equal(facts.School, held);
                }
            }
        }
        Assert.True(checkedActivities > 0);
    }

    [Fact]
    public void RowsThatBreakEachRuleAtTheSpansEdges_AreRefusedWithTheirCodes_AndTheEdgesThemselvesTaken()
    {
        var index = Rules.Index;
        var activity = Enumerable.Range(0, index.ActivityRows.Length).First(a =>
            index.ActivityRows[a] is { Usable: true, School: >= 0 } f && f.PhaseStart > RowChecker.FirstDay && f.PhaseEnd < RowChecker.LastDay);
        var facts = index.ActivityRows[activity];
        var id = index.ActivityIds[activity];
        var own = index.SchoolIds[facts.School];
        var other = index.SchoolIds[(facts.School + 1) % index.SchoolIds.Length];
        var score = Rules.Assessment?.Maximum is { } max ? (max + 1).ToString(CultureInfo.InvariantCulture) : null;
        var lines = new List<(string Row, string? Code)>
        {
            (Line(id, facts.PhaseStart, ""), null),
            (Line(id, facts.PhaseEnd, own), null),
            (Line(id, facts.PhaseStart - 1, ""), "SP8003"),
            (Line(id, facts.PhaseEnd + 1, own), "SP8003"),
            (Line(id, facts.PhaseStart, other), "SP8005"),
            (Line(id, facts.PhaseStart, "sch-nope"), "SP8004"),
            (Line("act-nope", facts.PhaseStart, ""), "SP8002"),
            (Line(id, RowChecker.FirstDay - 1, ""), "SP8011"),
        };
        if (score is not null)
        {
            lines.Add((Line(id, facts.PhaseStart, "", post: score), "SP8007"));
        }
        var file = Encoding.UTF8.GetBytes(CsvHeader + "\n" + string.Join("\n", lines.Select(l => l.Row)) + "\n");

        var (report, store) = IngestFile(Programme, file, csv: true);

        Assert.Equal(
            lines.Select((l, i) => (Line: i + 2L, l.Code)).Where(l => l.Code is not null),
            report.Rejects.Select(r => (r.LineNumber, (string?)r.Code)));
        Assert.Equal(2, store.Count);
        AssertStoreAgreesWithValidator(Programme, file, csv: true, report);
    }

    private static string Line(string activity, int day, string school, string post = "") =>
        $"b-1,{activity},{DateOnly.FromDayNumber(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)},student,female,10-14,online,true,{school},,{post}";

    private static IEnumerable<(long Pre, long Post)> Scores()
    {
        long[] values = [RowChecker.NoScore, RowChecker.BadScore, 0, -RowChecker.MaxScaledScore, RowChecker.MaxScaledScore];
        var bounds = Rules.Assessment is { } a
            ? new long?[] { Scaled(a.Minimum), Scaled(a.Minimum) - 1, Scaled(a.Maximum), Scaled(a.Maximum) + 1 }
            : [];
        long[] all = [.. values, .. bounds.OfType<long>()];
        return all.SelectMany(pre => all.Select(post => (pre, post)));
    }

    private static long? Scaled(decimal? bound) => bound is { } b ? (long)(b * RowChecker.ScoreScale) : null;
}
