using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="WaitHandle"/> waits. A wait on a handle may take something —
/// an auto-reset event's signal, a semaphore's count, a mutex's ownership, which belongs to the waiting
/// thread — so in a greenlet the greenlet's own thread tries the original with a zero timeout and parks
/// between tries (1 ms, backing off to 50 ms, as for a contended lock). A <see cref="ManualResetEvent"/>,
/// whose wait takes nothing, is instead watched by a registered wait and wakes the greenlet at once.
/// <para>
/// <c>WaitOne</c> without a context flag and <c>WaitAny</c> without one are resumable (<see cref="FrameStack"/>): a
/// stackless greenlet whose woven caller linked to them suspends without a thread between its tries
/// (<see cref="StacklessHandleWait"/>), unless a handle is a mutex or of a kind it does not know, which pins
/// (<see cref="PinReason.ThreadOwnedWait"/>). A mutex a wait takes keeps a stackless greenlet pinned until it is
/// released (<see cref="MutexPatches"/>).
/// </para>
/// </summary>
public static class WaitHandlePatches
{
    private static readonly Func<WaitHandle, bool> s_tryWaitOne = static handle => handle.WaitOne(0);

    /// <summary><see cref="WaitHandle.WaitOne()"/>.</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitOne), PatchKind.Virtual, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static bool WaitOne(WaitHandle handle) =>
        Hub.CooperativeGreenlet is null ? handle.WaitOne() : WaitOne(handle, Timeout.Infinite);

    /// <summary><see cref="WaitHandle.WaitOne(int)"/>.</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitOne), PatchKind.Virtual, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static bool WaitOne(WaitHandle handle, int millisecondsTimeout) =>
        Hub.CooperativeGreenlet is not { } current || handle is null
            ? handle!.WaitOne(millisecondsTimeout)
            : WaitOne(current, handle, Timeouts.FromMilliseconds(millisecondsTimeout));

    /// <summary><see cref="WaitHandle.WaitOne(TimeSpan)"/>.</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitOne), PatchKind.Virtual, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static bool WaitOne(WaitHandle handle, TimeSpan timeout) =>
        Hub.CooperativeGreenlet is not { } current || handle is null
            ? handle!.WaitOne(timeout)
            : WaitOne(current, handle, Timeouts.FromTimeSpan(timeout));

    /// <summary><see cref="WaitHandle.WaitOne(int, bool)"/> (the context flag means nothing on .NET Core).</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitOne), PatchKind.Virtual, PatchStrategy.AsyncTwin)]
    public static bool WaitOne(WaitHandle handle, int millisecondsTimeout, bool exitContext) =>
        Hub.CooperativeGreenlet is null ? handle.WaitOne(millisecondsTimeout, exitContext) : WaitOne(handle, millisecondsTimeout);

    /// <summary><see cref="WaitHandle.WaitOne(TimeSpan, bool)"/> (the context flag means nothing on .NET Core).</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitOne), PatchKind.Virtual, PatchStrategy.AsyncTwin)]
    public static bool WaitOne(WaitHandle handle, TimeSpan timeout, bool exitContext) =>
        Hub.CooperativeGreenlet is null ? handle.WaitOne(timeout, exitContext) : WaitOne(handle, timeout);

    /// <summary><see cref="WaitHandle.WaitAll(WaitHandle[])"/>.</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitAll), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static bool WaitAll(WaitHandle[] waitHandles) =>
        Hub.CooperativeGreenlet is null ? WaitHandle.WaitAll(waitHandles) : WaitAll(waitHandles, Timeout.Infinite);

    /// <summary><see cref="WaitHandle.WaitAll(WaitHandle[], int)"/>.</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitAll), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static bool WaitAll(WaitHandle[] waitHandles, int millisecondsTimeout) =>
        Hub.CooperativeGreenlet is not { } current
            ? WaitHandle.WaitAll(waitHandles, millisecondsTimeout)
            : WaitAll(current, waitHandles, Timeouts.FromMilliseconds(millisecondsTimeout));

    /// <summary><see cref="WaitHandle.WaitAll(WaitHandle[], TimeSpan)"/>.</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitAll), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static bool WaitAll(WaitHandle[] waitHandles, TimeSpan timeout) =>
        Hub.CooperativeGreenlet is not { } current
            ? WaitHandle.WaitAll(waitHandles, timeout)
            : WaitAll(current, waitHandles, Timeouts.FromTimeSpan(timeout));

    /// <summary><see cref="WaitHandle.WaitAll(WaitHandle[], int, bool)"/>.</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitAll), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static bool WaitAll(WaitHandle[] waitHandles, int millisecondsTimeout, bool exitContext) =>
        Hub.CooperativeGreenlet is null ? WaitHandle.WaitAll(waitHandles, millisecondsTimeout, exitContext) : WaitAll(waitHandles, millisecondsTimeout);

    /// <summary><see cref="WaitHandle.WaitAll(WaitHandle[], TimeSpan, bool)"/>.</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitAll), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static bool WaitAll(WaitHandle[] waitHandles, TimeSpan timeout, bool exitContext) =>
        Hub.CooperativeGreenlet is null ? WaitHandle.WaitAll(waitHandles, timeout, exitContext) : WaitAll(waitHandles, timeout);

