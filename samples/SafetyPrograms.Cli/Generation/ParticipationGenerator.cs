using NodaTime;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Cli.Generation;

/// <summary>
/// Makes a realistic, seeded participation log for a dataset's activities. Where the dataset states an activity's
/// attendance by cohort (phase 1 of the digital-safety programme: 22 workshops, cohorts of about 1,800 students,
/// teachers and parents), the log holds those attendances, drawn from the cohorts' people, so that a recount of unique
/// beneficiaries agrees with the reported reach. Elsewhere beneficiaries belong to a school (or the community) and attend
/// one or more of its activities (skewed: most attend once, a few many times), in roles, sexes and age bands in plausible
/// proportions. Completion and scores vary with the province, the school, the delivery mode and the role, as real data
/// does. The same dataset, record count and seed always give the same log.
/// </summary>
/// <remarks>
/// Beneficiary keys come from <paramref name="keyFor"/> (the tool passes plain synthetic keys); nothing resembling a
/// real identifier is ever produced.
/// </remarks>
internal sealed class ParticipationGenerator(ProgrammeDataset dataset, Func<long, BeneficiaryKey> keyFor)
{
    // Expected seats per activity, by kind: a hybrid training session in this programme reaches far more people than a
    // classroom workshop. These set each venue's share of the records.
    private static int Seats(Activity activity) => activity.Kind switch
    {
        ActivityKind.TrainingSession => activity.Mode == DeliveryMode.Hybrid ? 1000 : 300,
        ActivityKind.Workshop => 120,
        ActivityKind.CommunitySession => 150,
        _ => 0,
    };

    /// <summary>Whether the dataset has an activity that people attend, so that records can be generated for it.</summary>
    public static bool CanGenerate(ProgrammeDataset dataset) => dataset.Activities.Any(a => Seats(a) > 0);

    /// <summary>
    /// Generates exactly <paramref name="records"/> records: first the attendances the dataset states by cohort (at most
    /// half the records, scaled down when the log is smaller than that), then the other activities venue by venue. Each
    /// beneficiary's visits are in date order.
    /// </summary>
    public IEnumerable<ParticipationRecord> Generate(long records, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        if (records == 0 || !CanGenerate(dataset))
        {
            yield break;
        }
        var random = new Random(seed);
        var effects = new Effects(dataset);
        var stated = StatedAttendance();
        var statedTotal = stated.Sum(c => c.Slots.Sum(s => (long)s.Count));
        var statedActivities = stated.SelectMany(c => c.Slots.Select(s => s.Activity.Id)).ToHashSet();
        var venues = dataset.Activities
            .Where(a => Seats(a) > 0 && !statedActivities.Contains(a.Id))
            .GroupBy(a => (a.Phase, a.School))
            .Select(g => new Venue(g.Key.School, [.. g.OrderBy(a => a.Date).ThenBy(a => a.Id)]))
            .OrderBy(v => v.Activities[0].Phase.Value, StringComparer.Ordinal)
            .ThenBy(v => v.School?.Value ?? "", StringComparer.Ordinal)
            .ToList();
        // The stated attendances come first, but never crowd out the rest of a small log; with nothing else to attend
        // they make the whole log.
        var statedBudget = venues.Count == 0 ? records : Math.Min(statedTotal, records / 2);
        long produced = 0;
        long nextBeneficiary = 0;
        long statedSoFar = 0;
        foreach (var cohort in stated)
        {
            // Scaled by running totals, so the rounded counts add up to the budget exactly.
            var slots = cohort.Slots.Select(s =>
            {
                var before = statedBudget * statedSoFar / statedTotal;
                statedSoFar += s.Count;
                return s with { Count = (int)((statedBudget * statedSoFar / statedTotal) - before) };
            }).ToList();
            foreach (var record in CohortRecords(cohort.Cohort, slots, random, effects, () => nextBeneficiary++))
            {
                produced++;
                yield return record;
            }
        }
        if (venues.Count == 0)
        {
            yield break;
        }

        var totalSeats = venues.Sum(v => v.Activities.Sum(Seats));
        var remaining = records - produced;
        long venueProduced = 0;
        for (var v = 0; v < venues.Count; v++)
        {
            var venue = venues[v];
            var seats = venue.Activities.Sum(Seats);
            // The last venue takes the remainder so the total is exact.
            var budget = v == venues.Count - 1
                ? remaining - venueProduced
                : (long)Math.Round((double)remaining * seats / totalSeats);
            budget = Math.Min(budget, remaining - venueProduced);
            while (budget > 0)
            {
                var visits = (int)Math.Min(Math.Min(budget, venue.Activities.Length), 1 + Geometric(random, 0.55));
                var first = random.Next(venue.Activities.Length - visits + 1);
                var person = Person.Draw(random, venue.School, venue.Activities[first].Date, effects);
                var key = keyFor(nextBeneficiary++);
                for (var i = 0; i < visits; i++)
                {
                    // The partner asks the Washington Group questions once, when it registers the person.
                    yield return person.Attend(key, venue.Activities[first + i], random, effects, asked: i == 0);
                }
                budget -= visits;
                venueProduced += visits;
            }
        }
    }

