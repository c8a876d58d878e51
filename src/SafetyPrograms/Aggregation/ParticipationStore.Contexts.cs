using System.Numerics;

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

    private readonly Dictionary<(Dimension, Type), Array> _contextKeys = [];

    /// <summary>
    /// <see cref="ContextValues"/> as group keys of type <typeparamref name="T"/>, for the common query that groups by one
    /// dataset dimension with no filter on the dataset's dimensions: its context table is this one, computed once, never
    /// per query. <typeparamref name="T"/> must hold every value of the dimension (the query engine reads the narrowest
    /// that does, so that the table stays in cache). Callers must not write to it.
    /// </summary>
    internal T[] ContextKeys<T>(Dimension dimension)
        where T : unmanaged, IBinaryInteger<T>
    {
        var values = ContextValues(dimension);
        lock (_contextValuesLock)
        {
            var keys = _contextKeys.TryGetValue((dimension, typeof(T)), out var cached) ? (T[])cached : null;
            if (keys is not null && keys.Length == values.Length)
            {
                return keys;
            }
            var from = keys?.Length ?? 0;
            Array.Resize(ref keys, values.Length);
            for (var c = from; c < values.Length; c++)
            {
                keys[c] = T.CreateChecked(values[c]);
            }
            _contextKeys[(dimension, typeof(T))] = keys;
            return keys;
        }
    }
}
