using System.Globalization;
using System.Text;
using NodaTime;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Benchmarks.Aggregation;

/// <summary>
/// A seeded generator of a realistic national programme: 20,000 schools of skewed size in about 150 districts and
/// 7 provinces, activities over 36 months in 3 phases, about 10% as many beneficiaries as records with skewed
/// participation, 4 roles, 3 sexes, 6 age bands, 3 modes, and pre/post scores on 40% of records.
/// The same seed always gives the same dataset and records.
/// </summary>
internal sealed class ProgrammeGenerator
{
    private static readonly (string Code, double Weight)[] Provinces =
        [("PK-PB", 0.40), ("PK-SD", 0.22), ("PK-KP", 0.17), ("PK-BA", 0.08), ("PK-IS", 0.03), ("PK-GB", 0.04), ("PK-JK", 0.06)];

    internal static readonly LocalDate Start = new(2022, 7, 1);
    internal const int Days = 1096; // 36 months

    private readonly int _seed;
    private readonly double[] _schoolCumulative;
    private readonly int[][] _activitiesBySchool;
    private readonly string[] _schoolIds;

    internal ProgrammeGenerator(int seed, long records, int schools = 20_000, int districts = 150)
    {
        _seed = seed;
        Records = records;
        Beneficiaries = (int)Math.Max(10, records / 10);
        var rng = new Random(seed);

        var orgs = new[]
        {
            new Organisation(new Id<Organisation>("org-telco"), "Telecom operator", OrganisationKind.TelecomOperator),
            new Organisation(new Id<Organisation>("org-unicef"), "UN agency", OrganisationKind.UnAgency),
            new Organisation(new Id<Organisation>("org-ngo"), "Education NGO", OrganisationKind.Ngo),
        };
        var phases = new[]
        {
            new Phase(new Id<Phase>("cop-1"), 1, "Phase 1", new DatePeriod(Start, new LocalDate(2023, 6, 30)), ProgrammeStatus.Completed),
            new Phase(new Id<Phase>("cop-2"), 2, "Phase 2", new DatePeriod(new LocalDate(2023, 7, 1), new LocalDate(2024, 6, 30)), ProgrammeStatus.Completed),
            new Phase(new Id<Phase>("cop-3"), 3, "Extension", new DatePeriod(new LocalDate(2024, 7, 1), new LocalDate(2025, 6, 30)), ProgrammeStatus.Active),
        };
        var partnership = new Partnership(
            new Id<Partnership>("cop"), "Child online protection", new DatePeriod(Start, new LocalDate(2025, 6, 30)), ProgrammeStatus.Active,
            orgs.Select(o => new PartnershipMember(o.Id, PartnershipRole.Implementing)).ToArray(), phases, country: CountryCode.Pakistan,
            source: "illustrative");

        // Districts per province by weight; schools per district skewed (a few big urban districts).
        var districtProvince = new string[districts];
        var d = 0;
        for (var p = 0; p < Provinces.Length; p++)
        {
            var n = p == Provinces.Length - 1 ? districts - d : Math.Max(1, (int)Math.Round(districts * Provinces[p].Weight));
            for (var i = 0; i < n && d < districts; i++)
            {
                districtProvince[d++] = Provinces[p].Code;
            }
        }
        var districtWeights = Enumerable.Range(0, districts).Select(i => 1.0 / Math.Pow(i + 3, 0.7)).ToArray();
        var districtCumulative = Cumulative(districtWeights);
        var schoolList = new School[schools];
        _schoolIds = new string[schools];
        for (var s = 0; s < schools; s++)
        {
            var district = Pick(districtCumulative, rng.NextDouble());
            _schoolIds[s] = "sch-" + s.ToString(CultureInfo.InvariantCulture);
            schoolList[s] = new School(
                new Id<School>(_schoolIds[s]), "School " + s.ToString(CultureInfo.InvariantCulture), s % 5 == 0 ? SchoolSector.Private : SchoolSector.Public,
                new AdministrativeLocation(CountryCode.Pakistan, new SubdivisionCode(districtProvince[district]), "District-" + district.ToString("D3", CultureInfo.InvariantCulture)),
                source: "illustrative");
        }
        // School size is Zipf-like: a few schools hold many pupils.
        _schoolCumulative = Cumulative(Enumerable.Range(0, schools).Select(i => 1.0 / Math.Pow(i + 20, 0.8)).ToArray());

        // About 25 participations per activity.
        var activityCount = (int)Math.Max(100, records / 25);
        var activities = new Activity[activityCount];
        var bySchool = new List<int>[schools];
        for (var a = 0; a < activityCount; a++)
        {
            var school = Pick(_schoolCumulative, rng.NextDouble());
            var date = Start.PlusDays(rng.Next(Days));
            var phase = phases.First(ph => ph.Period.Contains(date));
            var mode = rng.NextDouble() switch { < 0.6 => DeliveryMode.InPerson, < 0.75 => DeliveryMode.Online, _ => DeliveryMode.Hybrid };
            var kind = rng.NextDouble() < 0.7 ? ActivityKind.Workshop : ActivityKind.TrainingSession;
            activities[a] = new Activity(
                new Id<Activity>("act-" + a.ToString(CultureInfo.InvariantCulture)), phase.Id, kind, mode, date, schoolList[school].Id, orgs[rng.Next(orgs.Length)].Id);
            (bySchool[school] ??= []).Add(a);
        }
        _activitiesBySchool = bySchool.Select(l => l?.ToArray() ?? []).ToArray();
        Dataset = new ProgrammeDataset(
            ProgrammeDataset.CurrentSchemaVersion, orgs, [partnership], schools: schoolList, activities: activities,
            description: "Generated benchmark programme (illustrative).");
    }

