using System.Collections.Frozen;
using FluentValidation;
using SafetyPrograms.Domain;
using SafetyPrograms.Serialization;

namespace SafetyPrograms.Validation;

/// <summary>An indicator: its unit, accumulation and range agree.</summary>
internal sealed class IndicatorValidator : AbstractValidator<Indicator>
{
    internal static readonly IndicatorValidator Instance = new();

    private IndicatorValidator() => RuleFor(i => i).Custom(Check);

    private static void Check(Indicator indicator, ValidationContext<Indicator> context)
    {
        if (indicator.Unit != IndicatorUnit.Count && indicator.Accumulation == Accumulation.Cumulative)
        {
            context.Report(
                ValidationRules.UnitAccumulationMismatch, "accumulation",
                $"Indicator '{indicator.Id}' measures in {JsonText.Of(indicator.Unit)} but is declared cumulative; only counts accumulate.",
                JsonText.Of(indicator.Accumulation));
        }
        if (indicator.Unit == IndicatorUnit.Score && (indicator.Minimum is null || indicator.Maximum is null))
        {
            context.Report(
                ValidationRules.ScoreWithoutRange, indicator.Minimum is null ? "minimum" : "maximum",
                $"Score indicator '{indicator.Id}' does not declare its scale's {(indicator.Minimum is null ? "minimum" : "maximum")}.");
        }
        if (indicator.Unit == IndicatorUnit.Percent)
        {
            if (indicator.Minimum is < 0 or > 100)
            {
                context.Report(
                    ValidationRules.PercentRangeInvalid, "minimum",
                    $"Percent indicator '{indicator.Id}' declares minimum {JsonText.Of(indicator.Minimum.Value)}, outside 0..100.",
                    JsonText.Of(indicator.Minimum.Value));
            }
            if (indicator.Maximum is < 0 or > 100)
            {
                context.Report(
                    ValidationRules.PercentRangeInvalid, "maximum",
                    $"Percent indicator '{indicator.Id}' declares maximum {JsonText.Of(indicator.Maximum.Value)}, outside 0..100.",
                    JsonText.Of(indicator.Maximum.Value));
            }
        }
        if (indicator.Baseline is { } baseline)
        {
            ValueChecks.Check(context, "baseline.value", indicator, baseline.Value);
        }
        if (indicator.Minimum is { } minimum)
        {
            ValueChecks.CheckMagnitude(context, "minimum", minimum);
        }
        if (indicator.Maximum is { } maximum)
        {
            ValueChecks.CheckMagnitude(context, "maximum", maximum);
        }
    }
}

/// <summary>A reported figure: references, period, value, derivation and breakdowns.</summary>
internal sealed class ReportedActualValidator : AbstractValidator<ReportedActual>
{
    internal static readonly ReportedActualValidator Instance = new();

    private ReportedActualValidator()
    {
        RuleFor(a => a).Custom(CheckReferencesAndPeriod);
        RuleFor(a => a).Custom(CheckFigure);
        RuleForEach(a => a.Disaggregations).SetValidator(DisaggregationValidator.Instance).OverridePropertyName("disaggregations");
    }

    private static void CheckReferencesAndPeriod(ReportedActual actual, ValidationContext<ReportedActual> context)
    {
        var index = context.Session().Index;
        if (index.Indicator(actual.Indicator) is null)
        {
            context.Report(ValidationRules.UnknownIndicator, "indicator", $"Indicator '{actual.Indicator}' is not in indicators.", actual.Indicator.Value);
        }
        if (actual.ReportedBy is { } organisation && !index.Organisations.Contains(organisation))
        {
            context.Report(
                ValidationRules.UnknownOrganisation, "reportedBy", $"Reporting organisation '{organisation}' is not in organisations.", organisation.Value);
        }
        var partnership = index.Partnerships.GetValueOrDefault(actual.Partnership);
        if (partnership is null)
        {
            context.Report(
                ValidationRules.UnknownPartnership, "partnership", $"Partnership '{actual.Partnership}' is not in partnerships.", actual.Partnership.Value);
        }
        DatePeriod? scope = partnership?.Period;
        var scopeName = $"partnership '{actual.Partnership}'";
        if (actual.Phase is { } phaseId)
        {
            var phase = References.Phase(context, phaseId);
            if (phase is not null && partnership is not null && phase.Partnership.Id != partnership.Id)
            {
                context.Report(
                    ValidationRules.PhaseOfOtherPartnership, "phase",
                    $"Phase '{phaseId}' belongs to partnership '{phase.Partnership.Id}', not '{partnership.Id}'.", phaseId.Value);
            }
            scope = phase?.Phase.Period;
            scopeName = $"phase '{phaseId}'";
        }
        if (scope is null)
        {
            return;
        }
        if (!scope.Contains(actual.Period.Start))
        {
            context.Report(
                ValidationRules.ActualOutsideScope, "period.start",
                $"The reporting period starts on {JsonText.Of(actual.Period.Start)}, outside {scopeName} ({JsonText.Of(scope)}).",
                JsonText.Of(actual.Period.Start));
        }
        if (!scope.Contains(actual.Period.End))
        {
            context.Report(
                ValidationRules.ActualOutsideScope, "period.end",
                $"The reporting period ends on {JsonText.Of(actual.Period.End)}, outside {scopeName} ({JsonText.Of(scope)}).",
                JsonText.Of(actual.Period.End));
        }
    }

