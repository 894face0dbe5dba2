using System.Net.Sockets;

namespace Gevent.Patches;

// Closing never blocks, but a greenlet parked on the socket must hear of it: epoll forgets a closed
// descriptor without a word. So these tell the current hub's loop first (EventLoop.NotifyClosing), and the
// parked greenlet wakes with the error the BCL's blocked call gets. Only the closing thread's own hub is
// told: a socket is used by the greenlets of one hub.
public static partial class SocketPatches
{
    /// <summary><see cref="Socket.Close()"/>, waking greenlets parked on the socket.</summary>
    [NeverWaits]
    [Patch(typeof(Socket), nameof(Socket.Close), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Close(Socket socket)
    {
        NotifyClosing(socket);
        socket.Close();
    }

    /// <summary><see cref="Socket.Close(int)"/>, waking greenlets parked on the socket.</summary>
    [NeverWaits]
    [Patch(typeof(Socket), nameof(Socket.Close), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Close(Socket socket, int timeout)
    {
        NotifyClosing(socket);
        socket.Close(timeout);
    }

    /// <summary><see cref="Socket.Dispose()"/>, waking greenlets parked on the socket.</summary>
    [NeverWaits]
    [Patch(typeof(Socket), nameof(Socket.Dispose), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Dispose(Socket socket)
    {
        NotifyClosing(socket);
        socket.Dispose();
    }

    /// <summary>
    /// <see cref="IDisposable.Dispose"/> as a <c>using</c> block calls it: for a socket, or a client or listener
    /// owning one, wakes greenlets parked on that socket first; otherwise just the call.
    /// </summary>
    [NeverWaits]
    [Patch(typeof(IDisposable), nameof(IDisposable.Dispose), PatchKind.Virtual, PatchStrategy.Hub)]
    public static void Dispose(IDisposable disposable)
    {
        var owned = disposable switch
        {
            Socket socket => socket,
            TcpClient client => client.Client,
            UdpClient client => client.Client,
            TcpListener listener => listener.Server,
            _ => null,
        };
        if (owned is not null)
        {
            NotifyClosing(owned);
        }

        disposable.Dispose();
    }

    /// <summary>Wakes the current hub's greenlets parked on <paramref name="socket"/> (a null socket is left to the original call to reject).</summary>
    internal static void NotifyClosing(Socket? socket)
    {
        if (socket is not null && Hub.CurrentGreenletOrNull is { } current)
        {
            current.Hub.Loop.NotifyClosing(socket);
        }
    }
}
