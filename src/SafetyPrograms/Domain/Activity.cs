using NodaTime;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>What kind of activity was held.</summary>
public enum ActivityKind
{
    /// <summary>A workshop, typically in a school.</summary>
    Workshop,
    /// <summary>A training session, such as a module of a hybrid course.</summary>
    TrainingSession,
    /// <summary>A digital awareness campaign.</summary>
    DigitalCampaign,
    /// <summary>A session with parents and the community.</summary>
    CommunitySession,
    /// <summary>A ceremony, such as a signing or closing ceremony.</summary>
    Ceremony,
    /// <summary>A release of educational content.</summary>
    ContentRelease,
    /// <summary>A consultation on policy or regulation.</summary>
    PolicyConsultation,
}

/// <summary>How an activity or a participation was delivered.</summary>
public enum DeliveryMode
{
    /// <summary>Face to face.</summary>
    InPerson,
    /// <summary>Online.</summary>
    Online,
    /// <summary>A mix of face-to-face and online.</summary>
    Hybrid,
}

/// <summary>How many people of one cohort attended an activity: the summary figure for partners who do not track individuals.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record Attendance
{
    /// <summary>Creates an attendance figure.</summary>
    /// <param name="cohort">The cohort.</param>
    /// <param name="count">How many of its members attended.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public Attendance(Id<Cohort> cohort, int count)
    {
        Cohort = cohort;
        Count = Preconditions.CheckNonNegative(count);
    }

    /// <summary>The cohort.</summary>
    public Id<Cohort> Cohort { get; }

    /// <summary>How many of its members attended; never negative.</summary>
    public int Count { get; }
}

/// <summary>An activity held for a phase: a workshop, training session, campaign, ceremony and so on.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record Activity
{
    /// <summary>Creates an activity.</summary>
    /// <param name="id">The identifier, unique within the dataset.</param>
    /// <param name="phase">The phase it belongs to.</param>
    /// <param name="kind">What kind of activity.</param>
    /// <param name="mode">How it was delivered.</param>
    /// <param name="date">The day it was held (the first day, for a campaign).</param>
    /// <param name="school">The school it was held at, or <c>null</c>.</param>
    /// <param name="facilitatedBy">The organisation that ran it.</param>
    /// <param name="durationMinutes">How long it lasted, in minutes.</param>
    /// <param name="title">A short title.</param>
    /// <param name="attendance">Summary attendance per cohort, for partners who do not track individuals.</param>
    /// <exception cref="ArgumentOutOfRangeException">An enum is undefined or <paramref name="durationMinutes"/> is negative.</exception>
    public Activity(
        Id<Activity> id,
        Id<Phase> phase,
        ActivityKind kind,
        DeliveryMode mode,
        LocalDate date,
        Id<School>? school = null,
        Id<Organisation>? facilitatedBy = null,
        int? durationMinutes = null,
        string? title = null,
        IReadOnlyList<Attendance>? attendance = null)
    {
        Id = id;
        Phase = phase;
        Kind = Preconditions.CheckDefined(kind);
        Mode = Preconditions.CheckDefined(mode);
        Date = date;
        School = school;
        FacilitatedBy = facilitatedBy;
        DurationMinutes = Preconditions.CheckNonNegative(durationMinutes);
        Title = title;
        Attendance = ValueList<Attendance>.From(attendance, nameof(attendance));
    }

    /// <summary>The identifier, unique within the dataset.</summary>
    public Id<Activity> Id { get; }

    /// <summary>The phase it belongs to.</summary>
    public Id<Phase> Phase { get; }

    /// <summary>What kind of activity.</summary>
    public ActivityKind Kind { get; }

    /// <summary>How it was delivered.</summary>
    public DeliveryMode Mode { get; }

    /// <summary>The day it was held.</summary>
    public LocalDate Date { get; }

    /// <summary>The school it was held at, or <c>null</c>.</summary>
    public Id<School>? School { get; }

    /// <summary>The organisation that ran it.</summary>
    public Id<Organisation>? FacilitatedBy { get; }

    /// <summary>How long it lasted, in minutes.</summary>
    public int? DurationMinutes { get; }

    /// <summary>A short title.</summary>
    public string? Title { get; }

    /// <summary>Summary attendance per cohort.</summary>
    public IReadOnlyList<Attendance> Attendance { get; }
}

