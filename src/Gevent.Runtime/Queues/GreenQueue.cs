using System.Collections;
using System.Diagnostics;
using Gevent.CompilerServices;

namespace Gevent;

/// <summary>
/// A FIFO queue for greenlets (gevent's <c>queue.Queue</c>, with Python's task tracking and shutdown).
/// <see cref="Get"/> waits while the queue is empty and <see cref="Put"/> while it is full; waiting
/// getters and putters are served in the order they came, and an item is handed straight to a
/// waiting getter, so a getter that timed out or was killed never loses one. Enumerating it takes
/// items with <see cref="Get"/> until the queue is shut down and drained.
/// </summary>
/// <typeparam name="T">The type of the items.</typeparam>
public class GreenQueue<T> : IEnumerable<T>
{
    private readonly Hub _hub = Hub.Current;
    private readonly IItemStore<T> _items;
    private readonly WaiterQueue<T> _getters;
    private readonly WaiterQueue<T> _putters;
    private readonly WaiterQueue<bool> _peekers;
    private readonly WaiterQueue<bool> _joiners;

    /// <summary>Creates a queue of the current hub holding at most <paramref name="maxSize"/> items (0: unbounded).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    public GreenQueue(int maxSize = 0)
        : this(maxSize, new FifoStore<T>())
    {
    }

