using System.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Ingest;
using SafetyPrograms.Spreadsheets;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Spreadsheets;

/// <summary>
/// An ODK Central <c>KEY</c> held by two rows of one file: rows whose answers are the same are a submission sent again
/// (counted once, SP8018), whatever the columns Central adds on receipt say; rows whose answers differ are no copy, so
/// they and every row naming them as parent are refused (SP8001) naming both places, and no child is joined to either.
/// </summary>
public sealed class OdkRepeatedKeyTests : SubmissionSamples
{
    /// <summary>The first submission's instanceID and KEY, as register.csv holds them on its line and on its copy's.</summary>
    private const string FirstSubmission = "uuid:3f6d2b90-0001-4e1a-9c55-000000000001,uuid:3f6d2b90-0001-4e1a-9c55-000000000001,";

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>The sample term register (samples/data/odk/register*.csv), each file after its edit.</summary>
    private (IngestReport Report, ParticipationStore Store) Register(
        Func<string, string>? submissions = null, Func<string, string>? sessions = null, Func<string, string>? participants = null)
    {
        var map = Mapping("odk/register-mapping.json");
        static MemoryStream Read(string name, Func<string, string>? edit)
        {
            var text = File.ReadAllText(Path.Combine(Data, "odk", name));
            return Utf8(edit is null ? text : edit(text));
        }
        var files = new Dictionary<string, Stream>
        {
            ["register-participants.csv"] = Read("register-participants.csv", participants),
            ["register-sessions.csv"] = Read("register-sessions.csv", sessions),
        };
        var store = new ParticipationStore(Dataset());
        var report = store.Append(SubmissionExportSource.FromCsv(map, Read("register.csv", submissions), "register.csv", files), map.SourceOptions(Keys));
        Assert.Equal(report.Read, report.Accepted + report.Rejected);
        return (report, store);
    }

    /// <summary>An edit of the second line of a file holding <paramref name="holding"/> (the re-sent copy's), replacing <paramref name="from"/> by <paramref name="to"/>.</summary>
    private static Func<string, string> EditCopy(string holding, string from, string to) => text =>
    {
        var lines = text.Split('\n');
        var copy = lines.Select((line, i) => (line, i)).Where(l => l.line.Contains(holding, StringComparison.Ordinal)).Skip(1).First().i;
        Assert.Contains(from, lines[copy], StringComparison.Ordinal);
        lines[copy] = lines[copy].Replace(from, to, StringComparison.Ordinal);
        return string.Join('\n', lines);
    };

    /// <summary>Records written out flat by hand, read through the sample flat Kobo mapping.</summary>
    private ParticipationStore Flat(string rows)
    {
        var map = Mapping("kobo/attendance-flat-mapping.json");
        var csv = "learner_id,session/activity_id,session/session_date,session/school,person/role,person/sex,person/age_band,person/completed,_uuid\n" + rows;
        var store = new ParticipationStore(Dataset());
        var report = store.Append(SubmissionExportSource.FromCsv(map, Utf8(csv), "expected.csv"), map.SourceOptions(Keys));
        Assert.True(report.IsClean);
        return store;
    }

    [Fact]
    public void SessionKeyTwice_AnswersDiffer_ItsPeopleRefusedNamingBothRows_NoneJoined()
    {
        // The re-sent copy of the first session (register-sessions.csv line 5) names another activity than line 2.
        var (report, store) = Register(sessions: EditCopy("act-cop-0009,2025-07-27,", "act-cop-0009", "act-cop-0022"));

        // Lines 2, 3 and their copies 8, 9 name that session; lines 10, 11 copy the second session's people.
        Assert.Equal((10, 4, 6), (report.Read, report.Accepted, report.Rejected));
        var ambiguous = report.Rejects.Where(r => r.Code == "SP8001").ToList();
        Assert.Equal(
            ["register-participants.csv line 2", "register-participants.csv line 3", "register-participants.csv line 8", "register-participants.csv line 9"],
            ambiguous.Select(r => r.Location));
        Assert.All(ambiguous, r => Assert.Contains(
            "The row names a parent row (PARENT_KEY) that register-sessions.csv holds twice (register-sessions.csv line 2 and register-sessions.csv line 5 "
            + "have the same KEY and differ in their answers, so they are no copy of one submission): which one is meant cannot be told.",
            r.Message, StringComparison.Ordinal));
        Assert.Equal(2, report.RejectedByCode["SP8018"]);
        // Joined to neither session: the store holds the other sessions' people only, as written out by hand.
        AssertSameStore(Flat("""
            L-1001,act-cop-0002,2025-08-27,sch-cop-001,student,f,a10_14,yes,e3
            L-1003,act-cop-0002,2025-08-27,sch-cop-001,student,x,a15_17,yes,e4
            L-2001,act-cop-0022,2025-07-28,sch-cop-002,parent,m,a25_49,no,e5
            L-1004,act-cop-0022,2025-07-28,sch-cop-002,student,f,a10_14,yes,e6
            """), store);
    }