    /// <summary>The attendances the dataset states, cohort by cohort, each cohort's activities in date order.</summary>
    private List<StatedCohort> StatedAttendance()
    {
        var cohorts = dataset.Cohorts.ToDictionary(c => c.Id);
        return dataset.Activities
            .Where(a => Seats(a) > 0)
            .OrderBy(a => a.Date).ThenBy(a => a.Id.Value, StringComparer.Ordinal)
            .SelectMany(a => a.Attendance.Where(x => x.Count > 0 && cohorts.ContainsKey(x.Cohort)).Select(x => (Activity: a, x.Cohort, x.Count)))
            .GroupBy(x => x.Cohort)
            .OrderBy(g => g.Key.Value, StringComparer.Ordinal)
            .Select(g => new StatedCohort(cohorts[g.Key], [.. g.Select(x => new Slot(x.Activity, x.Count))]))
            .ToList();
    }

    /// <summary>
    /// A cohort's stated attendances, drawn from its people: nearly all of the cohort is reached (a few percent never come),
    /// each person reached at least once, and the repeat visits spread over those already reached, never twice at one activity.
    /// </summary>
    private IEnumerable<ParticipationRecord> CohortRecords(
        Cohort cohort, List<Slot> slots, Random random, Effects effects, Func<long> nextKey)
    {
        var attendances = slots.Sum(s => (long)s.Count);
        var largest = slots.Count == 0 ? 0 : slots.Max(s => s.Count);
        var reach = (int)Math.Min(attendances, Math.Max(largest, Math.Round(cohort.Size * (0.96 + (random.NextDouble() * 0.03)))));
        if (reach == 0)
        {
            yield break;
        }
        var people = new (BeneficiaryKey Key, Person Person)[reach];
        var asked = new bool[reach];
        for (var i = 0; i < reach; i++)
        {
            people[i] = (keyFor(nextKey()), Person.Of(cohort, random, slots[0].Activity.Date, effects));
        }
        var unreached = Enumerable.Range(0, reach).ToList();
        Shuffle(unreached, random);
        var reached = new List<int>(reach);
        var left = attendances;
        foreach (var slot in slots)
        {
            // New people in proportion to what is left, so that everyone is reached by the cohort's last activity.
            var fresh = (int)Math.Min(unreached.Count, Math.Ceiling((double)unreached.Count * slot.Count / left));
            var again = Math.Min(slot.Count - fresh, reached.Count);
            fresh = slot.Count - again;
            // A partial shuffle picks the returning people without repeats; they go first so the list stays whole.
            for (var i = 0; i < again; i++)
            {
                var j = i + random.Next(reached.Count - i);
                (reached[i], reached[j]) = (reached[j], reached[i]);
                yield return Visit(reached[i]);
            }
            for (var i = 0; i < fresh; i++)
            {
                var person = unreached[^1];
                unreached.RemoveAt(unreached.Count - 1);
                reached.Add(person);
                yield return Visit(person);
            }
            left -= slot.Count;

            ParticipationRecord Visit(int person)
            {
                var first = !asked[person];
                asked[person] = true;
                return people[person].Person.Attend(people[person].Key, slot.Activity, random, effects, first);
            }
        }
    }

