using System.Globalization;
using System.Text;
using NodaTime;
using SafetyPrograms.Aggregation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Aggregation;

/// <summary>
/// Small seeded programmes built to catch aggregation bugs: beneficiaries attend several schools, districts repeat
/// names across provinces, some activities have no school or organisation and their records name the school they were
/// at. Every record is valid (the row rules accept it): dated inside its activity's phase, at the activity's school.
/// </summary>
internal sealed class TestProgramme
{
    private TestProgramme(ProgrammeDataset dataset, List<ParticipationRecord> records)
    {
        Dataset = dataset;
        Records = records;
        Activities = dataset.Activities.ToDictionary(a => a.Id);
        Schools = dataset.Schools.ToDictionary(s => s.Id);
        PartnershipOfPhase = dataset.Partnerships.SelectMany(x => x.Phases.Select(ph => (ph.Id, x))).ToDictionary(x => x.Id, x => x.x);
    }

    internal ProgrammeDataset Dataset { get; }

    internal List<ParticipationRecord> Records { get; }

    /// <summary>The dataset's activities by identifier, so that the reference resolves a record in constant time.</summary>
    internal Dictionary<Id<Activity>, Activity> Activities { get; }

    internal Dictionary<Id<School>, School> Schools { get; }

    internal Dictionary<Id<Phase>, Partnership> PartnershipOfPhase { get; }

