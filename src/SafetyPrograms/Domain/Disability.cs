using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>An answer to a Washington Group functioning question: four levels of difficulty, refused or don't know.</summary>
public enum FunctioningAnswer
{
    /// <summary>No difficulty.</summary>
    NoDifficulty,
    /// <summary>Some difficulty.</summary>
    SomeDifficulty,
    /// <summary>A lot of difficulty.</summary>
    ALotOfDifficulty,
    /// <summary>Cannot do at all.</summary>
    CannotDoAtAll,
    /// <summary>The person declined to answer: it tells nothing about functioning.</summary>
    Refused,
    /// <summary>The person did not know: it tells nothing about functioning.</summary>
    DontKnow,
}

/// <summary>
/// How often a child seems very anxious, nervous or worried, or very sad or depressed: the answer scale of the Child
/// Functioning Module's <see cref="FunctioningDomain.Anxiety"/> and <see cref="FunctioningDomain.Depression"/> questions,
/// refused or don't know.
/// </summary>
public enum FunctioningFrequency
{
    /// <summary>Daily: the module's published cut-off counts it as functional difficulty.</summary>
    Daily,
    /// <summary>Weekly.</summary>
    Weekly,
    /// <summary>Monthly.</summary>
    Monthly,
    /// <summary>A few times a year.</summary>
    AFewTimesAYear,
    /// <summary>Never.</summary>
    Never,
    /// <summary>The respondent declined to answer: it tells nothing about functioning.</summary>
    Refused,
    /// <summary>The respondent did not know: it tells nothing about functioning.</summary>
    DontKnow,
}

/// <summary>
/// A functioning domain asked about: the six of the Washington Group Short Set (<see cref="Seeing"/> to
/// <see cref="Communication"/>) and, for children 5 to 17, the domains the UNICEF/Washington Group Child Functioning
/// Module adds on the same difficulty scale (<see cref="Learning"/> to <see cref="MakingFriends"/>) and as a frequency
/// (<see cref="Anxiety"/> and <see cref="Depression"/>, answered with a <see cref="FunctioningFrequency"/>).
/// </summary>
public enum FunctioningDomain
{
    /// <summary>Seeing, even if wearing glasses (Short Set and Child Functioning Module).</summary>
    Seeing,
    /// <summary>Hearing, even if using a hearing aid (Short Set and Child Functioning Module).</summary>
    Hearing,
    /// <summary>Walking or climbing steps (Short Set and Child Functioning Module).</summary>
    Walking,
    /// <summary>Remembering or concentrating (Short Set only; the module asks the two apart).</summary>
    Cognition,
    /// <summary>Self-care, such as washing all over or dressing (Short Set and Child Functioning Module).</summary>
    SelfCare,
    /// <summary>Communicating in one's usual language (Short Set and Child Functioning Module).</summary>
    Communication,
    /// <summary>Learning things (Child Functioning Module, 5 to 17).</summary>
    Learning,
    /// <summary>Remembering things (Child Functioning Module, 5 to 17).</summary>
    Remembering,
    /// <summary>Concentrating on an activity (Child Functioning Module, 5 to 17).</summary>
    Concentrating,
    /// <summary>Accepting changes in routine (Child Functioning Module, 5 to 17).</summary>
    AcceptingChange,
    /// <summary>Controlling one's behaviour (Child Functioning Module, 5 to 17).</summary>
    ControllingBehaviour,
    /// <summary>Making friends (Child Functioning Module, 5 to 17).</summary>
    MakingFriends,
    /// <summary>How often the child seems very anxious, nervous or worried (Child Functioning Module, 5 to 17; a <see cref="FunctioningFrequency"/>).</summary>
    Anxiety,
    /// <summary>How often the child seems very sad or depressed (Child Functioning Module, 5 to 17; a <see cref="FunctioningFrequency"/>).</summary>
    Depression,
}

