namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="Monitor"/>, and so for C#'s <c>lock (obj)</c>. A contended
/// acquisition parks the greenlet instead of blocking its thread, which holds the hub's baton: otherwise
/// a greenlet that waits for a lock held by another greenlet of the same hub (parked while holding it)
/// would deadlock the hub. Ownership stays the BCL's: each greenlet runs on a thread of its own.
/// </summary>
public static class MonitorPatches
{
    private static readonly Func<object, bool> s_tryEnterMonitor = static key => Monitor.TryEnter(key);

    private static readonly WaiterTable s_pulses = new();

    /// <summary><see cref="Monitor.Enter(object)"/>.</summary>
    [Patch(typeof(Monitor), nameof(Monitor.Enter), PatchKind.Static, PatchStrategy.Hub)]
    public static void Enter(object obj)
    {
        if (Hub.CooperativeGreenlet is not { } current)
        {
            Monitor.Enter(obj);
            return;
        }

        ArgumentNullException.ThrowIfNull(obj);
        CooperativeAcquire.Acquire(current, obj, s_tryEnterMonitor, timeout: null);
    }

    /// <summary><see cref="Monitor.Enter(object, ref bool)"/>, what the C# <c>lock</c> statement calls.</summary>
    [Patch(typeof(Monitor), nameof(Monitor.Enter), PatchKind.Static, PatchStrategy.Hub)]
    public static void Enter(object obj, ref bool lockTaken)
    {
        if (Hub.CooperativeGreenlet is not { } current)
        {
            Monitor.Enter(obj, ref lockTaken);
            return;
        }

        // The original's checks (null, lockTaken already true) and its uncontended fast path.
        Monitor.TryEnter(obj, ref lockTaken);
        if (!lockTaken)
        {
            lockTaken = CooperativeAcquire.Acquire(current, obj, s_tryEnterMonitor, timeout: null);
        }
    }

    /// <summary><see cref="Monitor.TryEnter(object, int)"/>.</summary>
    [Patch(typeof(Monitor), nameof(Monitor.TryEnter), PatchKind.Static, PatchStrategy.Hub)]
    public static bool TryEnter(object obj, int millisecondsTimeout)
    {
        if (Hub.CooperativeGreenlet is not { } current)
        {
            return Monitor.TryEnter(obj, millisecondsTimeout);
        }

        ArgumentNullException.ThrowIfNull(obj);
        return CooperativeAcquire.Acquire(current, obj, s_tryEnterMonitor, Timeouts.FromMilliseconds(millisecondsTimeout));
    }

    /// <summary><see cref="Monitor.TryEnter(object, TimeSpan)"/>.</summary>
    [Patch(typeof(Monitor), nameof(Monitor.TryEnter), PatchKind.Static, PatchStrategy.Hub)]
    public static bool TryEnter(object obj, TimeSpan timeout)
    {
        if (Hub.CooperativeGreenlet is not { } current)
        {
            return Monitor.TryEnter(obj, timeout);
        }

        ArgumentNullException.ThrowIfNull(obj);
        return CooperativeAcquire.Acquire(current, obj, s_tryEnterMonitor, Timeouts.FromTimeSpan(timeout));
    }