    private protected GreenQueue(int maxSize, IItemStore<T> items)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        MaxSize = maxSize;
        _items = items;
        _getters = new WaiterQueue<T>(_hub);
        _putters = new WaiterQueue<T>(_hub);
        _peekers = new WaiterQueue<bool>(_hub);
        _joiners = new WaiterQueue<bool>(_hub);
    }

    /// <summary>The most items the queue holds; 0 when unbounded.</summary>
    public int MaxSize { get; }

    /// <summary>The items in the queue now.</summary>
    public int Count => _items.Count;

    /// <summary>True when a <see cref="Put"/> would wait.</summary>
    public bool IsFull => MaxSize > 0 && _items.Count >= MaxSize;

    /// <summary>Items put and not yet marked done with <see cref="TaskDone"/>.</summary>
    public int UnfinishedTasks { get; private set; }

    /// <summary>True once <see cref="Shutdown"/> was called.</summary>
    public bool IsShutDown { get; private set; }

    /// <summary>
    /// Adds <paramref name="item"/>, waiting up to <paramref name="timeout"/> (null: no limit; zero: do
    /// not wait) while the queue is full.
    /// </summary>
    /// <exception cref="QueueFullException">Still full when the timeout passed.</exception>
    /// <exception cref="QueueShutDownException">The queue is shut down (also when that happens while waiting).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <remarks>Resumable (<see cref="FrameStack"/>), with no frame of its own: it keeps nothing across the wait.</remarks>
    [Resumable]
    public void Put(T item, TimeSpan? timeout = null)
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        if (frames is not { IsResuming: true })
        {
            Durations.IsBounded(timeout, nameof(timeout));
            if (TryPut(item))
            {
                return;
            }
        }

        if (linked)
        {
            frames!.Link();
        }

        // A getter that makes room adds our item for us before waking us.
        if (_putters.Wait("GreenQueue.Put()", timeout, item, frames, out _) || frames is { IsSuspending: true })
        {
            return;
        }

        ThrowIfShutDown();
        throw new QueueFullException($"The queue is full ({MaxSize} items) and no room was made in time.");
    }

    /// <summary>Adds <paramref name="item"/> if there is room; returns false, without waiting, when full.</summary>
    /// <exception cref="QueueShutDownException">The queue is shut down.</exception>
    public bool TryPut(T item)
    {
        _hub.VerifyAccess(this);
        ThrowIfShutDown();
        if (IsFull)
        {
            return false;
        }

        Enqueue(item);
        return true;
    }

    /// <summary>
    /// Removes and returns the next item, waiting up to <paramref name="timeout"/> (null: no limit;
    /// zero: do not wait) while the queue is empty.
    /// </summary>
    /// <exception cref="QueueEmptyException">Still empty when the timeout passed.</exception>
    /// <exception cref="QueueShutDownException">The queue is shut down and drained.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <remarks>Resumable (<see cref="FrameStack"/>), with no frame of its own: it keeps nothing across the wait.</remarks>
    [Resumable]
    public T Get(TimeSpan? timeout = null)
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        if (frames is not { IsResuming: true })
        {
            Durations.IsBounded(timeout, nameof(timeout));
        }

        if (linked)
        {
            frames!.Link();
        }

        return TakeOrWait(timeout, frames, out var item) || frames is { IsSuspending: true } ? item : throw ShutDownError();
    }

    /// <summary>Removes the next item if there is one; returns false, without waiting, when empty.</summary>
    /// <exception cref="QueueShutDownException">The queue is shut down and drained.</exception>
    public bool TryGet(out T item)
    {
        _hub.VerifyAccess(this);
        if (TryTake(out item))
        {
            return true;
        }

        ThrowIfShutDown();
        return false;
    }

    /// <summary>
    /// Returns the next item without removing it, waiting up to <paramref name="timeout"/> (null: no
    /// limit; zero: do not wait) for one.
    /// </summary>
    /// <exception cref="QueueEmptyException">Still empty when the timeout passed.</exception>
    /// <exception cref="QueueShutDownException">The queue is shut down and drained.</exception>
    public T Peek(TimeSpan? timeout = null)
    {
        var bounded = Durations.IsBounded(timeout, nameof(timeout));
        _hub.VerifyAccess(this);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (_items.Count > 0)
            {
                return _items.Peek();
            }

            ThrowIfShutDown();

            // Peekers are all woken when an item arrives, but a getter may take it first: wait again.
            var remaining = bounded ? TimeSpan.FromTicks(Math.Max(0, (timeout!.Value - Stopwatch.GetElapsedTime(started)).Ticks)) : (TimeSpan?)null;
            if (!_peekers.Wait("GreenQueue.Peek()", remaining, out _) && _items.Count == 0 && !IsShutDown)
            {
                throw new QueueEmptyException("The queue stayed empty until the timeout.");
            }
        }
    }

    /// <summary>Returns the next item without removing it, if there is one.</summary>
    public bool TryPeek(out T item)
    {
        _hub.VerifyAccess(this);
        if (_items.Count > 0)
        {
            item = _items.Peek();
            return true;
        }

        item = default!;
        return false;
    }

    /// <summary>Marks one item taken from the queue as processed; when none is left unfinished, <see cref="Join"/> returns.</summary>
    /// <exception cref="InvalidOperationException">Called more times than items were put.</exception>
    public void TaskDone()
    {
        _hub.VerifyAccess(this);
        if (UnfinishedTasks == 0)
        {
            throw new InvalidOperationException("TaskDone() was called more times than items were put in the queue.");
        }

        if (--UnfinishedTasks == 0)
        {
            _joiners.HandOffAll(true);
        }
    }

    /// <summary>Waits until every item put has been marked done (<see cref="TaskDone"/>) or <paramref name="timeout"/> passes; returns whether all are.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public bool Join(TimeSpan? timeout = null)
    {
        Durations.IsBounded(timeout, nameof(timeout));
        _hub.VerifyAccess(this);
        return UnfinishedTasks == 0 || _joiners.Wait("GreenQueue.Join()", timeout, out _) || UnfinishedTasks == 0;
    }

    /// <summary>
    /// Shuts the queue down: puts now throw <see cref="QueueShutDownException"/>, and so do gets once
    /// the queue is empty; waiting putters and getters are woken to throw it. With
    /// <paramref name="immediate"/>, the remaining items are discarded (and counted as done) too.
    /// </summary>
    public void Shutdown(bool immediate = false)
    {
        _hub.VerifyAccess(this);
        IsShutDown = true;
        if (immediate)
        {
            UnfinishedTasks = Math.Max(0, UnfinishedTasks - _items.Count);
            _items.Clear();
            if (UnfinishedTasks == 0)
            {
                _joiners.HandOffAll(true);
            }
        }

        _getters.WakeAll();
        _putters.WakeAll();
        _peekers.WakeAll();
    }

    /// <summary>Takes items with <see cref="Get"/> (waiting as needed) until the queue is shut down and drained.</summary>
    public IEnumerator<T> GetEnumerator()
    {
        while (TakeOrWait(null, null, out var item))
        {
            yield return item;
        }
    }

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Gets an item, waiting as <see cref="Get"/> does; false when the queue is shut down and drained.</summary>
    /// <remarks>
    /// Resumable, with no frame of its own, for <see cref="Get"/> (which passes <paramref name="frames"/>, its
    /// greenlet's, when stackless): false while suspending.
    /// </remarks>
    private bool TakeOrWait(TimeSpan? timeout, FrameStack? frames, out T item)
    {
        var linked = frames is not null && frames.Enter();
        if (frames is not { IsResuming: true })
        {
            _hub.VerifyAccess(this);
            if (TryTake(out item))
            {
                return true;
            }

            if (IsShutDown)
            {
                return false;
            }
        }

        if (linked)
        {
            frames!.Link();
        }

        var handed = _getters.Wait("GreenQueue.Get()", timeout, frames, out item);
        if (frames is { IsSuspending: true })
        {
            return false;
        }

        if (handed || TryTake(out item))
        {
            return true;
        }

        return IsShutDown ? false : throw new QueueEmptyException("The queue stayed empty until the timeout.");
    }

    private bool TryTake(out T item)
    {
        if (_items.Count == 0)
        {
            item = default!;
            return false;
        }

        item = _items.Take();

        // The room just made goes to the longest waiting putter, whose item is added on its behalf.
        if (_putters.TryHandOff(default!, out var admitted))
        {
            Enqueue(admitted);
        }

        return true;
    }

    private void Enqueue(T item)
    {
        UnfinishedTasks++;

        // Getters only wait on an empty queue, so handing the item over keeps the order.
        if (!_getters.TryHandOff(item))
        {
            _items.Add(item);
            _peekers.HandOffAll(true);
        }
    }

    private void ThrowIfShutDown()
    {
        if (IsShutDown)
        {
            throw ShutDownError();
        }
    }

    private static QueueShutDownException ShutDownError() => new("The queue was shut down: it takes no more items, and gets fail once it is empty.");
}
