using Gevent.Loop.Native;

namespace Gevent.Greenlets.Threads;

/// <summary>
/// Sizes the kernel's futex hash for thousands of parked greenlets. Since Linux 6.16 a process gets a
/// private futex hash sized from its CPU count — 16 slots on a 2-CPU machine — and every futex wake
/// walks one slot's chain of waiters. With 10,000 parked greenlets (each a futex waiter) a switch
/// cost 15.5 µs instead of 2.3 µs; with enough slots it stays at 2.3 µs (bench <c>micro</c>, docs/benchmarks.md).
/// Older kernels refuse the call and keep the global hash, which is large enough.
/// </summary>
internal static class FutexHash
{
    private const int MaxSlots = 1 << 16;
    private static int s_sized;

    /// <summary>The slot count the process ended up with; 0 for the global hash or where unknown.</summary>
    public static int Slots => OperatingSystem.IsLinux() ? Math.Max(0, Libc.prctl(Libc.PR_FUTEX_HASH, Libc.PR_FUTEX_HASH_GET_SLOTS, 0, 0, 0)) : 0;

    /// <summary>Once per process: at least one slot per greenlet the limit allows (a power of two).</summary>
    public static void EnsureSized(int maxGreenlets)
    {
        if (!Libc.HasFutex || Interlocked.Exchange(ref s_sized, 1) != 0)
        {
            return;
        }

        var slots = (int)Math.Min(MaxSlots, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(maxGreenlets, 16)));
        if (Slots >= slots)
        {
            return;
        }

        // Fails with EINVAL before Linux 6.16, where the hash is global and needs no sizing.
        Libc.prctl(Libc.PR_FUTEX_HASH, Libc.PR_FUTEX_HASH_SET_SLOTS, slots, 0, 0);
    }
}
