using System.Collections;
using System.Diagnostics;
using System.Net.Sockets;
using Gevent.Loop;

namespace Gevent.Patches;

// Poll and Select cooperate the same way: look with a zero timeout (the BCL call itself, so its checks and
// answers are the BCL's), and while nothing is ready park on io watchers for the read and write sets.
// Error conditions cannot be watched apart from readability in the loop, so while an error set is asked
// for, the wait is cut into short slices and the look repeated.
public static partial class SocketPatches
{
    private static readonly TimeSpan s_errorPollSlice = TimeSpan.FromMilliseconds(10);

    /// <summary><see cref="Socket.Poll(int, SelectMode)"/>: in a greenlet, parks until the answer is true or the time passes.</summary>
    [Patch(typeof(Socket), nameof(Socket.Poll), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static bool Poll(Socket socket, int microSeconds, SelectMode mode)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            return socket.Poll(microSeconds, mode);
        }

        var events = mode switch
        {
            SelectMode.SelectRead => IoEvents.Read,
            SelectMode.SelectWrite => IoEvents.Write,
            _ => IoEvents.None,
        };
        var watch = (socket, events);
        return WaitUntilReady(events == IoEvents.None ? [] : new ReadOnlySpan<(Socket, IoEvents)>(in watch), events == IoEvents.None, microSeconds,
            (socket, mode), static state => state.socket.Poll(0, state.mode));
    }

    /// <summary><see cref="Socket.Poll(TimeSpan, SelectMode)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Poll), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static bool Poll(Socket socket, TimeSpan timeout, SelectMode mode) =>
        Hub.CooperativeGreenlet is null ? socket.Poll(timeout, mode) : Poll(socket, ToMicroseconds(timeout), mode);

    /// <summary>
    /// <see cref="Socket.Select(IList, IList, IList, int)"/>: in a greenlet, parks until one of the sockets is
    /// ready or the time passes, then leaves in each list the ready ones, as the BCL does.
    /// </summary>
    [Patch(typeof(Socket), nameof(Socket.Select), PatchKind.Static, PatchStrategy.NonBlocking)]
    public static void Select(IList? checkRead, IList? checkWrite, IList? checkError, int microSeconds)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            Socket.Select(checkRead, checkWrite, checkError, microSeconds);
            return;
        }

        var look = new SelectLook(checkRead, checkWrite, checkError);
        var watches = new List<(Socket, IoEvents)>();
        AddWatches(watches, checkRead, IoEvents.Read);
        AddWatches(watches, checkWrite, IoEvents.Write);
        WaitUntilReady(watches.ToArray(), checkError is { Count: > 0 }, microSeconds, look, static look => look.Run());
        look.CopyBack();
    }

    /// <summary><see cref="Socket.Select(IList, IList, IList, TimeSpan)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Select), PatchKind.Static, PatchStrategy.NonBlocking)]
    public static void Select(IList? checkRead, IList? checkWrite, IList? checkError, TimeSpan timeout)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            Socket.Select(checkRead, checkWrite, checkError, timeout);
            return;
        }

        Select(checkRead, checkWrite, checkError, ToMicroseconds(timeout));
    }

    /// <summary>
    /// Looks with <paramref name="isReady"/> until it is true or the time passes. <paramref name="microSeconds"/>
    /// is read as the BCL reads it on Unix: -1 waits without limit, anything else is cut to whole milliseconds.
    /// </summary>
    private static bool WaitUntilReady<TState>(ReadOnlySpan<(Socket, IoEvents)> watches, bool slice, int microSeconds, TState state, Func<TState, bool> isReady)
    {
        var milliseconds = microSeconds == -1 ? -1 : microSeconds / 1000;
        var start = Stopwatch.GetTimestamp();
        var hub = Hub.CurrentGreenlet.Hub;
        while (!isReady(state))
        {
            var remaining = milliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds) - Stopwatch.GetElapsedTime(start);
            if (remaining != Timeout.InfiniteTimeSpan && remaining <= TimeSpan.Zero)
            {
                return false;
            }

            if (slice && (remaining == Timeout.InfiniteTimeSpan || remaining > s_errorPollSlice))
            {
                remaining = s_errorPollSlice;
            }

            hub.WaitForIo(watches, remaining);
        }

        return true;
    }

    private static void AddWatches(List<(Socket, IoEvents)> watches, IList? sockets, IoEvents events)
    {
        if (sockets is null)
        {
            return;
        }

        foreach (var item in sockets)
        {
            // Select accepts a socket listed twice; one watcher per socket and direction is all the loop allows.
            if (item is Socket socket && !watches.Contains((socket, events)))
            {
                watches.Add((socket, events));
            }
        }
    }

    /// <summary>The BCL's own conversion: infinite is -1, otherwise whole microseconds up to <see cref="int.MaxValue"/>.</summary>
    private static int ToMicroseconds(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return -1;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        var microseconds = (long)timeout.TotalMicroseconds;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(microseconds, int.MaxValue, nameof(timeout));
        return (int)microseconds;
    }

    /// <summary>
    /// A zero-timeout <see cref="Socket.Select(IList, IList, IList, int)"/> on fresh copies each time (Select
    /// removes what is not ready), so the caller's lists are changed once, at the end.
    /// </summary>
    private sealed class SelectLook(IList? read, IList? write, IList? error)
    {
        private ArrayList? _read;
        private ArrayList? _write;
        private ArrayList? _error;

        public bool Run()
        {
            _read = Copy(read);
            _write = Copy(write);
            _error = Copy(error);
            Socket.Select(_read, _write, _error, 0);
            return _read?.Count > 0 || _write?.Count > 0 || _error?.Count > 0;
        }

        public void CopyBack()
        {
            CopyBack(_read, read);
            CopyBack(_write, write);
            CopyBack(_error, error);
        }

        private static ArrayList? Copy(IList? list) => list is null ? null : new ArrayList(list);

        private static void CopyBack(ArrayList? from, IList? to)
        {
            if (from is null || to is null)
            {
                return;
            }

            to.Clear();
            foreach (var item in from)
            {
                to.Add(item);
            }
        }
    }
}