/// <summary>A beneficiary's disability status under a <see cref="DisabilityCutoff"/>; "not recorded" is explicit.</summary>
public enum DisabilityStatus
{
    /// <summary>At least one domain at or beyond the cut-off.</summary>
    Disability,
    /// <summary>Every domain of the question set answered, none at or beyond the cut-off.</summary>
    NoDisability,
    /// <summary>No answers, or no domain at the cut-off while some are missing, refused or "don't know": never counted as no disability.</summary>
    NotRecorded,
}

/// <summary>
/// One beneficiary's answers to the Washington Group questions, by domain; a domain may be unanswered. Held once per
/// beneficiary.
/// </summary>
/// <remarks>
/// The question set is the Child Functioning Module (5 to 17) when any of its own domains is answered, else the Short
/// Set; a status needs every domain of that set answered unless one already reaches the cut-off. The module's
/// <see cref="FunctioningDomain.Anxiety"/> and <see cref="FunctioningDomain.Depression"/> are answered with a
/// <see cref="FunctioningFrequency"/> (<see cref="Frequency"/>), every other domain with a <see cref="FunctioningAnswer"/>
/// (the indexer). The default value has no answers. Equality is by value. Immutable and thread-safe.
/// </remarks>
public readonly struct FunctioningAnswers : IEquatable<FunctioningAnswers>
{
    private const int Bits = 3; // 0: unanswered; otherwise the answer + 1
    private const ulong Mask = (1 << Bits) - 1;

    /// <summary>The domains of the Short Set.</summary>
    public static IReadOnlyList<FunctioningDomain> ShortSet { get; } = ValueList<FunctioningDomain>.From(
        [FunctioningDomain.Seeing, FunctioningDomain.Hearing, FunctioningDomain.Walking, FunctioningDomain.Cognition,
         FunctioningDomain.SelfCare, FunctioningDomain.Communication], "shortSet");

    /// <summary>The domains of the Child Functioning Module for children 5 to 17, anxiety and depression included.</summary>
    public static IReadOnlyList<FunctioningDomain> ChildFunctioning { get; } = ValueList<FunctioningDomain>.From(
        [FunctioningDomain.Seeing, FunctioningDomain.Hearing, FunctioningDomain.Walking, FunctioningDomain.SelfCare,
         FunctioningDomain.Communication, FunctioningDomain.Learning, FunctioningDomain.Remembering, FunctioningDomain.Concentrating,
         FunctioningDomain.AcceptingChange, FunctioningDomain.ControllingBehaviour, FunctioningDomain.MakingFriends,
         FunctioningDomain.Anxiety, FunctioningDomain.Depression], "childFunctioning");

    /// <summary>Whether a domain is answered as a frequency (<see cref="FunctioningFrequency"/>) rather than a difficulty.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>Whether it is <see cref="FunctioningDomain.Anxiety"/> or <see cref="FunctioningDomain.Depression"/>.</returns>
    public static bool IsAskedAsFrequency(FunctioningDomain domain) => domain is FunctioningDomain.Anxiety or FunctioningDomain.Depression;

    private static readonly int DomainCount = Enum.GetValues<FunctioningDomain>().Length;

    private readonly ulong _packed;

    private FunctioningAnswers(ulong packed) => _packed = packed;

    /// <summary>No answers.</summary>
    public static FunctioningAnswers None => default;

    /// <summary>Whether no domain is answered.</summary>
    public bool IsEmpty => _packed == 0;

    /// <summary>The answer for a domain asked as a difficulty.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>The answer, or <c>null</c> when the domain was not asked or not recorded.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="domain"/> is undefined.</exception>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is asked as a frequency (<see cref="Frequency"/>).</exception>
    public FunctioningAnswer? this[FunctioningDomain domain]
    {
        get
        {
            var v = Answered(CheckScale(domain, frequency: false));
            return v < 0 ? null : (FunctioningAnswer)v;
        }
    }

    /// <summary>The answer for a domain asked as a frequency: <see cref="FunctioningDomain.Anxiety"/> or <see cref="FunctioningDomain.Depression"/>.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>The answer, or <c>null</c> when the domain was not asked or not recorded.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="domain"/> is undefined.</exception>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is asked as a difficulty (the indexer).</exception>
    public FunctioningFrequency? Frequency(FunctioningDomain domain)
    {
        var v = Answered(CheckScale(domain, frequency: true));
        return v < 0 ? null : (FunctioningFrequency)v;
    }

    /// <summary>These answers with one difficulty domain's answer set (or cleared with <c>null</c>).</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="answer">The answer, or <c>null</c>.</param>
    /// <returns>The new answers.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An enum is undefined.</exception>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is asked as a frequency.</exception>
    public FunctioningAnswers With(FunctioningDomain domain, FunctioningAnswer? answer) =>
        WithAnswer(CheckScale(domain, frequency: false), answer is { } a ? (int)Preconditions.CheckDefined(a) : -1);

    /// <summary>These answers with one frequency domain's answer set (or cleared with <c>null</c>).</summary>
    /// <param name="domain">The domain: <see cref="FunctioningDomain.Anxiety"/> or <see cref="FunctioningDomain.Depression"/>.</param>
    /// <param name="answer">The answer, or <c>null</c>.</param>
    /// <returns>The new answers.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An enum is undefined.</exception>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is asked as a difficulty.</exception>
    public FunctioningAnswers With(FunctioningDomain domain, FunctioningFrequency? answer) =>
        WithAnswer(CheckScale(domain, frequency: true), answer is { } a ? (int)Preconditions.CheckDefined(a) : -1);

    private static FunctioningDomain CheckScale(FunctioningDomain domain, bool frequency)
    {
        Preconditions.CheckArgument(
            IsAskedAsFrequency(Preconditions.CheckDefined(domain)) == frequency, nameof(domain),
            frequency ? "The domain is answered as a difficulty, not a frequency." : "The domain is answered as a frequency, not a difficulty.");
        return domain;
    }

    /// <summary>The value of the domain's answer on its own scale (<see cref="FunctioningAnswer"/> or <see cref="FunctioningFrequency"/>), or -1 when unanswered.</summary>
    internal int Answered(FunctioningDomain domain) => (int)((_packed >> ((int)domain * Bits)) & Mask) - 1;

    /// <summary>These answers with a domain's answer set by its value on the domain's own scale (-1 clears it); the caller checked the value.</summary>
    internal FunctioningAnswers WithAnswer(FunctioningDomain domain, int value)
    {
        var shift = (int)domain * Bits;
        return new FunctioningAnswers((_packed & ~(Mask << shift)) | ((ulong)(value + 1) << shift));
    }

    /// <summary>
    /// An answer's place on the difficulty scale, which is what a cut-off reads: a difficulty is itself (0 no difficulty
    /// … 3 cannot do at all); a frequency "daily" is the most severe level (3), "weekly" is "some difficulty" (1), less
    /// often none (0). <see cref="NoInformation"/> for refused or "don't know". The one mapping every path applies.
    /// </summary>
    /// <param name="domain">The domain.</param>
    /// <param name="value">The answer's value on the domain's scale.</param>
    internal static int Severity(FunctioningDomain domain, int value) => IsAskedAsFrequency(domain)
        ? (FunctioningFrequency)value switch
        {
            FunctioningFrequency.Daily => (int)FunctioningAnswer.CannotDoAtAll,
            FunctioningFrequency.Weekly => (int)FunctioningAnswer.SomeDifficulty,
            FunctioningFrequency.Refused or FunctioningFrequency.DontKnow => NoInformation,
            _ => (int)FunctioningAnswer.NoDifficulty,
        }
        : value <= (int)FunctioningAnswer.CannotDoAtAll ? value : NoInformation;

    /// <summary>The <see cref="Severity"/> of a refused or "don't know" answer.</summary>
    internal const int NoInformation = 4;

    /// <summary>The number of values on a domain's answer scale.</summary>
    internal static int ScaleSize(FunctioningDomain domain) =>
        IsAskedAsFrequency(domain) ? FrequencyScaleSize : DifficultyScaleSize;

    private static readonly int FrequencyScaleSize = Enum.GetValues<FunctioningFrequency>().Length;
    private static readonly int DifficultyScaleSize = Enum.GetValues<FunctioningAnswer>().Length;

    /// <summary>The question set the answers belong to: <see cref="ChildFunctioning"/> when one of its own domains is answered, else <see cref="ShortSet"/>.</summary>
    public IReadOnlyList<FunctioningDomain> QuestionSet
    {
        get
        {
            for (var d = (int)FunctioningDomain.Learning; d < DomainCount; d++)
            {
                if (((_packed >> (d * Bits)) & Mask) != 0)
                {
                    return ChildFunctioning;
                }
            }
            return ShortSet;
        }
    }

    /// <summary>The answers in a compact form (three bits a domain), for columns held once per beneficiary.</summary>
    internal ulong Packed => _packed;

    /// <summary>Answers from their compact form.</summary>
    internal static FunctioningAnswers FromPacked(ulong packed) => new(packed);

    /// <summary>
    /// What a status needs, in one small number: bits 0-1 the most severe answer (its <see cref="Severity"/>: 0 none … 3 cannot do at all or daily),
    /// bit 2 set when a domain of the question set is unanswered, refused or "don't know", bit 3 set when any domain is
    /// answered. Every cut-off reads its status from it (<see cref="DisabilityCutoff.StatusOf(int)"/>).
    /// </summary>
    internal int Summary
    {
        get
        {
            if (IsEmpty)
            {
                return 0;
            }
            var worst = 0;
            for (var d = 0; d < DomainCount; d++)
            {
                var v = Answered((FunctioningDomain)d);
                var severity = v < 0 ? NoInformation : Severity((FunctioningDomain)d, v);
                worst = severity < NoInformation ? Math.Max(worst, severity) : worst;
            }
            var incomplete = false;
            foreach (var d in QuestionSet)
            {
                var v = Answered(d);
                incomplete |= v < 0 || Severity(d, v) == NoInformation;
            }
            return worst | (incomplete ? 4 : 0) | 8;
        }
    }

    /// <summary>How many distinct summaries there are (<see cref="Summary"/> is below it).</summary>
    internal const int SummaryCount = 16;

    /// <inheritdoc />
    public bool Equals(FunctioningAnswers other) => _packed == other._packed;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FunctioningAnswers other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _packed.GetHashCode();

    /// <summary>Whether two sets of answers are equal.</summary>
    /// <param name="left">One set.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(FunctioningAnswers left, FunctioningAnswers right) => left.Equals(right);

    /// <summary>Whether two sets of answers differ.</summary>
    /// <param name="left">One set.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(FunctioningAnswers left, FunctioningAnswers right) => !left.Equals(right);
}

