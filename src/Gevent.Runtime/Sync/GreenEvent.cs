namespace Gevent;

/// <summary>
/// A flag greenlets can wait on (gevent's <c>Event</c>): <see cref="Set"/> wakes every waiter, in the
/// order they started waiting, and later waits return at once until <see cref="Clear"/>. A set
/// immediately followed by a clear still wakes everyone who was waiting.
/// </summary>
public sealed class GreenEvent
{
    private readonly Hub _hub = Hub.Current;
    private readonly WaiterQueue<bool> _waiters;

    /// <summary>Creates an event of the current hub, not set.</summary>
    public GreenEvent()
    {
        _waiters = new WaiterQueue<bool>(_hub);
    }

    /// <summary>True between <see cref="Set"/> and <see cref="Clear"/>.</summary>
    public bool IsSet { get; private set; }

    /// <summary>Sets the flag and wakes every waiting greenlet. Never blocks, so loop callbacks may call it.</summary>
    public void Set()
    {
        _hub.VerifyAccess(this);
        IsSet = true;
        _waiters.HandOffAll(true);
    }

    /// <summary>Resets the flag; greenlets already woken by a <see cref="Set"/> still see their wait succeed.</summary>
    public void Clear()
    {
        _hub.VerifyAccess(this);
        IsSet = false;
    }

    /// <summary>
    /// Waits until the flag is set or <paramref name="timeout"/> passes (null: no limit). Returns true
    /// if the flag was set or a <see cref="Set"/> woke this wait, false on timeout.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public bool Wait(TimeSpan? timeout = null)
    {
        Durations.IsBounded(timeout, nameof(timeout));
        _hub.VerifyAccess(this);
        if (IsSet)
        {
            return true;
        }

        return _waiters.Wait("GreenEvent.Wait()", timeout, out _) || IsSet;
    }
}
