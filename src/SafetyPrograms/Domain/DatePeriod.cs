using NodaTime;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Domain;

/// <summary>
/// The dates a partnership or phase runs: a start and an inclusive end, or no end yet for ongoing work.
/// </summary>
/// <remarks>
/// Closed periods that must have an end (a target's period, a reporting period) use NodaTime's
/// <see cref="DateInterval"/> instead. Both dates are ISO calendar dates. Equality is by value.
/// Immutable and thread-safe.
/// </remarks>
public sealed record DatePeriod
{
    /// <summary>Creates a period.</summary>
    /// <param name="start">The first day.</param>
    /// <param name="end">The last day, inclusive; <c>null</c> while the work is ongoing.</param>
    /// <exception cref="ArgumentException">The end is before the start, or a date is not in the ISO calendar.</exception>
    public DatePeriod(LocalDate start, LocalDate? end = null)
    {
        Preconditions.CheckArgument(start.Calendar == CalendarSystem.Iso, nameof(start), "Dates must be in the ISO calendar.");
        if (end is { } e)
        {
            Preconditions.CheckArgument(e.Calendar == CalendarSystem.Iso, nameof(end), "Dates must be in the ISO calendar.");
            Preconditions.CheckArgument(
                e >= start, nameof(end), $"The end {e:uuuu-MM-dd} is before the start {start:uuuu-MM-dd}.",
                $"The end {e:uuuu-MM-dd} is before the start {start:uuuu-MM-dd}: swap them, or correct the end.");
        }
        Start = start;
        End = end;
    }

    /// <summary>The first day.</summary>
    public LocalDate Start { get; }

    /// <summary>The last day, inclusive; <c>null</c> while ongoing.</summary>
    public LocalDate? End { get; }

    /// <summary>Whether the period has no end yet.</summary>
    public bool IsOpen => End is null;

    /// <summary>Whether <paramref name="date"/> falls inside the period (an open period has no upper bound).</summary>
    /// <param name="date">The date.</param>
    /// <returns><c>true</c> when the date is on or after the start and, if there is an end, on or before it.</returns>
    public bool Contains(LocalDate date) => date >= Start && (End is not { } end || date <= end);

    /// <summary>Whether <paramref name="other"/> lies wholly inside this period.</summary>
    /// <param name="other">The inner period.</param>
    /// <returns><c>true</c> when both ends of <paramref name="other"/> are inside this period.</returns>
    public bool Contains(DatePeriod other)
    {
        Preconditions.CheckNotNull(other);
        if (!Contains(other.Start))
        {
            return false;
        }
        return other.End is { } otherEnd ? Contains(otherEnd) : IsOpen;
    }

    /// <summary>Whether <paramref name="interval"/> lies wholly inside this period.</summary>
    /// <param name="interval">The closed interval.</param>
    /// <returns><c>true</c> when both ends are inside this period.</returns>
    public bool Contains(DateInterval interval)
    {
        Preconditions.CheckNotNull(interval);
        return Contains(interval.Start) && Contains(interval.End);
    }

    /// <summary>Whether this period and <paramref name="other"/> share at least one day.</summary>
    /// <param name="other">The other period.</param>
    /// <returns><c>true</c> when they overlap.</returns>
    public bool Overlaps(DatePeriod other)
    {
        Preconditions.CheckNotNull(other);
        return (End is not { } end || other.Start <= end) && (other.End is not { } otherEnd || Start <= otherEnd);
    }

    /// <summary>The period as a closed interval, ending at its end or, when open, at <paramref name="asOf"/>.</summary>
    /// <param name="asOf">The day to end an open period on.</param>
    /// <returns>The closed interval.</returns>
    /// <exception cref="ArgumentException">The period is open and <paramref name="asOf"/> is before its start.</exception>
    public DateInterval ToInterval(LocalDate asOf) => new(Start, End ?? asOf);

    /// <summary>The period as ISO text, <c>2022-01-01/2025-12-03</c> or <c>2022-01-01/..</c> when open.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => End is { } end ? $"{Start:uuuu-MM-dd}/{end:uuuu-MM-dd}" : $"{Start:uuuu-MM-dd}/..";
}