    /// <summary><see cref="WaitHandle.WaitAny(WaitHandle[])"/>.</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitAny), PatchKind.Static, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static int WaitAny(WaitHandle[] waitHandles) =>
        Hub.CooperativeGreenlet is null ? WaitHandle.WaitAny(waitHandles) : WaitAny(waitHandles, Timeout.Infinite);

    /// <summary><see cref="WaitHandle.WaitAny(WaitHandle[], int)"/>.</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitAny), PatchKind.Static, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static int WaitAny(WaitHandle[] waitHandles, int millisecondsTimeout) =>
        Hub.CooperativeGreenlet is not { } current
            ? WaitHandle.WaitAny(waitHandles, millisecondsTimeout)
            : WaitAny(current, waitHandles, Timeouts.FromMilliseconds(millisecondsTimeout));

    /// <summary><see cref="WaitHandle.WaitAny(WaitHandle[], TimeSpan)"/>.</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitAny), PatchKind.Static, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static int WaitAny(WaitHandle[] waitHandles, TimeSpan timeout) =>
        Hub.CooperativeGreenlet is not { } current
            ? WaitHandle.WaitAny(waitHandles, timeout)
            : WaitAny(current, waitHandles, Timeouts.FromTimeSpan(timeout));

    /// <summary><see cref="WaitHandle.WaitAny(WaitHandle[], int, bool)"/>.</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitAny), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static int WaitAny(WaitHandle[] waitHandles, int millisecondsTimeout, bool exitContext) =>
        Hub.CooperativeGreenlet is null ? WaitHandle.WaitAny(waitHandles, millisecondsTimeout, exitContext) : WaitAny(waitHandles, millisecondsTimeout);

    /// <summary><see cref="WaitHandle.WaitAny(WaitHandle[], TimeSpan, bool)"/>.</summary>
    [Patch(typeof(WaitHandle), nameof(WaitHandle.WaitAny), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static int WaitAny(WaitHandle[] waitHandles, TimeSpan timeout, bool exitContext) =>
        Hub.CooperativeGreenlet is null ? WaitHandle.WaitAny(waitHandles, timeout, exitContext) : WaitAny(waitHandles, timeout);

    private static bool WaitOne(Greenlet current, WaitHandle handle, TimeSpan? timeout)
    {
        bool taken;
        try
        {
            taken = WaitOneOnce(current, handle, timeout);
        }
        catch (AbandonedMutexException)
        {
            // The wait took the mutex a thread ended holding.
            MutexPatches.Took(current, handle);
            throw;
        }

        if (taken)
        {
            MutexPatches.Took(current, handle);
        }

        return taken;
    }

    private static bool WaitOneOnce(Greenlet current, WaitHandle handle, TimeSpan? timeout)
    {
        var frames = StacklessHandleWait.TakeLink(current, [handle], out var pin);
        using (pin)
        {
            if (frames is not null)
            {
                return StacklessHandleWait.Wait(frames, current, handle, s_tryWaitOne, timeout, handle as ManualResetEvent, "WaitHandle.WaitOne");
            }

            if (handle is not ManualResetEvent)
            {
                return CooperativeAcquire.Acquire(current, handle, s_tryWaitOne, timeout, "WaitHandle.WaitOne");
            }

            // A set the park saw ends the wait, though the event may be reset again by now (pulsed); else the last
            // look, after a timeout, is the original's own.
            return handle.WaitOne(0) || Parking.ParkOnManualReset(handle, timeout, CancellationToken.None) || handle.WaitOne(0);
        }
    }

    private static bool WaitAll(Greenlet current, WaitHandle[] waitHandles, TimeSpan? timeout)
    {
        bool taken;
        try
        {
            taken = CooperativeAcquire.Acquire(current, waitHandles, static handles => WaitHandle.WaitAll(handles, 0), timeout, "WaitHandle.WaitAll");
        }
        catch (AbandonedMutexException)
        {
            // Every handle was taken, one of them a mutex a thread ended holding.
            MutexPatches.TookAll(current, waitHandles);
            throw;
        }

        if (taken)
        {
            MutexPatches.TookAll(current, waitHandles);
        }

        return taken;
    }

    private static int WaitAny(Greenlet current, WaitHandle[] waitHandles, TimeSpan? timeout)
    {
        var index = WaitHandle.WaitTimeout;
        bool TryTake(WaitHandle[] handles) => (index = WaitHandle.WaitAny(handles, 0)) != WaitHandle.WaitTimeout;

        // A null array gets the BCL's ArgumentNullException from the first try.
        var frames = StacklessHandleWait.TakeLink(current, waitHandles ?? [], out var pin);
        try
        {
            using (pin)
            {
                if (frames is not null)
                {
                    StacklessHandleWait.Wait(frames, current, waitHandles!, TryTake, timeout, manualReset: null, "WaitHandle.WaitAny");
                }
                else
                {
                    CooperativeAcquire.Acquire(current, waitHandles!, TryTake, timeout, "WaitHandle.WaitAny");
                }
            }
        }
        catch (AbandonedMutexException abandoned)
        {
            // The wait took the mutex a thread ended holding, which the exception names.
            MutexPatches.Took(current, abandoned.Mutex);
            throw;
        }

        if (index != WaitHandle.WaitTimeout)
        {
            MutexPatches.Took(current, waitHandles![index]);
        }

        return index;
    }
}
