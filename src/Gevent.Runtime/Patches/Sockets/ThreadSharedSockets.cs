using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// Sockets an OS thread (not a greenlet) also uses, such as a library's reader thread. A greenlet's
/// cooperative try flips the socket's <see cref="Socket.Blocking"/> flag, which is per socket, not per
/// thread: a blocking call another thread starts inside that window would do one non-blocking syscall
/// and fail with <see cref="SocketError.WouldBlock"/>. So once a thread has used a socket, greenlets
/// never flip it again, and the thread's first call waits out a flip already in progress.
/// </summary>
internal static class ThreadSharedSockets
{
    private static readonly ConditionalWeakTable<Socket, Use> s_uses = new();

    /// <summary>
    /// Records that an OS thread calls a blocking member of <paramref name="socket"/>, and returns once no
    /// greenlet has it flipped. A null socket is left to the original call, which throws for it.
    /// </summary>
    internal static void MarkUsedByThread(Socket? socket)
    {
        if (socket is null)
        {
            return;
        }

        var use = s_uses.GetValue(socket, static _ => new Use());
        if (Volatile.Read(ref use._threads) == 1)
        {
            return;
        }

        // Both sides write then read with full fences (Dekker): either the greenlet sees this mark and
        // does not flip, or this thread sees its flip and waits for it (one non-blocking syscall) to end.
        Interlocked.Exchange(ref use._threads, 1);
        var spin = default(SpinWait);
        while (Volatile.Read(ref use._flipping) != 0)
        {
            spin.SpinOnce();
        }
    }

    /// <summary>
    /// Announces a greenlet's flip of <paramref name="socket"/>; null (and nothing announced) when an OS
    /// thread uses it: then the caller must not flip. End a non-null announcement with <see cref="EndFlip"/>.
    /// </summary>
    internal static Use? TryBeginFlip(Socket socket)
    {
        var use = s_uses.GetValue(socket, static _ => new Use());
        Interlocked.Increment(ref use._flipping);
        if (Volatile.Read(ref use._threads) == 0)
        {
            return use;
        }

        Interlocked.Decrement(ref use._flipping);
        return null;
    }

    /// <summary>Ends a flip <see cref="TryBeginFlip"/> announced.</summary>
    internal static void EndFlip(Use use) => Interlocked.Decrement(ref use._flipping);

    /// <summary>One socket's state: greenlet flips in progress (one per hub at most), and whether a thread uses it.</summary>
    internal sealed class Use
    {
        internal int _flipping;
        internal int _threads;
    }
}