    /// <summary>A seeded programme: 2 partnerships, 3 phases, 120 activities over 2023-01-01 plus 900 days, and skewed records.</summary>
    /// <param name="seed">The random seed.</param>
    /// <param name="records">How many participation records.</param>
    /// <param name="beneficiaries">How many distinct beneficiaries at most (drawn with a skew towards low numbers).</param>
    /// <param name="schools">How many schools in the dataset.</param>
    /// <param name="schoolOverrideTenths">In how many tenths of the records the record names its own school.</param>
    /// <param name="twoCountries">Whether a quarter of the schools are in a second country (Bangladesh).</param>
    /// <param name="everyStorableDay">Whether partnership p2's open phase starts on 2000-01-01, so that its records may be dated on any day the store holds.</param>
    /// <param name="people">Whether records carry their beneficiary's age, year of birth and functioning answers (<see cref="WithPerson"/>).</param>
    internal static TestProgramme Build(
        int seed, int records = 3000, int beneficiaries = 400, int schools = 30, int schoolOverrideTenths = 1, bool twoCountries = false,
        bool everyStorableDay = false, bool people = true)
    {
        var rng = new Random(seed);
        var p2Start = everyStorableDay ? new LocalDate(2000, 1, 1) : new LocalDate(2023, 1, 1);
        var orgs = new[]
        {
            new Organisation(new Id<Organisation>("org-ngo"), "An NGO", OrganisationKind.Ngo),
            new Organisation(new Id<Organisation>("org-telco"), "A telecom", OrganisationKind.TelecomOperator),
        };
        var phases = new[]
        {
            new Phase(new Id<Phase>("p1-ph1"), 1, "Phase 1", new DatePeriod(new LocalDate(2023, 1, 1), new LocalDate(2023, 12, 31)), ProgrammeStatus.Completed),
            new Phase(new Id<Phase>("p1-ph2"), 2, "Phase 2", new DatePeriod(new LocalDate(2024, 1, 1)), ProgrammeStatus.Active),
        };
        var phases2 = new[]
        {
            new Phase(new Id<Phase>("p2-ph1"), 1, "Only phase", new DatePeriod(p2Start), ProgrammeStatus.Active),
        };
        var members = new[] { new PartnershipMember(orgs[0].Id, PartnershipRole.Implementing) };
        var partnerships = new[]
        {
            new Partnership(new Id<Partnership>("p1"), "Safer schools", new DatePeriod(new LocalDate(2023, 1, 1)), ProgrammeStatus.Active, members, phases),
            new Partnership(new Id<Partnership>("p2"), "Online safety", new DatePeriod(p2Start), ProgrammeStatus.Active, members, phases2),
        };
        var provinces = twoCountries ? new[] { "PK-PB", "PK-SD", "BD-C", "PK-KP" } : ["PK-PB", "PK-SD", "PK-KP"];
        var schoolList = new List<School>();
        for (var s = 0; s < schools; s++)
        {
            var province = provinces[s % provinces.Length];
            // District names repeat across provinces on purpose.
            var district = "District-" + (s / provinces.Length % 4).ToString(CultureInfo.InvariantCulture);
            schoolList.Add(new School(
                new Id<School>($"sch-{s}"), $"School {s}", SchoolSector.Public,
                new AdministrativeLocation(new SubdivisionCode(province).Country, new SubdivisionCode(province), district)));
        }
        var allPhases = phases.Concat(phases2).ToArray();
        var activities = new List<Activity>();
        for (var a = 0; a < 120; a++)
        {
            // Inside the phase, with room for the records dated up to two days after the activity.
            var days = rng.Next(0, 900);
            var phase = allPhases[a % allPhases.Length];
            var start = LocalDate.Max(phase.Period.Start, new LocalDate(2023, 1, 1));
            var date = start.PlusDays(phase.Period.End is { } end ? days % Period.DaysBetween(start, end.PlusDays(-2)) : days);
            Id<School>? school = a % 10 == 9 ? null : schoolList[rng.Next(schools)].Id;
            Id<Organisation>? org = a % 7 == 6 ? null : orgs[a % 2].Id;
            activities.Add(new Activity(
                new Id<Activity>($"act-{a}"), phase.Id, (ActivityKind)(a % 4), (DeliveryMode)(a % 3), date, school, org));
        }
        var dataset = new ProgrammeDataset(ProgrammeDataset.CurrentSchemaVersion, orgs, partnerships, schools: schoolList, activities: activities);
        var list = new List<ParticipationRecord>(records);
        for (var i = 0; i < records; i++)
        {
            // Skewed: low-numbered beneficiaries attend far more often.
            var b = (int)(beneficiaries * Math.Pow(rng.NextDouble(), 2));
            var activity = activities[rng.Next(activities.Count)];
            // A record names the school it was at: any school for an activity held at none, else the activity's own.
            Id<School>? school = rng.Next(10) < schoolOverrideTenths ? activity.School ?? schoolList[rng.Next(schools)].Id : null;
            decimal? pre = rng.Next(3) == 0 ? null : rng.Next(0, 41) / 4m;
            decimal? post = rng.Next(3) == 0 ? null : rng.Next(0, 41) / 4m;
            var record = new ParticipationRecord(
                new BeneficiaryKey($"ben-{b}"), activity.Id, activity.Date.PlusDays(rng.Next(0, 3)), (BeneficiaryRole)(b % 5), (Sex)(b % 4),
                (AgeBand)(b % 7), (DeliveryMode)rng.Next(3), rng.Next(4) != 0, school, pre, post);
            list.Add(people ? WithPerson(record, b, i) : record);
        }
        return new TestProgramme(dataset, list);
    }

