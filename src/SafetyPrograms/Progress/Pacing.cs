using NodaTime;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Progress;

/// <summary>
/// A plan's shape: what share of a target should be reached by the end of a given day of the target period.
/// </summary>
/// <remarks>
/// Implementations return a share from 0 to 1 that does not decrease as the date advances: 0 before the period starts
/// and, for the built-in curves, 1 from its last day. <see cref="PacingCurve"/> holds the built-in curves. Implementations must be thread-safe.
/// </remarks>
public interface IPacingCurve
{
    /// <summary>The share of the target planned by the end of <paramref name="date"/>.</summary>
    /// <param name="period">The target period.</param>
    /// <param name="date">The day.</param>
    /// <returns>A share from 0 to 1.</returns>
    decimal PlannedShare(DateInterval period, LocalDate date);
}

/// <summary>One point of a caller's pacing curve: by this share of the period's days, this share of the target.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record PacingPoint
{
    /// <summary>Creates a point.</summary>
    /// <param name="elapsedShare">The share of the period's days gone, from 0 to 1.</param>
    /// <param name="plannedShare">The share of the target planned by then, from 0 to 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A share is outside 0 to 1.</exception>
    public PacingPoint(decimal elapsedShare, decimal plannedShare)
    {
        ElapsedShare = PacingCurve.CheckShare(elapsedShare, nameof(elapsedShare));
        PlannedShare = PacingCurve.CheckShare(plannedShare, nameof(plannedShare));
    }

    /// <summary>The share of the period's days gone.</summary>
    public decimal ElapsedShare { get; }

    /// <summary>The share of the target planned by then.</summary>
    public decimal PlannedShare { get; }
}

/// <summary>One dated point of a caller's plan: by the end of this day, this share of the target.</summary>
/// <remarks>Equality is by value. Immutable and thread-safe.</remarks>
public sealed record DatedPacingPoint
{
    /// <summary>Creates a point.</summary>
    /// <param name="date">The day.</param>
    /// <param name="plannedShare">The share of the target planned by the end of that day, from 0 to 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="plannedShare"/> is outside 0 to 1.</exception>
    public DatedPacingPoint(LocalDate date, decimal plannedShare)
    {
        Date = date;
        PlannedShare = PacingCurve.CheckShare(plannedShare, nameof(plannedShare));
    }

    /// <summary>The day.</summary>
    public LocalDate Date { get; }

    /// <summary>The share of the target planned by the end of that day.</summary>
    public decimal PlannedShare { get; }
}

/// <summary>The built-in pacing curves and the arithmetic of elapsed time they share.</summary>
/// <remarks>
/// Time is counted in whole days: by the end of day <c>d</c>, <c>(d - start) + 1</c> of the period's
/// <see cref="DateInterval.Length"/> days are gone, so the plan reaches 100% on the last day, not the day after.
/// </remarks>
public static class PacingCurve
{
    /// <summary>Even progress every day of the period: the default.</summary>
    public static IPacingCurve Linear { get; } = new PiecewiseLinearCurve([]);

    /// <summary>The share of a period's days gone by the end of <paramref name="date"/>, from 0 (before the start) to 1 (from the last day).</summary>
    /// <param name="period">The period.</param>
    /// <param name="date">The day.</param>
    /// <returns>The elapsed share; exact, not rounded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="period"/> is null.</exception>
    public static decimal ElapsedShare(DateInterval period, LocalDate date)
    {
        Preconditions.CheckNotNull(period);
        if (date < period.Start)
        {
            return 0m;
        }
        if (date >= period.End)
        {
            return 1m;
        }
        return (decimal)(Period.DaysBetween(period.Start, date) + 1) / period.Length;
    }

    /// <summary>
    /// A curve through the caller's points, interpolated linearly between them; (0, 0) and (1, 1) are implied at the ends.
    /// </summary>
    /// <param name="points">The points, ordered by elapsed share, planned shares never decreasing.</param>
    /// <returns>The curve.</returns>
    /// <exception cref="ArgumentException">Elapsed shares repeat or go backwards, or planned shares decrease.</exception>
    public static IPacingCurve FromPoints(IEnumerable<PacingPoint> points) =>
        new PiecewiseLinearCurve(ValueList<PacingPoint>.From(Preconditions.CheckNotNull(points), nameof(points)));

    /// <summary>
    /// A curve through dated points of the plan (by 2023-06-30, 40% of the target), interpolated linearly by days
    /// between them; 0 before the period and 1 on its last day are implied unless a point says otherwise.
    /// </summary>
    /// <param name="points">The points, dates increasing, planned shares never decreasing.</param>
    /// <returns>The curve. Asking it about a period that does not contain every point's date throws <see cref="ArgumentException"/>.</returns>
    /// <exception cref="ArgumentException">Dates repeat or go backwards, or planned shares decrease.</exception>
    public static IPacingCurve FromDates(IEnumerable<DatedPacingPoint> points)
    {
        var list = ValueList<DatedPacingPoint>.From(Preconditions.CheckNotNull(points), nameof(points));
        for (var i = 1; i < list.Count; i++)
        {
            Preconditions.CheckArgument(list[i].Date > list[i - 1].Date, nameof(points), $"The date {list[i].Date:uuuu-MM-dd} does not come after {list[i - 1].Date:uuuu-MM-dd}.");
            Preconditions.CheckArgument(
                list[i].PlannedShare >= list[i - 1].PlannedShare, nameof(points), $"The planned share on {list[i].Date:uuuu-MM-dd} is below the one before; a plan does not go backwards.");
        }
        return new DatedCurve(list);
    }

