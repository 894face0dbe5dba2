namespace Gevent;

/// <summary>
/// A rendezvous point with no buffer (gevent's <c>queue.Channel</c>): <see cref="Put(T)"/> waits until
/// a getter takes the item, <see cref="Get()"/> until a putter brings one. Both sides are served in
/// the order they came.
/// </summary>
/// <typeparam name="T">The type of the items.</typeparam>
public sealed class GreenChannel<T>
{
    private readonly Hub _hub = Hub.Current;
    private readonly WaiterQueue<T> _getters;
    private readonly WaiterQueue<T> _putters;

    /// <summary>Creates a channel of the current hub.</summary>
    public GreenChannel()
    {
        _getters = new WaiterQueue<T>(_hub);
        _putters = new WaiterQueue<T>(_hub);
    }

    /// <summary>Gives <paramref name="item"/> to a getter, waiting as long as it takes for one.</summary>
    public void Put(T item) => Put(item, null);

    /// <summary>Gives <paramref name="item"/> to a getter, waiting up to <paramref name="timeout"/> (null: no limit; zero: do not wait) for one.</summary>
    /// <exception cref="QueueFullException">No getter took the item in time.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public void Put(T item, TimeSpan? timeout)
    {
        Durations.IsBounded(timeout, nameof(timeout));
        if (TryPut(item))
        {
            // Let the getter run with the item before the putter goes on, as gevent's switch does.
            _hub.Yield();
            return;
        }

        if (!_putters.Wait("GreenChannel.Put()", timeout, item, out _))
        {
            throw new QueueFullException("No greenlet took the item from the channel in time.");
        }
    }

    /// <summary>Gives <paramref name="item"/> to a greenlet already waiting in <see cref="Get()"/>; false, without waiting, if none is.</summary>
    public bool TryPut(T item)
    {
        _hub.VerifyAccess(this);
        return _getters.TryHandOff(item);
    }

    /// <summary>Takes an item from a putter, waiting as long as it takes for one.</summary>
    public T Get() => Get(null);

    /// <summary>Takes an item from a putter, waiting up to <paramref name="timeout"/> (null: no limit; zero: do not wait) for one.</summary>
    /// <exception cref="QueueEmptyException">No putter came in time.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public T Get(TimeSpan? timeout)
    {
        Durations.IsBounded(timeout, nameof(timeout));
        if (TryGet(out var item) || _getters.Wait("GreenChannel.Get()", timeout, out item))
        {
            return item;
        }

        throw new QueueEmptyException("No greenlet put an item into the channel in time.");
    }

    /// <summary>Takes the item of a greenlet already waiting in <see cref="Put(T)"/>; false, without waiting, if none is.</summary>
    public bool TryGet(out T item)
    {
        _hub.VerifyAccess(this);
        return _putters.TryHandOff(default!, out item);
    }
}