    /// <summary>
    /// The record with its beneficiary's attributes, drawn from the beneficiary's number alone (not from the records'
    /// random stream, so the records are as they were): a quarter known only by a band (0-4 and 18+ among them, which
    /// straddle or nest in other schemes' bands), a quarter by age, a quarter by year of birth, the rest as before; and
    /// Washington Group answers (Short Set, or the child module's domains for some), the same on every row that has them,
    /// on two rows in three, so that the store must hold them once per beneficiary.
    /// </summary>
    private static ParticipationRecord WithPerson(ParticipationRecord r, int b, int row)
    {
        var person = new Random(b);
        var band = (b / 7 % 4) == 0 ? (AgeBand)(b % 9) : r.AgeBand;
        int? age = (b / 7 % 4) == 1 ? person.Next(0, 121) : null;
        int? born = (b / 7 % 4) == 2 ? 2022 - person.Next(0, 100) : null;
        var answers = FunctioningAnswers.None;
        var child = b % 11 == 0;
        if (b % 6 != 0)
        {
            foreach (var domain in Enum.GetValues<FunctioningDomain>())
            {
                var childOnly = domain >= FunctioningDomain.Learning;
                // Mostly "no difficulty" (or rarely anxious), sometimes worse, refused, "don't know" or unanswered.
                var draw = person.Next(20);
                if (FunctioningAnswers.IsAskedAsFrequency(domain))
                {
                    answers = !child ? answers : answers.With(domain, draw switch
                    {
                        < 12 => FunctioningFrequency.AFewTimesAYear,
                        12 => FunctioningFrequency.Never,
                        13 => FunctioningFrequency.Monthly,
                        14 => FunctioningFrequency.Weekly,
                        15 or 16 => FunctioningFrequency.Daily,
                        17 => FunctioningFrequency.Refused,
                        18 => (FunctioningFrequency?)FunctioningFrequency.DontKnow,
                        _ => null,
                    });
                    continue;
                }
                FunctioningAnswer? answer = draw switch
                {
                    < 13 => FunctioningAnswer.NoDifficulty,
                    < 15 => FunctioningAnswer.SomeDifficulty,
                    15 => FunctioningAnswer.ALotOfDifficulty,
                    16 => FunctioningAnswer.CannotDoAtAll,
                    17 => FunctioningAnswer.Refused,
                    18 => FunctioningAnswer.DontKnow,
                    _ => null,
                };
                if (childOnly == child || domain is not (FunctioningDomain.Cognition or >= FunctioningDomain.Learning))
                {
                    answers = answers.With(domain, answer);
                }
            }
        }
        if ((row + b) % 3 == 0)
        {
            answers = FunctioningAnswers.None;
        }
        return new ParticipationRecord(
            r.Beneficiary, r.Activity, r.Date, r.Role, r.Sex, band, r.Mode, r.Completed, r.School, r.PreScore, r.PostScore, age, born,
            answers[FunctioningDomain.Seeing], answers[FunctioningDomain.Hearing], answers[FunctioningDomain.Walking],
            answers[FunctioningDomain.Cognition], answers[FunctioningDomain.SelfCare], answers[FunctioningDomain.Communication],
            answers[FunctioningDomain.Learning], answers[FunctioningDomain.Remembering], answers[FunctioningDomain.Concentrating],
            answers[FunctioningDomain.AcceptingChange], answers[FunctioningDomain.ControllingBehaviour], answers[FunctioningDomain.MakingFriends],
            answers.Frequency(FunctioningDomain.Anxiety), answers.Frequency(FunctioningDomain.Depression));
    }

    /// <summary>Each beneficiary's answers as the store keeps them: the first set recorded among <paramref name="records"/>.</summary>
    internal static Dictionary<BeneficiaryKey, FunctioningAnswers> FirstAnswers(IEnumerable<ParticipationRecord> records)
    {
        var first = new Dictionary<BeneficiaryKey, FunctioningAnswers>();
        foreach (var r in records)
        {
            if (!r.Functioning().IsEmpty)
            {
                first.TryAdd(r.Beneficiary, r.Functioning());
            }
        }
        return first;
    }

    /// <summary>Every beneficiary's answers over all the records.</summary>
    internal Dictionary<BeneficiaryKey, FunctioningAnswers> People => field ??= FirstAnswers(Records);

    internal ParticipationStore Store(IEnumerable<ParticipationRecord>? records = null)
    {
        var store = new ParticipationStore(Dataset);
        var report = store.Append(records ?? Records);
        Assert.Equal(0, report.Rejected);
        return store;
    }

