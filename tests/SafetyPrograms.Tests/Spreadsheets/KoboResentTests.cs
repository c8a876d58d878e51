using System.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Ingest;
using SafetyPrograms.Spreadsheets;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Spreadsheets;

/// <summary>
/// A Kobo <c>_uuid</c> (or <c>meta/instanceID</c>) held by two submissions: rows whose answers are the same are one
/// submission sent again (counted once, SP8018) whatever the columns Kobo adds on receipt say (<c>_id</c>, <c>_index</c>,
/// <c>_submission_time</c>, <c>_validation_status</c>, <c>_status</c>, <c>_submitted_by</c>, <c>__version__</c>,
/// <c>_notes</c>, <c>_tags</c>); rows whose answers differ are no copy, so they and their repeat rows are refused (SP8001)
/// naming both rows and quoting no value, as an ODK <c>KEY</c> is.
/// </summary>
public sealed class KoboResentTests : SubmissionSamples
{
    private const string FirstUuid = "6b1e0c1a-0001-4c5e-9b1a-00000000000a";
    private static readonly string[] RawIds = ["L-1001", "L-1002", "L-1004"];

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    private (IngestReport Report, ParticipationStore Store) Append(SubmissionMapping map, SubmissionExportSource source)
    {
        var store = new ParticipationStore(Dataset());
        var report = store.Append(source, map.SourceOptions(Keys));
        Assert.Equal(report.Read, report.Accepted + report.Rejected);
        Assert.All(report.Rejects, r => Assert.DoesNotContain(RawIds, raw => r.ToString().Contains(raw, StringComparison.Ordinal)));
        Assert.All(report.Rejects, r => Assert.DoesNotContain(FirstUuid, r.ToString(), StringComparison.Ordinal));
        return (report, store);
    }

    /// <summary>Two submissions of a term register, the first sent again as its third row (receipt columns of its own), each with one session and people in it.</summary>
    private (IngestReport Report, ParticipationStore Store) Register(string copySchool, string copyStatus = "submitted_via_web")
    {
        string[] rootHeader = ["school", "start", "_id", "_uuid", "_submission_time", "_validation_status", "_status", "_submitted_by", "__version__", "_tags", "_index"];
        string[] sessionHeader = ["sessions/activity_id", "sessions/session_date", "_index", "_parent_table_name", "_parent_index"];
        string[] personHeader =
            ["sessions/participants/learner_id", "sessions/participants/role", "sessions/participants/sex", "sessions/participants/age_band", "sessions/participants/completed", "_index", "_parent_table_name", "_parent_index"];
        string[] Person(string id, int index, int session) => [id, "student", "f", "a10_14", "yes", $"{index}", "sessions", $"{session}"];
        var workbook = KoboWorkbook(
            ("Term register", [
                rootHeader,
                ["sch-cop-001", "2025-07-27T09:01:00", "501", FirstUuid, "2025-07-27T04:05:00", "", "submitted_via_web", "field-team-1", "v1", "", "1"],
                ["sch-cop-002", "2025-07-28T09:01:00", "502", "6b1e0c1a-0001-4c5e-9b1a-00000000000b", "2025-07-28T04:05:00", "", "submitted_via_web", "field-team-1", "v1", "", "2"],
                [copySchool, "2025-07-27T09:01:00", "503", FirstUuid, "2025-07-27T06:40:00", "validation_status_approved", copyStatus, "field-team-2", "v2", "checked", "3"],
            ]),
            ("sessions", [
                sessionHeader,
                ["act-cop-0009", "2025-07-27", "1", "Term register", "1"],
                ["act-cop-0022", "2025-07-28", "2", "Term register", "2"],
                ["act-cop-0009", "2025-07-27", "3", "Term register", "3"],
            ]),
            ("participants", [
                personHeader, Person("L-1001", 1, 1), Person("L-1002", 2, 1), Person("L-1004", 3, 2), Person("L-1001", 4, 3), Person("L-1002", 5, 3),
            ]));
        var map = Mapping("kobo/register-mapping.json");
        return Append(map, SubmissionExportSource.FromWorkbook(map, new MemoryStream(workbook), "register.xlsx"));
    }

    /// <summary>The flat sample mapping over a CSV of one record a submission, its header as Kobo writes one (the id column given).</summary>
    private (IngestReport Report, ParticipationStore Store) Flat(string idColumn, string rows)
    {
        var map = Mapping("kobo/attendance-flat-mapping.json");
        var csv = "start,learner_id,session/activity_id,session/session_date,session/school,person/role,person/sex,person/age_band,person/completed,_id,"
            + idColumn + ",_submission_time,_validation_status,_notes,_status,_submitted_by,__version__,_tags,_index\n" + rows;
        return Append(map, SubmissionExportSource.FromCsv(map, Utf8(csv), "flat.csv"));
    }

