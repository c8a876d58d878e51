using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Ingest;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// The age column of a query that places each beneficiary by their age at their first participation
/// (<see cref="AggregationQuery.AgeAtFirstParticipation"/>): every record of a beneficiary carries the age code of that
/// beneficiary's earliest record in the query's date window with an age recorded, so a child who turns ten during the
/// period is one child aged nine, never one child in two bands. The engine reads it in place of the store's column, so
/// every path (one pass, partitions, partials, shards) sees the same ages.
/// </summary>
internal static class AgeAtFirstParticipation
{
    /// <summary>The columns with the age of each record replaced by its beneficiary's age at first participation in [from, to].</summary>
    internal static ParticipationStore.Columns Apply(ParticipationStore store, ParticipationStore.Columns c, LocalDate? from, LocalDate? to)
    {
        var first = from is { } f ? f.ToDateOnly().DayNumber - ParticipationStore.DayBase : int.MinValue;
        var last = to is { } t ? t.ToDateOnly().DayNumber - ParticipationStore.DayBase : int.MaxValue;
        var ages = GC.AllocateUninitializedArray<byte>(c.Count);
        Array.Copy(c.Age, ages, c.Count);
        // A beneficiary's records are contiguous in the sorted columns, in their order of arrival.
        for (var start = 0; start < c.Count;)
        {
            var end = start + 1;
            while (end < c.Count && c.Beneficiary[end] == c.Beneficiary[start])
            {
                end++;
            }
            var chosen = -1;
            for (var i = start; i < end; i++)
            {
                int day = c.Day[i];
                if (day >= first && day <= last && IsRecorded(c.Age[i]) && (chosen < 0 || day < c.Day[chosen]))
                {
                    chosen = i;
                }
            }
            if (chosen >= 0)
            {
                ages.AsSpan(start, end - start).Fill(c.Age[chosen]);
            }
            start = end;
        }
        return new ParticipationStore.Columns(store, ages);
    }

    private static bool IsRecorded(byte code) => AgeCodes.ListBand(code) is { } band && band != AgeBand.NotRecorded;
}