    /// <summary><see cref="Monitor.TryEnter(object, int, ref bool)"/>.</summary>
    [Patch(typeof(Monitor), nameof(Monitor.TryEnter), PatchKind.Static, PatchStrategy.Hub)]
    public static void TryEnter(object obj, int millisecondsTimeout, ref bool lockTaken)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            Monitor.TryEnter(obj, millisecondsTimeout, ref lockTaken);
            return;
        }

        ThrowIfTaken(lockTaken);
        lockTaken = TryEnter(obj, millisecondsTimeout);
    }

    /// <summary><see cref="Monitor.TryEnter(object, TimeSpan, ref bool)"/>.</summary>
    [Patch(typeof(Monitor), nameof(Monitor.TryEnter), PatchKind.Static, PatchStrategy.Hub)]
    public static void TryEnter(object obj, TimeSpan timeout, ref bool lockTaken)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            Monitor.TryEnter(obj, timeout, ref lockTaken);
            return;
        }

        ThrowIfTaken(lockTaken);
        lockTaken = TryEnter(obj, timeout);
    }

    /// <summary><see cref="Monitor.Exit(object)"/>: releases, then wakes a greenlet waiting for the monitor.</summary>
    [NeverWaits]
    [Patch(typeof(Monitor), nameof(Monitor.Exit), PatchKind.Static, PatchStrategy.Hub)]
    public static void Exit(object obj)
    {
        Monitor.Exit(obj);
        if (!Monitor.IsEntered(obj))
        {
            CooperativeAcquire.Releases.SignalOne(obj);
        }
    }

    /// <summary><see cref="Monitor.Wait(object)"/>.</summary>
    [Patch(typeof(Monitor), nameof(Monitor.Wait), PatchKind.Static, PatchStrategy.Hub)]
    public static bool Wait(object obj) => Wait(obj, Timeout.Infinite);

    /// <summary><see cref="Monitor.Wait(object, int)"/>.</summary>
    [Patch(typeof(Monitor), nameof(Monitor.Wait), PatchKind.Static, PatchStrategy.Hub)]
    public static bool Wait(object obj, int millisecondsTimeout)
    {
        if (Hub.CooperativeGreenlet is not { } current)
        {
            return Monitor.Wait(obj, millisecondsTimeout);
        }

        return WaitForPulse(current, obj, Timeouts.FromMilliseconds(millisecondsTimeout));
    }

    /// <summary><see cref="Monitor.Wait(object, TimeSpan)"/>.</summary>
    [Patch(typeof(Monitor), nameof(Monitor.Wait), PatchKind.Static, PatchStrategy.Hub)]
    public static bool Wait(object obj, TimeSpan timeout)
    {
        if (Hub.CooperativeGreenlet is not { } current)
        {
            return Monitor.Wait(obj, timeout);
        }

        return WaitForPulse(current, obj, Timeouts.FromTimeSpan(timeout));
    }

    /// <summary><see cref="Monitor.Pulse(object)"/>: wakes a waiting greenlet if any, else a waiting thread.</summary>
    [NeverWaits]
    [Patch(typeof(Monitor), nameof(Monitor.Pulse), PatchKind.Static, PatchStrategy.Hub)]
    public static void Pulse(object obj)
    {
        ThrowIfNotOwned(obj);
        if (!s_pulses.SignalOne(obj))
        {
            Monitor.Pulse(obj);
        }
    }

    /// <summary><see cref="Monitor.PulseAll(object)"/>: wakes every waiting greenlet and thread.</summary>
    [NeverWaits]
    [Patch(typeof(Monitor), nameof(Monitor.PulseAll), PatchKind.Static, PatchStrategy.Hub)]
    public static void PulseAll(object obj)
    {
        ThrowIfNotOwned(obj);
        s_pulses.SignalAll(obj);
        Monitor.PulseAll(obj);
    }

    /// <summary>
    /// Monitor.Wait for a greenlet: release every level of the monitor, park until pulsed or timed out,
    /// then take the monitor back (cooperatively) at the same depth — also when interrupted, since the
    /// caller's <c>lock</c> will exit it.
    /// </summary>
    private static bool WaitForPulse(Greenlet current, object obj, TimeSpan? timeout)
    {
        ThrowIfNotOwned(obj);
        var token = new WakeToken(current);
        var waiter = new WaiterTable.GreenletWaiter(token);
        s_pulses.Add(obj, waiter);
        var depth = 0;
        while (Monitor.IsEntered(obj))
        {
            Monitor.Exit(obj);
            depth++;
        }

        CooperativeAcquire.Releases.SignalOne(obj);
        var hub = current.Hub;
        var timer = timeout is { } limit ? hub.Loop.StartTimer(limit, WakeToken.WakeCallback, token) : null;
        try
        {
            hub.Block("Monitor.Wait");
        }
        finally
        {
            timer?.Cancel();
            s_pulses.Remove(obj, waiter);
            CooperativeAcquire.Acquire(current, obj, s_tryEnterMonitor, timeout: null);
            for (var level = 1; level < depth; level++)
            {
                Monitor.Enter(obj);
            }
        }

        return waiter.Signalled;
    }

    private static void ThrowIfNotOwned(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (!Monitor.IsEntered(obj))
        {
            throw new SynchronizationLockException("Object synchronization method was called from an unsynchronized block of code.");
        }
    }

    private static void ThrowIfTaken(bool lockTaken)
    {
        if (lockTaken)
        {
            throw new ArgumentException("The lockTaken argument must be set to false before calling this method.", nameof(lockTaken));
        }
    }
}
