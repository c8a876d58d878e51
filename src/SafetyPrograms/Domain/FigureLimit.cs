namespace SafetyPrograms.Domain;

/// <summary>
/// The one place that decides how large a figure may be: a target, a baseline, a reported value, a breakdown cell, an
/// indicator's minimum or maximum, or a value of a caller's actual series.
/// </summary>
/// <remarks>
/// No programme counts or scores beyond 10^15 (a million billion; the world has fewer than 10^10 people). Beyond it the
/// arithmetic of progress (a figure times 100 for a percentage, times a period's days for a projection) could leave
/// <see cref="decimal"/>'s range of about 7.9 × 10^28, and a figure would no longer be exact as the double a chart draws
/// (exact up to 2^53, about 9 × 10^15). Validation reports a figure beyond the limit (SP3006) and progress refuses it
/// (<c>AggregationRefusal.FigureOutOfRange</c>), so neither path overflows.
/// </remarks>
internal static class FigureLimit
{
    /// <summary>The largest magnitude a figure may have: 10^15.</summary>
    internal const decimal Magnitude = 1_000_000_000_000_000m;

    /// <summary>The limit as messages and the README write it.</summary>
    internal const string Text = "10^15";

    /// <summary>Whether <paramref name="value"/> is within ±10^15.</summary>
    internal static bool Holds(decimal value) => value is >= -Magnitude and <= Magnitude;
}
