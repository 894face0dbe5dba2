using System.Net.Sockets;
using Gevent.Loop;

namespace Gevent;

public sealed partial class Hub
{
    /// <summary>
    /// Parks the current greenlet until <paramref name="socket"/> is ready for <paramref name="events"/>
    /// (or fails, or is closed through a patched call), or <paramref name="timeout"/> passes. Returns false
    /// on timeout. The building block of the cooperative socket patches: try the non-blocking call, and on
    /// would-block wait here, then retry.
    /// </summary>
    /// <exception cref="ConcurrentObjectUseException">Another greenlet already waits for the same readiness of this socket.</exception>
    internal bool WaitForIo(Socket socket, IoEvents events, TimeSpan? timeout)
    {
        var watch = (socket, events);
        return WaitForIo(new ReadOnlySpan<(Socket, IoEvents)>(in watch), timeout);
    }

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

    private static string Describe(ReadOnlySpan<(Socket Socket, IoEvents Events)> watches) =>
        watches.Length switch
        {
            0 => "nothing (an empty socket wait)",
            1 => watches[0].Events == IoEvents.Read ? "a socket to become readable" : "a socket to become writable",
            _ => $"any of {watches.Length} socket readinesses",
        };

    private sealed class IoWait(WakeToken token)
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
