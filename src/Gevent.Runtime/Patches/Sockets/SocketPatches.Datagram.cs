using System.Net;
using System.Net.Sockets;

namespace Gevent.Patches;

// ReceiveFrom and SendTo have no out-SocketError overloads: would-block arrives as an exception, which
// CooperativeSocket turns back into a wait. A datagram is sent whole or not at all, so no partial sends.
public static partial class SocketPatches
{
    /// <summary><see cref="Socket.ReceiveFrom(byte[], ref EndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.ReceiveFrom), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int ReceiveFrom(Socket socket, byte[] buffer, ref EndPoint remoteEP) =>
        CooperativeSocket.ShouldCooperate(socket)
            ? ReceiveFrom(socket, buffer, 0, buffer?.Length ?? 0, SocketFlags.None, ref remoteEP)
            : socket.ReceiveFrom(buffer, ref remoteEP);

    /// <summary><see cref="Socket.ReceiveFrom(byte[], SocketFlags, ref EndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.ReceiveFrom), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int ReceiveFrom(Socket socket, byte[] buffer, SocketFlags socketFlags, ref EndPoint remoteEP) =>
        CooperativeSocket.ShouldCooperate(socket)
            ? ReceiveFrom(socket, buffer, 0, buffer?.Length ?? 0, socketFlags, ref remoteEP)
            : socket.ReceiveFrom(buffer, socketFlags, ref remoteEP);

    /// <summary><see cref="Socket.ReceiveFrom(byte[], int, SocketFlags, ref EndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.ReceiveFrom), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int ReceiveFrom(Socket socket, byte[] buffer, int size, SocketFlags socketFlags, ref EndPoint remoteEP) =>
        CooperativeSocket.ShouldCooperate(socket)
            ? ReceiveFrom(socket, buffer, 0, size, socketFlags, ref remoteEP)
            : socket.ReceiveFrom(buffer, size, socketFlags, ref remoteEP);

