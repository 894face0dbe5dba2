namespace Gevent;

/// <summary>Lowest priority first: <see cref="GreenPriorityQueue{T, TPriority}"/>'s order.</summary>
internal sealed class PriorityStore<T, TPriority>(Func<T, TPriority> priorityOf, IComparer<TPriority>? comparer) : IItemStore<T>
{
    private readonly PriorityQueue<T, TPriority> _items = new(comparer);

    public int Count => _items.Count;

    public void Add(T item) => _items.Enqueue(item, priorityOf(item));

    public T Take() => _items.Dequeue();

    public T Peek() => _items.Peek();

    public void Clear() => _items.Clear();
}
