using System.Net.Sockets;
using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="TcpListener"/>'s accepts. Each runs the original against its
/// <see cref="TcpListener.Server"/> socket made non-blocking, so the listener's own checks (not started…)
/// are the BCL's.
/// </summary>
public static class TcpListenerPatches
{
    /// <summary><see cref="TcpListener.AcceptSocket"/>: in a greenlet, parks until a connection arrives.</summary>
    [Patch(typeof(TcpListener), nameof(TcpListener.AcceptSocket), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static Socket AcceptSocket(TcpListener listener) =>
        CooperativeSocket.ShouldCooperate(listener.Server)
            ? CooperativeSocket.Accepted(CooperativeSocket.RunThrowing(listener.Server, SocketOperation.Accept, _ => listener.AcceptSocket()))
            : listener.AcceptSocket();

    /// <summary><see cref="TcpListener.AcceptTcpClient"/>: in a greenlet, parks until a connection arrives.</summary>
    [Patch(typeof(TcpListener), nameof(TcpListener.AcceptTcpClient), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static TcpClient AcceptTcpClient(TcpListener listener)
    {
        if (!CooperativeSocket.ShouldCooperate(listener.Server))
        {
            return listener.AcceptTcpClient();
        }

        var client = CooperativeSocket.RunThrowing(listener.Server, SocketOperation.Accept, _ => listener.AcceptTcpClient());

        // Null while a stackless greenlet suspends in the accept.
        if (client is not null)
        {
            CooperativeSocket.Accepted(client.Client);
        }

        return client!;
    }

    /// <summary><see cref="TcpListener.Stop"/>, waking a greenlet parked in an accept.</summary>
    [NeverWaits]
    [Patch(typeof(TcpListener), nameof(TcpListener.Stop), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Stop(TcpListener listener)
    {
        SocketPatches.NotifyClosing(listener.Server);
        listener.Stop();
    }

    /// <summary><see cref="TcpListener.Dispose"/>, waking a greenlet parked in an accept.</summary>
    [NeverWaits]
    [Patch(typeof(TcpListener), nameof(TcpListener.Dispose), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Dispose(TcpListener listener)
    {
        SocketPatches.NotifyClosing(listener.Server);
        listener.Dispose();
    }
}
