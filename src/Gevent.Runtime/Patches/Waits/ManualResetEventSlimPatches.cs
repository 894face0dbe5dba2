using Gevent.Patches;


namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="ManualResetEventSlim.Wait()"/>: in a greenlet, park on a
/// registered wait for the event's <see cref="ManualResetEventSlim.WaitHandle"/> (manual-reset, so
/// observing it takes nothing), then ask the original with a zero timeout.
/// </summary>
public static class ManualResetEventSlimPatches
{
    /// <summary><see cref="ManualResetEventSlim.Wait()"/>.</summary>
    [Patch(typeof(ManualResetEventSlim), nameof(ManualResetEventSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
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
    public static bool Wait(ManualResetEventSlim @event, int millisecondsTimeout) =>
        Hub.CooperativeGreenlet is null ? @event.Wait(millisecondsTimeout) : Wait(@event, millisecondsTimeout, CancellationToken.None);

    /// <summary><see cref="ManualResetEventSlim.Wait(TimeSpan)"/>.</summary>
    [Patch(typeof(ManualResetEventSlim), nameof(ManualResetEventSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool Wait(ManualResetEventSlim @event, TimeSpan timeout) =>
        Hub.CooperativeGreenlet is null ? @event.Wait(timeout) : Wait(@event, timeout, CancellationToken.None);

    /// <summary><see cref="ManualResetEventSlim.Wait(CancellationToken)"/>.</summary>
    [Patch(typeof(ManualResetEventSlim), nameof(ManualResetEventSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
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
    public static bool Wait(ManualResetEventSlim @event, int millisecondsTimeout, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null || @event is null)
        {
            return @event!.Wait(millisecondsTimeout, cancellationToken);
        }

        return Wait(@event, Timeouts.FromMilliseconds(millisecondsTimeout), cancellationToken);
    }

    /// <summary><see cref="ManualResetEventSlim.Wait(TimeSpan, CancellationToken)"/>.</summary>
    [Patch(typeof(ManualResetEventSlim), nameof(ManualResetEventSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool Wait(ManualResetEventSlim @event, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null || @event is null)
        {
            return @event!.Wait(timeout, cancellationToken);
        }

        return Wait(@event, Timeouts.FromTimeSpan(timeout), cancellationToken);
    }

    private static bool Wait(ManualResetEventSlim @event, TimeSpan? timeout, CancellationToken cancellationToken) =>
        Parking.WaitManualReset(@event, static (e, token) => e.Wait(0, token), static e => e.WaitHandle, timeout, cancellationToken);
}
