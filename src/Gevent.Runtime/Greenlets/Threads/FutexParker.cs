using System.Runtime.InteropServices;
using Gevent.Loop.Native;

namespace Gevent.Greenlets.Threads;

/// <summary>
/// A parker on a raw Linux futex. Measured (bench <c>baton</c>) as the cheapest handoff between
/// two threads sharing a CPU: no spinning, which only burns the time slice the other thread needs.
/// </summary>
/// <remarks>
/// The word is <see cref="Empty"/>, <see cref="Notified"/> (a permit) or <see cref="Parked"/> (its thread is, or is
/// about to be, in the kernel's wait), so <see cref="Unpark"/> makes the wake-up system call only for a thread that
/// needs it: not when a finished greenlet's worker hands the baton to the greenlet it takes on itself, which the
/// <c>aspnet</c> bench's "Hello, World!" did once per request.
/// </remarks>
internal sealed unsafe class FutexParker : ThreadParker
{
    private const int Parked = -1;
    private const int Empty = 0;
    private const int Notified = 1;

    private int* _state = (int*)NativeMemory.AllocZeroed(sizeof(int));

    public override void Park()
    {
        // Notified → Empty: the permit was there. Empty → Parked: wait for one.
        if (Interlocked.Decrement(ref *_state) == Empty)
        {
            return;
        }

        while (Interlocked.CompareExchange(ref *_state, Empty, Notified) != Notified)
        {
            Libc.FutexWait(_state, Parked);
        }
    }

    public override bool Park(TimeSpan timeout)
    {
        if (Interlocked.Decrement(ref *_state) == Empty)
        {
            return true;
        }

        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Interlocked.CompareExchange(ref *_state, Empty, Notified) != Notified)
        {
            var remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                // A permit that came after the last look is taken, not lost.
                return Interlocked.Exchange(ref *_state, Empty) == Notified;
            }

            var relative = new Libc.Timespec { Seconds = remaining / 1000, Nanoseconds = remaining % 1000 * 1_000_000 };
            Libc.FutexWait(_state, Parked, &relative);
        }

        return true;
    }

    public override void Unpark()
    {
        if (Interlocked.Exchange(ref *_state, Notified) == Parked)
        {
            Libc.FutexWake(_state);
        }
    }

    public override void Dispose()
    {
        NativeMemory.Free(_state);
        _state = null;
    }
}
