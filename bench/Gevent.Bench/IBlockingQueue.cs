namespace Gevent.Bench;

/// <summary>A FIFO whose <see cref="Get"/> blocks the caller (thread or greenlet) until an item is there; what queue ping-pong runs through.</summary>
internal interface IBlockingQueue<T>
{
    void Put(T item);

    T Get();
}
