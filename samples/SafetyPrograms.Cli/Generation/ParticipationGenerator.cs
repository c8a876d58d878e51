using SafetyPrograms.Domain;

namespace SafetyPrograms.Cli.Generation;

/// <summary>
/// Makes a realistic, seeded participation log for a dataset's activities: beneficiaries belong to a school (or the
/// community), attend one or more of its activities (skewed: most attend once, a few many times), in roles, sexes and
/// age bands in plausible proportions. The same dataset, record count and seed always give the same log.
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

    /// <summary>Generates exactly <paramref name="records"/> records, venue by venue; each beneficiary's visits are in date order.</summary>
    public IEnumerable<ParticipationRecord> Generate(long records, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        var venues = dataset.Activities
            .Where(a => Seats(a) > 0)
            .GroupBy(a => (a.Phase, a.School))
            .Select(g => new Venue(g.Key.School, [.. g.OrderBy(a => a.Date).ThenBy(a => a.Id)]))
            .OrderBy(v => v.Activities[0].Phase.Value, StringComparer.Ordinal)
            .ThenBy(v => v.School?.Value ?? "", StringComparer.Ordinal)
            .ToList();
        if (records == 0 || venues.Count == 0)
        {
            yield break;
        }

        var totalSeats = venues.Sum(v => v.Activities.Sum(Seats));
        var random = new Random(seed);
        long produced = 0;
        long nextBeneficiary = 0;
        for (var v = 0; v < venues.Count; v++)
        {
            var venue = venues[v];
            var seats = venue.Activities.Sum(Seats);
            // The last venue takes the remainder so the total is exact.
            var budget = v == venues.Count - 1
                ? records - produced
                : (long)Math.Round((double)records * seats / totalSeats);
            budget = Math.Min(budget, records - produced);
            while (budget > 0)
            {
                var person = Person.Draw(random, venue.School is null);
                var key = keyFor(nextBeneficiary++);
                var visits = (int)Math.Min(Math.Min(budget, venue.Activities.Length), 1 + Geometric(random, 0.55));
                var first = random.Next(venue.Activities.Length - visits + 1);
                for (var i = 0; i < visits; i++)
                {
                    var activity = venue.Activities[first + i];
                    yield return person.Attend(key, activity, random);
                }
                budget -= visits;
                produced += visits;
            }
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

    private readonly record struct Person(BeneficiaryRole Role, Sex Sex, AgeBand AgeBand, double Skill)
    {
        public static Person Draw(Random random, bool community)
        {
            var roll = random.NextDouble();
            var role = community
                ? (roll < 0.8 ? BeneficiaryRole.Parent : BeneficiaryRole.Community)
                : roll switch { < 0.82 => BeneficiaryRole.Student, < 0.87 => BeneficiaryRole.Teacher, _ => BeneficiaryRole.Parent };
            var sexRoll = random.NextDouble();
            var sex = sexRoll switch { < 0.49 => Sex.Female, < 0.97 => Sex.Male, < 0.975 => Sex.Other, _ => Sex.NotRecorded };
            var ageBand = role switch
            {
                BeneficiaryRole.Student => random.NextDouble() switch
                {
                    < 0.15 => AgeBand.Age5To9, < 0.70 => AgeBand.Age10To14, < 0.97 => AgeBand.Age15To17, _ => AgeBand.NotRecorded,
                },
                BeneficiaryRole.Youth => AgeBand.Age18To24,
                _ => random.NextDouble() switch { < 0.7 => AgeBand.Age25To49, < 0.95 => AgeBand.Age50Plus, _ => AgeBand.NotRecorded },
            };
            return new Person(role, sex, ageBand, random.NextDouble());
        }

        public ParticipationRecord Attend(BeneficiaryKey key, Activity activity, Random random)
        {
            var completed = random.NextDouble() < 0.86;
            decimal? pre = null, post = null;
            // Assessments are part of the hybrid training module only.
            if (activity.Kind == ActivityKind.TrainingSession)
            {
                var before = Math.Clamp(35 + (Skill * 30) + (random.NextDouble() * 10), 0, 100);
                var gain = completed ? (random.NextDouble() * 30) - 5 : (random.NextDouble() * 10) - 5;
                pre = decimal.Round((decimal)before, 1);
                post = decimal.Round((decimal)Math.Clamp(before + gain, 0, 100), 1);
            }
            return new ParticipationRecord(
                key, activity.Id, activity.Date, Role, Sex, AgeBand, activity.Mode, completed, activity.School, pre, post);
        }
    }
}
