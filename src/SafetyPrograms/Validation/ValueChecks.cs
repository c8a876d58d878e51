using FluentValidation;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Validation;

/// <summary>The one place that decides whether a figure is in range for its indicator's unit (targets, actuals, baselines, cells).</summary>
internal static class ValueChecks
{
    /// <summary>
    /// Reports SP3006 when <paramref name="value"/> is beyond ±10^15, else SP3001, SP3002 or SP3003 when it does not fit
    /// <paramref name="indicator"/>'s unit.
    /// </summary>
    internal static void Check<T>(ValidationContext<T> context, string path, Indicator? indicator, decimal value)
    {
        if (!CheckMagnitude(context, path, value) || indicator is null)
        {
            return;
        }
        switch (indicator.Unit)
        {
            case IndicatorUnit.Count when value < 0 || value != decimal.Truncate(value):
                context.Report(
                    ValidationRules.CountNotWhole, path,
                    $"{JsonText.Of(value)} is not a whole number of 0 or more, but indicator '{indicator.Id}' counts.",
                    JsonText.Of(value));
                break;
            case IndicatorUnit.Percent when value is < 0 or > 100:
                context.Report(
                    ValidationRules.PercentOutOfRange, path,
                    $"{JsonText.Of(value)} is outside 0..100, but indicator '{indicator.Id}' is a percentage.",
                    JsonText.Of(value));
                break;
            case IndicatorUnit.Score when !InRange(indicator, value):
                context.Report(
                    ValidationRules.ScoreOutOfRange, path,
                    $"{JsonText.Of(value)} is outside the range {RangeText(indicator)} of indicator '{indicator.Id}'.",
                    JsonText.Of(value));
                break;
            default:
                break;
        }
    }

    /// <summary>Reports SP3006 when <paramref name="value"/> is beyond ±10^15; the message does not repeat the figure.</summary>
    /// <returns>Whether the figure is within the limit.</returns>
    internal static bool CheckMagnitude<T>(ValidationContext<T> context, string path, decimal value)
    {
        if (FigureLimit.Holds(value))
        {
            return true;
        }
        context.Report(
            ValidationRules.FigureOutOfRange, path,
            $"The figure is beyond ±{FigureLimit.Text}, the largest a programme figure may be.");
        return false;
    }

    internal static bool InRange(Indicator indicator, decimal value) =>
        (indicator.Minimum is not { } min || value >= min) && (indicator.Maximum is not { } max || value <= max);

    internal static string RangeText(Indicator indicator) =>
        $"{(indicator.Minimum is { } min ? JsonText.Of(min) : "-∞")}..{(indicator.Maximum is { } max ? JsonText.Of(max) : "∞")}";
}
