using System.Text;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Spreadsheets;
using static SafetyPrograms.Tests.Aggregation.MessyParticipation;

namespace SafetyPrograms.Tests.Spreadsheets;

/// <summary>
/// The sample Kobo and ODK exports (samples/data/kobo, samples/data/odk: one session sent twice, its people in a repeat
/// group) read through their mappings: repeat rows joined to their submission, the re-sent copy counted once and
/// reported (SP8018), raw learner ids keyed before they land, and the same store from every shape.
/// </summary>
public sealed class SubmissionExportTests : SubmissionSamples
{
    private static readonly string[] RawIds = ["L-1001", "L-1002", "L-1003", "L-2001"];
    private (IngestReport Report, ParticipationStore Store) Kobo()
    {
        var mapping = Mapping("kobo/attendance-mapping.json");
        using var file = File.OpenRead(Path.Combine(Data, "kobo", "attendance.xlsx"));
        var store = new ParticipationStore(Dataset());
        return (store.Append(SubmissionExportSource.FromWorkbook(mapping, file, "attendance.xlsx"), mapping.SourceOptions(Keys)), store);
    }

    private (IngestReport Report, ParticipationStore Store) Odk()
    {
        var mapping = Mapping("odk/attendance-mapping.json");
        using var main = File.OpenRead(Path.Combine(Data, "odk", "attendance.csv"));
        using var people = File.OpenRead(Path.Combine(Data, "odk", "attendance-participants.csv"));
        var store = new ParticipationStore(Dataset());
        var source = SubmissionExportSource.FromCsv(mapping, main, "attendance.csv", people, "attendance-participants.csv");
        return (store.Append(source, mapping.SourceOptions(Keys)), store);
    }

    private (IngestReport Report, ParticipationStore Store) KoboFlat()
    {
        var mapping = Mapping("kobo/attendance-flat-mapping.json");
        using var file = File.OpenRead(Path.Combine(Data, "kobo", "attendance-flat.csv"));
        var store = new ParticipationStore(Dataset());
        return (store.Append(SubmissionExportSource.FromCsv(mapping, file, "attendance-flat.csv"), mapping.SourceOptions(Keys)), store);
    }

