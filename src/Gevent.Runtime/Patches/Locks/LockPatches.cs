using System.Runtime.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="Lock"/> (C# 13's <c>lock</c> on a <see cref="Lock"/>): a
/// contended acquisition parks the greenlet, as <see cref="MonitorPatches"/> does for monitors. A null
/// receiver fails with <see cref="NullReferenceException"/> at the first use, as the original call does.
/// </summary>
public static class LockPatches
{
    private static readonly Func<Lock, bool> s_tryEnterLock = static key => key.TryEnter();

    /// <summary><see cref="Lock.Enter"/>.</summary>
    [Patch(typeof(Lock), nameof(Lock.Enter), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Enter(Lock @lock)
    {
        if (Hub.CooperativeGreenlet is not { } current)
        {
            @lock.Enter();
            return;
        }

        CooperativeAcquire.Acquire(current, @lock, s_tryEnterLock, timeout: null);
    }

    /// <summary><see cref="Lock.TryEnter(int)"/>.</summary>
    [Patch(typeof(Lock), nameof(Lock.TryEnter), PatchKind.Instance, PatchStrategy.Hub)]
    public static bool TryEnter(Lock @lock, int millisecondsTimeout)
    {
        if (Hub.CooperativeGreenlet is not { } current)
        {
            return @lock.TryEnter(millisecondsTimeout);
        }

        return CooperativeAcquire.Acquire(current, @lock, s_tryEnterLock, Timeouts.FromMilliseconds(millisecondsTimeout));
    }

    /// <summary><see cref="Lock.TryEnter(TimeSpan)"/>.</summary>
    [Patch(typeof(Lock), nameof(Lock.TryEnter), PatchKind.Instance, PatchStrategy.Hub)]
    public static bool TryEnter(Lock @lock, TimeSpan timeout)
    {
        if (Hub.CooperativeGreenlet is not { } current)
        {
            return @lock.TryEnter(timeout);
        }

        return CooperativeAcquire.Acquire(current, @lock, s_tryEnterLock, Timeouts.FromTimeSpan(timeout));
    }

    /// <summary>
    /// <see cref="Lock.EnterScope"/>, what <c>lock (aLock)</c> calls. A scope can only come from the lock
    /// itself, so: acquire cooperatively, take a real scope re-entrantly (it cannot block: this thread
    /// holds the lock), and drop the extra level.
    /// </summary>
    [Patch(typeof(Lock), nameof(Lock.EnterScope), PatchKind.Instance, PatchStrategy.Hub)]
    public static Lock.Scope EnterScope(Lock @lock)
    {
        if (Hub.CooperativeGreenlet is not { } current)
        {
            return @lock.EnterScope();
        }

        CooperativeAcquire.Acquire(current, @lock, s_tryEnterLock, timeout: null);
        var scope = @lock.EnterScope();
        @lock.Exit();
        return scope;
    }

    /// <summary><see cref="Lock.Exit"/>: releases, then wakes a greenlet waiting for the lock.</summary>
    [NeverWaits]
    [Patch(typeof(Lock), nameof(Lock.Exit), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Exit(Lock @lock)
    {
        @lock.Exit();
        if (!@lock.IsHeldByCurrentThread)
        {
            CooperativeAcquire.Releases.SignalOne(@lock);
        }
    }

    /// <summary>
    /// <see cref="Lock.Scope.Dispose"/>, the end of <c>lock (aLock)</c>: releases, then wakes a waiting
    /// greenlet. The scope's lock is read through its private field; where a runtime lacks it, waiters
    /// still get the lock through their polling.
    /// </summary>
    [NeverWaits]
    [Patch(typeof(Lock.Scope), nameof(Lock.Scope.Dispose), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Dispose(ref Lock.Scope scope)
    {
        var @lock = ScopeLock.Of(ref scope);
        scope.Dispose();
        if (@lock is not null && !@lock.IsHeldByCurrentThread)
        {
            CooperativeAcquire.Releases.SignalOne(@lock);
        }
    }

    /// <summary>Reads <see cref="Lock.Scope"/>'s lock, tolerating a runtime where the field is named otherwise.</summary>
    private static class ScopeLock
    {
        private static bool s_missing;

        public static Lock? Of(ref Lock.Scope scope)
        {
            if (s_missing)
            {
                return null;
            }

            try
            {
                return LockField(ref scope);
            }
            catch (MissingFieldException)
            {
                s_missing = true;
                return null;
            }
        }

        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_lockObj")]
        private static extern ref Lock LockField(ref Lock.Scope scope);
    }
}
