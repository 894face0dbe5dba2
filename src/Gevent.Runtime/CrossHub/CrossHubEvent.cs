namespace Gevent;

/// <summary>
/// A flag that greenlets of any hub and plain threads can wait on and set (a thread-safe <see cref="GreenEvent"/>):
/// a waiting greenlet parks without blocking its hub, a waiting thread blocks. <see cref="Set"/> wakes every waiter,
/// and later waits return at once until <see cref="Clear"/>.
/// </summary>
public sealed class CrossHubEvent
{
    private readonly object _gate = new();
    private readonly CrossHubWaitList<bool> _waiters;
    private volatile bool _isSet;

    /// <summary>Creates an event, not set; it belongs to no hub.</summary>
    public CrossHubEvent()
    {
        _waiters = new CrossHubWaitList<bool>(_gate);
    }

    /// <summary>True between <see cref="Set"/> and <see cref="Clear"/>.</summary>
    public bool IsSet => _isSet;

    /// <summary>Sets the flag and wakes every waiter. Never blocks, so loop callbacks may call it.</summary>
    public void Set()
    {
        lock (_gate)
        {
            _isSet = true;
            _waiters.HandOffAll(true);
        }
    }

    /// <summary>Resets the flag; waiters already woken by a <see cref="Set"/> still see their wait succeed.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _isSet = false;
        }
    }

    /// <summary>
    /// Waits until the flag is set or <paramref name="timeout"/> passes (null: no limit): a greenlet parks, letting
    /// its hub run others; a plain thread blocks. True if the flag was set or a <see cref="Set"/> woke this wait.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">Called in a loop callback, which must not block.</exception>
    public bool Wait(TimeSpan? timeout = null)
    {
        lock (_gate)
        {
            Durations.IsBounded(timeout, nameof(timeout));
            return _isSet || _waiters.Wait("CrossHubEvent.Wait()", timeout, static _ => { }, out _);
        }
    }
}
