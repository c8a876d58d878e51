using System.Text.Json.Serialization;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// The age band scheme and disability cut-off a query's figures were counted by, for the dimensions it grouped or
/// filtered by (else <c>null</c>): what results, partials and published tables state, and what partials must share to merge.
/// </summary>
/// <param name="AgeScheme">The scheme of <see cref="Dimension.Age"/>, or <c>null</c>.</param>
/// <param name="Cutoff">The cut-off of <see cref="Dimension.Disability"/>, or <c>null</c>.</param>
internal sealed record PersonStatement(AgeBandScheme? AgeScheme, DisabilityCutoff? Cutoff)
{
    /// <summary>Neither age nor disability used.</summary>
    internal static PersonStatement None { get; } = new(null, null);

    /// <summary>What a query states.</summary>
    internal static PersonStatement Of(AggregationQuery query) => new(
        query.Uses(Dimension.Age) ? query.Scheme : null,
        query.Uses(Dimension.Disability) ? query.Cutoff : null);

    /// <summary>Refuses to merge figures counted by different schemes or cut-offs: a band or a status would mean different people in each.</summary>
    /// <exception cref="ArgumentException">The schemes or the cut-offs differ.</exception>
    internal void CheckSame(PersonStatement other, string paramName)
    {
        if (!Equals(AgeScheme, other.AgeScheme))
        {
            throw new ArgumentException(
                $"The partials count ages by different band schemes: this one by {AgeScheme?.Describe() ?? "none"}, the other by "
                + $"{other.AgeScheme?.Describe() ?? "none"}. Aggregate every partial with the same --age-scheme before merging.", paramName);
        }
        if (!Equals(Cutoff, other.Cutoff))
        {
            throw new ArgumentException(
                $"The partials count disability by different cut-offs: this one by {Cutoff?.Code ?? "none"}, the other by "
                + $"{other.Cutoff?.Code ?? "none"}. Aggregate every partial with the same cut-off before merging.", paramName);
        }
    }
}

/// <summary>A band scheme in a partial's JSON document: its code and its bands' labels, so that the reader rebuilds it exactly.</summary>
/// <param name="Code">The scheme's code.</param>
/// <param name="Bands">The bands' labels, youngest first.</param>
internal sealed record AgeSchemeDocument(string Code, IReadOnlyList<string> Bands)
{
    [JsonIgnore]
    internal AgeBandScheme Scheme { get; } = new(Code, [.. Bands.Select(Parse)]);

    internal static AgeSchemeDocument? Of(AgeBandScheme? scheme) =>
        scheme is null ? null : new(scheme.Code, [.. scheme.Bands.Select(b => b.Label)]);

    private static AgeRange Parse(string label) =>
        AgeRange.TryParse(label, out var range) ? range : throw new ArgumentException("A band is not an age band such as 5-9 or 18+.", nameof(label));

    /// <summary>The statement a partial document holds.</summary>
    internal static PersonStatement Statement(AgeSchemeDocument? scheme, string? cutoff) => new(
        scheme?.Scheme,
        cutoff is null ? null
        : DisabilityCutoff.TryParse(cutoff, out var c) ? c
        : throw new ArgumentException("The disability cut-off is not wg-some, wg-a-lot or wg-cannot.", nameof(cutoff)));
}
