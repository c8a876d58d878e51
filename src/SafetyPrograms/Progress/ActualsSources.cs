using System.Text.Json;
using SafetyPrograms.Domain;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>
/// Where the progress calculator gets the actuals for a target: reported summary figures, attendance totals, or unique
/// counts recounted elsewhere (the aggregation engine) and handed over as an <see cref="ActualSeries"/>.
/// </summary>
/// <remarks>Implementations must be safe to call from several threads if the calculator is.</remarks>
public interface IActualsSource
{
    /// <summary>The actuals for an indicator in a scope, for one role or for everyone.</summary>
    /// <param name="indicator">The indicator.</param>
    /// <param name="scope">The partnership or phase.</param>
    /// <param name="role">The role a target is restricted to, or <c>null</c> for everyone.</param>
    /// <returns>The series, or <c>null</c> when this source has nothing for the request.</returns>
    ActualSeries? Find(Indicator indicator, ProgressScope scope, BeneficiaryRole? role);
}

/// <summary>The key of a series handed to <see cref="ActualSeriesSource"/>.</summary>
/// <param name="Indicator">The indicator.</param>
/// <param name="Scope">The partnership or phase.</param>
/// <param name="Role">The role, or <c>null</c> for everyone.</param>
public readonly record struct ActualSeriesKey(Id<Indicator> Indicator, ProgressScope Scope, BeneficiaryRole? Role = null);

/// <summary>Actuals computed elsewhere (such as unique beneficiaries recounted from participation records), keyed by indicator, scope and role.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class ActualSeriesSource : IActualsSource
{
    private readonly Dictionary<ActualSeriesKey, ActualSeries> _series;

    /// <summary>Creates a source.</summary>
    /// <param name="series">The series by key.</param>
    /// <exception cref="ArgumentException">A key appears twice or a series is null.</exception>
    public ActualSeriesSource(IEnumerable<KeyValuePair<ActualSeriesKey, ActualSeries>> series)
    {
        Preconditions.CheckNotNull(series);
        _series = [];
        foreach (var (key, value) in series)
        {
            Preconditions.CheckArgument(value is not null, nameof(series), $"The series for {key} is null.");
            Preconditions.CheckArgument(_series.TryAdd(key, value), nameof(series), $"The key {key} appears twice.");
        }
    }

    /// <inheritdoc />
    public ActualSeries? Find(Indicator indicator, ProgressScope scope, BeneficiaryRole? role) =>
        _series.GetValueOrDefault(new ActualSeriesKey(Preconditions.CheckNotNull(indicator).Id, scope, role));
}

/// <summary>Ways to combine sources.</summary>
public static class ActualsSources
{
    /// <summary>A source that asks each source in turn and takes the first series found, such as recounted unique people before reported figures.</summary>
    /// <param name="sources">The sources, in order of preference.</param>
    /// <returns>The combined source.</returns>
    /// <exception cref="ArgumentException">A source is null.</exception>
    public static IActualsSource FirstOf(params IReadOnlyList<IActualsSource> sources)
    {
        var list = ValueList<IActualsSource>.From(Preconditions.CheckNotNull(sources), nameof(sources));
        return new FirstOfSource(list);
    }

    private sealed class FirstOfSource(IReadOnlyList<IActualsSource> sources) : IActualsSource
    {
        public ActualSeries? Find(Indicator indicator, ProgressScope scope, BeneficiaryRole? role)
        {
            foreach (var source in sources)
            {
                if (source.Find(indicator, scope, role) is { } series)
                {
                    return series;
                }
            }
            return null;
        }
    }
}

