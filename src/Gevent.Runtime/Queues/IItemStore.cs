namespace Gevent;

/// <summary>The order a <see cref="GreenQueue{T}"/> keeps its items in: FIFO, LIFO or by priority.</summary>
internal interface IItemStore<T>
{
    int Count { get; }

    void Add(T item);

    T Take();

    T Peek();

    void Clear();
}