/// <summary>
/// One pseudonymous beneficiary at one activity: the large, streamed data of a programme.
/// </summary>
/// <remarks>
/// A record says who took part only through <see cref="Beneficiary"/>, a pseudonymous key; there is no field for
/// a name, phone number or identity number, by design. Role, sex and age band are as recorded at the activity. The
/// person's attributes (an age in completed years at the date or a year of birth, and answers to the Washington Group
/// questions) may ride on any of the person's records; the store holds the answers once per beneficiary.
/// Equality is by value. Immutable and thread-safe.
/// </remarks>
public sealed record ParticipationRecord
{
    /// <summary>Creates a record.</summary>
    /// <param name="beneficiary">The pseudonymous beneficiary key.</param>
    /// <param name="activity">The activity attended.</param>
    /// <param name="date">The day of attendance.</param>
    /// <param name="role">The role in which the beneficiary took part.</param>
    /// <param name="sex">The beneficiary's sex as recorded.</param>
    /// <param name="ageBand">The beneficiary's age band.</param>
    /// <param name="mode">How the beneficiary took part.</param>
    /// <param name="completed">Whether the beneficiary completed the activity.</param>
    /// <param name="school">The school, or <c>null</c> when the activity is not at a school.</param>
    /// <param name="preScore">The assessment score before, where one was taken.</param>
    /// <param name="postScore">The assessment score after, where one was taken.</param>
    /// <param name="age">The age in completed years at <paramref name="date"/>, 0 to 120, where recorded.</param>
    /// <param name="yearOfBirth">The year of birth, where recorded: not after <paramref name="date"/>'s year, at most 120 years before it.</param>
    /// <param name="seeing">The answer for <see cref="FunctioningDomain.Seeing"/>, where asked.</param>
    /// <param name="hearing">The answer for <see cref="FunctioningDomain.Hearing"/>, where asked.</param>
    /// <param name="walking">The answer for <see cref="FunctioningDomain.Walking"/>, where asked.</param>
    /// <param name="cognition">The answer for <see cref="FunctioningDomain.Cognition"/>, where asked.</param>
    /// <param name="selfCare">The answer for <see cref="FunctioningDomain.SelfCare"/>, where asked.</param>
    /// <param name="communication">The answer for <see cref="FunctioningDomain.Communication"/>, where asked.</param>
    /// <param name="learning">The answer for <see cref="FunctioningDomain.Learning"/>, where asked.</param>
    /// <param name="remembering">The answer for <see cref="FunctioningDomain.Remembering"/>, where asked.</param>
    /// <param name="concentrating">The answer for <see cref="FunctioningDomain.Concentrating"/>, where asked.</param>
    /// <param name="acceptingChange">The answer for <see cref="FunctioningDomain.AcceptingChange"/>, where asked.</param>
    /// <param name="controllingBehaviour">The answer for <see cref="FunctioningDomain.ControllingBehaviour"/>, where asked.</param>
    /// <param name="makingFriends">The answer for <see cref="FunctioningDomain.MakingFriends"/>, where asked.</param>
    /// <param name="anxiety">The answer for <see cref="FunctioningDomain.Anxiety"/> (how often), where asked.</param>
    /// <param name="depression">The answer for <see cref="FunctioningDomain.Depression"/> (how often), where asked.</param>
    /// <exception cref="ArgumentOutOfRangeException">An enum is undefined, or the age or year of birth is out of range.</exception>
    /// <exception cref="ArgumentException">The age and the year of birth disagree about the age at <paramref name="date"/>.</exception>
    public ParticipationRecord(
        BeneficiaryKey beneficiary,
        Id<Activity> activity,
        LocalDate date,
        BeneficiaryRole role,
        Sex sex,
        AgeBand ageBand,
        DeliveryMode mode,
        bool completed,
        Id<School>? school = null,
        decimal? preScore = null,
        decimal? postScore = null,
        int? age = null,
        int? yearOfBirth = null,
        FunctioningAnswer? seeing = null,
        FunctioningAnswer? hearing = null,
        FunctioningAnswer? walking = null,
        FunctioningAnswer? cognition = null,
        FunctioningAnswer? selfCare = null,
        FunctioningAnswer? communication = null,
        FunctioningAnswer? learning = null,
        FunctioningAnswer? remembering = null,
        FunctioningAnswer? concentrating = null,
        FunctioningAnswer? acceptingChange = null,
        FunctioningAnswer? controllingBehaviour = null,
        FunctioningAnswer? makingFriends = null,
        FunctioningFrequency? anxiety = null,
        FunctioningFrequency? depression = null)
        : this(beneficiary, activity, date, role, sex, ageBand, mode, completed, school, preScore, postScore, age, yearOfBirth,
            FunctioningAnswers.None
                .With(FunctioningDomain.Seeing, seeing)
                .With(FunctioningDomain.Hearing, hearing)
                .With(FunctioningDomain.Walking, walking)
                .With(FunctioningDomain.Cognition, cognition)
                .With(FunctioningDomain.SelfCare, selfCare)
                .With(FunctioningDomain.Communication, communication)
                .With(FunctioningDomain.Learning, learning)
                .With(FunctioningDomain.Remembering, remembering)
                .With(FunctioningDomain.Concentrating, concentrating)
                .With(FunctioningDomain.AcceptingChange, acceptingChange)
                .With(FunctioningDomain.ControllingBehaviour, controllingBehaviour)
                .With(FunctioningDomain.MakingFriends, makingFriends)
                .With(FunctioningDomain.Anxiety, anxiety)
                .With(FunctioningDomain.Depression, depression))
    {
    }

