using NodaTime;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Generators;

/// <summary>
/// Seeded random domain objects for property-style tests: the same seed gives the same objects. Datasets are
/// referentially consistent (members, phases, schools, cohorts and activities point at things that exist), every
/// optional member is sometimes present and sometimes absent, and strings include unicode, quotes, commas and
/// line breaks. Reuse it: <c>new DomainGenerator(seed).Dataset()</c>.
/// </summary>
public sealed class DomainGenerator(int seed)
{
    private static readonly string[] Words =
    [
        "Safer", "Internet", "Month", "Child", "Online", "Protection", "Workshop", "School", "Digital", "Trust",
        "Lahore", "Karachi", "Quetta", "Peshawar", "Gilgit", "Muzaffarabad",
        "محفوظ", "انٹرنیٹ", "بچوں", "Ñandú", "Zürich", "naïve", "Łódź", "日本語", "emoji 🎒", "tab\there",
        "quote \"inside\"", "comma, inside", "line\nbreak", "crlf\r\nbreak", "back\\slash", "</script>", "\u2028sep",
    ];

    private static readonly char[] IdChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:/".ToCharArray();

    private static readonly LocalDate[] EdgeDates =
    [
        new(2024, 2, 29), new(2000, 2, 29), new(1, 1, 1), new(9999, 12, 31), new(2025, 12, 3), new(2023, 12, 31),
    ];

    private readonly Random _random = new(seed);
    private int _serial;

    public Random Random => _random;

    public bool Chance(double probability = 0.5) => _random.NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public T? Maybe<T>(Func<T> make)
        where T : class => Chance() ? make() : null;

    public T? MaybeValue<T>(Func<T> make)
        where T : struct => Chance() ? make() : null;

    public TEnum Enum<TEnum>()
        where TEnum : struct, Enum => Pick(System.Enum.GetValues<TEnum>());

    public string Text(int maxWords = 4)
    {
        var count = _random.Next(1, maxWords + 1);
        var words = new string[count];
        for (var i = 0; i < count; i++)
        {
            words[i] = Pick(Words);
        }
        return string.Join(' ', words);
    }

    /// <summary>A unique, valid identifier (occasionally the longest allowed).</summary>
    public Id<T> Id<T>(string prefix)
        where T : class => new(Identifier(prefix));

    public BeneficiaryKey Beneficiary() => new(Identifier("b"));