    private static bool IsProvinceOf(CountryCode country, SubdivisionCode code) =>
        code.Country == country && (!Subdivisions.HasCodelist(country) || Subdivisions.Find(code) is not null);

    private static void CheckFigure(ReportedActual actual, ValidationContext<ReportedActual> context)
    {
        var index = context.Session().Index;
        var indicator = index.Indicator(actual.Indicator);
        if (indicator is null)
        {
            return;
        }
        ValueChecks.Check(context, "value", indicator, actual.Value);
        var summed = actual.Derivation is FigureDerivation.SummedAcrossGroups or FigureDerivation.SummedAcrossPeriods;
        if (summed && indicator.Basis == CountingBasis.UniquePeople)
        {
            context.Report(
                ValidationRules.UniqueFigureSummed, "derivation",
                $"Indicator '{indicator.Id}' counts unique people, but this figure is {JsonText.Of(actual.Derivation)}: people in several groups or periods are counted more than once.",
                JsonText.Of(actual.Derivation));
        }
        else if (actual.Derivation == FigureDerivation.SummedAcrossPeriods && indicator.Accumulation == Accumulation.Cumulative)
        {
            context.Report(
                ValidationRules.CumulativeFigureSummed, "derivation",
                $"Indicator '{indicator.Id}' is cumulative, but this figure sums the values of shorter periods.",
                JsonText.Of(actual.Derivation));
        }
        var country = index.Partnerships.GetValueOrDefault(actual.Partnership)?.Country;
        var dimensions = new Dictionary<DisaggregationDimension, int>();
        for (var d = 0; d < actual.Disaggregations.Count; d++)
        {
            var breakdown = actual.Disaggregations[d];
            if (!dimensions.TryAdd(breakdown.Dimension, d))
            {
                context.Report(
                    ValidationRules.DuplicateDimension, $"disaggregations[{d}].dimension",
                    $"The figure is already broken down by {JsonText.Of(breakdown.Dimension)} in disaggregations[{dimensions[breakdown.Dimension]}].",
                    JsonText.Of(breakdown.Dimension));
            }
            var sum = 0m;
            // Cells beyond the limit are reported (SP3006) and not added: the sum of cells within it cannot overflow.
            var addsUp = FigureLimit.Holds(actual.Value);
            for (var c = 0; c < breakdown.Cells.Count; c++)
            {
                var cell = breakdown.Cells[c];
                addsUp &= FigureLimit.Holds(cell.Value);
                sum += FigureLimit.Holds(cell.Value) ? cell.Value : 0m;
                ValueChecks.Check(context, $"disaggregations[{d}].cells[{c}].value", indicator, cell.Value);
                if (breakdown.Dimension == DisaggregationDimension.Province && country is { } inCountry
                    && SubdivisionCode.IsValid(cell.Category) && !IsProvinceOf(inCountry, new SubdivisionCode(cell.Category)))
                {
                    context.Report(
                        ValidationRules.UnknownCategory, $"disaggregations[{d}].cells[{c}].category",
                        $"'{cell.Category}' is not a province of {country}.", cell.Category);
                }
            }
            if (addsUp && indicator.Unit == IndicatorUnit.Count && sum != actual.Value)
            {
                context.Report(
                    ValidationRules.DisaggregationMismatch, $"disaggregations[{d}]",
                    $"The {JsonText.Of(breakdown.Dimension)} cells sum to {JsonText.Of(sum)}, but the reported total is {JsonText.Of(actual.Value)}.",
                    JsonText.Of(sum));
            }
        }
    }
}

/// <summary>One breakdown on its own: categories come from the dimension's codelist, each once.</summary>
internal sealed class DisaggregationValidator : AbstractValidator<Disaggregation>
{
    internal static readonly DisaggregationValidator Instance = new();

    private static readonly FrozenSet<string> SexCategories = EnumNames<Sex>.Names.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> RoleCategories =
        EnumNames<BeneficiaryRole>.Names.Append(JsonText.NotRecorded).ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> AgeBandCategories = EnumNames<AgeBand>.Names.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> DisabilityCategories = EnumNames<DisabilityStatus>.Names.ToFrozenSet(StringComparer.Ordinal);

    private DisaggregationValidator() => RuleFor(d => d).Custom(Check);

    internal static bool IsCategory(DisaggregationDimension dimension, string category) => dimension switch
    {
        DisaggregationDimension.Sex => SexCategories.Contains(category),
        DisaggregationDimension.Role => RoleCategories.Contains(category),
        DisaggregationDimension.AgeBand => AgeBandCategories.Contains(category),
        DisaggregationDimension.Disability => DisabilityCategories.Contains(category),
        _ => category == JsonText.NotRecorded || SubdivisionCode.IsValid(category),
    };

    private static void Check(Disaggregation breakdown, ValidationContext<Disaggregation> context)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < breakdown.Cells.Count; c++)
        {
            var category = breakdown.Cells[c].Category;
            if (!IsCategory(breakdown.Dimension, category))
            {
                context.Report(
                    ValidationRules.UnknownCategory, $"cells[{c}].category",
                    $"'{category}' is not in the {JsonText.Of(breakdown.Dimension)} codelist.", category);
            }
            if (!seen.Add(category))
            {
                context.Report(
                    ValidationRules.DuplicateCategory, $"cells[{c}].category",
                    $"Category '{category}' appears twice in the {JsonText.Of(breakdown.Dimension)} breakdown.", category);
            }
        }
    }
}