    [Fact]
    public void KoboXlsx_RepeatGroupJoined_ResentSubmissionCountedOnceAndReported()
    {
        var (report, store) = Kobo();
        Assert.Equal((8, 5, 3), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal(3, report.RejectedByCode["SP8018"]);
        Assert.Equal(["participants!A5", "participants!A6", "participants!A7"], report.Rejects.Select(r => r.Location));
        Assert.Contains("'Attendance session'!A3, was sent again: it repeats the one at 'Attendance session'!A2", report.Rejects[0].Message, StringComparison.Ordinal);
        Assert.Equal(4, store.BeneficiaryCount);
    }

    [Fact]
    public void OdkCentralCsv_RepeatFileJoined_ResentRowsCountedOnceAndReported()
    {
        var (report, store) = Odk();
        Assert.Equal((8, 5, 3), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal(3, report.RejectedByCode["SP8018"]);
        Assert.Equal(["attendance-participants.csv line 5", "attendance-participants.csv line 6", "attendance-participants.csv line 7"], report.Rejects.Select(r => r.Location));
        Assert.Equal(4, store.BeneficiaryCount);
    }

    [Fact]
    public void KoboFlatCsv_OneRecordASubmission_ResentOneCountedOnce()
    {
        var (report, _) = KoboFlat();
        Assert.Equal((6, 5, 1), (report.Read, report.Accepted, report.Rejected));
        Assert.Equal("attendance-flat.csv line 5", Assert.Single(report.Rejects).Location);
    }

    [Fact]
    public void EveryShape_TheSameStore_AndNoRawIdentifierLands()
    {
        var (_, kobo) = Kobo();
        var (_, odk) = Odk();
        var (_, flat) = KoboFlat();
        AssertSameStore(kobo, odk);
        AssertSameStore(kobo, flat);
        var keys = Keys(kobo.Sorted().Beneficiaries, kobo.BeneficiaryCount);
        Assert.Equal(4, keys.Length);
        Assert.All(keys, key => Assert.DoesNotContain(RawIds, raw => key.Contains(raw, StringComparison.OrdinalIgnoreCase)));
        Assert.Contains(keys, key => Keys.TryKey("L-1001", out var k, out _) && k.Value == key);
        foreach (var report in new[] { Kobo().Report, Odk().Report, KoboFlat().Report })
        {
            Assert.All(report.Rejects, r => Assert.DoesNotContain(RawIds, raw => r.ToString().Contains(raw, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void DryRun_ReportsWithoutAdding()
    {
        var mapping = Mapping("kobo/attendance-mapping.json");
        using var file = File.OpenRead(Path.Combine(Data, "kobo", "attendance.xlsx"));
        var store = new ParticipationStore(Dataset());
        var report = store.DryRun(SubmissionExportSource.FromWorkbook(mapping, file, "attendance.xlsx"), mapping.SourceOptions(Keys));
        Assert.Equal((8, 5), (report.Read, report.Accepted));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void OrphanRepeatRow_AndUnreadableSubmission_Refused_NothingLost()
    {
        var mapping = Mapping("odk/attendance-mapping.json");
        var main = "session-activity_id,session-session_date,session-school,KEY\nact-cop-0009,2025-07-27,sch-cop-001,uuid:a\nact-cop-0009,2025-07-27,sch-cop-001,uuid:b,extra\n";
        var people = "learner_id,role,sex,age_band,completed,PARENT_KEY,KEY\nL-1,student,f,a10_14,yes,uuid:a,uuid:a/p[1]\nL-2,student,f,a10_14,yes,uuid:zzz,uuid:zzz/p[1]\nL-3,student,f,a10_14,yes,uuid:b,uuid:b/p[1]\n";
        var store = new ParticipationStore(Dataset());
        var report = store.Append(
            SubmissionExportSource.FromCsv(mapping, new MemoryStream(Encoding.UTF8.GetBytes(main)), "s.csv", new MemoryStream(Encoding.UTF8.GetBytes(people)), "s-participants.csv"),
            mapping.SourceOptions(Keys));
        Assert.Equal((3, 1), (report.Read, report.Accepted));
        Assert.Contains("names a submission (PARENT_KEY) that the export's s.csv does not hold", report.Rejects[0].Message, StringComparison.Ordinal);
        Assert.Contains("s.csv line 3, cannot be read", report.Rejects[1].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("uuid:zzz", report.Rejects[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"tool\":\"kobo\"}", "$")]
    [InlineData("{\"tool\":\"surveycto\",\"fields\":{}}", "$.tool")]
    [InlineData("{\"tool\":\"kobo\",\"fields\":{\"sexe\":\"q1\"}}", "$.fields.sexe")]
    [InlineData("{\"tool\":\"kobo\",\"fields\":{},\"extra\":1}", "$.extra")]
    [InlineData("{\"tool\":\"kobo\",\"fields\":{\"mode\":\"m\"},\"constants\":{\"mode\":\"online\"}}", "$.constants.mode")]
    [InlineData("{\"tool\":\"kobo\",\"rawIdentifier\":\"id\",\"fields\":{\"beneficiary\":\"key\"}}", "$.fields.beneficiary")]
    [InlineData("{\"tool\":", "$")]
    public void Mapping_Wrong_RefusedWithThePath(string json, string path)
    {
        var error = Assert.Throws<DataFormatException>(() => SubmissionMapping.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "m.json"));
        Assert.Equal(path, error.Path);
        Assert.Equal("m.json", error.FileName);
    }

    [Fact]
    public void Mapping_RawIdentifierWithoutKeys_Refused() =>
        Assert.Throws<ArgumentException>(() => Mapping("kobo/attendance-mapping.json").SourceOptions());

    [Fact]
    public void Schema_EmbeddedIsTheCheckedInFile()
    {
        var file = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "SafetyPrograms.Spreadsheets", "schemas", "submission-mapping.schema.json"));
        Assert.Equal(file, SubmissionMapping.JsonSchema);
        using var schema = System.Text.Json.JsonDocument.Parse(SubmissionMapping.JsonSchema);
        Assert.Equal(["kobo", "odk"], schema.RootElement.GetProperty("properties").GetProperty("tool").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }
}
