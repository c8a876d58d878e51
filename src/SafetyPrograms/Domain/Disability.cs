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
/// A functioning domain asked about: the six of the Washington Group Short Set (<see cref="Seeing"/> to
/// <see cref="Communication"/>) and, for children 5 to 17, the domains the UNICEF/Washington Group Child Functioning
/// Module adds on the same difficulty scale (<see cref="Learning"/> to <see cref="MakingFriends"/>).
/// </summary>
/// <remarks>The module's anxiety and depression questions, asked as a frequency (daily, weekly, …), are not held.</remarks>
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
/// Set; a status needs every domain of that set answered unless one already reaches the cut-off. The default value has
/// no answers. Equality is by value. Immutable and thread-safe.
/// </remarks>
public readonly struct FunctioningAnswers : IEquatable<FunctioningAnswers>
{
    private const int Bits = 3; // 0: unanswered; otherwise the answer + 1
    private const ulong Mask = (1 << Bits) - 1;

    /// <summary>The domains of the Short Set.</summary>
    public static IReadOnlyList<FunctioningDomain> ShortSet { get; } = ValueList<FunctioningDomain>.From(
        [FunctioningDomain.Seeing, FunctioningDomain.Hearing, FunctioningDomain.Walking, FunctioningDomain.Cognition,
         FunctioningDomain.SelfCare, FunctioningDomain.Communication], "shortSet");

    /// <summary>The domains of the Child Functioning Module for children 5 to 17 that are held (all but anxiety and depression).</summary>
    public static IReadOnlyList<FunctioningDomain> ChildFunctioning { get; } = ValueList<FunctioningDomain>.From(
        [FunctioningDomain.Seeing, FunctioningDomain.Hearing, FunctioningDomain.Walking, FunctioningDomain.SelfCare,
         FunctioningDomain.Communication, FunctioningDomain.Learning, FunctioningDomain.Remembering, FunctioningDomain.Concentrating,
         FunctioningDomain.AcceptingChange, FunctioningDomain.ControllingBehaviour, FunctioningDomain.MakingFriends], "childFunctioning");

    private static readonly int DomainCount = Enum.GetValues<FunctioningDomain>().Length;

    private readonly ulong _packed;

    private FunctioningAnswers(ulong packed) => _packed = packed;

    /// <summary>No answers.</summary>
    public static FunctioningAnswers None => default;

    /// <summary>Whether no domain is answered.</summary>
    public bool IsEmpty => _packed == 0;

    /// <summary>The answer for a domain.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>The answer, or <c>null</c> when the domain was not asked or not recorded.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="domain"/> is undefined.</exception>
    public FunctioningAnswer? this[FunctioningDomain domain]
    {
        get
        {
            var v = (int)((_packed >> ((int)Preconditions.CheckDefined(domain) * Bits)) & Mask);
            return v == 0 ? null : (FunctioningAnswer)(v - 1);
        }
    }

    /// <summary>These answers with one domain's answer set (or cleared with <c>null</c>).</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="answer">The answer, or <c>null</c>.</param>
    /// <returns>The new answers.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An enum is undefined.</exception>
    public FunctioningAnswers With(FunctioningDomain domain, FunctioningAnswer? answer)
    {
        var shift = (int)Preconditions.CheckDefined(domain) * Bits;
        var code = answer is { } a ? (ulong)Preconditions.CheckDefined(a) + 1 : 0;
        return new FunctioningAnswers((_packed & ~(Mask << shift)) | (code << shift));
    }

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
    /// What a status needs, in one small number: bits 0-1 the most severe difficulty answered (0 none … 3 cannot do at all),
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
                var v = (int)((_packed >> (d * Bits)) & Mask);
                if (v is >= 1 and <= 4)
                {
                    worst = Math.Max(worst, v - 1);
                }
            }
            var incomplete = false;
            foreach (var d in QuestionSet)
            {
                var v = (int)((_packed >> ((int)d * Bits)) & Mask);
                incomplete |= v is 0 or > 4;
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
/// <see cref="WashingtonGroup"/>: at least one domain "a lot of difficulty" or "cannot do at all". Missing, refused or
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

    /// <summary>A short code: <c>wg-some</c>, <c>wg-a-lot</c> (the published cut-off) or <c>wg-cannot</c>.</summary>
    public string Code => Threshold switch
    {
        FunctioningAnswer.SomeDifficulty => "wg-some",
        FunctioningAnswer.ALotOfDifficulty => "wg-a-lot",
        _ => "wg-cannot",
    };

    /// <summary>How outputs state the cut-off, such as <c>Washington Group cut-off: at least one domain "a lot of difficulty" or "cannot do at all"</c>.</summary>
    public string Description => "Washington Group cut-off: at least one domain " + Threshold switch
    {
        FunctioningAnswer.SomeDifficulty => "\"some difficulty\", \"a lot of difficulty\" or \"cannot do at all\"",
        FunctioningAnswer.ALotOfDifficulty => "\"a lot of difficulty\" or \"cannot do at all\"",
        _ => "\"cannot do at all\"",
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
