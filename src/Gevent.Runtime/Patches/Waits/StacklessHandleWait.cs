using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// <see cref="WaitHandle"/> waits of a stackless greenlet whose woven caller linked to the wait: it suspends without a
/// thread between tries, keeping a <see cref="HandleWaitFrame"/>, and is re-entered to resume. The tries are the
/// greenlet's own (the original with a zero timeout, on whichever carrier runs it), so a signal or a count is taken
/// exactly once, by the wait that returns it, as on tier 1; no wait depends on the .NET thread pool.
/// </summary>
internal static class StacklessHandleWait
{
    /// <summary>
    /// Takes a resumable caller's link for a wait on <paramref name="handles"/>: the stack to suspend on, or null
    /// (not a stackless greenlet, or not linked: the tier-1 wait runs, and pins on a stackless greenlet). A handle
    /// whose wait would make the carrier thread own it opens a pin scope (<see cref="PinReason.ThreadOwnedWait"/>) in
    /// <paramref name="pin"/>, which the caller disposes after the tier-1 wait.
    /// </summary>
    public static FrameStack? TakeLink(Greenlet current, ReadOnlySpan<WaitHandle> handles, out PinScope pin)
    {
        pin = default;
        if (current.Frames is not { } frames || !frames.Enter())
        {
            return null;
        }

        foreach (var handle in handles)
        {
            // Events and semaphores belong to no thread; a mutex belongs to the thread that took it, and a carrier is
            // not the greenlet's for longer than one run.
            if (handle is not (EventWaitHandle or Semaphore))
            {
                pin = frames.Pin(PinReason.ThreadOwnedWait);
                return null;
            }
        }

        return frames;
    }

    /// <summary>
    /// Tries <paramref name="tryTake"/> (the original with a zero timeout) until it succeeds (true), the registered wait
    /// on <paramref name="manualReset"/> sees it set (true, without another try, which a pulse may have undone) or
    /// <paramref name="timeout"/> (null: none) passes (false), suspending between tries; returns false while
    /// suspending, which the woven callers ignore as they return too.
    /// </summary>
    /// <param name="frames">The stack <see cref="TakeLink"/> returned.</param>
    /// <param name="current">The waiting greenlet.</param>
    /// <param name="state">What <paramref name="tryTake"/> is given: the handle or handles.</param>
    /// <param name="tryTake">One try, which takes the signal or count if there is one.</param>
    /// <param name="timeout">How long the whole wait may last; a resumed wait keeps its first deadline.</param>
    /// <param name="manualReset">A manual-reset event watched by a registered wait so that its set wakes the greenlet at once; null otherwise.</param>
    /// <param name="waitingOn">What the greenlet waits on, for run info.</param>
    /// <param name="cancellationToken">Wakes the greenlet as it is cancelled, for <paramref name="tryTake"/> to throw.</param>
    public static bool Wait<TState>(
        FrameStack frames,
        Greenlet current,
        TState state,
        Func<TState, bool> tryTake,
        TimeSpan? timeout,
        WaitHandle? manualReset,
        string waitingOn,
        CancellationToken cancellationToken = default)
    {
        var resuming = frames.IsResuming;
        HandleWaitFrame wait;
        if (resuming)
        {
            wait = (HandleWaitFrame)frames.Pop();
        }
        else
        {
            if (tryTake(state))
            {
                return true;
            }

            if (timeout == TimeSpan.Zero)
            {
                return false;
            }

            wait = new HandleWaitFrame(current.Hub, timeout, manualReset, cancellationToken);
        }

        try
        {
            while (true)
            {
                if (!resuming)
                {
                    wait.Arm(current);
                }

                resuming = false;
                frames.Link();
                current.Hub.BlockResumably(waitingOn);
                if (frames.IsSuspending)
                {
                    frames.Push(wait);
                    return false;
                }

                wait.Disarm();
                if (wait.Signalled || tryTake(state))
                {
                    return true;
                }

                if (wait.Expired)
                {
                    return false;
                }
            }
        }
        finally
        {
            if (!frames.IsSuspending)
            {
                wait.Stop();
            }
        }
    }
}