    public string Identifier(string prefix)
    {
        var serial = $"{prefix}{++_serial}";
        if (Chance(0.05))
        {
            return serial + new string(IdChars[_random.Next(IdChars.Length)], Identifiers.MaxLength - serial.Length);
        }
        var suffix = new char[_random.Next(0, 6)];
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = IdChars[_random.Next(IdChars.Length)];
        }
        return serial + new string(suffix);
    }

    public LocalDate Date() => Chance(0.1) ? Pick(EdgeDates) : new LocalDate(2020, 1, 1).PlusDays(_random.Next(0, 3000));

    public LocalDate DateIn(DatePeriod period)
    {
        var span = period.End is { } end ? Period.DaysBetween(period.Start, end) : 400;
        return period.Start.PlusDays(_random.Next(0, span + 1));
    }

    public DatePeriod DatePeriod()
    {
        var start = new LocalDate(2020, 1, 1).PlusDays(_random.Next(0, 2000));
        return Chance(0.2) ? new(start) : new(start, Chance(0.1) ? start : start.PlusDays(_random.Next(0, 1500)));
    }

    public DateInterval DateInterval()
    {
        var start = Date() is var d && d.Year < 9995 ? d : new LocalDate(2024, 2, 29);
        return new(start, start.PlusDays(_random.Next(0, 800)));
    }

    /// <summary>A non-negative decimal with 0 to 3 decimal places, so scale survives the round trip too.</summary>
    public decimal Amount(int max = 1_000_000) => new(_random.Next(0, max), 0, 0, false, (byte)_random.Next(0, 4));

    public CountryCode Country() => Chance(0.7) ? CountryCode.Pakistan : new(new string([(char)('A' + _random.Next(26)), (char)('A' + _random.Next(26))]));

    public AdministrativeLocation Location()
    {
        if (Chance(0.8))
        {
            return new(CountryCode.Pakistan, Pick(Subdivisions.Pakistan).Code, Text(2));
        }
        var country = Country();
        return new(country, new SubdivisionCode($"{country}-{_random.Next(1, 999)}"), Text(2));
    }

    public Organisation Organisation() =>
        new(Id<Organisation>("org-"), Text(), Enum<OrganisationKind>(), MaybeValue(Country), Maybe(() => Text(1)));

    public School School() =>
        new(Id<School>("sch-"), Text(), Enum<SchoolSector>(), Location(), Maybe(() => _random.Next(10000, 99999).ToString(System.Globalization.CultureInfo.InvariantCulture)), Maybe(() => "illustrative"));

    public Indicator Indicator()
    {
        decimal? minimum = Chance() ? Amount(100) : null;
        decimal? maximum = Chance() ? (minimum ?? 0) + Amount(1000) : null;
        return new(
            Id<Indicator>("ind-"), Text(), Enum<IndicatorUnit>(), Enum<ResultLevel>(), Enum<CountingBasis>(), Enum<Accumulation>(),
            Enum<Direction>(), Maybe(() => new Baseline(Date(), Amount())), minimum, maximum, Maybe(() => Text(8)));
    }

    public Target Target(IReadOnlyList<Indicator> indicators) =>
        new(indicators.Count > 0 ? Pick(indicators).Id : Id<Indicator>("ind-"), DateInterval(), Amount(), MaybeValue(Enum<BeneficiaryRole>), Maybe(() => Text(3)));

    public Milestone Milestone() =>
        new(Id<Milestone>("ms-"), Text(), Date(), Enum<MilestoneStatus>(), MaybeValue(Date), Maybe(() => Text(6)), Maybe(() => Text(2)));

    public ParticipationRecord ParticipationRecord(Id<Activity>? activity = null, Id<School>? school = null) =>
        new(Beneficiary(), activity ?? Id<Activity>("act-"), Date(), Enum<BeneficiaryRole>(), Enum<Sex>(), Enum<AgeBand>(),
            Enum<DeliveryMode>(), Chance(), school ?? MaybeValue(() => Id<School>("sch-")),
            MaybeValue(() => Amount(100)), MaybeValue(() => Amount(100)));

    /// <summary>A dataset of a few of everything; <paramref name="size"/> scales the list lengths.</summary>
    public ProgrammeDataset Dataset(int size = 3)
    {
        List<T> Many<T>(Func<T> make, int min = 0) => [.. Enumerable.Range(0, _random.Next(min, size + 1)).Select(_ => make())];

        var organisations = Many(Organisation, 1);
        var indicators = Many(Indicator);
        var schools = Many(School);
        var partnerships = Many(() => Partnership(organisations, indicators, schools));
        var phases = partnerships.SelectMany(p => p.Phases).ToList();
        var cohorts = phases.Count == 0 ? [] : Many(() => new Cohort(
            Id<Cohort>("coh-"), Pick(phases).Id, Enum<BeneficiaryRole>(), Enum<Sex>(), Enum<AgeBand>(), _random.Next(0, 5000),
            schools.Count > 0 && Chance() ? Pick(schools).Id : null));
        var activities = phases.Count == 0 ? [] : Many(() =>
        {
            var phase = Pick(phases);
            return new Activity(
                Id<Activity>("act-"), phase.Id, Enum<ActivityKind>(), Enum<DeliveryMode>(), DateIn(phase.Period),
                schools.Count > 0 && Chance() ? Pick(schools).Id : null,
                Chance() ? Pick(organisations).Id : null,
                MaybeValue(() => _random.Next(0, 600)), Maybe(() => Text()),
                cohorts.Count > 0 && Chance() ? [.. Enumerable.Range(0, _random.Next(1, 3)).Select(_ => new Attendance(Pick(cohorts).Id, _random.Next(0, 200)))] : null);
        });
        var actuals = partnerships.Count == 0 || indicators.Count == 0 ? [] : Many(() =>
        {
            var partnership = Pick(partnerships);
            return new ReportedActual(
                Pick(indicators).Id, partnership.Id, DateInterval(), Amount(),
                partnership.Phases.Count > 0 && Chance() ? Pick(partnership.Phases).Id : null,
                Enum<FigureDerivation>(),
                Chance() ? Many(() => new Disaggregation(Enum<DisaggregationDimension>(), Many(() => new DisaggregationCell(Text(1), Amount()), 1)), 1) : null,
                Chance() ? Pick(organisations).Id : null,
                Maybe(() => Text(3)));
        });
        return new ProgrammeDataset(
            ProgrammeDataset.CurrentSchemaVersion, organisations, partnerships,
            Chance(0.9) ? indicators : null, Chance(0.9) ? schools : null, Chance(0.9) ? cohorts : null,
            Chance(0.9) ? activities : null, Chance(0.9) ? actuals : null, Maybe(() => Text(10)));
    }

    private Partnership Partnership(List<Organisation> organisations, List<Indicator> indicators, List<School> schools)
    {
        var period = DatePeriod();
        var phaseCount = _random.Next(0, 4);
        var phases = new List<Phase>();
        for (var i = 1; i <= phaseCount; i++)
        {
            var start = DateIn(period);
            var phasePeriod = period.End is { } end ? new DatePeriod(start, Chance(0.2) ? null : end) : new DatePeriod(start, Chance() ? null : start.PlusDays(_random.Next(0, 365)));
            phases.Add(new Phase(
                Id<Phase>("ph-"), i, Text(3), phasePeriod, Enum<ProgrammeStatus>(),
                schools.Count > 0 && Chance() ? [.. schools.Take(_random.Next(1, schools.Count + 1)).Select(s => s.Id)] : null,
                Chance() ? [Target(indicators)] : null));
        }
        return new Partnership(
            Id<Partnership>("p-"), Text(), period, Enum<ProgrammeStatus>(),
            [.. organisations.Take(_random.Next(1, organisations.Count + 1)).Select(o => new PartnershipMember(o.Id, Enum<PartnershipRole>()))],
            Chance(0.8) ? phases : null,
            Chance() ? [.. Enumerable.Range(0, _random.Next(1, 3)).Select(_ => Target(indicators))] : null,
            Chance() ? [Milestone(), Milestone()] : null,
            MaybeValue(Country), Maybe(() => Text(6)), Maybe(() => Text(2)));
    }
}
