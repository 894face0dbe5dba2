using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="ManualResetEventSlim.Wait()"/>: in a greenlet, park until a patched
/// <see cref="Set"/> wakes it directly (one post to its hub from the setting thread), or, for a <c>Set</c> from unpatched
/// code, a registered wait sees the event's <see cref="ManualResetEventSlim.WaitHandle"/> set (manual-reset, so
/// observing it takes nothing). A waiter that a <c>Set</c> reached returns true, as a waiting thread released by it
/// does, even if a <c>Reset</c> followed at once; else the original with a zero timeout gives the outcome.
/// <para>
/// Every overload is resumable (<see cref="FrameStack"/>): a stackless greenlet whose woven caller linked to the wait
/// suspends without a thread, woken by the same registered wait or a look now and then (<see cref="StacklessHandleWait"/>).
/// </para>
/// </summary>
public static class ManualResetEventSlimPatches
{
    /// <summary>Greenlets parked in a tier-1 wait, by event, for a patched <see cref="Set"/> to wake.</summary>
    private static readonly WaiterTable s_parked = new();

    private static readonly Func<(ManualResetEventSlim Event, CancellationToken Token), bool> s_isSet =
        static wait => wait.Event.Wait(0, wait.Token);

    /// <summary><see cref="ManualResetEventSlim.Wait()"/>.</summary>
    [Patch(typeof(ManualResetEventSlim), nameof(ManualResetEventSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static void Wait(ManualResetEventSlim @event)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            @event.Wait();
            return;
        }

        Wait(@event, Timeout.Infinite, CancellationToken.None);
    }

    /// <summary><see cref="ManualResetEventSlim.Wait(int)"/>.</summary>
    [Patch(typeof(ManualResetEventSlim), nameof(ManualResetEventSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static bool Wait(ManualResetEventSlim @event, int millisecondsTimeout) =>
        Hub.CooperativeGreenlet is null ? @event.Wait(millisecondsTimeout) : Wait(@event, millisecondsTimeout, CancellationToken.None);

    /// <summary><see cref="ManualResetEventSlim.Wait(TimeSpan)"/>.</summary>
    [Patch(typeof(ManualResetEventSlim), nameof(ManualResetEventSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static bool Wait(ManualResetEventSlim @event, TimeSpan timeout) =>
        Hub.CooperativeGreenlet is null ? @event.Wait(timeout) : Wait(@event, timeout, CancellationToken.None);

    /// <summary><see cref="ManualResetEventSlim.Wait(CancellationToken)"/>.</summary>
    [Patch(typeof(ManualResetEventSlim), nameof(ManualResetEventSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static void Wait(ManualResetEventSlim @event, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            @event.Wait(cancellationToken);
            return;
        }

        Wait(@event, Timeout.Infinite, cancellationToken);
    }

    /// <summary><see cref="ManualResetEventSlim.Wait(int, CancellationToken)"/>.</summary>
    [Patch(typeof(ManualResetEventSlim), nameof(ManualResetEventSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static bool Wait(ManualResetEventSlim @event, int millisecondsTimeout, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is not { } current || @event is null)
        {
            return @event!.Wait(millisecondsTimeout, cancellationToken);
        }

        return Wait(current, @event, Timeouts.FromMilliseconds(millisecondsTimeout), cancellationToken);
    }

    /// <summary><see cref="ManualResetEventSlim.Wait(TimeSpan, CancellationToken)"/>.</summary>
    [Patch(typeof(ManualResetEventSlim), nameof(ManualResetEventSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static bool Wait(ManualResetEventSlim @event, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is not { } current || @event is null)
        {
            return @event!.Wait(timeout, cancellationToken);
        }

        return Wait(current, @event, Timeouts.FromTimeSpan(timeout), cancellationToken);
    }

    /// <summary><see cref="ManualResetEventSlim.Set"/>: sets the event, then wakes the greenlets parked on it.</summary>
    [NeverWaits]
    [Patch(typeof(ManualResetEventSlim), nameof(ManualResetEventSlim.Set), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Set(ManualResetEventSlim @event)
    {
        @event.Set();
        s_parked.SignalAll(@event);
    }

    private static bool Wait(Greenlet current, ManualResetEventSlim @event, TimeSpan? timeout, CancellationToken cancellationToken) =>
        StacklessHandleWait.TakeLink(current, [], out _) is { } frames
            ? StacklessHandleWait.Wait(frames, current, (@event, cancellationToken), s_isSet, timeout, @event.WaitHandle, "ManualResetEventSlim.Wait", cancellationToken)
            : WaitParked(@event, timeout, cancellationToken);

    private static bool WaitParked(ManualResetEventSlim @event, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (@event.Wait(0, cancellationToken))
        {
            return true;
        }

        var waiter = new CompletionWaiter();
        s_parked.Add(@event, waiter);
        try
        {
            // A Set between the try above and the Add found no waiter to wake: the look below sees it.
            if (!@event.IsSet && Parking.ParkOnManualReset(@event.WaitHandle, timeout, cancellationToken, waiter.Woken))
            {
                return true;
            }
        }
        finally
        {
            s_parked.Remove(@event, waiter);
        }

        return @event.Wait(0, cancellationToken);
    }
}
