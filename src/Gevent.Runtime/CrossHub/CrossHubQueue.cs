namespace Gevent;

/// <summary>
/// An unbounded FIFO queue that greenlets of any hub and plain threads can put to and take from: the channel between
/// hubs. A greenlet waiting in <see cref="Get"/> parks without blocking its hub; a plain thread blocks. An item goes
/// straight to the longest-waiting taker, so no other taker barges in between.
/// </summary>
/// <typeparam name="T">The items' type.</typeparam>
public sealed class CrossHubQueue<T>
{
    private readonly object _gate = new();
    private readonly LinkedList<T> _items = new();
    private readonly CrossHubWaitList<T> _takers;

    /// <summary>Creates an empty queue; it belongs to no hub.</summary>
    public CrossHubQueue()
    {
        _takers = new CrossHubWaitList<T>(_gate);
    }

    /// <summary>How many items wait to be taken.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="item"/>, handing it to a waiting taker if there is one. Never blocks, so loop callbacks may call it.</summary>
    public void Put(T item)
    {
        lock (_gate)
        {
            if (!_takers.TryHandOff(item))
            {
                _items.AddLast(item);
            }
        }
    }

    /// <summary>
    /// Removes and returns the next item, waiting up to <paramref name="timeout"/> (null: no limit; zero: do not wait)
    /// while the queue is empty: a greenlet parks, letting its hub run others; a plain thread blocks.
    /// </summary>
    /// <exception cref="QueueEmptyException">Still empty when the timeout passed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">Called in a loop callback, which must not block.</exception>
    public T Get(TimeSpan? timeout = null) =>
        TryGet(timeout, out var item) ? item : throw new QueueEmptyException("The queue stayed empty until the timeout.");

    /// <summary>
    /// <see cref="Get"/> that returns false instead of throwing when the queue stayed empty for <paramref name="timeout"/>
    /// (zero: do not wait).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">Called in a loop callback, which must not block.</exception>
    public bool TryGet(TimeSpan? timeout, out T item)
    {
        lock (_gate)
        {
            Durations.IsBounded(timeout, nameof(timeout));
            if (_items.First is { } first)
            {
                _items.RemoveFirst();
                item = first.Value;
                return true;
            }

            // A taker killed after an item reached it gives the item back, first in line, to the next one.
            return _takers.Wait("CrossHubQueue.Get()", timeout, Return, out item);
        }
    }

    private void Return(T item)
    {
        if (!_takers.TryHandOff(item))
        {
            _items.AddFirst(item);
        }
    }
}
