using Gevent.Patches;


namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="Barrier.SignalAndWait()"/>. The BCL has no async twin, so in a
/// greenlet the original runs on a thread of its own while the greenlet parks. Not on the hub's bounded
/// thread pool: a barrier whose participants are more greenlets than pool threads would never fill.
/// An interrupted wait (kill, timeout) cancels it, and the barrier takes the signal back as the BCL does
/// for a cancelled participant. The post-phase action may run on that thread.
/// </summary>
public static class BarrierPatches
{
    /// <summary><see cref="Barrier.SignalAndWait()"/>.</summary>
    [Patch(typeof(Barrier), nameof(Barrier.SignalAndWait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static void SignalAndWait(Barrier barrier)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            barrier.SignalAndWait();
            return;
        }

        SignalAndWait(barrier, Timeout.Infinite, CancellationToken.None);
    }

    /// <summary><see cref="Barrier.SignalAndWait(int)"/>.</summary>
    [Patch(typeof(Barrier), nameof(Barrier.SignalAndWait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool SignalAndWait(Barrier barrier, int millisecondsTimeout) =>
        Hub.CooperativeGreenlet is null ? barrier.SignalAndWait(millisecondsTimeout) : SignalAndWait(barrier, millisecondsTimeout, CancellationToken.None);

    /// <summary><see cref="Barrier.SignalAndWait(TimeSpan)"/>.</summary>
    [Patch(typeof(Barrier), nameof(Barrier.SignalAndWait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool SignalAndWait(Barrier barrier, TimeSpan timeout) =>
        Hub.CooperativeGreenlet is null ? barrier.SignalAndWait(timeout) : SignalAndWait(barrier, timeout, CancellationToken.None);

    /// <summary><see cref="Barrier.SignalAndWait(CancellationToken)"/>.</summary>
    [Patch(typeof(Barrier), nameof(Barrier.SignalAndWait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static void SignalAndWait(Barrier barrier, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            barrier.SignalAndWait(cancellationToken);
            return;
        }

        SignalAndWait(barrier, Timeout.Infinite, cancellationToken);
    }

    /// <summary><see cref="Barrier.SignalAndWait(TimeSpan, CancellationToken)"/>.</summary>
    [Patch(typeof(Barrier), nameof(Barrier.SignalAndWait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool SignalAndWait(Barrier barrier, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null || barrier is null)
        {
            return barrier!.SignalAndWait(timeout, cancellationToken);
        }

        Timeouts.FromTimeSpan(timeout);
        return OnOwnThread(barrier, (int)timeout.TotalMilliseconds, cancellationToken);
    }

    /// <summary><see cref="Barrier.SignalAndWait(int, CancellationToken)"/>.</summary>
    [Patch(typeof(Barrier), nameof(Barrier.SignalAndWait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool SignalAndWait(Barrier barrier, int millisecondsTimeout, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null || barrier is null)
        {
            return barrier!.SignalAndWait(millisecondsTimeout, cancellationToken);
        }

        Timeouts.FromMilliseconds(millisecondsTimeout);
        return OnOwnThread(barrier, millisecondsTimeout, cancellationToken);
    }

    private static bool OnOwnThread(Barrier barrier, int millisecondsTimeout, CancellationToken cancellationToken)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waiting = Task.Factory.StartNew(
            () => barrier.SignalAndWait(millisecondsTimeout, abandon.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            Parking.Park(waiting, timeout: null);
        }
        catch
        {
            // The signal is taken back on the waiting thread as it wakes: wait for that, so that a participant
            // arriving next cannot complete the phase with this abandoned signal.
            abandon.Cancel();
            using (Hub.CurrentGreenlet.EnterCleanup())
            {
                Parking.Park(Task.WhenAny(waiting), timeout: null);
            }

            throw;
        }

        // Thrown as itself (OperationCanceledException, BarrierPostPhaseException…), as the original throws it.
        return waiting.GetAwaiter().GetResult();
    }
}
