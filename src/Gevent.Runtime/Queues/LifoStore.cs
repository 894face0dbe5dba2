namespace Gevent;

/// <summary>Last in, first out: <see cref="GreenLifoQueue{T}"/>'s order.</summary>
internal sealed class LifoStore<T> : IItemStore<T>
{
    private readonly Stack<T> _items = new();

    public int Count => _items.Count;

    public void Add(T item) => _items.Push(item);

    public T Take() => _items.Pop();

    public T Peek() => _items.Peek();

    public void Clear() => _items.Clear();
}
