using System.Collections;

namespace SafetyPrograms.Aggregation;

/// <summary>
/// Entries in key order (ordinal), each key once, in two arrays: what a shard partial holds per section (its finest
/// groups, each rollup level's counts). Built by appending in key order, each append checked against the last key only,
/// so that reading a partial off the wire, cutting it into chunks and merging partials cost one comparison an entry
/// rather than a search or a sort; read by position, or by key through a binary search.
/// </summary>
/// <remarks>Filled once by its builder and never changed after: a partial that holds one shares it freely.</remarks>
internal sealed class KeyedEntries<T> : IReadOnlyDictionary<string, T>
{
    private string[] _keys;
    private T[] _values;
    private int _count;

    /// <summary>Creates an empty run, with room for <paramref name="capacity"/> entries.</summary>
    internal KeyedEntries(int capacity = 0)
    {
        _keys = capacity == 0 ? [] : new string[capacity];
        _values = capacity == 0 ? [] : new T[capacity];
    }

    private KeyedEntries(string[] keys, T[] values, int count) => (_keys, _values, _count) = (keys, values, count);

    /// <summary>An empty run.</summary>
    internal static KeyedEntries<T> Empty => new();

    /// <summary>The run of arrays sorted by <see cref="Sort"/>; it keeps the arrays.</summary>
    /// <exception cref="ArgumentException">A key is repeated.</exception>
    internal static KeyedEntries<T> FromSorted(string[] keys, T[] values)
    {
        for (var i = 1; i < keys.Length; i++)
        {
            if (string.CompareOrdinal(keys[i - 1], keys[i]) >= 0)
            {
                throw new ArgumentException("Entries of a keyed run are in key order, each key once.", nameof(keys));
            }
        }
        return new(keys, values, keys.Length);
    }

    /// <summary>Sorts keys and values together by key (ordinal), in place.</summary>
    internal static void Sort(string[] keys, T[] values) => Array.Sort(keys, values, StringComparer.Ordinal);

    /// <summary>Entries in any order as a run: the run itself when it is one already, otherwise sorted.</summary>
    internal static KeyedEntries<T> Of(IEnumerable<KeyValuePair<string, T>> entries)
    {
        if (entries is KeyedEntries<T> run)
        {
            return run;
        }
        var all = entries.ToArray();
        var (keys, values) = (all.Select(e => e.Key).ToArray(), all.Select(e => e.Value).ToArray());
        Sort(keys, values);
        var result = new KeyedEntries<T>(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            result.Append(keys[i], values[i]);
        }
        return result;
    }

    /// <summary>The number of entries.</summary>
    public int Count => _count;

    /// <summary>The keys in order.</summary>
    public ArraySegment<string> Keys => new(_keys, 0, _count);

    /// <summary>The values, in their keys' order.</summary>
    public ArraySegment<T> Values => new(_values, 0, _count);

    IEnumerable<string> IReadOnlyDictionary<string, T>.Keys => Keys;

    IEnumerable<T> IReadOnlyDictionary<string, T>.Values => Values;

    /// <summary>The last key, or null when empty.</summary>
    internal string? LastKey => _count == 0 ? null : _keys[_count - 1];

    /// <summary>The value under <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">No entry has the key.</exception>
    public T this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException("No entry has the key given.");

    /// <summary>Whether <paramref name="key"/> would follow every key in the run, so that <see cref="Append"/> takes it.</summary>
    internal bool Follows(string key) => _count == 0 || string.CompareOrdinal(_keys[_count - 1], key) < 0;

    /// <summary>Adds an entry after the last.</summary>
    /// <exception cref="ArgumentException">The key does not follow the last key (out of order, or repeated).</exception>
    internal void Append(string key, T value)
    {
        if (!TryAppend(key, value))
        {
            throw new ArgumentException("Entries of a keyed run are appended in key order, each key once.", nameof(key));
        }
    }

    /// <summary>Adds an entry after the last if its key follows the last key; false, adding nothing, otherwise.</summary>
    internal bool TryAppend(string key, T value)
    {
        if (!Follows(key))
        {
            return false;
        }
        if (_count == _keys.Length)
        {
            var size = Math.Max(4, _count * 2);
            Array.Resize(ref _keys, size);
            Array.Resize(ref _values, size);
        }
        (_keys[_count], _values[_count]) = (key, value);
        _count++;
        return true;
    }

    /// <inheritdoc/>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <inheritdoc/>
    public bool TryGetValue(string key, out T value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _values[i] : default!;
        return i >= 0;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, T>> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return new(_keys[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        int lo = 0, hi = _count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            var c = string.CompareOrdinal(_keys[mid], key);
            if (c == 0)
            {
                return mid;
            }
            (lo, hi) = c < 0 ? (mid + 1, hi) : (lo, mid - 1);
        }
        return -1;
    }
}
