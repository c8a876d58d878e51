using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>Summary figures from a dataset's reported actuals, combined by their indicator's accumulation rule.</summary>
/// <remarks>
/// Incremental figures are summed (overlapping periods refused); cumulative and last-value figures are never summed, the
/// latest dated inside the window stands; yearly-cumulative figures stand for their year, and years add. A percent indicator
/// with a numerator and a denominator is computed from their figures. To add several scopes (phases, partners), use the
/// overload over scopes, which sums counts (refusing unique counts and levels) and builds a percentage from the summed
/// numerators and denominators, never from a mean of percentages.
/// </remarks>
public static class SummaryFigures
{
    /// <summary>The reported figure for an indicator over a scope and window.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="indicator">The indicator's code.</param>
    /// <param name="scope">The partnership (its partnership-level figures) or phase.</param>
    /// <param name="window">The window; incremental figures must lie wholly inside or outside it.</param>
    /// <param name="role">Only this role's share (from the figures' role breakdown), or <c>null</c> for everyone.</param>
    /// <returns>The figure, carrying the indicator's basis, accumulation and unit; zero from no figures when none were reported.</returns>
    /// <exception cref="AggregationRefusedException">
    /// The indicator does not resolve, or the figures overlap, conflict, add unique counts or cross the window (see the reason).
    /// </exception>
    public static SummaryFigure Reported(ProgrammeDataset dataset, Id<Indicator> indicator, ProgressScope scope, DateInterval window, BeneficiaryRole? role = null)
    {
        Preconditions.CheckNotNull(dataset);
        Preconditions.CheckNotNull(window);
        var definition = Definition(dataset, indicator);
        var series = new ReportedActualsSource(dataset).Find(definition, scope, role)
            ?? new ActualSeries(definition.Basis, definition.Accumulation, definition.Unit, [], definition.YearStartMonth ?? 1);
        return series.Summarise(window);
    }

    /// <summary>
    /// The reported figure for an indicator over several scopes (phases, partners) and one window: counts are added
    /// (<see cref="SummaryFigure.Sum"/>); a percent indicator with a numerator and a denominator is 100 × the sum of the
    /// numerators ÷ the sum of the denominators (<see cref="SummaryFigure.Percent"/>), never a mean of the scopes' percentages.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="indicator">The indicator's code.</param>
    /// <param name="scopes">The scopes, at least one.</param>
    /// <param name="window">The window.</param>
    /// <param name="role">Only this role's share, or <c>null</c> for everyone.</param>
    /// <returns>The figure.</returns>
    /// <exception cref="ArgumentException"><paramref name="scopes"/> is empty.</exception>
    /// <exception cref="AggregationRefusedException">
    /// The indicator does not resolve; the figures are unique counts or levels that cannot be added (a percent indicator
    /// without a numerator and a denominator, a score); or they overlap, conflict or cross the window.
    /// </exception>
    public static SummaryFigure Reported(
        ProgrammeDataset dataset, Id<Indicator> indicator, IEnumerable<ProgressScope> scopes, DateInterval window, BeneficiaryRole? role = null)
    {
        Preconditions.CheckNotNull(dataset);
        var list = Preconditions.CheckNotNull(scopes).ToList();
        Preconditions.CheckArgument(list.Count > 0, nameof(scopes), "There must be at least one scope.");
        var definition = Definition(dataset, indicator);
        if (definition.Numerator is { } numerator && definition.Denominator is { } denominator)
        {
            var top = SummaryFigure.Sum(list.Select(s => Reported(dataset, numerator, s, window, role)));
            var bottom = SummaryFigure.Sum(list.Select(s => Reported(dataset, denominator, s, window, role)));
            return SummaryFigure.Percent(top, bottom) with { Basis = definition.Basis, Accumulation = definition.Accumulation };
        }
        return SummaryFigure.Sum(list.Select(s => Reported(dataset, indicator, s, window, role)));
    }

    private static Indicator Definition(ProgrammeDataset dataset, Id<Indicator> indicator) =>
        Indexing.ProgrammeIndex.For(dataset).Indicators.GetValueOrDefault(indicator)
        ?? throw new AggregationRefusedException(AggregationRefusal.UnresolvedReference, $"Indicator {indicator} is not in the dataset.");
}
