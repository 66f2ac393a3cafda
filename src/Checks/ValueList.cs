using System.Collections;
using System.Runtime.CompilerServices;

namespace Ipvs.Checks;

/// <summary>
/// An immutable list that compares by content, so that records holding lists (headers, status ranges, expect
/// steps, arguments) keep the value equality the engine relies on to merge identical checks and to key
/// dictionaries by spec. Build it with a collection expression (<c>[a, b]</c>) or <see cref="ValueList.Create{T}(ReadOnlySpan{T})"/>.
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;
    private int _hash;

    public static ValueList<T> Empty { get; } = new([]);

    internal ValueList(T[] items) => _items = items;

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public ReadOnlySpan<T> AsSpan() => _items;

    public bool Equals(ValueList<T>? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other._items.Length != _items.Length)
        {
            return false;
        }
        var cmp = EqualityComparer<T>.Default;
        for (var i = 0; i < _items.Length; i++)
        {
            if (!cmp.Equals(_items[i], other._items[i]))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        // Cached: specs are dictionary keys and the list never changes. 0 means "not computed yet".
        if (_hash != 0)
        {
            return _hash;
        }
        var h = new HashCode();
        h.Add(_items.Length);
        foreach (var item in _items)
        {
            h.Add(item);
        }
        var value = h.ToHashCode();
        _hash = value == 0 ? 1 : value;
        return _hash;
    }

    public static bool operator ==(ValueList<T>? left, ValueList<T>? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ValueList<T>? left, ValueList<T>? right) => !(left == right);

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}

/// <summary>Factory for <see cref="ValueList{T}"/> (also the collection-expression builder).</summary>
public static class ValueList
{
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => items.IsEmpty ? ValueList<T>.Empty : new(items.ToArray());

    public static ValueList<T> From<T>(IEnumerable<T> items) => Create<T>(items.ToArray());
}
