using System.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Spreadsheets;

/// <summary>
/// Repeat groups inside repeat groups (samples/data/kobo/register.xlsx, samples/data/odk/register*.csv: a term register
/// whose sessions repeat holds a participants repeat; the first submission is sent again): each participant joined
/// through its session to its submission, the copy counted once with all its nested rows, and every row that cannot be
/// joined (an orphan, a loop, an ambiguous parent) refused where it is, none dropped.
/// </summary>
public sealed class NestedRepeatTests : SubmissionSamples
{
    private static readonly string[] RawIds = ["L-1001", "L-1002", "L-1003", "L-1004", "L-2001"];
    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    private (IngestReport Report, ParticipationStore Store) Append(SubmissionMapping mapping, SubmissionExportSource source)
    {
        var store = new ParticipationStore(Dataset());
        var report = store.Append(source, mapping.SourceOptions(Keys));
        Assert.Equal(report.Read, report.Accepted + report.Rejected);
        return (report, store);
    }

    private (IngestReport Report, ParticipationStore Store) Kobo(byte[]? workbook = null, Func<string, string>? mapping = null)
    {
        var map = Mapping("kobo/register-mapping.json", mapping);
        var bytes = workbook ?? File.ReadAllBytes(Path.Combine(Data, "kobo", "register.xlsx"));
        return Append(map, SubmissionExportSource.FromWorkbook(map, new MemoryStream(bytes), "register.xlsx"));
    }

    private (IngestReport Report, ParticipationStore Store) Odk(
        Func<string, string>? mapping = null, Func<string, string>? sessions = null, Func<string, string>? participants = null)
    {
        var map = Mapping("odk/register-mapping.json", mapping);
        string Read(string name, Func<string, string>? edit) => edit is null
            ? File.ReadAllText(Path.Combine(Data, "odk", name))
            : edit(File.ReadAllText(Path.Combine(Data, "odk", name)));
        var files = new Dictionary<string, Stream>
        {
            ["register-participants.csv"] = Utf8(Read("register-participants.csv", participants)),
            ["register-sessions.csv"] = Utf8(Read("register-sessions.csv", sessions)),
        };
        return Append(map, SubmissionExportSource.FromCsv(map, Utf8(Read("register.csv", null)), "register.csv", files));
    }

    /// <summary>The records the register holds, written out flat by hand: each person at their own session's activity and date, at their submission's school.</summary>
    private ParticipationStore Expected()
    {
        const string Csv = """
            learner_id,session/activity_id,session/session_date,session/school,person/role,person/sex,person/age_band,person/completed,_uuid
            L-1001,act-cop-0009,2025-07-27,sch-cop-001,student,f,a10_14,yes,e1
            L-1002,act-cop-0009,2025-07-27,sch-cop-001,student,m,a10_14,yes,e2
            L-1001,act-cop-0002,2025-08-27,sch-cop-001,student,f,a10_14,yes,e3
            L-1003,act-cop-0002,2025-08-27,sch-cop-001,student,x,a15_17,yes,e4
            L-2001,act-cop-0022,2025-07-28,sch-cop-002,parent,m,a25_49,no,e5
            L-1004,act-cop-0022,2025-07-28,sch-cop-002,student,f,a10_14,yes,e6
            """;
        var map = Mapping("kobo/attendance-flat-mapping.json");
        var (report, store) = Append(map, SubmissionExportSource.FromCsv(map, Utf8(Csv), "expected.csv"));
        Assert.Equal((6, 6), (report.Read, report.Accepted));
        return store;
    }

    private static readonly string[] RootHeader = ["school", "_uuid", "_index"];
    private static readonly string[] SessionHeader = ["sessions/activity_id", "sessions/session_date", "_index", "_parent_table_name", "_parent_index"];
    private static readonly string[] PersonHeader =
        ["sessions/participants/learner_id", "sessions/participants/role", "sessions/participants/sex", "sessions/participants/age_band", "sessions/participants/completed", "_index", "_parent_table_name", "_parent_index"];

    private static string[] Person(string id, int index, string parentTable, int parent) =>
        [id, "student", "f", "a10_14", "yes", $"{index}", parentTable, $"{parent}"];

    /// <summary>Two submissions; the second's session is the second row of sessions, and its person names it.</summary>
    private static (string, string[][]) Root => ("Term register", [RootHeader, ["sch-cop-001", "u-1", "1"], ["sch-cop-002", "u-2", "2"]]);