/// <summary>
/// The summary figures partners reported (<see cref="ProgrammeDataset.Actuals"/>), read under their indicator's basis,
/// accumulation and unit. Scopes match exactly: a phase's figures are not the partnership's.
/// </summary>
/// <remarks>
/// <para>A percent indicator with a numerator and a denominator (<see cref="Indicator.Numerator"/>) is read from their
/// figures in the same scope, as <see cref="ActualSeries.Percent"/>: 100 × the numerator's figure ÷ the denominator's, never
/// a mean of reported percentages; its own reported figures are used only when its parts have none in the scope (and the
/// source was made from a dataset, which defines the parts). A <see cref="Accumulation.YearlyCumulative"/> indicator's
/// figures restart at its <see cref="Indicator.YearStartMonth"/>.</para>
/// For a role-restricted target the figure's <see cref="DisaggregationDimension.Role"/> breakdown is read (a missing
/// category is zero); figures without a role breakdown say nothing about one role and are left out.
/// A unique-people figure made by summing (<see cref="FigureDerivation.SummedAcrossGroups"/> or
/// <see cref="FigureDerivation.SummedAcrossPeriods"/>) is refused. Immutable and thread-safe.
/// </remarks>
public sealed class ReportedActualsSource : IActualsSource
{
    private readonly ILookup<(Id<Indicator> Indicator, ProgressScope Scope), ReportedActual> _figures;

    /// <summary>Creates a source over a dataset's reported figures.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    public ReportedActualsSource(ProgrammeDataset dataset)
        : this(Preconditions.CheckNotNull(dataset).Actuals) =>
        _indicators = dataset.Indicators.GroupBy(i => i.Id).ToDictionary(g => g.Key, g => g.First());

    private readonly Dictionary<Id<Indicator>, Indicator> _indicators = [];

    /// <summary>Creates a source over reported figures.</summary>
    /// <param name="figures">The figures.</param>
    /// <exception cref="ArgumentNullException"><paramref name="figures"/> is null.</exception>
    public ReportedActualsSource(IEnumerable<ReportedActual> figures) =>
        _figures = Preconditions.CheckNotNull(figures).ToLookup(f => (f.Indicator, new ProgressScope(f.Partnership, f.Phase)));

    /// <inheritdoc />
    /// <exception cref="AggregationRefusedException">The figures cannot be read without double counting.</exception>
    public ActualSeries? Find(Indicator indicator, ProgressScope scope, BeneficiaryRole? role)
    {
        Preconditions.CheckNotNull(indicator);
        if (indicator.Numerator is { } n && indicator.Denominator is { } d
            && _indicators.TryGetValue(n, out var numerator) && _indicators.TryGetValue(d, out var denominator)
            && Find(numerator, scope, role) is { } top && Find(denominator, scope, role) is { } bottom)
        {
            return ActualSeries.Percent(top, bottom, indicator.Accumulation);
        }
        var figures = _figures[(indicator.Id, scope)];
        var category = role is { } r ? JsonNamingPolicy.CamelCase.ConvertName(r.ToString()) : null;
        var points = new List<ActualPoint>();
        foreach (var figure in figures)
        {
            if (indicator.Basis == CountingBasis.UniquePeople
                && figure.Derivation is FigureDerivation.SummedAcrossGroups or FigureDerivation.SummedAcrossPeriods)
            {
                throw new AggregationRefusedException(
                    AggregationRefusal.UniqueCountsNotAdditive,
                    $"The {indicator.Id} figure for {ActualSeries.Describe(figure.Period)} in {scope} counts unique people but was made by summing ({figure.Derivation}).");
            }
            if (category is null)
            {
                points.Add(new ActualPoint(figure.Period, figure.Value));
            }
            else if (figure.Disaggregations.FirstOrDefault(d => d.Dimension == DisaggregationDimension.Role) is { } byRole)
            {
                var cell = byRole.Cells.FirstOrDefault(c => string.Equals(c.Category, category, StringComparison.Ordinal));
                points.Add(new ActualPoint(figure.Period, cell?.Value ?? 0m));
            }
        }
        return points.Count == 0 ? null : new ActualSeries(indicator.Basis, indicator.Accumulation, indicator.Unit, points, indicator.YearStartMonth ?? 1);
    }
}