/// <summary>
/// The cut-off that turns functioning answers into a disability status: a person has a disability when at least one
/// domain is answered at <see cref="Threshold"/> or beyond. Every output that shows disability states it
/// (<see cref="Description"/>).
/// </summary>
/// <remarks>
/// The Washington Group's published cut-off for the Short Set, and the module's for children, is
/// <see cref="WashingtonGroup"/>: at least one domain "a lot of difficulty" or "cannot do at all", or the module's
/// anxiety or depression "daily". On the frequency scale the cut-off counts <see cref="FrequencyThreshold"/> or more
/// often: daily for <c>wg-a-lot</c> and <c>wg-cannot</c> (daily is that scale's most severe level), weekly or daily for
/// <c>wg-some</c>. Missing, refused or
/// "don't know" answers never make "no disability": with no domain at the cut-off they make
/// <see cref="DisabilityStatus.NotRecorded"/>. Equality is by threshold. Immutable and thread-safe.
/// </remarks>
public sealed class DisabilityCutoff : IEquatable<DisabilityCutoff>
{
    /// <summary>Creates a cut-off.</summary>
    /// <param name="threshold">The least difficulty that counts: <see cref="FunctioningAnswer.SomeDifficulty"/>, <see cref="FunctioningAnswer.ALotOfDifficulty"/> or <see cref="FunctioningAnswer.CannotDoAtAll"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is not one of those three.</exception>
    public DisabilityCutoff(FunctioningAnswer threshold)
    {
        Preconditions.CheckArgument(
            threshold is FunctioningAnswer.SomeDifficulty or FunctioningAnswer.ALotOfDifficulty or FunctioningAnswer.CannotDoAtAll,
            nameof(threshold), "A cut-off is some difficulty, a lot of difficulty or cannot do at all.");
        Threshold = threshold;
    }

