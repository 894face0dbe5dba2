using System.Net.Sockets;
using Gevent.Loop;

namespace Gevent;

public sealed partial class Hub
{
    /// <summary>
    /// Parks the current greenlet until <paramref name="socket"/> is ready for <paramref name="events"/>
    /// (or fails), or <paramref name="timeout"/> passes. Returns false on timeout. The building block of
    /// the cooperative socket patches: try the non-blocking call, and on would-block wait here, then retry.
    /// </summary>
    /// <exception cref="ConcurrentObjectUseException">Another greenlet already waits for the same readiness of this socket.</exception>
    internal bool WaitForIo(Socket socket, IoEvents events, TimeSpan? timeout)
    {
        var bounded = Durations.IsBounded(timeout, nameof(timeout));
        var current = CurrentGreenlet;
        VerifyAccess(current);
        var wait = new IoWait(new WakeToken(current));
        var watcher = new IoWatcher(socket, events, IoWait.OnReady, wait) { Owner = $"Greenlet '{current.Name}'" };
        Loop.StartIo(watcher);
        var timer = bounded ? Loop.StartTimer(timeout!.Value, WakeToken.WakeCallback, wait.Token) : null;
        try
        {
            Block(events == IoEvents.Read ? "a socket to become readable" : "a socket to become writable");
        }
        finally
        {
            timer?.Cancel();
            Loop.StopIo(watcher);
        }

        return wait.Ready;
    }

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
