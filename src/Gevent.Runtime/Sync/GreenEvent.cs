using Gevent.CompilerServices;

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
    /// <remarks>Resumable (<see cref="FrameStack"/>), with no frame of its own: it keeps nothing across the wait.</remarks>
    [Resumable]
    public bool Wait(TimeSpan? timeout = null)
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();

        // A resume goes straight back into the wait: the flag being set by now is what woke it.
        if (frames is not { IsResuming: true })
        {
            Durations.IsBounded(timeout, nameof(timeout));
            _hub.VerifyAccess(this);
            if (IsSet)
            {
                return true;
            }
        }

        if (linked)
        {
            frames!.Link();
        }

        var woken = _waiters.Wait("GreenEvent.Wait()", timeout, frames, out _);
        return frames is { IsSuspending: true } ? false : woken || IsSet;
    }
}
