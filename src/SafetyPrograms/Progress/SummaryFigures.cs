using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>Summary figures from a dataset's reported actuals, combined by their indicator's accumulation rule.</summary>
/// <remarks>
/// Incremental figures are summed (overlapping periods refused); cumulative and last-value figures are never summed, the
/// latest dated inside the window stands. To add several scopes (phases, partners), summarise each and use
/// <see cref="SummaryFigure.Sum"/>, which refuses unique counts and levels.
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
        var definition = dataset.Indicators.FirstOrDefault(i => i.Id == indicator)
            ?? throw new AggregationRefusedException(AggregationRefusal.UnresolvedReference, $"Indicator {indicator} is not in the dataset.");
        var relevant = dataset.Actuals.Where(a => a.Indicator == indicator);
        var series = new ReportedActualsSource(relevant).Find(definition, scope, role)
            ?? ActualSeries.Empty(definition.Basis, definition.Accumulation, definition.Unit);
        return series.Summarise(window);
    }
}
