using NodaTime;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.Domain;

/// <summary>Constructors refuse impossible values and name the parameter, which the JSON reader turns into a path.</summary>
public class ConstructionTests
{
    private static readonly Id<Phase> Phase1 = new("ph-1");
    private static readonly DatePeriod Period = new(new LocalDate(2024, 1, 1), new LocalDate(2024, 12, 31));
    private static readonly DateInterval Interval = new(new LocalDate(2024, 1, 1), new LocalDate(2024, 12, 31));

    private static void ThrowsFor<TException>(string paramName, Func<object> construct)
        where TException : ArgumentException =>
        Assert.Equal(paramName, Assert.Throws<TException>(construct).ParamName);

    [Fact]
    public void Cohort_NegativeSize_Throws() =>
        ThrowsFor<ArgumentOutOfRangeException>("size", () => new Cohort(new("c"), Phase1, BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14, -1));

    [Fact]
    public void Cohort_ZeroSize_IsAllowed() =>
        Assert.Equal(0, new Cohort(new("c"), Phase1, BeneficiaryRole.Student, Sex.Female, AgeBand.Age10To14, 0).Size);

    [Fact]
    public void Cohort_UndefinedEnum_Throws() =>
        ThrowsFor<ArgumentOutOfRangeException>("sex", () => new Cohort(new("c"), Phase1, BeneficiaryRole.Student, (Sex)99, AgeBand.Age10To14, 1));

    [Fact]
    public void Attendance_NegativeCount_Throws() =>
        ThrowsFor<ArgumentOutOfRangeException>("count", () => new Attendance(new("c"), -1));

    [Fact]
    public void Activity_NegativeDuration_Throws() =>
        ThrowsFor<ArgumentOutOfRangeException>("durationMinutes", () => new Activity(new("a"), Phase1, ActivityKind.Workshop, DeliveryMode.Online, new(2024, 1, 1), durationMinutes: -5));

    [Fact]
    public void Activity_NullAttendanceItem_Throws() =>
        ThrowsFor<ArgumentException>("attendance", () => new Activity(new("a"), Phase1, ActivityKind.Workshop, DeliveryMode.Online, new(2024, 1, 1), attendance: [null!]));

    [Fact]
    public void Activity_AttendanceList_IsCopied()
    {
        var list = new List<Attendance> { new(new("c"), 1) };
        var activity = new Activity(new("a"), Phase1, ActivityKind.Workshop, DeliveryMode.Online, new(2024, 1, 1), attendance: list);
        list.Add(new(new("d"), 2));
        Assert.Single(activity.Attendance);
    }

    [Fact]
    public void ParticipationRecord_UndefinedEnum_Throws() =>
        ThrowsFor<ArgumentOutOfRangeException>("ageBand", () => new ParticipationRecord(new("b"), new("a"), new(2024, 1, 1), BeneficiaryRole.Student, Sex.Female, (AgeBand)42, DeliveryMode.Online, true));

    [Theory]
    [InlineData("")]
    [InlineData(" \t")]
    public void Names_Blank_Throw(string blank)
    {
        ThrowsFor<ArgumentException>("name", () => new Organisation(new("o"), blank, OrganisationKind.Ngo));
        ThrowsFor<ArgumentException>("name", () => new School(new("s"), blank, SchoolSector.Public, new(CountryCode.Pakistan, new("PK-PB"), "Lahore")));
        ThrowsFor<ArgumentException>("name", () => new Indicator(new("i"), blank, IndicatorUnit.Count, ResultLevel.Output, CountingBasis.UniquePeople, Accumulation.Cumulative));
        ThrowsFor<ArgumentException>("name", () => new Partnership(new("p"), blank, Period, ProgrammeStatus.Active, []));
        ThrowsFor<ArgumentException>("name", () => new Phase(Phase1, 1, blank, Period, ProgrammeStatus.Active));
        ThrowsFor<ArgumentException>("title", () => new Milestone(new("m"), blank, new(2024, 1, 1), MilestoneStatus.Planned));
        ThrowsFor<ArgumentException>("category", () => new DisaggregationCell(blank, 1));
        ThrowsFor<ArgumentException>("schemaVersion", () => new ProgrammeDataset(blank, [], []));
    }

