using System.Net.Sockets;
using Gevent.CompilerServices;
using Gevent.Loop;

namespace Gevent;

public sealed partial class Hub
{
    /// <summary>
    /// What a greenlet parked in a wait for one socket is waiting on (<see cref="Greenlet"/>'s <c>WaitingOn</c>), and
    /// how a wait for several ends: code that interrupts greenlets can tell a wait inside a connection's I/O, which a
    /// library (a database driver, an HTTP client) takes an exception from as a broken connection.
    /// </summary>
    internal const string WaitingOnReadable = "a socket to become readable";

    /// <inheritdoc cref="WaitingOnReadable"/>
    internal const string WaitingOnWritable = "a socket to become writable";

    /// <inheritdoc cref="WaitingOnReadable"/>
    internal const string WaitingOnSocketsSuffix = " socket readinesses";

    /// <summary>Whether <paramref name="waitingOn"/> (a greenlet's <c>WaitingOn</c>) is a wait for socket I/O.</summary>
    internal static bool IsSocketWait(string? waitingOn) =>
        waitingOn is WaitingOnReadable or WaitingOnWritable
        || (waitingOn is not null && waitingOn.EndsWith(WaitingOnSocketsSuffix, StringComparison.Ordinal));

    /// <summary>
    /// Parks the current greenlet until any of <paramref name="watches"/> is ready, or <paramref name="timeout"/>
    /// passes (false). Each entry is one socket and one of <see cref="IoEvents.Read"/> or <see cref="IoEvents.Write"/>;
    /// a socket may appear once per direction.
    /// </summary>
    /// <exception cref="ConcurrentObjectUseException">Another greenlet already waits for one of these readinesses.</exception>
    internal bool WaitForIo(ReadOnlySpan<(Socket Socket, IoEvents Events)> watches, TimeSpan? timeout)
    {
        var bounded = Durations.IsBounded(timeout, nameof(timeout));
        var current = CurrentGreenlet;
        VerifyAccess(current);
        var wait = new IoWait(new WakeToken(current));
        var watchers = new IoWatcher[watches.Length];
        LoopTimer? timer = null;
        try
        {
            for (var i = 0; i < watches.Length; i++)
            {
                watchers[i] = new IoWatcher(watches[i].Socket, watches[i].Events, IoWait.OnReady, wait) { Owner = current };
                Loop.StartIo(watchers[i]);
            }

            timer = bounded ? Loop.StartTimer(timeout!.Value, WakeToken.WakeCallback, wait.Token) : null;
            Block(Describe(watches));
        }
        finally
        {
            timer?.Cancel();
            foreach (var watcher in watchers)
            {
                // Null when StartIo of an earlier one refused; StopIo ignores a watcher that never started.
                if (watcher is not null)
                {
                    Loop.StopIo(watcher);
                }
            }
        }

        return wait.Ready;
    }

    /// <summary>
    /// Parks the current greenlet until <paramref name="socket"/> is ready for <paramref name="events"/>, or
    /// <paramref name="timeout"/> passes (false); a stackless greenlet pins. See the overload with frames.
    /// </summary>
    internal bool WaitForIo(Socket socket, IoEvents events, TimeSpan? timeout)
    {
        PendingIo? none = null;
        return WaitForIo(socket, events, timeout, frames: null, ref none);
    }

    /// <summary>
    /// Parks the current greenlet until <paramref name="socket"/> is ready for <paramref name="events"/>
    /// (or fails, or is closed through a patched call), or <paramref name="timeout"/> passes. Returns false
    /// on timeout. The building block of the cooperative socket patches: try the non-blocking call, and on
    /// would-block wait here, then retry.
    /// </summary>
    /// <param name="socket">The socket to watch.</param>
    /// <param name="events">One of <see cref="IoEvents.Read"/> or <see cref="IoEvents.Write"/>.</param>
    /// <param name="timeout">How long to wait at most; null: no limit.</param>
    /// <param name="frames">
    /// The stack of a stackless greenlet whose caller follows the <see cref="FrameStack"/> contract and was entered
    /// linked: the greenlet suspends here without a thread. Null for every other caller (a stackless greenlet then pins).
    /// </param>
    /// <param name="pending">
    /// Null on a first call. When the call returns with <paramref name="frames"/> suspending, the wait to keep in the
    /// caller's frame (its watcher and timer stay registered); on resume the caller passes it back, and it is
    /// re-entered and removed.
    /// </param>
    /// <exception cref="ConcurrentObjectUseException">Another greenlet already waits for the same readiness of this socket.</exception>
    internal bool WaitForIo(Socket socket, IoEvents events, TimeSpan? timeout, FrameStack? frames, ref PendingIo? pending)
    {
        var wait = pending ?? StartIo(socket, events, timeout);
        pending = null;
        try
        {
            var watch = wait.Watch;
            var waitingOn = Describe(new ReadOnlySpan<(Socket, IoEvents)>(in watch));
            if (frames is null)
            {
                Block(waitingOn);
            }
            else
            {
                frames.Link();
                BlockResumably(waitingOn);
                if (frames.IsSuspending)
                {
                    pending = wait;
                    return false;
                }
            }
        }
        finally
        {
            if (frames is not { IsSuspending: true })
            {
                wait.Stop(Loop);
            }
        }

        return wait.Ready;
    }

    private PendingIo StartIo(Socket socket, IoEvents events, TimeSpan? timeout)
    {
        var bounded = Durations.IsBounded(timeout, nameof(timeout));
        var current = CurrentGreenlet;
        VerifyAccess(current);
        var wait = new IoWait(new WakeToken(current));
        var watcher = new IoWatcher(socket, events, IoWait.OnReady, wait) { Owner = current };
        Loop.StartIo(watcher);
        var timer = bounded ? Loop.StartTimer(timeout!.Value, WakeToken.WakeCallback, wait.Token) : null;
        return new PendingIo((socket, events), wait, watcher, timer);
    }

    private static string Describe(ReadOnlySpan<(Socket Socket, IoEvents Events)> watches) =>
        watches.Length switch
        {
            0 => "nothing (an empty socket wait)",
            1 => watches[0].Events == IoEvents.Read ? WaitingOnReadable : WaitingOnWritable,
            _ => $"any of {watches.Length}{WaitingOnSocketsSuffix}",
        };

    /// <summary>A socket wait left registered while its stackless greenlet is suspended: what wakes it, removed once it resumes.</summary>
    internal sealed class PendingIo
    {
        private readonly IoWait _wait;
        private readonly IoWatcher _watcher;
        private readonly LoopTimer? _timer;

        internal PendingIo((Socket Socket, IoEvents Events) watch, IoWait wait, IoWatcher watcher, LoopTimer? timer)
        {
            Watch = watch;
            _wait = wait;
            _watcher = watcher;
            _timer = timer;
        }

        public (Socket Socket, IoEvents Events) Watch { get; }

        /// <summary>Whether the socket became ready (false: the timeout passed, or the greenlet was woken otherwise).</summary>
        public bool Ready => _wait.Ready;

        public void Stop(EventLoop loop)
        {
            _timer?.Cancel();
            loop.StopIo(_watcher);
        }
    }

    internal sealed class IoWait(WakeToken token)
    {
        public static readonly Action<object?> OnReady = static state =>
        {
            var wait = (IoWait)state!;
            wait.Ready |= wait.Token.Greenlet.Hub.Wake(wait.Token);
        };

        public WakeToken Token { get; } = token;

        public bool Ready { get; private set; }
    }
}