    private static void Shuffle(List<int> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private static int Geometric(Random random, double stop)
    {
        var n = 0;
        while (random.NextDouble() > stop && n < 40)
        {
            n++;
        }
        return n;
    }

    private sealed record Venue(Id<School>? School, Activity[] Activities);

    private sealed record StatedCohort(Cohort Cohort, List<Slot> Slots);

    private readonly record struct Slot(Activity Activity, int Count);

    /// <summary>
    /// How completion, learning, the way ages are recorded and disability differ between provinces, schools, delivery
    /// modes and roles. Each province and school has a fixed effect derived from its code, so the same dataset always
    /// shows the same differences.
    /// </summary>
    private sealed class Effects(ProgrammeDataset dataset)
    {
        private static readonly SchoolEffect Community = Of("", "");

        private readonly Dictionary<Id<School>, SchoolEffect> _schools = dataset.Schools.ToDictionary(
            s => s.Id, s => Of(s.Location.Province.Value, s.Id.Value));

        private static SchoolEffect Of(string province, string school) => new(
            Completion: ((Spread(province, 1) - 0.5) * 0.16) + ((Spread(school, 2) - 0.5) * 0.10),
            Gain: 0.75 + (Spread(province, 3) * 0.3) + (Spread(school, 4) * 0.3),
            Start: ((Spread(province, 5) - 0.5) * 14) + ((Spread(school, 6) - 0.5) * 8),
            // Some schools keep registers with years of birth, some only bands; a few leave age out.
            YearOfBirthShare: 0.04 + (Spread(school, 7) * 0.22),
            BandShare: 0.02 + (Spread(province, 8) * 0.08),
            // Washington Group prevalence differs by province (survey practice and services), and some provinces'
            // partners skip the questions more often: those people are "not recorded", never "no disability".
            Disability: 0.55 + (Spread(province, 9) * 1.1),
            // How often children are reported very anxious or very sad every day differs by province too.
            Distress: 0.5 + (Spread(province, 12) * 1.2),
            Unasked: 0.04 + (Spread(province, 10) * 0.18) + (Spread(school, 11) * 0.06));

        public double Completion(Activity activity, BeneficiaryRole role) => Math.Clamp(
            0.84
            + School(activity.School).Completion
            + activity.Mode switch { DeliveryMode.InPerson => 0.04, DeliveryMode.Online => -0.14, _ => -0.02 }
            + role switch { BeneficiaryRole.Teacher => 0.05, BeneficiaryRole.Parent => -0.06, BeneficiaryRole.Community => -0.09, _ => 0 },
            0.3,
            0.99);

        public double Gain(Activity activity) =>
            School(activity.School).Gain * activity.Mode switch { DeliveryMode.InPerson => 1.1, DeliveryMode.Online => 0.7, _ => 1.0 };

        public double Start(Activity activity) => School(activity.School).Start;

        public SchoolEffect School(Id<School>? school) =>
            school is { } id && _schools.TryGetValue(id, out var effect) ? effect : Community;

        /// <summary>A number in [0, 1) fixed by <paramref name="text"/> and <paramref name="salt"/> (FNV-1a; stable across runs, unlike string hash codes).</summary>
        private static double Spread(string text, int salt)
        {
            var hash = 2166136261u ^ (uint)salt;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619u;
            }
            hash ^= hash >> 15;
            hash *= 2246822519u;
            hash ^= hash >> 13;
            return hash / 4294967296.0;
        }
    }

    private readonly record struct SchoolEffect(
        double Completion, double Gain, double Start, double YearOfBirthShare, double BandShare, double Disability, double Distress,
        double Unasked);

    /// <summary>How a partner recorded a person's age: in completed years on every line, a year of birth, a band only, or not at all.</summary>
    private enum AgeRecord : byte
    {
        Years,
        YearOfBirth,
        Band,
        None,
    }