    [Fact]
    public void SubmissionKeyTwice_AnswersDiffer_EveryRecordUnderItRefused_OthersKept()
    {
        // The re-sent copy of the first submission (register.csv line 4) names another school than line 2.
        var (report, store) = Register(submissions: EditCopy(FirstSubmission, ",sch-cop-001,", ",sch-cop-002,"));

        // Every person of the first submission, in the original and in the copy, is refused; the second submission's two are kept.
        Assert.Equal((10, 2, 8), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal(8, report.RejectedByCode["SP8001"]);
        Assert.All(report.Rejects, r => Assert.Contains(
            "names a submission (PARENT_KEY) that the export's register.csv holds twice (register.csv line 2 and register.csv line 4 have the same KEY and differ in their answers",
            r.Message, StringComparison.Ordinal));
        Assert.All(report.Rejects, r => Assert.DoesNotContain("3f6d2b90", r.Message, StringComparison.Ordinal));
        AssertSameStore(Flat("""
            L-2001,act-cop-0022,2025-07-28,sch-cop-002,parent,m,a25_49,no,e5
            L-1004,act-cop-0022,2025-07-28,sch-cop-002,student,f,a10_14,yes,e6
            """), store);
    }

    [Fact]
    public void SubmissionKeyTwice_OnlyReceiptColumnsDiffer_StillACopy_CountedOnce()
    {
        // The sample's copy already differs in SubmissionDate; another reviewer's state and device do not make it another submission.
        var (report, store) = Register(submissions: EditCopy(FirstSubmission, ",7,field-team-1,0,0,,,collect:abc,0,", ",9,field-team-2,0,0,received,approved,collect:xyz,1,"));

        Assert.Equal((10, 6, 4), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal(4, report.RejectedByCode["SP8018"]);
        Assert.Equal(6, store.Count);
    }

    [Fact]
    public void PersonKeyTwice_AnswersDiffer_BothRowsRefusedNamingEachOther_CopiesStillCountedOnce()
    {
        // The copy of the first session's first person (register-participants.csv line 8) gives another sex than line 2.
        var (report, store) = Register(participants: EditCopy("L-1001,student,f,a10_14,yes,uuid:3f6d2b90-0001-4e1a-9c55-000000000001/sessions[1],", ",f,", ",m,"));

        Assert.Equal((10, 5, 5), (report.Read, report.Accepted, report.Rejected));
        var ambiguous = report.Rejects.Where(r => r.Code == "SP8001").ToList();
        Assert.Equal(["register-participants.csv line 2", "register-participants.csv line 8"], ambiguous.Select(r => r.Location));
        Assert.Contains("The row has the same KEY as the one at register-participants.csv line 8, and their answers differ", ambiguous[0].Message, StringComparison.Ordinal);
        Assert.Contains("The row has the same KEY as the one at register-participants.csv line 2, and their answers differ", ambiguous[1].Message, StringComparison.Ordinal);
        Assert.Equal(3, report.RejectedByCode["SP8018"]);
        Assert.Equal(5, store.Count);
    }

    [Fact]
    public void FlatExport_SubmissionKeyTwice_CopyCountedOnce_DifferingRowsBothRefused()
    {
        const string Mapping = """
            {"tool":"odk","rawIdentifier":"learner_id","fields":{"activity":"activity_id","date":"session_date","school":"school","role":"role","sex":"sex","ageBand":"age_band","completed":"completed"},"constants":{"mode":"hybrid"}}
            """;
        const string Csv = """
            SubmissionDate,learner_id,activity_id,session_date,school,role,sex,age_band,completed,meta-instanceID,KEY
            2025-07-27T04:10:00.000Z,L-1001,act-cop-0009,2025-07-27,sch-cop-001,student,female,10-14,true,uuid:f1,uuid:f1
            2025-07-27T04:11:00.000Z,L-1002,act-cop-0009,2025-07-27,sch-cop-001,student,male,10-14,true,uuid:f2,uuid:f2
            2025-07-27T06:40:00.000Z,L-1001,act-cop-0009,2025-07-27,sch-cop-001,student,female,10-14,true,uuid:f1,uuid:f1
            2025-07-27T04:12:00.000Z,L-1003,act-cop-0009,2025-07-27,sch-cop-001,student,other,15-17,true,uuid:f3,uuid:f3
            2025-07-27T06:42:00.000Z,L-1003,act-cop-0009,2025-07-27,sch-cop-001,student,female,15-17,true,uuid:f3,uuid:f3
            """;
        var map = SubmissionMapping.Read(Utf8(Mapping), "flat.json");
        var store = new ParticipationStore(Dataset());

        var report = store.Append(SubmissionExportSource.FromCsv(map, Utf8(Csv), "flat.csv"), map.SourceOptions(Keys));

        Assert.Equal((5, 2, 3), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal(
            [("SP8018", "flat.csv line 4"), ("SP8001", "flat.csv line 5"), ("SP8001", "flat.csv line 6")],
            report.Rejects.Select(r => (r.Code, r.Location)));
        Assert.Contains("has the same KEY as the one at flat.csv line 6, and their answers differ", report.Rejects[1].Message, StringComparison.Ordinal);
        Assert.Contains("has the same KEY as the one at flat.csv line 5, and their answers differ", report.Rejects[2].Message, StringComparison.Ordinal);
        Assert.Equal(2, store.BeneficiaryCount);
    }
}
