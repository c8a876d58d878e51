using System.Text;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;
using SafetyPrograms.Privacy;
using SafetyPrograms.Progress;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Tests.Privacy;

/// <summary>
/// Differencing across tables: tables that are each safe, subtracted from one another. A publication session protects
/// them together, so that no hidden figure can be computed from everything it publishes.
/// </summary>
public class PublicationSessionTests
{
    private static readonly ProgrammeDataset Sample = Load();
    private const string School = "sch-cop-001";
    private const string Activity = "act-cop-0012";

    private static ProgrammeDataset Load()
    {
        using var stream = File.OpenRead(Path.Combine(RepositoryPaths.SamplesData, "programmes.json"));
        return ProgrammeDatasetJson.Read(stream);
    }

    /// <summary>The sample log filtered, plus extra rows: beneficiary, date, role, sex, all at one school.</summary>
    private static ParticipationStore Log(Func<string, bool> keep, params (string Key, string Date, string Role, string Sex)[] extra) =>
        Log(keep, [.. extra.Select(e => (e.Key, Activity, e.Date, e.Role, e.Sex, School))]);

    /// <summary>The sample log filtered, plus extra rows: beneficiary, activity, date, role, sex, school.</summary>
    private static ParticipationStore Log(
        Func<string, bool> keep, (string Key, string Activity, string Date, string Role, string Sex, string School)[] extra)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.SamplesData, "participations.csv"));
        var text = new StringBuilder(lines[0]).Append('\n');
        foreach (var line in lines.Skip(1).Where(keep))
        {
            text.Append(line).Append('\n');
        }
        foreach (var (key, activity, date, role, sex, school) in extra)
        {
            // The eleven fields these rows state; the person's columns (age, answers) left empty.
            text.Append(string.Join(",", key, activity, date, role, sex, "25-49,hybrid,true", school, "46.6,44.0"))
                .Append(',', lines[0].Count(c => c == ',') - 10).Append('\n');
        }
        var store = new ParticipationStore(Sample);
        Assert.Equal(0, store.AppendCsv(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()))).Rejected);
        return store;
    }

    private static string ProvinceOf(ParticipationStore store) =>
        store.Query().GroupBy(Dimension.Province).Where(Dimension.School, School).Run().Rows[0].Key(0)!;

    private static readonly GroupingTerm[] ProvinceBySex = [Dimension.Province, Dimension.Sex];

    /// <summary>
    /// Students and teachers only: two female teachers and fifteen male teachers at one school. Only students recorded
    /// female or male are kept, so that no small cell of the generated log (a few "other") makes the everyone and student
    /// tables hide figures of their own: each is safe alone, as the attack needs.
    /// </summary>
    private static ParticipationStore StudentsAndTeachers() => Log(
        line => line.Contains(",student,female,", StringComparison.Ordinal) || line.Contains(",student,male,", StringComparison.Ordinal),
        [
            ("syn-90000001", "2024-01-12", "teacher", "female"), ("syn-90000002", "2024-01-12", "teacher", "female"),
            .. Enumerable.Range(10, 15).Select(i => ($"syn-900000{i}", "2024-01-12", "teacher", "male")),
        ]);

    private static Func<AggregationQuery, AggregationQuery> Role(BeneficiaryRole role) => q => q.Where(Dimension.Role, role);

    [Fact]
    public void SeparateTables_EveryoneMinusStudents_GivesTheHiddenTeachers()
    {
        // The attack the session exists for: each table is safe alone, but subtracting two gives a hidden one.
        var store = StudentsAndTeachers();
        var province = ProvinceOf(store);
        var policy = PublicationPolicy.Default;
        var everyone = policy.Publish(store, ProvinceBySex, Measure.UniqueBeneficiaries);
        var students = policy.Publish(store, ProvinceBySex, Measure.UniqueBeneficiaries, Role(BeneficiaryRole.Student));
        var teachers = policy.Publish(store, [Dimension.District, Dimension.Sex], Measure.UniqueBeneficiaries, Role(BeneficiaryRole.Teacher));

        Assert.True(teachers[province, "female"].IsSuppressed);
        Assert.Equal(2, everyone[province, "female"].Value - students[province, "female"].Value);
    }

    [Fact]
    public void Session_EveryoneMinusStudents_CannotRecoverTheHiddenTeachers()
    {
        var store = StudentsAndTeachers();
        var province = ProvinceOf(store);
        var session = new PublicationSession(PublicationPolicy.Default, store);
        session.Add(ProvinceBySex, Measure.UniqueBeneficiaries);
        session.Add(ProvinceBySex, Measure.UniqueBeneficiaries, Role(BeneficiaryRole.Student));
        session.Add([Dimension.District, Dimension.Sex], Measure.UniqueBeneficiaries, Role(BeneficiaryRole.Teacher));
        var published = session.Publish();
        var (everyone, students, teachers) = (published[0], published[1], published[2]);

        Assert.True(teachers[province, "female"].IsSuppressed);
        Assert.True(everyone[province, "female"].IsSuppressed || students[province, "female"].IsSuppressed);
        Assert.Contains(published.SelectMany(t => t.Figures), f => PublicationAudit.ReasonOf(f) == SuppressionReason.Linked);

        // The reader's own model, independent of the session's: students by province and sex, teachers by district and
        // sex, every published figure of the three tables a sum of them; no hidden teacher figure is pinned.
        var ranges = RolesAttacker.Attack(everyone, students, teachers);
        Assert.NotEmpty(ranges);
        foreach (var (figure, (low, high)) in ranges)
        {
            Assert.True(
                Math.Floor(high + 1e-6) - Math.Ceiling(low - 1e-6) >= PublicationPolicy.Default.MinimumCellSize,
                $"teachers {figure} can be worked out to [{low}, {high}] from the three tables");
        }
    }

    [Fact]
    public void Session_WhoseAuditOutgrowsItsWorkBudget_IsRefusedAsTooLarge_NotRunForHours()
    {
        var store = StudentsAndTeachers();
        PublicationSession Session(long cellUpdates, long cells)
        {
            var session = new PublicationSession(PublicationPolicy.Default, store) { AuditCellUpdates = cellUpdates, AuditTableauCells = cells };
            session.Add(ProvinceBySex, Measure.UniqueBeneficiaries);
            session.Add(ProvinceBySex, Measure.UniqueBeneficiaries, Role(BeneficiaryRole.Student));
            session.Add([Dimension.District, Dimension.Sex], Measure.UniqueBeneficiaries, Role(BeneficiaryRole.Teacher));
            return session;
        }

        var pivots = Assert.Throws<AggregationRefusedException>(() => Session(cellUpdates: 10, cells: 1L << 26).Publish());
        var tableau = Assert.Throws<AggregationRefusedException>(() => Session(cellUpdates: long.MaxValue, cells: 4).Publish());

        Assert.All([pivots, tableau], refused => Assert.Equal(AggregationRefusal.PublicationTooLarge, refused.Reason));
        Assert.Contains("Publish fewer tables in one session", pivots.Message, StringComparison.Ordinal);
        // The same tables within the default budget are published, protected together.
        Assert.Equal(3, Session(new PublicationSession(PublicationPolicy.Default, store).AuditCellUpdates, 1L << 26).Publish().Count);
    }

    [Fact]
    public void Session_RandomTeachersAtSixSchools_NoHiddenFigureOfAnyTableCanBeWorkedOut()
    {
        (string Activity, string Date, string School)[] places =
        [
            ("act-cop-0012", "2024-01-12", "sch-cop-001"), ("act-cop-0017", "2024-12-28", "sch-cop-002"),
            ("act-cop-0042", "2024-12-11", "sch-cop-004"), ("act-cop-0057", "2023-01-16", "sch-cop-005"),
            ("act-cop-0066", "2025-08-27", "sch-cop-006"), ("act-cop-0075", "2025-02-22", "sch-cop-007"),
        ];
        var random = new Random(1111);
        for (var round = 0; round < 8; round++)
        {
            var teachers = new List<(string, string, string, string, string, string)>();
            foreach (var (activity, date, school) in places)
            {
                foreach (var sex in new[] { "female", "male" })
                {
                    for (var n = random.Next(0, 14); n > 0; n--)
                    {
                        teachers.Add(($"syn-9{teachers.Count:D7}", activity, date, "teacher", sex, school));
                    }
                }
            }
            var store = Log(line => line.Contains(",student,", StringComparison.Ordinal), [.. teachers]);
            var session = new PublicationSession(PublicationPolicy.Default, store);
            session.Add(ProvinceBySex, Measure.UniqueBeneficiaries);
            session.Add(ProvinceBySex, Measure.UniqueBeneficiaries, Role(BeneficiaryRole.Student));
            session.Add([Dimension.District, Dimension.Sex], Measure.UniqueBeneficiaries, Role(BeneficiaryRole.Teacher));
            var published = session.Publish();

            foreach (var (figure, (low, high)) in RolesAttacker.Attack(published[0], published[1], published[2]))
            {
                Assert.True(
                    Math.Floor(high + 1e-6) - Math.Ceiling(low - 1e-6) >= PublicationPolicy.Default.MinimumCellSize,
                    $"round {round}: {figure} can be worked out to [{low}, {high}] from the three tables");
            }
        }
    }

    [Fact]
    public void Session_TwoDateWindows_CannotRecoverTheHiddenNewcomers()
    {
        // Two girls join on a day no one else has a record; reach to that day minus reach to the day before gives them.
        // They join in Sindh, the province whose girls the separate tables publish (the attack needs both figures shown).
        var store = Log(
            line => !line.Contains(",2024-01-12,", StringComparison.Ordinal),
            [("syn-90000001", "act-cop-0608", "2024-01-12", "student", "female", "sch-cop-051"), ("syn-90000002", "act-cop-0608", "2024-01-12", "student", "female", "sch-cop-051")]);
        var province = "PK-SD";
        var start = new LocalDate(2020, 1, 1);
        Func<AggregationQuery, AggregationQuery> before = q => q.Between(start, new LocalDate(2024, 1, 11));
        Func<AggregationQuery, AggregationQuery> to = q => q.Between(start, new LocalDate(2024, 1, 12));
        Func<AggregationQuery, AggregationQuery> that = q => q.Between(new LocalDate(2024, 1, 12), new LocalDate(2024, 1, 12));
        var policy = PublicationPolicy.Default;

        var alone = new[] { before, to, that }.Select(f => policy.Publish(store, ProvinceBySex, Measure.UniqueBeneficiaries, f)).ToList();
        Assert.True(alone[2][province, "female"].IsSuppressed);
        Assert.Equal(2, alone[1][province, "female"].Value - alone[0][province, "female"].Value); // the attack works on separate tables

        var session = new PublicationSession(policy, store);
        foreach (var filter in new[] { before, to, that })
        {
            session.Add(ProvinceBySex, Measure.UniqueBeneficiaries, filter);
        }
        var published = session.Publish();
        Assert.True(published[2][province, "female"].IsSuppressed);
        Assert.True(published[0][province, "female"].IsSuppressed || published[1][province, "female"].IsSuppressed);
        // And no other pair of corresponding figures differs by a small group.
        foreach (var figure in published[1].Figures.Where(f => f.Value is not null))
        {
            if (published[0][[.. figure.Coordinates]].Value is { } earlier)
            {
                Assert.True(figure.Value - earlier is 0 or >= 10, $"{figure} minus the day before is a small group");
            }
        }
    }

    [Fact]
    public void Session_OneTable_PublishesWhatPublishDoes()
    {
        var store = StudentsAndTeachers();
        var session = new PublicationSession(PublicationPolicy.Default, store);
        session.Add(ProvinceBySex, Measure.UniqueBeneficiaries);
        var alone = PublicationPolicy.Default.Publish(store, ProvinceBySex, Measure.UniqueBeneficiaries);
        Assert.Equal(alone.Figures.Select(f => f.ToString()), session.Publish()[0].Figures.Select(f => f.ToString()));
    }

    [Fact]
    public void EmptyTable_IsPublishedEmpty_WithItsReason()
    {
        var store = Log(line => !line.Contains(",teacher,", StringComparison.Ordinal));
        var teachers = PublicationPolicy.Default.Publish(store, [Dimension.District, Dimension.Sex], Measure.UniqueBeneficiaries, Role(BeneficiaryRole.Teacher));

        Assert.NotNull(teachers.EmptyReason);
        Assert.All(teachers.Dimensions, d => Assert.Empty(d.Categories));
        Assert.Equal(0, Assert.Single(teachers.Figures).Value);
        using var json = new MemoryStream();
        PublishedTableWriter.WriteJson(teachers, json);
        Assert.Contains("\"empty\":\"no records", Encoding.UTF8.GetString(json.ToArray()), StringComparison.Ordinal);
        using var csv = new StringWriter();
        PublishedTableWriter.WriteCsv(teachers, csv);
        Assert.StartsWith("# empty: no records", csv.ToString(), StringComparison.Ordinal);
        using var html = new StringWriter();
        PublishedTableWriter.WriteHtml(teachers, html);
        Assert.Contains("Empty table: no records", html.ToString(), StringComparison.Ordinal);

        var hidden = new PublicationPolicy(showZeros: false).Publish(store, [Dimension.Role], Measure.UniqueBeneficiaries, Role(BeneficiaryRole.Teacher));
        Assert.True(Assert.Single(hidden.Figures).IsSuppressed);
    }

    [Fact]
    public void Rates_OfSmallGroups_AreSuppressedWithTheirCount_AndRoundedAfter()
    {
        var store = StudentsAndTeachers();
        var session = new PublicationSession(PublicationPolicy.Default, store);
        Measure[] rates = [Measure.CompletionRate, Measure.MeanGain, Measure.ImprovedShare];
        session.Add([Dimension.Sex], Measure.UniqueBeneficiaries, Role(BeneficiaryRole.Teacher), rates);
        var teachers = session.Publish()[0];

        // Two female teachers: their count is hidden, and so are their completion rate, mean gain and improved share; and
        // so are the male teachers' (hidden so that the total minus them does not give the two).
        Assert.True(teachers["female"].IsSuppressed);
        Assert.All(teachers.Figures.Where(f => f.IsSuppressed), f => Assert.All(rates, r => Assert.Null(f.RateOf(r))));
        // All seventeen teachers publish their rates, computed on the true records and rounded after the test.
        var all = teachers["total"];
        Assert.Equal(17, all.Value);
        Assert.Equal(1m, all.RateOf(Measure.CompletionRate));
        Assert.Equal(-2.6m, all.RateOf(Measure.MeanGain));
        Assert.Equal(0m, all.RateOf(Measure.ImprovedShare));

        Assert.Throws<ArgumentException>(() => session.Add([Dimension.Sex], Measure.UniqueBeneficiaries, rates: [Measure.Participations]));
    }

    [Fact]
    public void Rates_OfAGroupWithFewAssessed_AreSuppressed_EvenWhenItsCountIsPublished()
    {
        // Fifteen teachers, only two of them with scores: the count is published, the score means are not.
        var lines = Enumerable.Range(10, 15).Select(i => $"syn-900000{i},{Activity},2024-01-12,teacher,male,25-49,hybrid,true,{School},{(i < 12 ? "40" : "")},{(i < 12 ? "50" : "")}");
        var store = new ParticipationStore(Sample);
        var csv = "beneficiary,activity,date,role,sex,ageBand,mode,completed,school,preScore,postScore\n" + string.Join('\n', lines) + "\n";
        Assert.Equal(0, store.AppendCsv(new MemoryStream(Encoding.UTF8.GetBytes(csv))).Rejected);
        var session = new PublicationSession(PublicationPolicy.Default, store);
        session.Add([Dimension.Sex], Measure.UniqueBeneficiaries, rates: [Measure.CompletionRate, Measure.MeanGain]);
        var male = session.Publish()[0]["male"];
        Assert.Equal(15, male.Value);
        Assert.Equal(1m, male.RateOf(Measure.CompletionRate));
        Assert.Null(male.RateOf(Measure.MeanGain));
    }
}