    /// <summary>
    /// An S-curve: slow start, fast middle, slow finish, as when a programme trains trainers before rolling out.
    /// A logistic curve rescaled to pass through (0, 0) and (1, 1).
    /// </summary>
    /// <param name="steepness">How sharp the middle is; 10 is a common choice. Near 0 it approaches linear.</param>
    /// <returns>The curve.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steepness"/> is not between 0.1 and 50.</exception>
    public static IPacingCurve SCurve(double steepness = 10d)
    {
        if (!(steepness is >= 0.1d and <= 50d))
        {
            throw new ArgumentOutOfRangeException(nameof(steepness), steepness, "The steepness must be between 0.1 and 50.");
        }
        return new LogisticCurve(steepness);
    }

    internal static decimal CheckShare(decimal share, string paramName) =>
        share is >= 0m and <= 1m ? share : throw new ArgumentOutOfRangeException(paramName, share, "A share must be between 0 and 1.");

    private sealed class DatedCurve(IReadOnlyList<DatedPacingPoint> points) : IPacingCurve
    {
        public decimal PlannedShare(DateInterval period, LocalDate date)
        {
            Preconditions.CheckNotNull(period);
            var relative = new List<PacingPoint>(points.Count);
            foreach (var point in points)
            {
                Preconditions.CheckArgument(
                    period.Contains(point.Date),
                    nameof(period),
                    $"The pacing point {point.Date:uuuu-MM-dd} is outside the target period {ActualSeries.Describe(period)}.");
                relative.Add(new PacingPoint(ElapsedShare(period, point.Date), point.PlannedShare));
            }
            return PiecewiseLinearCurve.Interpolate(PiecewiseLinearCurve.Normalise(relative), ElapsedShare(period, date));
        }
    }

    private sealed class PiecewiseLinearCurve(IReadOnlyList<PacingPoint> points) : IPacingCurve
    {
        private readonly PacingPoint[] _points = Normalise(points);

        public decimal PlannedShare(DateInterval period, LocalDate date) => Interpolate(_points, ElapsedShare(period, date));

        internal static PacingPoint[] Normalise(IReadOnlyList<PacingPoint> points)
        {
            var all = new List<PacingPoint> { new(0m, 0m) };
            foreach (var point in points)
            {
                var previous = all[^1];
                if (point.ElapsedShare == 0m && point.PlannedShare == 0m && all.Count == 1)
                {
                    continue;
                }
                Preconditions.CheckArgument(
                    point.ElapsedShare > previous.ElapsedShare, nameof(points), $"Elapsed share {point.ElapsedShare} does not come after {previous.ElapsedShare}.");
                Preconditions.CheckArgument(
                    point.PlannedShare >= previous.PlannedShare, nameof(points), $"Planned share {point.PlannedShare} is below the previous {previous.PlannedShare}; a plan does not go backwards.");
                all.Add(point);
            }
            if (all[^1].ElapsedShare < 1m)
            {
                all.Add(new PacingPoint(1m, 1m));
            }
            return [.. all];
        }

        internal static decimal Interpolate(PacingPoint[] curve, decimal t)
        {
            for (var i = 1; i < curve.Length; i++)
            {
                var (a, b) = (curve[i - 1], curve[i]);
                if (t == b.ElapsedShare)
                {
                    return b.PlannedShare;
                }
                if (t < b.ElapsedShare)
                {
                    // Decimal division rounds in the 28th digit; clamping keeps the plan inside its segment (and within 0 to 1).
                    var share = a.PlannedShare + ((b.PlannedShare - a.PlannedShare) * (t - a.ElapsedShare) / (b.ElapsedShare - a.ElapsedShare));
                    return Math.Clamp(share, a.PlannedShare, b.PlannedShare);
                }
            }
            return curve[^1].PlannedShare;
        }
    }

    private sealed class LogisticCurve(double steepness) : IPacingCurve
    {
        public decimal PlannedShare(DateInterval period, LocalDate date)
        {
            var t = ElapsedShare(period, date);
            if (t is 0m or 1m)
            {
                return t;
            }
            var low = Sigmoid(-steepness / 2);
            var high = Sigmoid(steepness / 2);
            var share = (Sigmoid(steepness * ((double)t - 0.5d)) - low) / (high - low);
            return Math.Clamp((decimal)share, 0m, 1m);
        }

        private static double Sigmoid(double x) => 1d / (1d + Math.Exp(-x));
    }
}