    [Fact]
    public void Organisation_NullName_ThrowsArgumentNull() =>
        ThrowsFor<ArgumentNullException>("name", () => new Organisation(new("o"), null!, OrganisationKind.Ngo));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Phase_SequenceNotPositive_Throws(int sequence) =>
        ThrowsFor<ArgumentOutOfRangeException>(nameof(sequence), () => new Phase(Phase1, sequence, "P", Period, ProgrammeStatus.Active));

    [Fact]
    public void Indicator_MinimumAboveMaximum_Throws() =>
        ThrowsFor<ArgumentException>("maximum", () => new Indicator(new("i"), "I", IndicatorUnit.Score, ResultLevel.Outcome, CountingBasis.UniquePeople, Accumulation.LastValue, minimum: 10, maximum: 5));

    [Fact]
    public void Indicator_MinimumEqualsMaximum_IsAllowed() =>
        Assert.Equal(5, new Indicator(new("i"), "I", IndicatorUnit.Score, ResultLevel.Outcome, CountingBasis.UniquePeople, Accumulation.LastValue, minimum: 5, maximum: 5).Maximum);

    [Fact]
    public void Target_NegativeValue_Throws() =>
        ThrowsFor<ArgumentOutOfRangeException>("value", () => new Target(new("i"), Interval, -0.5m));

    [Fact]
    public void Target_NullPeriod_Throws() =>
        ThrowsFor<ArgumentNullException>("period", () => new Target(new("i"), null!, 1));

    [Fact]
    public void ReportedActual_NegativeValue_Throws() =>
        ThrowsFor<ArgumentOutOfRangeException>("value", () => new ReportedActual(new("i"), new("p"), Interval, -1));

    [Fact]
    public void DisaggregationCell_NegativeValue_Throws() =>
        ThrowsFor<ArgumentOutOfRangeException>("value", () => new DisaggregationCell("female", -1));

    [Fact]
    public void Disaggregation_NullCells_Throws() =>
        ThrowsFor<ArgumentNullException>("Cells", () => new Disaggregation(DisaggregationDimension.Sex, null!));

    [Fact]
    public void Partnership_NullMembers_Throws() =>
        ThrowsFor<ArgumentNullException>("members", () => new Partnership(new("p"), "P", Period, ProgrammeStatus.Active, null!));

    [Fact]
    public void Partnership_NullPeriod_Throws() =>
        ThrowsFor<ArgumentNullException>("period", () => new Partnership(new("p"), "P", null!, ProgrammeStatus.Active, []));

    [Fact]
    public void ProgrammeDataset_NullItem_Throws() =>
        ThrowsFor<ArgumentException>("organisations", () => new ProgrammeDataset(ProgrammeDataset.CurrentSchemaVersion, [null!], []));

    [Fact]
    public void ProgrammeDataset_OmittedLists_AreEmpty_AndEqualToEmptyLists()
    {
        var omitted = new ProgrammeDataset(ProgrammeDataset.CurrentSchemaVersion, [], []);
        var empty = new ProgrammeDataset(ProgrammeDataset.CurrentSchemaVersion, [], [], [], [], [], [], []);
        Assert.Empty(omitted.Cohorts);
        Assert.Equal(empty, omitted);
    }

    [Fact]
    public void Records_EqualByContent_IncludingLists()
    {
        Partnership Make() => new(new("p"), "P", Period, ProgrammeStatus.Active, [new(new("o"), PartnershipRole.Lead)], phases: [new Phase(Phase1, 1, "One", Period, ProgrammeStatus.Active, [new("s1")])]);
        Assert.Equal(Make(), Make());
        Assert.Equal(Make().GetHashCode(), Make().GetHashCode());
    }
}