    /// <summary>The published cut-off (the default): at least one domain "a lot of difficulty" or "cannot do at all"; code <c>wg-a-lot</c>.</summary>
    public static DisabilityCutoff WashingtonGroup { get; } = new(FunctioningAnswer.ALotOfDifficulty);

    /// <summary>The least difficulty that counts.</summary>
    public FunctioningAnswer Threshold { get; }

    /// <summary>The least frequency that counts for the module's anxiety and depression: <see cref="FunctioningFrequency.Weekly"/> under "some difficulty", else <see cref="FunctioningFrequency.Daily"/>.</summary>
    public FunctioningFrequency FrequencyThreshold =>
        Threshold == FunctioningAnswer.SomeDifficulty ? FunctioningFrequency.Weekly : FunctioningFrequency.Daily;

    /// <summary>A short code: <c>wg-some</c>, <c>wg-a-lot</c> (the published cut-off) or <c>wg-cannot</c>.</summary>
    public string Code => Threshold switch
    {
        FunctioningAnswer.SomeDifficulty => "wg-some",
        FunctioningAnswer.ALotOfDifficulty => "wg-a-lot",
        _ => "wg-cannot",
    };

    /// <summary>How outputs state the cut-off, such as <c>Washington Group cut-off: at least one domain "a lot of difficulty" or "cannot do at all" (anxiety or depression: daily)</c>.</summary>
    public string Description => "Washington Group cut-off: at least one domain " + Threshold switch
    {
        FunctioningAnswer.SomeDifficulty => "\"some difficulty\", \"a lot of difficulty\" or \"cannot do at all\" (anxiety or depression: weekly or daily)",
        FunctioningAnswer.ALotOfDifficulty => "\"a lot of difficulty\" or \"cannot do at all\" (anxiety or depression: daily)",
        _ => "\"cannot do at all\" (anxiety or depression: daily)",
    };

