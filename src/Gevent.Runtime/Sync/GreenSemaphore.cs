namespace Gevent;

/// <summary>
/// A counting semaphore for greenlets (gevent's <c>Semaphore</c>): <see cref="Acquire"/> takes a
/// permit, waiting while none is free; <see cref="Release"/> gives one back, straight to the longest
/// waiting greenlet if any (FIFO). Not owned: any greenlet of the hub may release.
/// </summary>
public class GreenSemaphore : IGreenReleasable
{
    private readonly Hub _hub = Hub.Current;
    private readonly WaiterQueue<bool> _waiters;

    /// <summary>Creates a semaphore of the current hub with <paramref name="initialCount"/> free permits.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCount"/> is negative.</exception>
    public GreenSemaphore(int initialCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCount);
        Count = initialCount;
        _waiters = new WaiterQueue<bool>(_hub);
    }

    /// <summary>The free permits now.</summary>
    public int Count { get; private set; }

    /// <summary>True when no permit is free (an <see cref="Acquire"/> would wait).</summary>
    public bool Locked => Count == 0;

    /// <summary>
    /// Takes a permit, waiting up to <paramref name="timeout"/> (null: no limit; zero: do not wait) for
    /// one. Returns false if it timed out. Waiters are served in the order they came.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public bool Acquire(TimeSpan? timeout = null)
    {
        Durations.IsBounded(timeout, nameof(timeout));
        _hub.VerifyAccess(this);
        if (Count > 0)
        {
            Count--;
            return true;
        }

        // A release hands its permit to us directly (Count stays 0), so nobody can take it first.
        return _waiters.Wait("GreenSemaphore.Acquire()", timeout, out _);
    }

    /// <summary>Waits (no limit) for a permit and returns a scope whose disposal releases it.</summary>
    public GreenLockScope Lock()
    {
        Acquire();
        return new GreenLockScope(this);
    }

    /// <summary>Gives a permit back, to the first waiting greenlet if any. Never blocks.</summary>
    public virtual void Release()
    {
        _hub.VerifyAccess(this);
        if (!_waiters.TryHandOff(true))
        {
            Count++;
        }
    }
}
