using System.Collections;

namespace SafetyPrograms.Utility;

/// <summary>
/// An immutable list with structural equality, so that records holding lists compare by content
/// (which is what "read(write(x)) equals x" means) while exposing only <see cref="IReadOnlyList{T}"/>.
/// </summary>
internal sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    internal static readonly ValueList<T> Empty = new([]);

    private readonly T[] _items;

    private ValueList(T[] items) => _items = items;

    /// <summary>Copies the items, so later changes to the caller's collection cannot reach the model.</summary>
    internal static ValueList<T> From(IEnumerable<T>? items, string? paramName)
    {
        if (items is null)
        {
            return Empty;
        }
        if (items is ValueList<T> already)
        {
            return already;
        }
        var copy = items.ToArray();
        for (var i = 0; i < copy.Length; i++)
        {
            if (copy[i] is null)
            {
                throw new ArgumentException($"Item {i} is null; lists must not contain nulls.", paramName);
            }
        }
        return copy.Length == 0 ? Empty : new ValueList<T>(copy);
    }

    public T this[int index] => _items[index];

    public int Count => _items.Length;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ValueList<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }
        return hash.ToHashCode();
    }

    public override string ToString() => $"[{string.Join(", ", _items)}]";
}