    /// <summary>Finds a cut-off by its code.</summary>
    /// <param name="code">The code, such as <c>wg-a-lot</c>.</param>
    /// <param name="cutoff">The cut-off, when found.</param>
    /// <returns>Whether the code is a cut-off's.</returns>
    public static bool TryParse(string? code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DisabilityCutoff? cutoff)
    {
        cutoff = code switch
        {
            "wg-some" => new DisabilityCutoff(FunctioningAnswer.SomeDifficulty),
            "wg-a-lot" => WashingtonGroup,
            "wg-cannot" => new DisabilityCutoff(FunctioningAnswer.CannotDoAtAll),
            _ => null,
        };
        return cutoff is not null;
    }

    /// <summary>The status of a beneficiary with these answers.</summary>
    /// <param name="answers">The answers.</param>
    /// <returns><see cref="DisabilityStatus.Disability"/> when a domain reaches the cut-off; <see cref="DisabilityStatus.NoDisability"/> when every domain of the question set is answered below it; else <see cref="DisabilityStatus.NotRecorded"/>.</returns>
    public DisabilityStatus StatusOf(FunctioningAnswers answers) => StatusOf(answers.Summary);

    /// <summary>The status for an answers summary (<see cref="FunctioningAnswers.Summary"/>): the one rule every path applies.</summary>
    internal DisabilityStatus StatusOf(int summary) =>
        (summary & 8) == 0 ? DisabilityStatus.NotRecorded
        : (summary & 3) >= (int)Threshold ? DisabilityStatus.Disability
        : (summary & 4) != 0 ? DisabilityStatus.NotRecorded
        : DisabilityStatus.NoDisability;

    /// <inheritdoc />
    public bool Equals(DisabilityCutoff? other) => other is not null && Threshold == other.Threshold;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DisabilityCutoff);

    /// <inheritdoc />
    public override int GetHashCode() => (int)Threshold;

    /// <summary>The description.</summary>
    /// <returns><see cref="Description"/>.</returns>
    public override string ToString() => Description;
}
