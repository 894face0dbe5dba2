namespace Gevent;

/// <summary>First in, first out: <see cref="GreenQueue{T}"/>'s order.</summary>
internal sealed class FifoStore<T> : IItemStore<T>
{
    private readonly Queue<T> _items = new();

    public int Count => _items.Count;

    public void Add(T item) => _items.Enqueue(item);

    public T Take() => _items.Dequeue();

    public T Peek() => _items.Peek();

    public void Clear() => _items.Clear();
}
