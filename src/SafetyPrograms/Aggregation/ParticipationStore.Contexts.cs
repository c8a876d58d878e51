namespace SafetyPrograms.Aggregation;

public sealed partial class ParticipationStore
{
    private readonly Dictionary<Dimension, int[]> _contextValues = [];
    private readonly Lock _contextValuesLock = new();

    /// <summary>
    /// For a dataset dimension, its value for each context (activity + effective school), computed once and extended as
    /// contexts are added, so that planning a query costs one array read per context.
    /// </summary>
    internal int[] ContextValues(Dimension dimension)
    {
        lock (_contextValuesLock)
        {
            var count = ContextCount;
            if (_contextValues.TryGetValue(dimension, out var values) && values.Length == count)
            {
                return values;
            }
            var from = values?.Length ?? 0;
            Array.Resize(ref values, count);
            for (var c = from; c < count; c++)
            {
                values[c] = Lookup.ContextValue(dimension, _contextActivity[c], _contextSchool[c]);
            }
            _contextValues[dimension] = values;
            return values;
        }
    }
}