    /// <summary><see cref="Socket.ReceiveFrom(byte[], int, int, SocketFlags, ref EndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.ReceiveFrom), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int ReceiveFrom(Socket socket, byte[] buffer, int offset, int size, SocketFlags socketFlags, ref EndPoint remoteEP)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.ReceiveFrom(buffer, offset, size, socketFlags, ref remoteEP);
        }

        var state = new ArrayFrom(new ArrayTransfer(buffer, offset, size, socketFlags), ref remoteEP);
        var received = CooperativeSocket.Run(socket, SocketOperation.Receive, ref state, static (Socket s, ref ArrayFrom t, out SocketError e) =>
        {
            e = SocketError.Success;
            return s.ReceiveFrom(t.Transfer.Buffer, t.Transfer.Offset, t.Transfer.Size, t.Transfer.Flags, ref t.Remote);
        }, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return received;
    }

    /// <summary><see cref="Socket.ReceiveFrom(Span{byte}, ref EndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.ReceiveFrom), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int ReceiveFrom(Socket socket, Span<byte> buffer, ref EndPoint remoteEP) =>
        CooperativeSocket.ShouldCooperate(socket)
            ? ReceiveFrom(socket, buffer, SocketFlags.None, ref remoteEP)
            : socket.ReceiveFrom(buffer, ref remoteEP);

    /// <summary><see cref="Socket.ReceiveFrom(Span{byte}, SocketFlags, ref EndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.ReceiveFrom), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int ReceiveFrom(Socket socket, Span<byte> buffer, SocketFlags socketFlags, ref EndPoint remoteEP)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.ReceiveFrom(buffer, socketFlags, ref remoteEP);
        }

        var state = new SpanFrom(new SpanTransfer(buffer, socketFlags), ref remoteEP);
        var received = CooperativeSocket.Run(socket, SocketOperation.Receive, ref state, static (Socket s, ref SpanFrom t, out SocketError e) =>
        {
            e = SocketError.Success;
            return s.ReceiveFrom(t.Transfer.Buffer, t.Transfer.Flags, ref t.Remote);
        }, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return received;
    }

    /// <summary><see cref="Socket.ReceiveFrom(Span{byte}, SocketFlags, SocketAddress)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.ReceiveFrom), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int ReceiveFrom(Socket socket, Span<byte> buffer, SocketFlags socketFlags, SocketAddress receivedAddress)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.ReceiveFrom(buffer, socketFlags, receivedAddress);
        }

        var state = new SpanAddress(new SpanTransfer(buffer, socketFlags), receivedAddress);
        var received = CooperativeSocket.Run(socket, SocketOperation.Receive, ref state, static (Socket s, ref SpanAddress t, out SocketError e) =>
        {
            e = SocketError.Success;
            return s.ReceiveFrom(t.Transfer.Buffer, t.Transfer.Flags, t.Address);
        }, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return received;
    }

    /// <summary><see cref="Socket.SendTo(byte[], EndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.SendTo), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int SendTo(Socket socket, byte[] buffer, EndPoint remoteEP) =>
        CooperativeSocket.ShouldCooperate(socket)
            ? SendTo(socket, buffer, 0, buffer?.Length ?? 0, SocketFlags.None, remoteEP)
            : socket.SendTo(buffer, remoteEP);

    /// <summary><see cref="Socket.SendTo(byte[], SocketFlags, EndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.SendTo), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int SendTo(Socket socket, byte[] buffer, SocketFlags socketFlags, EndPoint remoteEP) =>
        CooperativeSocket.ShouldCooperate(socket)
            ? SendTo(socket, buffer, 0, buffer?.Length ?? 0, socketFlags, remoteEP)
            : socket.SendTo(buffer, socketFlags, remoteEP);

    /// <summary><see cref="Socket.SendTo(byte[], int, SocketFlags, EndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.SendTo), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int SendTo(Socket socket, byte[] buffer, int size, SocketFlags socketFlags, EndPoint remoteEP) =>
        CooperativeSocket.ShouldCooperate(socket)
            ? SendTo(socket, buffer, 0, size, socketFlags, remoteEP)
            : socket.SendTo(buffer, size, socketFlags, remoteEP);

    /// <summary><see cref="Socket.SendTo(byte[], int, int, SocketFlags, EndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.SendTo), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int SendTo(Socket socket, byte[] buffer, int offset, int size, SocketFlags socketFlags, EndPoint remoteEP)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.SendTo(buffer, offset, size, socketFlags, remoteEP);
        }

        var state = new ArrayTo(new ArrayTransfer(buffer, offset, size, socketFlags), remoteEP);
        var sent = CooperativeSocket.Run(socket, SocketOperation.Send, ref state, static (Socket s, ref ArrayTo t, out SocketError e) =>
        {
            e = SocketError.Success;
            return s.SendTo(t.Transfer.Buffer, t.Transfer.Offset, t.Transfer.Size, t.Transfer.Flags, t.Remote);
        }, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return sent;
    }

    /// <summary><see cref="Socket.SendTo(ReadOnlySpan{byte}, EndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.SendTo), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int SendTo(Socket socket, ReadOnlySpan<byte> buffer, EndPoint remoteEP) =>
        CooperativeSocket.ShouldCooperate(socket)
            ? SendTo(socket, buffer, SocketFlags.None, remoteEP)
            : socket.SendTo(buffer, remoteEP);

    /// <summary><see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, EndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.SendTo), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int SendTo(Socket socket, ReadOnlySpan<byte> buffer, SocketFlags socketFlags, EndPoint remoteEP)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.SendTo(buffer, socketFlags, remoteEP);
        }

        var state = new SpanTo(new ReadOnlySpanTransfer(buffer, socketFlags), remoteEP);
        var sent = CooperativeSocket.Run(socket, SocketOperation.Send, ref state, static (Socket s, ref SpanTo t, out SocketError e) =>
        {
            e = SocketError.Success;
            return s.SendTo(t.Transfer.Buffer, t.Transfer.Flags, t.Remote);
        }, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return sent;
    }

    /// <summary><see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, SocketAddress)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.SendTo), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int SendTo(Socket socket, ReadOnlySpan<byte> buffer, SocketFlags socketFlags, SocketAddress socketAddress)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.SendTo(buffer, socketFlags, socketAddress);
        }

        var state = new SpanToAddress(new ReadOnlySpanTransfer(buffer, socketFlags), socketAddress);
        var sent = CooperativeSocket.Run(socket, SocketOperation.Send, ref state, static (Socket s, ref SpanToAddress t, out SocketError e) =>
        {
            e = SocketError.Success;
            return s.SendTo(t.Transfer.Buffer, t.Transfer.Flags, t.Address);
        }, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return sent;
    }

    private ref struct ArrayFrom(ArrayTransfer transfer, ref EndPoint remote)
    {
        public readonly ArrayTransfer Transfer = transfer;
        public ref EndPoint Remote = ref remote;
    }

    private ref struct SpanFrom(SpanTransfer transfer, ref EndPoint remote)
    {
        public readonly SpanTransfer Transfer = transfer;
        public ref EndPoint Remote = ref remote;
    }

    private ref struct SpanAddress(SpanTransfer transfer, SocketAddress address)
    {
        public readonly SpanTransfer Transfer = transfer;
        public readonly SocketAddress Address = address;
    }

    private readonly struct ArrayTo(ArrayTransfer transfer, EndPoint remote)
    {
        public readonly ArrayTransfer Transfer = transfer;
        public readonly EndPoint Remote = remote;
    }

    private ref struct SpanTo(ReadOnlySpanTransfer transfer, EndPoint remote)
    {
        public readonly ReadOnlySpanTransfer Transfer = transfer;
        public readonly EndPoint Remote = remote;
    }

    private ref struct SpanToAddress(ReadOnlySpanTransfer transfer, SocketAddress address)
    {
        public readonly ReadOnlySpanTransfer Transfer = transfer;
        public readonly SocketAddress Address = address;
    }
}