    /// <summary>
    /// A beneficiary: role, sex, birthday (ages are realistic for the role: students 8 to 17, adults for teachers and
    /// parents), how the partner records the age, and the Washington Group answers, asked once: the Child Functioning
    /// Module for children 5 to 17, the Short Set for adults. The same person always carries the same attributes.
    /// </summary>
    private readonly record struct Person(
        BeneficiaryRole Role, Sex Sex, AgeBand StatedBand, LocalDate Born, AgeRecord Recorded, FunctioningAnswers Answers, double Skill)
    {
        public static Person Draw(Random random, Id<School>? school, LocalDate first, Effects effects)
        {
            var roll = random.NextDouble();
            var role = school is null
                ? (roll < 0.8 ? BeneficiaryRole.Parent : BeneficiaryRole.Community)
                : roll switch { < 0.82 => BeneficiaryRole.Student, < 0.87 => BeneficiaryRole.Teacher, _ => BeneficiaryRole.Parent };
            return Make(random, role, DrawSex(random), AgeBand.NotRecorded, first, effects.School(school));
        }

        /// <summary>A person of a cohort: its role, and its sex, age band and disability status where it states them.</summary>
        public static Person Of(Cohort cohort, Random random, LocalDate first, Effects effects) => Make(
            random, cohort.Role, cohort.Sex == Sex.NotRecorded ? DrawSex(random) : cohort.Sex, cohort.AgeBand, first,
            effects.School(cohort.School), cohort.Disability);

        /// <summary>
        /// A person attending from <paramref name="first"/>: one birthday, so the age on each record is the age at its
        /// date and grows as the programme goes on (a child may pass a band edge between two sessions; the report
        /// counts each person once, at the age of their first participation).
        /// </summary>
        private static Person Make(
            Random random, BeneficiaryRole role, Sex sex, AgeBand band, LocalDate first, SchoolEffect effect,
            DisabilityStatus stated = DisabilityStatus.NotRecorded)
        {
            var (youngest, oldest) = Ages(role);
            if (band.Range() is { } range)
            {
                (youngest, oldest) = (Math.Max(youngest, range.From), Math.Min(oldest, range.To ?? oldest));
                (youngest, oldest) = youngest <= oldest ? (youngest, oldest) : (range.From, range.To ?? range.From + 30);
            }
            var roll = random.NextDouble();
            var recorded = roll < effect.YearOfBirthShare ? AgeRecord.YearOfBirth
                : roll < effect.YearOfBirthShare + effect.BandShare ? AgeRecord.Band
                : roll < effect.YearOfBirthShare + effect.BandShare + 0.015 ? AgeRecord.None
                : AgeRecord.Years;
            var age = youngest + random.Next(oldest - youngest + 1);
            var born = first.PlusDays(-(int)((age + random.NextDouble()) * 365.2425));
            var answers = stated switch
            {
                // A cohort's stated status holds for each of its people: one domain at the cut-off, or every domain answered below it.
                DisabilityStatus.Disability => Functioning(random, age is >= 5 and <= 17, severe: 1, refusals: 0, daily: 0),
                DisabilityStatus.NoDisability => Functioning(random, age is >= 5 and <= 17, severe: 0, refusals: 0, daily: 0),
                _ => random.NextDouble() < effect.Unasked ? FunctioningAnswers.None
                    : Functioning(random, age is >= 5 and <= 17, severe: (age is >= 5 and <= 17 ? 0.07 : 0.05) * effect.Disability, refusals: 0.03,
                        daily: 0.025 * effect.Distress),
            };
            return new Person(role, sex, band, born, recorded, answers, random.NextDouble());
        }

        /// <summary>The ages at which people take part in a role.</summary>
        private static (int Youngest, int Oldest) Ages(BeneficiaryRole role) => role switch
        {
            BeneficiaryRole.Student => (8, 17),
            BeneficiaryRole.Youth => (15, 24),
            BeneficiaryRole.Teacher => (22, 60),
            BeneficiaryRole.Parent => (26, 58),
            _ => (18, 70),
        };

        /// <summary>
        /// Answers to the module for a child, or to the Short Set for an adult: most people have no difficulty; some have
        /// some difficulty in one domain; a few (<paramref name="severe"/>, as often as the province's prevalence says) a
        /// lot of difficulty or cannot do one at all; now and then (<paramref name="refusals"/>) a domain is refused or "don't know".
        /// A child's anxiety and depression are a frequency: mostly a few times a year or never, some weekly or monthly, and
        /// daily as often as <paramref name="daily"/> says (the module's cut-off counts daily).
        /// </summary>
        private static FunctioningAnswers Functioning(Random random, bool child, double severe, double refusals, double daily)
        {
            var domains = child ? FunctioningAnswers.ChildFunctioning : FunctioningAnswers.ShortSet;
            var answers = FunctioningAnswers.None;
            foreach (var domain in domains)
            {
                answers = FunctioningAnswers.IsAskedAsFrequency(domain)
                    ? answers.With(domain, Feeling(random, daily))
                    : answers.With(domain, FunctioningAnswer.NoDifficulty);
            }
            var roll = random.NextDouble();
            if (roll < severe + (severe >= 1 ? 0 : 0.16))
            {
                var domain = domains[random.Next(domains.Count)];
                var some = roll >= severe;
                answers = FunctioningAnswers.IsAskedAsFrequency(domain)
                    ? answers.With(domain, some ? FunctioningFrequency.Weekly : FunctioningFrequency.Daily)
                    : answers.With(domain, some ? FunctioningAnswer.SomeDifficulty
                        : roll < severe * 0.25 ? FunctioningAnswer.CannotDoAtAll : FunctioningAnswer.ALotOfDifficulty);
            }
            if (random.NextDouble() < refusals)
            {
                var domain = domains[random.Next(domains.Count)];
                var refused = random.NextDouble() < 0.5;
                answers = FunctioningAnswers.IsAskedAsFrequency(domain)
                    ? answers.With(domain, refused ? FunctioningFrequency.Refused : FunctioningFrequency.DontKnow)
                    : answers.With(domain, refused ? FunctioningAnswer.Refused : FunctioningAnswer.DontKnow);
            }
            return answers;
        }

        /// <summary>How often a child seems very anxious (or very sad): daily with probability <paramref name="daily"/>, else mostly rarely.</summary>
        private static FunctioningFrequency Feeling(Random random, double daily) => random.NextDouble() switch
        {
            var r when r < daily => FunctioningFrequency.Daily,
            < 0.12 => FunctioningFrequency.Weekly,
            < 0.27 => FunctioningFrequency.Monthly,
            < 0.62 => FunctioningFrequency.AFewTimesAYear,
            _ => FunctioningFrequency.Never,
        };

        private static Sex DrawSex(Random random) =>
            random.NextDouble() switch { < 0.49 => Sex.Female, < 0.97 => Sex.Male, < 0.975 => Sex.Other, _ => Sex.NotRecorded };

        /// <summary>Completed years at a date.</summary>
        private static int CompletedYears(LocalDate born, LocalDate date) =>
            date.Year - born.Year - ((date.Month * 32) + date.Day < (born.Month * 32) + born.Day ? 1 : 0);

        /// <summary>A visit: the age as the partner records it, and the answers on the line where they were asked.</summary>
        public ParticipationRecord Attend(BeneficiaryKey key, Activity activity, Random random, Effects effects, bool asked)
        {
            var completed = random.NextDouble() < effects.Completion(activity, Role);
            decimal? pre = null, post = null;
            // Assessments are part of the hybrid training module only.
            if (activity.Kind == ActivityKind.TrainingSession)
            {
                var before = Math.Clamp(35 + effects.Start(activity) + (Skill * 30) + (random.NextDouble() * 10), 0, 100);
                var gain = completed ? ((random.NextDouble() * 30) - 5) * effects.Gain(activity) : (random.NextDouble() * 10) - 5;
                pre = decimal.Round((decimal)before, 1);
                post = decimal.Round((decimal)Math.Clamp(before + gain, 0, 100), 1);
            }
            var age = Math.Max(0, CompletedYears(Born, activity.Date));
            var band = Recorded switch
            {
                AgeRecord.Years => AgeBands.Of(age),
                AgeRecord.Band => StatedBand == AgeBand.NotRecorded ? AgeBands.Of(age) : StatedBand,
                _ => AgeBand.NotRecorded,
            };
            var a = asked ? Answers : FunctioningAnswers.None;
            return new ParticipationRecord(
                key, activity.Id, activity.Date, Role, Sex, band, activity.Mode, completed, activity.School, pre, post,
                age: Recorded == AgeRecord.Years ? age : null,
                yearOfBirth: Recorded == AgeRecord.YearOfBirth ? Born.Year : null,
                seeing: a[FunctioningDomain.Seeing], hearing: a[FunctioningDomain.Hearing], walking: a[FunctioningDomain.Walking],
                cognition: a[FunctioningDomain.Cognition], selfCare: a[FunctioningDomain.SelfCare],
                communication: a[FunctioningDomain.Communication], learning: a[FunctioningDomain.Learning],
                remembering: a[FunctioningDomain.Remembering], concentrating: a[FunctioningDomain.Concentrating],
                acceptingChange: a[FunctioningDomain.AcceptingChange], controllingBehaviour: a[FunctioningDomain.ControllingBehaviour],
                makingFriends: a[FunctioningDomain.MakingFriends], anxiety: a.Frequency(FunctioningDomain.Anxiety),
                depression: a.Frequency(FunctioningDomain.Depression));
        }
    }
}
