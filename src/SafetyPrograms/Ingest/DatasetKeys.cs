using System.Runtime.CompilerServices;
using SafetyPrograms.Indexing;

namespace SafetyPrograms.Ingest;

/// <summary>The dataset's activity and school ids by their UTF-8 bytes, for ingest: built once per dataset index and shared.</summary>
/// <remarks>Numbers are the index's (<see cref="ProgrammeIndex.ActivityIds"/>, <see cref="ProgrammeIndex.SchoolIds"/>). Thread-safe for lookups.</remarks>
internal sealed class DatasetKeys
{
    private static readonly ConditionalWeakTable<ProgrammeIndex, DatasetKeys> Cache = [];

    private DatasetKeys(ProgrammeIndex index)
    {
        Activities = KeyTable.Of(index.ActivityIds);
        Schools = KeyTable.Of(index.SchoolIds);
    }

    internal static DatasetKeys For(ProgrammeIndex index) => Cache.GetValue(index, static i => new DatasetKeys(i));

    internal KeyTable Activities { get; }

    internal KeyTable Schools { get; }
}