    /// <summary>Creates a record with its answers already gathered (the readers').</summary>
    internal ParticipationRecord(
        BeneficiaryKey beneficiary, Id<Activity> activity, LocalDate date, BeneficiaryRole role, Sex sex, AgeBand ageBand,
        DeliveryMode mode, bool completed, Id<School>? school, decimal? preScore, decimal? postScore, int? age, int? yearOfBirth,
        FunctioningAnswers functioning)
    {
        Beneficiary = beneficiary;
        Activity = activity;
        Date = date;
        Role = Preconditions.CheckDefined(role);
        Sex = Preconditions.CheckDefined(sex);
        AgeBand = Preconditions.CheckDefined(ageBand);
        Mode = Preconditions.CheckDefined(mode);
        Completed = completed;
        School = school;
        PreScore = preScore;
        PostScore = postScore;
        Age = age is { } years ? Preconditions.CheckInRange(years, 0, AgeRange.MaxAge, nameof(age)) : null;
        YearOfBirth = yearOfBirth is { } born ? Preconditions.CheckInRange(born, date.Year - AgeRange.MaxAge, date.Year, nameof(yearOfBirth)) : null;
        Preconditions.CheckArgument(
            Age is not { } a || YearOfBirth is not { } y || a == date.Year - y || a == date.Year - y - 1,
            nameof(age), "The age and the year of birth disagree about the age at the date.");
        _functioning = functioning;
    }

    private readonly FunctioningAnswers _functioning;

    /// <summary>The pseudonymous beneficiary key.</summary>
    public BeneficiaryKey Beneficiary { get; }

    /// <summary>The activity attended.</summary>
    public Id<Activity> Activity { get; }

    /// <summary>The day of attendance.</summary>
    public LocalDate Date { get; }

    /// <summary>The role in which the beneficiary took part.</summary>
    public BeneficiaryRole Role { get; }

    /// <summary>The beneficiary's sex as recorded.</summary>
    public Sex Sex { get; }

    /// <summary>The beneficiary's age band.</summary>
    public AgeBand AgeBand { get; }

    /// <summary>How the beneficiary took part.</summary>
    public DeliveryMode Mode { get; }