    [Fact]
    public void KoboXlsx_NestedRepeat_JoinedThroughItsSession_ResentCountedOnceAndReported()
    {
        var (report, store) = Kobo();

        Assert.Equal((10, 6, 4), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal(4, report.RejectedByCode["SP8018"]);
        Assert.Equal(["participants!A8", "participants!A9", "participants!A10", "participants!A11"], report.Rejects.Select(r => r.Location));
        Assert.All(report.Rejects, r => Assert.Contains(
            "Its submission, at 'Term register'!A4, was sent again: it repeats the one at 'Term register'!A2, which is counted.", r.Message, StringComparison.Ordinal));
        AssertSameStore(Expected(), store);
    }

    [Fact]
    public void OdkCentralCsv_NestedRepeat_JoinedThroughItsSession_ResentCountedOnceAndReported()
    {
        var (report, store) = Odk();

        Assert.Equal((10, 6, 4), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal(4, report.RejectedByCode["SP8018"]);
        Assert.Equal(
            ["register-participants.csv line 8", "register-participants.csv line 9", "register-participants.csv line 10", "register-participants.csv line 11"],
            report.Rejects.Select(r => r.Location));
        Assert.All(report.Rejects, r => Assert.StartsWith("The row was sent again: it repeats the one at register-participants.csv line ", r.Message, StringComparison.Ordinal));
        AssertSameStore(Expected(), store);
    }

    [Fact]
    public void TheChain_ReadFromTheExport_OrNamedInTheMapping_GivesTheSameStore()
    {
        var expected = Expected();
        // Kobo's sample mapping names no parents (read from _parent_table_name); ODK's names them.
        AssertSameStore(expected, Kobo(mapping: j => j.Replace("\"records\": \"participants\",", "\"records\": \"participants\", \"parents\": [\"sessions\"],", StringComparison.Ordinal)).Store);
        AssertSameStore(expected, Odk(mapping: j => j.Replace("\"parents\": [\"sessions\"],", "", StringComparison.Ordinal)).Store);
        foreach (var report in new[] { Kobo().Report, Odk().Report })
        {
            Assert.All(report.Rejects, r => Assert.DoesNotContain(RawIds, raw => r.ToString().Contains(raw, StringComparison.Ordinal)));
            Assert.All(report.Rejects, r => Assert.DoesNotContain("3f6d2b90", r.ToString(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Kobo_OrphanRow_RefusedNamingItsCell_OthersKept()
    {
        // The second person names session 9, which the sessions sheet does not hold.
        var workbook = KoboWorkbook(
            Root,
            ("sessions", [SessionHeader, ["act-cop-0009", "2025-07-27", "1", "Term register", "1"], ["act-cop-0022", "2025-07-28", "2", "Term register", "2"]]),
            ("participants", [PersonHeader, Person("L-1001", 1, "sessions", 1), Person("L-1002", 2, "sessions", 9), Person("L-1004", 3, "sessions", 2)]));

        var (report, store) = Kobo(workbook);

        Assert.Equal((3, 2, 1), (report.Read, report.Accepted, report.Rejected));
        var reject = Assert.Single(report.Rejects);
        Assert.Equal(("SP8001", "participants!A3"), (reject.Code, reject.Location));
        Assert.Contains("The row names a parent row (_parent_index) that sessions does not hold.", reject.Message, StringComparison.Ordinal);
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void Kobo_ParentRowOfAnotherSubmissionMissing_RefusedNamingBothPlaces()
    {
        // The second session names submission 7: its person cannot reach a submission.
        var workbook = KoboWorkbook(
            Root,
            ("sessions", [SessionHeader, ["act-cop-0009", "2025-07-27", "1", "Term register", "1"], ["act-cop-0022", "2025-07-28", "2", "Term register", "7"]]),
            ("participants", [PersonHeader, Person("L-1001", 1, "sessions", 1), Person("L-1004", 2, "sessions", 2)]));

        var (report, _) = Kobo(workbook);

        var reject = Assert.Single(report.Rejects);
        Assert.Equal("participants!A3", reject.Location);
        Assert.Contains("Its parent row, at sessions!A3, names a submission (_parent_index) that the export's Term register does not hold.", reject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kobo_RowNamingAnotherParentTable_Refused_NotJoinedByItsNumberToTheWrongSheet()
    {
        // The old fault: the second person's _parent_index (2) read against the submissions would find submission 2.
        var workbook = KoboWorkbook(
            Root,
            ("sessions", [SessionHeader, ["act-cop-0009", "2025-07-27", "1", "Term register", "1"], ["act-cop-0002", "2025-08-27", "2", "Term register", "1"]]),
            ("participants", [PersonHeader, Person("L-1001", 1, "sessions", 1), Person("L-1002", 2, "Term register", 2)]));

        var (report, store) = Kobo(workbook);

        var reject = Assert.Single(report.Rejects);
        Assert.Equal("participants!A3", reject.Location);
        Assert.Contains("names another parent table (_parent_table_name) than sessions", reject.Message, StringComparison.Ordinal);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Kobo_UnreadableParentRow_ItsRowsRefusedNamingTheParentsCell_OthersKept()
    {
        // The second session's date cell holds an Excel error: the person of that session cannot be read with it.
        var workbook = KoboWorkbook(
            Root,
            ("sessions", [SessionHeader, ["act-cop-0009", "2025-07-27", "1", "Term register", "1"], ["act-cop-0022", "#N/A", "2", "Term register", "2"]]),
            ("participants", [PersonHeader, Person("L-1001", 1, "sessions", 1), Person("L-1004", 2, "sessions", 2)]));

        var (report, store) = Kobo(workbook);

        Assert.Equal((2, 1, 1), (report.Read, report.Accepted, report.Rejected));
        var reject = Assert.Single(report.Rejects);
        Assert.Equal(("SP8001", "participants!A3"), (reject.Code, reject.Location));
        Assert.Contains("Its parent row, at sessions!A3, cannot be read: sessions!B3", reject.Message, StringComparison.Ordinal);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Kobo_TwoParentRowsWithOneIndex_Ambiguous_RefusedNamingBoth()
    {
        var workbook = KoboWorkbook(
            Root,
            ("sessions", [SessionHeader, ["act-cop-0009", "2025-07-27", "1", "Term register", "1"], ["act-cop-0022", "2025-07-28", "1", "Term register", "2"]]),
            ("participants", [PersonHeader, Person("L-1001", 1, "sessions", 1)]));

        var (report, store) = Kobo(workbook);

        var reject = Assert.Single(report.Rejects);
        Assert.Equal(("SP8001", "participants!A2"), (reject.Code, reject.Location));
        Assert.Contains("holds twice (sessions!A2 and sessions!A3 have the same _index): which one is meant cannot be told.", reject.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Kobo_ParentTablesLoop_EveryRowRefusedNamingTheLoop()
    {
        // The sessions name the participants as their parent: participants → sessions → participants never reaches a submission.
        var workbook = KoboWorkbook(
            Root,
            ("sessions", [SessionHeader, ["act-cop-0009", "2025-07-27", "1", "participants", "1"]]),
            ("participants", [PersonHeader, Person("L-1001", 1, "sessions", 1), Person("L-1002", 2, "sessions", 1)]));

        var (report, store) = Kobo(workbook);

        Assert.Equal((2, 0, 2), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal(["participants!A2", "participants!A3"], report.Rejects.Select(r => r.Location));
        Assert.All(report.Rejects, r => Assert.Contains(
            "The repeat groups' parents loop: participants → sessions → participants (sessions!A2 names participants as its parent).", r.Message, StringComparison.Ordinal));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Kobo_LongGroupNames_CutAsKoboCutsSheetNames_JoinedOrAmbiguous()
    {
        // Kobo cuts sheet names to 31 characters ("..."), numbering a cut name that repeats another ("... (1)").
        const string Group = "sessions_held_at_the_school_this_term";
        string[] header = ["sessions_held_at_the_school_this_term/activity_id", "sessions_held_at_the_school_this_term/session_date", "_index", "_parent_table_name", "_parent_index"];
        string[][] sessions = [header, ["act-cop-0009", "2025-07-27", "1", "Term register", "1"]];
        string[][] people = [PersonHeader, Person("L-1001", 1, Group, 1)];
        Func<string, string> mapping = j => j.Replace("sessions/activity_id", Group + "/activity_id", StringComparison.Ordinal)
            .Replace("sessions/session_date", Group + "/session_date", StringComparison.Ordinal);

        var (joined, _) = Kobo(KoboWorkbook(Root, ("sessions_held_at_the_school_...", sessions), ("participants", people)), mapping);
        Assert.Equal((1, 1), (joined.Read, joined.Accepted));

        var (ambiguous, _) = Kobo(
            KoboWorkbook(Root, ("sessions_held_at_the_school_...", sessions), ("sessions_held_at_the_sch... (1)", sessions), ("participants", people)), mapping);
        var reject = Assert.Single(ambiguous.Rejects);
        Assert.Equal("participants!A2", reject.Location);
        Assert.Contains("could be any of sessions_held_at_the_school_..., 'sessions_held_at_the_sch... (1)'", reject.Message, StringComparison.Ordinal);
        Assert.Contains("(the parent named at participants!A2)", reject.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Odk_OrphanRows_AtBothLevels_RefusedNamingTheirLines()
    {
        // A person names session 9 of the first submission; the second submission's session names a submission the export lacks.
        var (report, store) = Odk(
            sessions: s => s.Replace("act-cop-0022,2025-07-28,uuid:3f6d2b90-0002", "act-cop-0022,2025-07-28,uuid:3f6d2b90-0009", StringComparison.Ordinal),
            participants: p => p.Replace("L-1002,student,m,a10_14,yes,uuid:3f6d2b90-0001-4e1a-9c55-000000000001/sessions[1]", "L-1002,student,m,a10_14,yes,uuid:3f6d2b90-0001-4e1a-9c55-000000000001/sessions[9]", StringComparison.Ordinal));

        Assert.Equal((10, 3), (report.Read, report.Accepted));
        var unjoined = report.Rejects.Where(r => r.Code == "SP8001").ToList();
        // Line 9 is the re-sent copy of line 3, and names session 9 too.
        Assert.Equal(
            ["register-participants.csv line 3", "register-participants.csv line 6", "register-participants.csv line 7", "register-participants.csv line 9"],
            unjoined.Select(r => r.Location));
        Assert.Contains("The row names a parent row (PARENT_KEY) that register-sessions.csv does not hold.", unjoined[0].Message, StringComparison.Ordinal);
        Assert.Contains("Its parent row, at register-sessions.csv line 4, names a submission (PARENT_KEY) that the export's register.csv does not hold.", unjoined[1].Message, StringComparison.Ordinal);
        Assert.Equal(3, report.RejectedByCode["SP8018"]);
        Assert.All(report.Rejects, r => Assert.DoesNotContain("uuid:", r.Message, StringComparison.Ordinal));
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public void Odk_ParentKeysLoop_EveryRowRefusedNamingTheLoop()
    {
        // The sessions' PARENT_KEY names a participants row: participants → sessions → participants.
        var (report, store) = Odk(
            mapping: j => j.Replace("\"parents\": [\"sessions\"],", "", StringComparison.Ordinal),
            sessions: s => s.Replace(",uuid:3f6d2b90-0001-4e1a-9c55-000000000001,", ",uuid:3f6d2b90-0001-4e1a-9c55-000000000001/sessions[1]/participants[1],", StringComparison.Ordinal));

        Assert.Equal((10, 0, 10), (report.Read, report.Accepted, report.Rejected));
        Assert.All(report.Rejects, r => Assert.Contains(
            "The repeat groups' parents loop: register-participants.csv → register-sessions.csv → register-participants.csv (register-sessions.csv line 2 names register-participants.csv as its parent).",
            r.Message, StringComparison.Ordinal));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Odk_ParentGroupFileNotGiven_EveryRowRefusedSayingWhichFile()
    {
        var map = Mapping("odk/register-mapping.json", j => j.Replace("\"parents\": [\"sessions\"],", "", StringComparison.Ordinal));
        using var people = File.OpenRead(Path.Combine(Data, "odk", "register-participants.csv"));
        using var main = File.OpenRead(Path.Combine(Data, "odk", "register.csv"));

        var (report, _) = Append(map, SubmissionExportSource.FromCsv(map, main, "register.csv", people, "register-participants.csv"));

        Assert.Equal((10, 0), (report.Read, report.Accepted));
        Assert.All(report.Rejects, r => Assert.Contains(
            "None of the CSV files given is the repeat group sessions's (ODK Central's FORM-sessions.csv)", r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void FromCsv_OneRecordsFile_WithParentsNamed_Refused()
    {
        var map = Mapping("odk/register-mapping.json");
        Assert.Throws<ArgumentException>(() => SubmissionExportSource.FromCsv(map, new MemoryStream(), "register.csv", new MemoryStream(), "register-participants.csv"));
    }

    [Theory]
    [InlineData("{\"tool\":\"kobo\",\"parents\":[\"sessions\"],\"fields\":{}}", "$.parents")]
    [InlineData("{\"tool\":\"kobo\",\"records\":\"people\",\"parents\":[\"people\"],\"fields\":{}}", "$.parents")]
    [InlineData("{\"tool\":\"kobo\",\"records\":\"people\",\"parents\":[\"a\",\"A\"],\"fields\":{}}", "$.parents[1]")]
    [InlineData("{\"tool\":\"kobo\",\"records\":\"people\",\"parents\":\"a\",\"fields\":{}}", "$.parents")]
    [InlineData("{\"tool\":\"kobo\",\"records\":\"people\",\"parents\":[\"\"],\"fields\":{}}", "$.parents[0]")]
    public void Mapping_WrongParents_RefusedWithThePath(string json, string path)
    {
        var error = Assert.Throws<DataFormatException>(() => SubmissionMapping.Read(Utf8(json), "m.json"));
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Mapping_Parents_ReadOutermostFirst()
    {
        var map = SubmissionMapping.Read(Utf8("{\"tool\":\"odk\",\"records\":\"crops\",\"parents\":[\"households\",\"plots\"],\"fields\":{}}"));
        Assert.Equal(["households", "plots"], map.Parents);
        Assert.Null(Mapping("kobo/register-mapping.json").Parents);
    }
}
