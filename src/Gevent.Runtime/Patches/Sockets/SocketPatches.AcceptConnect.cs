using System.Net;
using System.Net.Sockets;
using Gevent.CompilerServices;
using Gevent.Loop.Native;

namespace Gevent.Patches;

public static partial class SocketPatches
{
    /// <summary><see cref="Socket.Accept"/>: in a greenlet, parks until a connection arrives; the accepted socket is blocking, as the BCL's.</summary>
    [Patch(typeof(Socket), nameof(Socket.Accept), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static Socket Accept(Socket socket) =>
        CooperativeSocket.ShouldCooperate(socket)
            ? CooperativeSocket.Accepted(CooperativeSocket.RunThrowing(socket, SocketOperation.Accept, static s => s.Accept()))
            : socket.Accept();

    /// <summary>
    /// <see cref="Socket.Connect(EndPoint)"/>: in a greenlet, starts the connect non-blocking, parks until the
    /// socket is writable, then reports the outcome (<c>SO_ERROR</c>) as the BCL's exception.
    /// </summary>
    /// <remarks>
    /// After a failed cooperative connect, <see cref="Socket.Connected"/> may read true: the BCL marks a
    /// non-blocking connect as in progress and settles it from <c>Poll</c> alone. Code that catches the
    /// failure normally disposes the socket or connects again, which both behave as after a blocking failure.
    /// </remarks>
    [Patch(typeof(Socket), nameof(Socket.Connect), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static void Connect(Socket socket, EndPoint remoteEP)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            socket.Connect(remoteEP);
            return;
        }

        var state = new Connecting(remoteEP);
        CooperativeSocket.Run(socket, SocketOperation.Connect, ref state, ref state.Started, static (Socket s, ref Connecting c, out SocketError e) =>
        {
            e = SocketError.Success;
            if (c.Started == 0)
            {
                c.Started = 1;
                s.Connect(c.RemoteEndPoint);
                return true;
            }

            // Writable again: the connect finished one way or the other.
            var outcome = (SocketError)(int)s.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (outcome != SocketError.Success)
            {
                ResetFailedConnect(s);
                throw new SocketException((int)outcome);
            }

            // Reading Connected settles the BCL's bookkeeping (Connected, RemoteEndPoint, LocalEndPoint).
            return s.Connected ? true : throw new SocketException((int)SocketError.WouldBlock);
        }, out var error);
        CooperativeSocket.ThrowIfFailed(error);
    }

    /// <summary><see cref="Socket.Connect(IPAddress, int)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Connect), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static void Connect(Socket socket, IPAddress address, int port)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            socket.Connect(address, port);
            return;
        }

        CooperativeSocket.ThrowIfDisposed(socket);
        ArgumentNullException.ThrowIfNull(address);
        Connect(socket, new IPEndPoint(address, port));
    }

    /// <summary>
    /// <see cref="Socket.Connect(string, int)"/>, cooperative in a greenlet. A host name is resolved by
    /// <see cref="DnsPatches.GetHostAddresses(string)"/>, the resolver <c>GEVENT_RESOLVER</c> chooses.
    /// </summary>
    [Patch(typeof(Socket), nameof(Socket.Connect), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static void Connect(Socket socket, string host, int port)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            socket.Connect(host, port);
            return;
        }

        CooperativeSocket.ThrowIfDisposed(socket);
        ArgumentNullException.ThrowIfNull(host);
        CheckPort(port);
        if (IPAddress.TryParse(host, out var address))
        {
            Connect(socket, address, port);
        }
        else
        {
            Connect(socket, DnsPatches.GetHostAddresses(host), port);
        }
    }

    /// <summary>
    /// <see cref="Socket.Connect(IPAddress[], int)"/>, cooperative in a greenlet: tries each address the socket's
    /// family can reach, in order, and throws the last failure if none connects.
    /// </summary>
    [Patch(typeof(Socket), nameof(Socket.Connect), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static void Connect(Socket socket, IPAddress[] addresses, int port)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            socket.Connect(addresses, port);
            return;
        }

        CooperativeSocket.ThrowIfDisposed(socket);
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Length == 0)
        {
            throw new ArgumentException("The address list is empty.", nameof(addresses));
        }

        CheckPort(port);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            if (!CanTry(socket, address))
            {
                continue;
            }

            try
            {
                Connect(socket, new IPEndPoint(address, port));
                return;
            }
            catch (SocketException e)
            {
                last = e;
            }
        }

        throw (Exception?)last ?? new ArgumentException("None of the addresses can be reached with this socket's address family.", nameof(addresses));
    }

    /// <summary>
    /// Linux leaves a socket whose non-blocking connect failed "connecting" until connect is called on it
    /// again, and that next call only reports ECONNABORTED. A blocking connect resets it as it fails; so
    /// does this (connect to AF_UNSPEC), so that connecting the socket again works as after the BCL's failure.
    /// </summary>
    private static unsafe void ResetFailedConnect(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var handle = socket.SafeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var unspecified = stackalloc byte[16];
            new Span<byte>(unspecified, 16).Clear();
            Libc.connect((int)handle.DangerousGetHandle(), unspecified, 16);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Whether <paramref name="socket"/> can reach <paramref name="address"/>: its own family, or IPv4 through a dual-mode IPv6 socket.</summary>
    internal static bool CanTry(Socket socket, IPAddress address) =>
        address.AddressFamily == socket.AddressFamily ||
        (address.AddressFamily == AddressFamily.InterNetwork && socket.AddressFamily == AddressFamily.InterNetworkV6 && socket.DualMode);

    /// <summary>A connect's state: <see cref="Started"/> (1 once the connect is under way) is what a stackless greenlet's frame keeps.</summary>
    private struct Connecting(EndPoint remoteEndPoint)
    {
        public readonly EndPoint RemoteEndPoint = remoteEndPoint;
        public int Started;
    }

    private static void CheckPort(int port)
    {
        if (port is < IPEndPoint.MinPort or > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(port));
        }
    }
}
