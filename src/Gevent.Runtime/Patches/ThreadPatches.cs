using Gevent.Patches;
using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>Cooperative replacements for <see cref="Thread"/>'s blocking members.</summary>
public static class ThreadPatches
{
    private static readonly Func<Thread, bool> s_tryJoin = static thread => thread.Join(0);

    /// <summary>
    /// <see cref="Thread.Sleep(int)"/>: in a greenlet, <see cref="Greenlet.Sleep"/> (0 yields,
    /// <see cref="Timeout.Infinite"/> sleeps until killed); elsewhere the original.
    /// </summary>
    /// <remarks>Resumable (<see cref="FrameStack"/>), with no frame of its own: it passes its caller's link on.</remarks>
    [Patch(typeof(Thread), nameof(Thread.Sleep), PatchKind.Static, PatchStrategy.Hub)]
    [Resumable]
    public static void Sleep(int millisecondsTimeout)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            Thread.Sleep(millisecondsTimeout);
            return;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(millisecondsTimeout, Timeout.Infinite);
        Greenlet.Sleep(TimeSpan.FromMilliseconds(millisecondsTimeout));
    }

    /// <summary><see cref="Thread.Sleep(TimeSpan)"/>: in a greenlet, <see cref="Greenlet.Sleep"/>; elsewhere the original.</summary>
    /// <remarks>Resumable (<see cref="FrameStack"/>), with no frame of its own: it passes its caller's link on.</remarks>
    [Patch(typeof(Thread), nameof(Thread.Sleep), PatchKind.Static, PatchStrategy.Hub)]
    [Resumable]
    public static void Sleep(TimeSpan timeout)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            Thread.Sleep(timeout);
            return;
        }

        // The BCL's own check: whole milliseconds from -1 (infinite) to int.MaxValue.
        var milliseconds = (long)timeout.TotalMilliseconds;
        if (milliseconds is < -1 or > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be -1 (infinite) or between 0 and Int32.MaxValue milliseconds.");
        }

        Greenlet.Sleep(milliseconds == -1 ? Timeout.InfiniteTimeSpan : timeout);
    }

    /// <summary>
    /// <see cref="Thread.Yield"/>: in a greenlet, lets the other ready greenlets run and returns true
    /// (gevent's <c>sleep(0)</c>); elsewhere the original.
    /// </summary>
    /// <remarks>Resumable (<see cref="FrameStack"/>), with no frame of its own: it passes its caller's link on.</remarks>
    [Patch(typeof(Thread), nameof(Thread.Yield), PatchKind.Static, PatchStrategy.Hub)]
    [Resumable]
    public static bool Yield()
    {
        if (Hub.CooperativeGreenlet is null)
        {
            return Thread.Yield();
        }

        Greenlet.Yield();
        return true;
    }

    /// <summary>
    /// <see cref="Thread.Join()"/>: in a greenlet, parks between tries of <c>Join(0)</c> (1 ms, backing off to
    /// 50 ms: a thread's end has no async twin); elsewhere the original.
    /// </summary>
    [Patch(typeof(Thread), nameof(Thread.Join), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Join(Thread thread)
    {
        if (Hub.CooperativeGreenlet is not { } current || thread is null)
        {
            thread!.Join();
            return;
        }

        CooperativeAcquire.Acquire(current, thread, s_tryJoin, timeout: null, "Thread.Join");
    }

    /// <summary><see cref="Thread.Join(int)"/>, as <see cref="Join(Thread)"/>.</summary>
    [Patch(typeof(Thread), nameof(Thread.Join), PatchKind.Instance, PatchStrategy.Hub)]
    public static bool Join(Thread thread, int millisecondsTimeout) =>
        Hub.CooperativeGreenlet is not { } current || thread is null
            ? thread!.Join(millisecondsTimeout)
            : CooperativeAcquire.Acquire(current, thread, s_tryJoin, Timeouts.FromMilliseconds(millisecondsTimeout), "Thread.Join");

    /// <summary><see cref="Thread.Join(TimeSpan)"/>, as <see cref="Join(Thread)"/>.</summary>
    [Patch(typeof(Thread), nameof(Thread.Join), PatchKind.Instance, PatchStrategy.Hub)]
    public static bool Join(Thread thread, TimeSpan timeout) =>
        Hub.CooperativeGreenlet is not { } current || thread is null
            ? thread!.Join(timeout)
            : CooperativeAcquire.Acquire(current, thread, s_tryJoin, Timeouts.FromTimeSpan(timeout), "Thread.Join");
}
