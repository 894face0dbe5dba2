using Gevent.Patches;


namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="CountdownEvent.Wait()"/>: in a greenlet, park on a
/// registered wait for the event's <see cref="CountdownEvent.WaitHandle"/> (set at zero, manual-reset, so
/// observing it takes nothing), then ask the original with a zero timeout.
/// </summary>
public static class CountdownEventPatches
{
    /// <summary><see cref="CountdownEvent.Wait()"/>.</summary>
    [Patch(typeof(CountdownEvent), nameof(CountdownEvent.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static void Wait(CountdownEvent countdown)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            countdown.Wait();
            return;
        }

        Wait(countdown, Timeout.Infinite, CancellationToken.None);
    }

    /// <summary><see cref="CountdownEvent.Wait(int)"/>.</summary>
    [Patch(typeof(CountdownEvent), nameof(CountdownEvent.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool Wait(CountdownEvent countdown, int millisecondsTimeout) =>
        Hub.CooperativeGreenlet is null ? countdown.Wait(millisecondsTimeout) : Wait(countdown, millisecondsTimeout, CancellationToken.None);

    /// <summary><see cref="CountdownEvent.Wait(TimeSpan)"/>.</summary>
    [Patch(typeof(CountdownEvent), nameof(CountdownEvent.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool Wait(CountdownEvent countdown, TimeSpan timeout) =>
        Hub.CooperativeGreenlet is null ? countdown.Wait(timeout) : Wait(countdown, timeout, CancellationToken.None);

    /// <summary><see cref="CountdownEvent.Wait(CancellationToken)"/>.</summary>
    [Patch(typeof(CountdownEvent), nameof(CountdownEvent.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static void Wait(CountdownEvent countdown, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            countdown.Wait(cancellationToken);
            return;
        }

        Wait(countdown, Timeout.Infinite, cancellationToken);
    }

    /// <summary><see cref="CountdownEvent.Wait(int, CancellationToken)"/>.</summary>
    [Patch(typeof(CountdownEvent), nameof(CountdownEvent.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool Wait(CountdownEvent countdown, int millisecondsTimeout, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null || countdown is null)
        {
            return countdown!.Wait(millisecondsTimeout, cancellationToken);
        }

        return Wait(countdown, Timeouts.FromMilliseconds(millisecondsTimeout), cancellationToken);
    }

    /// <summary><see cref="CountdownEvent.Wait(TimeSpan, CancellationToken)"/>.</summary>
    [Patch(typeof(CountdownEvent), nameof(CountdownEvent.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool Wait(CountdownEvent countdown, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null || countdown is null)
        {
            return countdown!.Wait(timeout, cancellationToken);
        }

        return Wait(countdown, Timeouts.FromTimeSpan(timeout), cancellationToken);
    }

    private static bool Wait(CountdownEvent countdown, TimeSpan? timeout, CancellationToken cancellationToken) =>
        Parking.WaitManualReset(countdown, static (c, token) => c.Wait(0, token), static c => c.WaitHandle, timeout, cancellationToken);
}