    /// <summary>The records as CSV, with the person's columns unless <paramref name="people"/> is false (files written before them).</summary>
    internal string ToCsv(IEnumerable<ParticipationRecord>? records = null, bool shuffleColumns = false, bool people = true)
    {
        var sb = new StringBuilder();
        var personColumns = people ? PersonColumns : [];
        sb.Append(shuffleColumns
            ? string.Join(',', ["postScore", "school", "completed", "mode", "ageBand", "sex", "role", "date", "activity", "beneficiary", "preScore", .. personColumns.Reverse()]) + "\n"
            : string.Join(',', ["beneficiary", "activity", "date", "role", "sex", "ageBand", "mode", "completed", "school", "preScore", "postScore", .. personColumns]) + "\n");
        foreach (var r in records ?? Records)
        {
            var v = Values(r)[..(11 + personColumns.Length)];
            var ordered = shuffleColumns ? new[] { v[10], v[8], v[7], v[6], v[5], v[4], v[3], v[2], v[1], v[0], v[9] }.Concat(v[11..].Reverse()).ToArray() : v;
            sb.Append(string.Join(',', ordered)).Append('\n');
        }
        return sb.ToString();
    }

    internal string ToJsonLines(IEnumerable<ParticipationRecord>? records = null)
    {
        var sb = new StringBuilder();
        foreach (var r in records ?? Records)
        {
            var v = Values(r);
            sb.Append(CultureInfo.InvariantCulture,
                $"{{\"beneficiary\":\"{v[0]}\",\"activity\":\"{v[1]}\",\"date\":\"{v[2]}\",\"role\":\"{v[3]}\",\"sex\":\"{v[4]}\",\"ageBand\":\"{v[5]}\",\"mode\":\"{v[6]}\",\"completed\":{v[7]}");
            if (r.School is { } s)
            {
                sb.Append(CultureInfo.InvariantCulture, $",\"school\":\"{s}\"");
            }
            if (r.PreScore is { } pre)
            {
                sb.Append(CultureInfo.InvariantCulture, $",\"preScore\":{pre}");
            }
            if (r.PostScore is { } post)
            {
                sb.Append(CultureInfo.InvariantCulture, $",\"postScore\":{post}");
            }
            for (var c = 0; c < PersonColumns.Length; c++)
            {
                var value = v[11 + c];
                if (value.Length > 0)
                {
                    sb.Append(c < 2 ? $",\"{PersonColumns[c]}\":{value}" : $",\"{PersonColumns[c]}\":\"{value}\"");
                }
            }
            sb.Append("}\n");
        }
        return sb.ToString();
    }

    private static string[] Values(ParticipationRecord r) =>
    [
        r.Beneficiary.Value, r.Activity.Value, r.Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture),
        Reference.EnumLabel(r.Role), Reference.EnumLabel(r.Sex), AgeLabel(r.AgeBand), Reference.EnumLabel(r.Mode), r.Completed ? "true" : "false",
        r.School?.Value ?? string.Empty, r.PreScore?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        r.PostScore?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        r.Age?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, r.YearOfBirth?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        .. Enum.GetValues<FunctioningDomain>().Select(d => Reference.AnswerLabel(r.Functioning(), d) ?? string.Empty),
    ];

    /// <summary>The person's columns, spelled out here on purpose: the files' names, checked against the library's.</summary>
    internal static readonly string[] PersonColumns =
    [
        "age", "yearOfBirth", "seeing", "hearing", "walking", "cognition", "selfCare", "communication", "learning", "remembering",
        "concentrating", "acceptingChange", "controllingBehaviour", "makingFriends", "anxiety", "depression",
    ];

    /// <summary>The age band as the files write it, spelled out here on purpose: tests check the library's names against it.</summary>
    internal static string AgeLabel(AgeBand a) => a switch
    {
        AgeBand.Age5To9 => "5-9",
        AgeBand.Age10To14 => "10-14",
        AgeBand.Age15To17 => "15-17",
        AgeBand.Age18To24 => "18-24",
        AgeBand.Age25To49 => "25-49",
        AgeBand.Age50Plus => "50+",
        AgeBand.Age0To4 => "0-4",
        AgeBand.Age18Plus => "18+",
        _ => "notRecorded",
    };

    internal static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));
}
