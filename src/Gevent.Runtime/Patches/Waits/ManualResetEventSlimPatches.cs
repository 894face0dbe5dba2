using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="ManualResetEventSlim.Wait()"/>: in a greenlet, park on a
/// registered wait for the event's <see cref="ManualResetEventSlim.WaitHandle"/> (manual-reset, so
/// observing it takes nothing), then ask the original with a zero timeout.
/// <para>
/// Every overload is resumable (<see cref="FrameStack"/>): a stackless greenlet whose woven caller linked to the wait
/// suspends without a thread, woken by the same registered wait or a look now and then (<see cref="StacklessHandleWait"/>).
/// </para>
/// </summary>
public static class ManualResetEventSlimPatches
{
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

    private static bool Wait(Greenlet current, ManualResetEventSlim @event, TimeSpan? timeout, CancellationToken cancellationToken) =>
        StacklessHandleWait.TakeLink(current, [], out _) is { } frames
            ? StacklessHandleWait.Wait(frames, current, (@event, cancellationToken), s_isSet, timeout, @event.WaitHandle, "ManualResetEventSlim.Wait", cancellationToken)
            : Parking.WaitManualReset(@event, static (e, token) => e.Wait(0, token), static e => e.WaitHandle, timeout, cancellationToken);
}