    internal ProgrammeDataset Dataset { get; }

    internal long Records { get; }

    internal int Beneficiaries { get; }

    /// <summary>The records as CSV lines (no header), in generation order, without building record objects.</summary>
    internal IEnumerable<string> CsvLines()
    {
        var sb = new StringBuilder(128);
        foreach (var r in Raw())
        {
            sb.Clear();
            sb.Append('b').Append(r.Beneficiary).Append(',').Append(r.Activity.Id.Value).Append(',')
                .Append(r.Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)).Append(',').Append(RoleName(r.Role)).Append(',')
                .Append(SexName(r.Sex)).Append(',').Append(AgeName(r.Age)).Append(',').Append(ModeName(r.Mode)).Append(',')
                .Append(r.Completed ? "true" : "false").Append(',').Append(r.School).Append(',');
            if (r.Pre >= 0)
            {
                sb.Append(r.Pre.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Post.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(',');
            }
            yield return sb.ToString();
        }
    }

    /// <summary>The records as JSON Lines, in generation order.</summary>
    internal IEnumerable<string> JsonLines()
    {
        var sb = new StringBuilder(256);
        foreach (var r in Raw())
        {
            sb.Clear();
            sb.Append("{\"beneficiary\":\"b").Append(r.Beneficiary).Append("\",\"activity\":\"").Append(r.Activity.Id.Value)
                .Append("\",\"date\":\"").Append(r.Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture))
                .Append("\",\"role\":\"").Append(RoleName(r.Role)).Append("\",\"sex\":\"").Append(SexName(r.Sex))
                .Append("\",\"ageBand\":\"").Append(AgeName(r.Age)).Append("\",\"mode\":\"").Append(ModeName(r.Mode))
                .Append("\",\"completed\":").Append(r.Completed ? "true" : "false");
            if (r.School.Length > 0)
            {
                sb.Append(",\"school\":\"").Append(r.School).Append('"');
            }
            if (r.Pre >= 0)
            {
                sb.Append(",\"preScore\":").Append(r.Pre.ToString(CultureInfo.InvariantCulture))
                    .Append(",\"postScore\":").Append(r.Post.ToString(CultureInfo.InvariantCulture));
            }
            sb.Append('}');
            yield return sb.ToString();
        }
    }

    /// <summary>The records as objects, for the LINQ baseline and in-memory ingest.</summary>
    internal IEnumerable<ParticipationRecord> ParticipationRecords()
    {
        var keys = new BeneficiaryKey?[Beneficiaries];
        var schools = new Dictionary<string, Id<School>>(StringComparer.Ordinal);
        foreach (var r in Raw())
        {
            var key = keys[r.Beneficiary] ??= new BeneficiaryKey("b" + r.Beneficiary.ToString(CultureInfo.InvariantCulture));
            Id<School>? school = r.School.Length == 0 ? null : schools.TryGetValue(r.School, out var id) ? id : schools[r.School] = new Id<School>(r.School);
            yield return new ParticipationRecord(
                key, r.Activity.Id, r.Date, r.Role, r.Sex, r.Age, r.Mode, r.Completed, school,
                r.Pre >= 0 ? r.Pre : null, r.Pre >= 0 ? r.Post : null);
        }
    }

    private readonly record struct RawRecord(
        int Beneficiary, Activity Activity, LocalDate Date, BeneficiaryRole Role, Sex Sex, AgeBand Age, DeliveryMode Mode, bool Completed,
        string School, decimal Pre, decimal Post);

    private IEnumerable<RawRecord> Raw()
    {
        var rng = new Random(_seed + 1);
        var profile = new Random(_seed + 2);
        var b = Beneficiaries;
        // Each beneficiary has a home school, role, sex and age band.
        var home = new int[b];
        var role = new BeneficiaryRole[b];
        var sex = new Sex[b];
        var age = new AgeBand[b];
        for (var i = 0; i < b; i++)
        {
            home[i] = Pick(_schoolCumulative, profile.NextDouble());
            role[i] = profile.NextDouble() switch
            {
                < 0.70 => BeneficiaryRole.Student,
                < 0.80 => BeneficiaryRole.Teacher,
                < 0.95 => BeneficiaryRole.Parent,
                _ => BeneficiaryRole.Youth,
            };
            sex[i] = profile.NextDouble() switch { < 0.49 => Sex.Female, < 0.97 => Sex.Male, _ => Sex.NotRecorded };
            age[i] = role[i] switch
            {
                BeneficiaryRole.Student => (AgeBand)profile.Next(0, 3),
                BeneficiaryRole.Youth => AgeBand.Age18To24,
                _ => (AgeBand)profile.Next(3, 6),
            };
        }
        var activities = Dataset.Activities;
        for (long n = 0; n < Records; n++)
        {
            // Skewed participation: the square of a uniform favours low-numbered beneficiaries (the most active ~ 20x the median).
            var ben = (int)(b * Math.Pow(rng.NextDouble(), 1.6));
            var at = _activitiesBySchool[home[ben]];
            var activity = at.Length > 0 && rng.NextDouble() < 0.9 ? activities[at[rng.Next(at.Length)]] : activities[rng.Next(activities.Count)];
            var mode = rng.NextDouble() < 0.9 ? activity.Mode : (DeliveryMode)rng.Next(3);
            // A few records name their school: the activity's own, so that every row is valid (SP8005 refuses any other).
            var school = rng.NextDouble() < 0.02 ? activity.School!.Value.Value : string.Empty;
            decimal pre = -1, post = -1;
            if (rng.NextDouble() < 0.4)
            {
                pre = rng.Next(0, 21) / 2m;
                post = Math.Min(10, pre + (rng.Next(-4, 13) / 2m));
                post = Math.Max(0, post);
            }
            yield return new RawRecord(ben, activity, activity.Date, role[ben], sex[ben], age[ben], mode, rng.NextDouble() < 0.8, school, pre, post);
        }
    }

    /// <summary>schools.csv and activities.csv, so that peers (DuckDB) can resolve the same dimensions.</summary>
    internal void WriteDimensions(string directory)
    {
        using (var w = new StreamWriter(Path.Combine(directory, "schools.csv")))
        {
            w.Write("school,country,province,district\n");
            foreach (var s in Dataset.Schools)
            {
                w.Write($"{s.Id},{s.Location.Country},{s.Location.Province},{s.Location.Province}/{s.Location.District}\n");
            }
        }
        using (var w = new StreamWriter(Path.Combine(directory, "activities.csv")))
        {
            w.Write("activity,phase,school\n");
            foreach (var a in Dataset.Activities)
            {
                w.Write($"{a.Id},{a.Phase},{a.School}\n");
            }
        }
    }

    internal static string RoleName(BeneficiaryRole r) => r switch
    {
        BeneficiaryRole.Student => "student",
        BeneficiaryRole.Teacher => "teacher",
        BeneficiaryRole.Parent => "parent",
        BeneficiaryRole.Youth => "youth",
        _ => "community",
    };

    private static string SexName(Sex s) => s switch { Sex.Female => "female", Sex.Male => "male", Sex.Other => "other", _ => "notRecorded" };

    private static string AgeName(AgeBand a) => SafetyPrograms.Serialization.EnumNames<AgeBand>.TryGetName(a, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(a));

    internal static string ModeName(DeliveryMode m) => m switch { DeliveryMode.InPerson => "inPerson", DeliveryMode.Online => "online", _ => "hybrid" };

    private static double[] Cumulative(double[] weights)
    {
        var c = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            c[i] = sum;
        }
        for (var i = 0; i < c.Length; i++)
        {
            c[i] /= sum;
        }
        return c;
    }

    private static int Pick(double[] cumulative, double u)
    {
        var i = Array.BinarySearch(cumulative, u);
        return Math.Min(cumulative.Length - 1, i < 0 ? ~i : i);
    }
}