    /// <summary>Whether the beneficiary completed the activity.</summary>
    public bool Completed { get; }

    /// <summary>The school, or <c>null</c>.</summary>
    public Id<School>? School { get; }

    /// <summary>The assessment score before, where one was taken; its range is the assessment indicator's.</summary>
    public decimal? PreScore { get; }

    /// <summary>The assessment score after, where one was taken.</summary>
    public decimal? PostScore { get; }

    /// <summary>The age in completed years at the date, where recorded.</summary>
    public int? Age { get; }

    /// <summary>The year of birth, where recorded.</summary>
    public int? YearOfBirth { get; }

    /// <summary>The answer for <see cref="FunctioningDomain.Seeing"/>, where asked.</summary>
    public FunctioningAnswer? Seeing => _functioning[FunctioningDomain.Seeing];

    /// <summary>The answer for <see cref="FunctioningDomain.Hearing"/>, where asked.</summary>
    public FunctioningAnswer? Hearing => _functioning[FunctioningDomain.Hearing];

    /// <summary>The answer for <see cref="FunctioningDomain.Walking"/>, where asked.</summary>
    public FunctioningAnswer? Walking => _functioning[FunctioningDomain.Walking];

    /// <summary>The answer for <see cref="FunctioningDomain.Cognition"/>, where asked.</summary>
    public FunctioningAnswer? Cognition => _functioning[FunctioningDomain.Cognition];

    /// <summary>The answer for <see cref="FunctioningDomain.SelfCare"/>, where asked.</summary>
    public FunctioningAnswer? SelfCare => _functioning[FunctioningDomain.SelfCare];

    /// <summary>The answer for <see cref="FunctioningDomain.Communication"/>, where asked.</summary>
    public FunctioningAnswer? Communication => _functioning[FunctioningDomain.Communication];

    /// <summary>The answer for <see cref="FunctioningDomain.Learning"/>, where asked.</summary>
    public FunctioningAnswer? Learning => _functioning[FunctioningDomain.Learning];

    /// <summary>The answer for <see cref="FunctioningDomain.Remembering"/>, where asked.</summary>
    public FunctioningAnswer? Remembering => _functioning[FunctioningDomain.Remembering];

    /// <summary>The answer for <see cref="FunctioningDomain.Concentrating"/>, where asked.</summary>
    public FunctioningAnswer? Concentrating => _functioning[FunctioningDomain.Concentrating];

    /// <summary>The answer for <see cref="FunctioningDomain.AcceptingChange"/>, where asked.</summary>
    public FunctioningAnswer? AcceptingChange => _functioning[FunctioningDomain.AcceptingChange];

    /// <summary>The answer for <see cref="FunctioningDomain.ControllingBehaviour"/>, where asked.</summary>
    public FunctioningAnswer? ControllingBehaviour => _functioning[FunctioningDomain.ControllingBehaviour];

    /// <summary>The answer for <see cref="FunctioningDomain.MakingFriends"/>, where asked.</summary>
    public FunctioningAnswer? MakingFriends => _functioning[FunctioningDomain.MakingFriends];

    /// <summary>The answer for <see cref="FunctioningDomain.Anxiety"/> (how often), where asked.</summary>
    public FunctioningFrequency? Anxiety => _functioning.Frequency(FunctioningDomain.Anxiety);

    /// <summary>The answer for <see cref="FunctioningDomain.Depression"/> (how often), where asked.</summary>
    public FunctioningFrequency? Depression => _functioning.Frequency(FunctioningDomain.Depression);

    /// <summary>The age in completed years at the date: <see cref="Age"/>, else the date's year less <see cref="YearOfBirth"/> (the age reached that year).</summary>
    /// <returns>The age, or <c>null</c> when neither is recorded.</returns>
    public int? AgeAtDate() => Age ?? (Date.Year - YearOfBirth);

    /// <summary>The person's answers to the Washington Group questions on this record.</summary>
    /// <returns>The answers, empty when none were recorded.</returns>
    public FunctioningAnswers Functioning() => _functioning;
}
