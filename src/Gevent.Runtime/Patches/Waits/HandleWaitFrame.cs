using System.Diagnostics;
using Gevent.CompilerServices;
using Gevent.Loop;

namespace Gevent.Patches;

/// <summary>
/// One <see cref="WaitHandle"/> wait of a stackless greenlet (<see cref="StacklessHandleWait"/>), kept as its frame
/// while it is suspended: the deadline, so a resumed wait keeps the timeout it started with; the timer that wakes the
/// greenlet to try the handle again; and for a manual-reset event, the registered wait that wakes it as the event is
/// set (and ends the wait: <see cref="Signalled"/>), and for a wait with a <see cref="CancellationToken"/>, the
/// registration that wakes it as the token is cancelled (its next try throws). What it waits on is the arguments its
/// woven caller passes again to resume.
/// </summary>
internal sealed class HandleWaitFrame : ResumableFrame
{
    private static readonly Action<object?> s_wakeOnLoop = static state =>
    {
        if (((HandleWaitFrame)state!)._token is { } token)
        {
            token.Greenlet.Hub.Wake(token);
        }
    };

    private readonly Hub _hub;
    private readonly long _deadline;
    private readonly TimeSpan _longestPoll;
    private readonly RegisteredWaitHandle? _registration;
    private readonly CancellationTokenRegistration _cancellation;
    private TimeSpan _poll;
    private LoopTimer? _timer;
    private WakeToken? _token;
    private volatile bool _signalled;

    /// <param name="hub">The waiting greenlet's hub.</param>
    /// <param name="timeout">How long the whole wait may last (null: no limit).</param>
    /// <param name="manualReset">
    /// A manual-reset event to watch with a registered wait, which takes nothing from it; null for a handle whose wait
    /// takes something (an auto-reset event's signal, a semaphore's count): only the greenlet's own tries may take it.
    /// </param>
    /// <param name="cancellationToken">A token whose cancellation ends the wait; the greenlet's next try throws it.</param>
    public HandleWaitFrame(Hub hub, TimeSpan? timeout, WaitHandle? manualReset, CancellationToken cancellationToken)
    {
        _hub = hub;
        _deadline = timeout is { } limit ? Stopwatch.GetTimestamp() + Durations.ToStopwatchTicks(limit) : 0;
        // The tier-1 waits' pace: a watched event is looked at now and then in case the pool is starved (Parking);
        // any other handle is tried often at first, then less (CooperativeAcquire).
        (_poll, _longestPoll) = manualReset is null
            ? (CooperativeAcquire.FirstPoll, CooperativeAcquire.LastPoll)
            : (Parking.FirstLook, Parking.LongestLook);
        if (manualReset is not null)
        {
            _registration = ThreadPool.UnsafeRegisterWaitForSingleObject(
                manualReset, static (state, _) => Signal((HandleWaitFrame)state!), this, Timeout.Infinite, executeOnlyOnce: true);
        }

        // Runs on the cancelling thread, never the pool's.
        _cancellation = cancellationToken.UnsafeRegister(PostWake, this);
    }

    /// <summary>
    /// True once the registered wait saw the manual-reset event set: the wait has succeeded, even if the event was reset
    /// before the greenlet's next try (pulsed), as a thread blocked in the original is released by the set.
    /// </summary>
    public bool Signalled => _signalled;

    /// <summary>True once the deadline has passed.</summary>
    public bool Expired => _deadline != 0 && Stopwatch.GetTimestamp() >= _deadline;

    /// <summary>Sets the timer that wakes <paramref name="greenlet"/> for its next try: after the current pace, or at the deadline if sooner.</summary>
    public void Arm(Greenlet greenlet)
    {
        _token = new WakeToken(greenlet);
        var wait = _poll;
        if (_deadline != 0)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _deadline);
            wait = remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining < wait ? remaining : wait;
        }

        _timer = _hub.Loop.StartTimer(wait, WakeToken.WakeCallback, _token);
    }

    /// <summary>Removes the timer of the try just made and slows the pace, up to its longest.</summary>
    public void Disarm()
    {
        _timer?.Cancel();
        _poll = Durations.Doubled(_poll, _longestPoll);
    }

    /// <summary>Ends the wait: removes its timer and its registered wait.</summary>
    public void Stop()
    {
        _timer?.Cancel();
        _token = null;
        _registration?.Unregister(null);
        _cancellation.Dispose();
    }

    private static void Signal(HandleWaitFrame wait)
    {
        wait._signalled = true;
        PostWake(wait);
    }

    private static void PostWake(object? state) => ((HandleWaitFrame)state!)._hub.Loop.PostThreadSafe(s_wakeOnLoop, state);
}
