using SafetyPrograms.Serialization;

namespace SafetyPrograms.Aggregation;

/// <summary>A figure computed for each group of participation records.</summary>
/// <remarks>
/// Unique counts are recounted at every rollup level, never summed: one child at two schools is one child in the
/// district. Scores are kept to four decimal places; means are over the records that carry the score(s).
/// Each measure has a documented string name (<see cref="Measures.Name"/>).
/// </remarks>
// The short names that command lines and partial results use.
[InterchangeNames(
    "participations", "unique", "approxUnique", "activities", "schools", "completions", "completionRate",
    "meanPreScore", "meanPostScore", "meanGain", "improvedShare")]
public enum Measure
{
    /// <summary>Participation records (contacts, not people); name <c>participations</c>.</summary>
    Participations,
    /// <summary>Distinct beneficiaries, exact; name <c>unique</c>.</summary>
    UniqueBeneficiaries,
    /// <summary>
    /// Distinct beneficiaries estimated by HyperLogLog with 2^14 registers and the standard small-range correction;
    /// relative standard error 1.04/√16384 ≈ 0.81%; name <c>approxUnique</c>.
    /// </summary>
    ApproximateUniqueBeneficiaries,
    /// <summary>Distinct activities held; name <c>activities</c>.</summary>
    Activities,
    /// <summary>Distinct schools reached; name <c>schools</c>.</summary>
    Schools,
    /// <summary>Participations marked completed; name <c>completions</c>.</summary>
    Completions,
    /// <summary>Completions divided by participations, from 0 to 1; name <c>completionRate</c>.</summary>
    CompletionRate,
    /// <summary>Mean score before, over records with one; name <c>meanPreScore</c>.</summary>
    MeanPreScore,
    /// <summary>Mean score after, over records with one; name <c>meanPostScore</c>.</summary>
    MeanPostScore,
    /// <summary>Mean of post minus pre, over records with both; name <c>meanGain</c>.</summary>
    MeanGain,
    /// <summary>
    /// Of the distinct beneficiaries with at least one record carrying both scores, the share with at least one such
    /// record where the post score exceeds the pre score, from 0 to 1; name <c>improvedShare</c>.
    /// </summary>
    ImprovedShare,
}

/// <summary>The string names of measures, and lookups by name.</summary>
public static class Measures
{
    /// <summary>The relative standard error of <see cref="Measure.ApproximateUniqueBeneficiaries"/>: 1.04/√2^14.</summary>
    public const double ApproximateUniqueRelativeError = 0.008125;

    /// <summary>The documented string name of a measure, such as <c>unique</c>.</summary>
    /// <param name="measure">The measure.</param>
    /// <returns>Its name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="measure"/> is undefined.</exception>
    public static string Name(this Measure measure) =>
        EnumNames<Measure>.TryGetName(measure, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(measure));

    /// <summary>Finds a measure by its name, ignoring case.</summary>
    /// <param name="name">The name, such as <c>participations</c>.</param>
    /// <param name="measure">The measure, when found.</param>
    /// <returns>Whether the name is a measure's.</returns>
    public static bool TryParse(string? name, out Measure measure) => EnumNames<Measure>.TryParseIgnoringCase(name, out measure);

    /// <summary>All measure names, in declaration order.</summary>
    public static IReadOnlyList<string> AllNames => EnumNames<Measure>.Names;
}
