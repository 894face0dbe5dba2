namespace Gevent;

/// <summary>
/// A reentrant lock owned by a greenlet (gevent's <c>RLock</c>): the owner may acquire it again and
/// must release it as many times. Waiters get it in the order they came. Use as
/// <c>using (l.Lock()) { … }</c>.
/// </summary>
public sealed class GreenLock : IGreenReleasable
{
    private readonly Hub _hub = Hub.Current;
    private readonly WaiterQueue<Greenlet> _waiters;
    private Greenlet? _owner;
    private int _depth;

    /// <summary>Creates an unlocked lock of the current hub.</summary>
    public GreenLock()
    {
        _waiters = new WaiterQueue<Greenlet>(_hub);
    }

    /// <summary>True while some greenlet holds the lock.</summary>
    public bool Locked => _owner is not null;

    /// <summary>True when the current greenlet holds the lock.</summary>
    public bool IsHeldByCurrentGreenlet => _owner is not null && _owner == Hub.CurrentGreenlet;

    /// <summary>
    /// Takes the lock (again, if the current greenlet holds it), waiting up to <paramref name="timeout"/>
    /// (null: no limit; zero: do not wait). Returns false if it timed out.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public bool Acquire(TimeSpan? timeout = null)
    {
        Durations.IsBounded(timeout, nameof(timeout));
        _hub.VerifyAccess(this);
        var current = Hub.CurrentGreenlet;
        if (_owner == current)
        {
            _depth++;
            return true;
        }

        if (_owner is null)
        {
            _owner = current;
            _depth = 1;
            return true;
        }

        // On success Release has already made us the owner.
        return _waiters.Wait("GreenLock.Acquire()", timeout, current, out _);
    }

    /// <summary>Waits (no limit) for the lock and returns a scope whose disposal releases it.</summary>
    public GreenLockScope Lock()
    {
        Acquire();
        return new GreenLockScope(this);
    }

    /// <summary>Releases one level of the current greenlet's hold; the last one passes the lock to the first waiter.</summary>
    /// <exception cref="SynchronizationLockException">The current greenlet does not hold the lock.</exception>
    public void Release()
    {
        _hub.VerifyAccess(this);
        var current = Hub.CurrentGreenlet;
        if (_owner != current)
        {
            throw new SynchronizationLockException(_owner is null
                ? $"Greenlet '{current.Name}' released a GreenLock that is not locked."
                : $"Greenlet '{current.Name}' released a GreenLock held by greenlet '{_owner.Name}'; only the owner may release it.");
        }

        if (--_depth > 0)
        {
            return;
        }

        _owner = _waiters.TryHandOff(default!, out var next) ? next : null;
        _depth = _owner is null ? 0 : 1;
    }
}
