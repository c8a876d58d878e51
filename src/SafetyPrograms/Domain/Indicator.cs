using NodaTime;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>What an indicator's values measure in.</summary>
public enum IndicatorUnit
{
    /// <summary>A whole-number count, such as children trained.</summary>
    Count,
    /// <summary>A percentage from 0 to 100.</summary>
    Percent,
    /// <summary>A score on the scale the indicator declares with its minimum and maximum.</summary>
    Score,
}

/// <summary>The level of the results chain an indicator sits at.</summary>
public enum ResultLevel
{
    /// <summary>What the programme delivers: workshops held, people trained.</summary>
    Output,
    /// <summary>The change among those reached: knowledge gained, practices adopted.</summary>
    Outcome,
    /// <summary>The long-term change the programme contributes to.</summary>
    Impact,
}

/// <summary>What a count counts. Part of every figure: a unique count and an attendance count are not comparable.</summary>
public enum CountingBasis
{
    /// <summary>Distinct people: a child at three workshops counts once. Never summed across groups or periods.</summary>
    UniquePeople,
    /// <summary>Attendances or contacts: a child at three workshops counts three times.</summary>
    Attendances,
    /// <summary>People reached for the first time in the period.</summary>
    New,
}

/// <summary>How an indicator's values combine over time.</summary>
public enum Accumulation
{
    /// <summary>Each period reports what happened in it; the total is the sum.</summary>
    Incremental,
    /// <summary>Each period reports the total to date; the latest value is the total. Summing these is a classic bug.</summary>
    Cumulative,
    /// <summary>Each period reports a level (a rate, a score); the latest value stands.</summary>
    LastValue,
}

/// <summary>Which way is better for an indicator.</summary>
public enum Direction
{
    /// <summary>More is better.</summary>
    HigherIsBetter,
    /// <summary>Less is better.</summary>
    LowerIsBetter,
}

/// <summary>The value of an indicator before the programme, measured on a date.</summary>
/// <param name="Date">When the baseline was measured.</param>
/// <param name="Value">The baseline value.</param>
public sealed record Baseline(LocalDate Date, decimal Value);

/// <summary>An indicator or outcome metric a programme reports on.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record Indicator
{
    /// <summary>Creates an indicator.</summary>
    /// <param name="id">The indicator's code, unique within the dataset, such as <c>COP-OUT-1</c>.</param>
    /// <param name="name">What it measures, in words.</param>
    /// <param name="unit">What values measure in.</param>
    /// <param name="level">Output, outcome or impact.</param>
    /// <param name="basis">What a count counts.</param>
    /// <param name="accumulation">How values combine over time.</param>
    /// <param name="direction">Which way is better.</param>
    /// <param name="baseline">The value before the programme.</param>
    /// <param name="minimum">The lowest possible value (for scores).</param>
    /// <param name="maximum">The highest possible value (for scores).</param>
    /// <param name="description">A fuller definition.</param>
    /// <exception cref="ArgumentException">The name is blank, an enum undefined, or <paramref name="minimum"/> is above <paramref name="maximum"/>.</exception>
    public Indicator(
        Id<Indicator> id,
        string name,
        IndicatorUnit unit,
        ResultLevel level,
        CountingBasis basis,
        Accumulation accumulation,
        Direction direction = Direction.HigherIsBetter,
        Baseline? baseline = null,
        decimal? minimum = null,
        decimal? maximum = null,
        string? description = null)
    {
        Preconditions.CheckArgument(
            minimum is null || maximum is null || minimum <= maximum,
            nameof(maximum),
            $"The maximum {maximum} is below the minimum {minimum}.");
        Id = id;
        Name = Preconditions.CheckNotBlank(name);
        Unit = Preconditions.CheckDefined(unit);
        Level = Preconditions.CheckDefined(level);
        Basis = Preconditions.CheckDefined(basis);
        Accumulation = Preconditions.CheckDefined(accumulation);
        Direction = Preconditions.CheckDefined(direction);
        Baseline = baseline;
        Minimum = minimum;
        Maximum = maximum;
        Description = description;
    }

    /// <summary>The indicator's code, unique within the dataset.</summary>
    public Id<Indicator> Id { get; }

    /// <summary>What it measures, in words.</summary>
    public string Name { get; }

    /// <summary>What values measure in.</summary>
    public IndicatorUnit Unit { get; }

    /// <summary>Output, outcome or impact.</summary>
    public ResultLevel Level { get; }

    /// <summary>What a count counts.</summary>
    public CountingBasis Basis { get; }

    /// <summary>How values combine over time.</summary>
    public Accumulation Accumulation { get; }

    /// <summary>Which way is better.</summary>
    public Direction Direction { get; }

    /// <summary>The value before the programme.</summary>
    public Baseline? Baseline { get; }

    /// <summary>The lowest possible value, for scores.</summary>
    public decimal? Minimum { get; }

    /// <summary>The highest possible value, for scores.</summary>
    public decimal? Maximum { get; }

    /// <summary>A fuller definition.</summary>
    public string? Description { get; }
}

