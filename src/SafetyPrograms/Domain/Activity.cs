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
/// a name, phone number or identity number, by design. Role, sex and age band are as recorded at the activity.
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
    /// <exception cref="ArgumentOutOfRangeException">An enum is undefined.</exception>
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
        decimal? postScore = null)
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
    }

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
}