    [Fact]
    public void Xlsx_UuidTwice_OnlyReceiptColumnsDiffer_ACopy_ItsPeopleCountedOnce()
    {
        var (report, store) = Register(copySchool: "sch-cop-001");

        Assert.Equal((5, 3, 2), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal(2, report.RejectedByCode["SP8018"]);
        Assert.Equal(["participants!A5", "participants!A6"], report.Rejects.Select(r => r.Location));
        Assert.All(report.Rejects, r => Assert.Contains(
            "Its submission, at 'Term register'!A4, was sent again: it repeats the one at 'Term register'!A2, which is counted.", r.Message, StringComparison.Ordinal));
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public void Xlsx_UuidTwice_AnswersDiffer_EveryPersonUnderEitherRefusedNamingBothRows_OthersKept()
    {
        // The third row repeats the first's _uuid with another school: not a copy, and which is meant cannot be told.
        var (report, store) = Register(copySchool: "sch-cop-002");

        Assert.Equal((5, 1, 4), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal(4, report.RejectedByCode["SP8001"]);
        Assert.Equal(["participants!A2", "participants!A3", "participants!A5", "participants!A6"], report.Rejects.Select(r => r.Location));
        Assert.Contains("Its submission, at 'Term register'!A2, has the same _uuid as the one at 'Term register'!A4, and their answers differ", report.Rejects[0].Message, StringComparison.Ordinal);
        Assert.Contains("Its submission, at 'Term register'!A4, has the same _uuid as the one at 'Term register'!A2, and their answers differ", report.Rejects[2].Message, StringComparison.Ordinal);
        Assert.All(report.Rejects, r => Assert.DoesNotContain("sch-cop", r.Message, StringComparison.Ordinal));
        // Only the second submission's person is kept, as written out by hand.
        var (_, expected) = Flat("_uuid", "t,L-1004,act-cop-0022,2025-07-28,sch-cop-002,student,f,a10_14,yes,1,e1,t,,,,,,,1\n");
        AssertSameStore(expected, store);
    }

    [Theory]
    [InlineData("_uuid")]
    [InlineData("meta/instanceID")]
    public void FlatCsv_IdTwice_CopyCountedOnce_DifferingRowsBothRefused(string idColumn)
    {
        // Line 4 re-sends line 2 (another _id, time, review state, sender, version, note, tag and _index); lines 5 and 6 share an id and differ in sex.
        const string Rows = """
            2025-07-27T09:01,L-1001,act-cop-0009,2025-07-27,sch-cop-001,student,f,a10_14,yes,501,uuid:a1,2025-07-27T04:05,,,submitted_via_web,team-1,v1,,1
            2025-07-27T09:04,L-1002,act-cop-0009,2025-07-27,sch-cop-001,student,m,a10_14,yes,502,uuid:a2,2025-07-27T04:06,,,submitted_via_web,team-1,v1,,2
            2025-07-27T09:01,L-1001,act-cop-0009,2025-07-27,sch-cop-001,student,f,a10_14,yes,503,uuid:a1,2025-07-27T06:30,validation_status_on_hold,seen,submitted_via_web,team-2,v2,late,3
            2025-07-27T09:06,L-1004,act-cop-0009,2025-07-27,sch-cop-001,student,x,a15_17,yes,504,uuid:a3,2025-07-27T04:07,,,submitted_via_web,team-1,v1,,4
            2025-07-27T09:06,L-1004,act-cop-0009,2025-07-27,sch-cop-001,student,f,a15_17,yes,505,uuid:a3,2025-07-27T06:42,,,submitted_via_web,team-1,v1,,5
            """;

        var (report, store) = Flat(idColumn, Rows);

        Assert.Equal((5, 2, 3), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal(
            [("SP8018", "flat.csv line 4"), ("SP8001", "flat.csv line 5"), ("SP8001", "flat.csv line 6")],
            report.Rejects.Select(r => (r.Code, r.Location)));
        Assert.Contains($"has the same {idColumn} as the one at flat.csv line 6, and their answers differ", report.Rejects[1].Message, StringComparison.Ordinal);
        Assert.Contains($"has the same {idColumn} as the one at flat.csv line 5, and their answers differ", report.Rejects[2].Message, StringComparison.Ordinal);
        Assert.All(report.Rejects, r => Assert.DoesNotContain("uuid:a", r.Message, StringComparison.Ordinal));
        Assert.Equal(2, store.BeneficiaryCount);
    }

    [Fact]
    public void FlatCsv_IdTwice_StartTimeDiffers_NoCopy()
    {
        // start is the device's answer, not a receipt column: a different start is another filling of the form.
        const string Rows = """
            2025-07-27T09:01,L-1001,act-cop-0009,2025-07-27,sch-cop-001,student,f,a10_14,yes,501,uuid:a1,2025-07-27T04:05,,,submitted_via_web,team-1,v1,,1
            2025-07-27T09:31,L-1001,act-cop-0009,2025-07-27,sch-cop-001,student,f,a10_14,yes,502,uuid:a1,2025-07-27T04:35,,,submitted_via_web,team-1,v1,,2
            """;

        var (report, store) = Flat("_uuid", Rows);

        Assert.Equal(2, report.RejectedByCode["SP8001"]);
        Assert.Equal(0, store.Count);
    }
}