/// <summary>A target for an indicator over a period; its scope (partnership or phase) is where it is declared.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record Target
{
    /// <summary>Creates a target.</summary>
    /// <param name="indicator">The indicator.</param>
    /// <param name="period">The period the target is to be met over; its end is the deadline.</param>
    /// <param name="value">The value to reach.</param>
    /// <param name="role">When the target is for one role only, that role.</param>
    /// <param name="source">Where the figure comes from; <c>illustrative</c> marks made-up sample figures.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public Target(Id<Indicator> indicator, DateInterval period, decimal value, BeneficiaryRole? role = null, string? source = null)
    {
        Indicator = indicator;
        Period = Preconditions.CheckNotNull(period);
        Value = Preconditions.CheckNonNegative(value);
        Role = role is { } r ? Preconditions.CheckDefined(r) : null;
        Source = source;
    }

    /// <summary>The indicator.</summary>
    public Id<Indicator> Indicator { get; }

    /// <summary>The period the target is to be met over.</summary>
    public DateInterval Period { get; }

    /// <summary>The value to reach; never negative.</summary>
    public decimal Value { get; }

    /// <summary>When the target is for one role only, that role.</summary>
    public BeneficiaryRole? Role { get; }

    /// <summary>Where the figure comes from.</summary>
    public string? Source { get; }
}

/// <summary>A dimension along which a reported figure is broken down.</summary>
public enum DisaggregationDimension
{
    /// <summary>By <see cref="Domain.Sex"/>.</summary>
    Sex,
    /// <summary>By <see cref="BeneficiaryRole"/>.</summary>
    Role,
    /// <summary>By <see cref="Domain.AgeBand"/>.</summary>
    AgeBand,
    /// <summary>By first-level subdivision code.</summary>
    Province,
    /// <summary>By <see cref="DisabilityStatus"/> (<c>disability</c>, <c>noDisability</c>, <c>notRecorded</c>) under the Washington Group cut-off.</summary>
    Disability,
}

/// <summary>One category's value in a breakdown.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record DisaggregationCell
{
    /// <summary>Creates a cell.</summary>
    /// <param name="category">The category, as its JSON name (<c>female</c>, <c>teacher</c>, <c>10-14</c>, <c>PK-SD</c>, <c>notRecorded</c>).</param>
    /// <param name="value">The value for that category.</param>
    /// <exception cref="ArgumentException"><paramref name="category"/> is blank or <paramref name="value"/> negative.</exception>
    public DisaggregationCell(string category, decimal value)
    {
        Category = Preconditions.CheckNotBlank(category);
        Value = Preconditions.CheckNonNegative(value);
    }

    /// <summary>The category.</summary>
    public string Category { get; }

    /// <summary>The value for that category; never negative.</summary>
    public decimal Value { get; }
}

/// <summary>A breakdown of a reported figure along one dimension; the cells, with an explicit not-recorded cell, must add up to the total.</summary>
/// <param name="Dimension">The dimension.</param>
/// <param name="Cells">The categories and their values.</param>
public sealed record Disaggregation(DisaggregationDimension Dimension, IReadOnlyList<DisaggregationCell> Cells)
{
    /// <summary>The categories and their values.</summary>
    public IReadOnlyList<DisaggregationCell> Cells { get; } = ValueList<DisaggregationCell>.From(Preconditions.CheckNotNull(Cells), nameof(Cells));
}

/// <summary>How a reported figure was arrived at. Validation refuses a unique-people figure made by summing.</summary>
public enum FigureDerivation
{
    /// <summary>Counted directly for the scope and period.</summary>
    Counted,
    /// <summary>The sum of the figures of sub-groups (schools, provinces).</summary>
    SummedAcrossGroups,
    /// <summary>The sum of the figures of shorter periods.</summary>
    SummedAcrossPeriods,
    /// <summary>An estimate.</summary>
    Estimated,
}

/// <summary>A figure a partner reported for an indicator over a period: the summary data of partners who do not track individuals.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record ReportedActual
{
    /// <summary>Creates a reported figure.</summary>
    /// <param name="indicator">The indicator.</param>
    /// <param name="partnership">The partnership it is reported for.</param>
    /// <param name="period">The reporting period.</param>
    /// <param name="value">The figure.</param>
    /// <param name="phase">The phase, when reported for one.</param>
    /// <param name="derivation">How the figure was arrived at.</param>
    /// <param name="disaggregations">Breakdowns of the figure.</param>
    /// <param name="reportedBy">The organisation that reported it.</param>
    /// <param name="source">Where the figure comes from; <c>illustrative</c> marks made-up sample figures.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative or an enum undefined.</exception>
    public ReportedActual(
        Id<Indicator> indicator,
        Id<Partnership> partnership,
        DateInterval period,
        decimal value,
        Id<Phase>? phase = null,
        FigureDerivation derivation = FigureDerivation.Counted,
        IReadOnlyList<Disaggregation>? disaggregations = null,
        Id<Organisation>? reportedBy = null,
        string? source = null)
    {
        Indicator = indicator;
        Partnership = partnership;
        Period = Preconditions.CheckNotNull(period);
        Value = Preconditions.CheckNonNegative(value);
        Phase = phase;
        Derivation = Preconditions.CheckDefined(derivation);
        Disaggregations = ValueList<Disaggregation>.From(disaggregations, nameof(disaggregations));
        ReportedBy = reportedBy;
        Source = source;
    }

    /// <summary>The indicator.</summary>
    public Id<Indicator> Indicator { get; }

    /// <summary>The partnership it is reported for.</summary>
    public Id<Partnership> Partnership { get; }

    /// <summary>The reporting period.</summary>
    public DateInterval Period { get; }

    /// <summary>The figure; never negative.</summary>
    public decimal Value { get; }

    /// <summary>The phase, when reported for one.</summary>
    public Id<Phase>? Phase { get; }

    /// <summary>How the figure was arrived at.</summary>
    public FigureDerivation Derivation { get; }

    /// <summary>Breakdowns of the figure.</summary>
    public IReadOnlyList<Disaggregation> Disaggregations { get; }

    /// <summary>The organisation that reported it.</summary>
    public Id<Organisation>? ReportedBy { get; }

    /// <summary>Where the figure comes from.</summary>
    public string? Source { get; }
}
