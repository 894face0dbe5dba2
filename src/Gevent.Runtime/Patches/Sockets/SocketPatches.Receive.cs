using System.Net.Sockets;
using Gevent.CompilerServices;

namespace Gevent.Patches;

public static partial class SocketPatches
{
    /// <summary><see cref="Socket.Receive(byte[])"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Receive), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int Receive(Socket socket, byte[] buffer) =>
        CooperativeSocket.ShouldCooperate(socket) ? Receive(socket, buffer, 0, buffer?.Length ?? 0, SocketFlags.None) : socket.Receive(buffer);

    /// <summary><see cref="Socket.Receive(byte[], SocketFlags)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Receive), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int Receive(Socket socket, byte[] buffer, SocketFlags socketFlags) =>
        CooperativeSocket.ShouldCooperate(socket) ? Receive(socket, buffer, 0, buffer?.Length ?? 0, socketFlags) : socket.Receive(buffer, socketFlags);

    /// <summary><see cref="Socket.Receive(byte[], int, SocketFlags)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Receive), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int Receive(Socket socket, byte[] buffer, int size, SocketFlags socketFlags) =>
        CooperativeSocket.ShouldCooperate(socket) ? Receive(socket, buffer, 0, size, socketFlags) : socket.Receive(buffer, size, socketFlags);

    /// <summary><see cref="Socket.Receive(byte[], int, int, SocketFlags)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Receive), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int Receive(Socket socket, byte[] buffer, int offset, int size, SocketFlags socketFlags)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.Receive(buffer, offset, size, socketFlags);
        }

        var received = Receive(socket, buffer, offset, size, socketFlags, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return received;
    }

    /// <summary><see cref="Socket.Receive(byte[], int, int, SocketFlags, out SocketError)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Receive), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Receive(Socket socket, byte[] buffer, int offset, int size, SocketFlags socketFlags, out SocketError errorCode)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.Receive(buffer, offset, size, socketFlags, out errorCode);
        }

        var state = new ArrayTransfer(buffer, offset, size, socketFlags);
        return CooperativeSocket.Run(socket, SocketOperation.Receive, ref state,
            static (Socket s, ref ArrayTransfer t, out SocketError e) => s.Receive(t.Buffer, t.Offset, t.Size, t.Flags, out e),
            out errorCode);
    }

    /// <summary><see cref="Socket.Receive(Span{byte})"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Receive), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Receive(Socket socket, Span<byte> buffer) =>
        CooperativeSocket.ShouldCooperate(socket) ? Receive(socket, buffer, SocketFlags.None) : socket.Receive(buffer);

    /// <summary><see cref="Socket.Receive(Span{byte}, SocketFlags)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Receive), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Receive(Socket socket, Span<byte> buffer, SocketFlags socketFlags)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.Receive(buffer, socketFlags);
        }

        var received = Receive(socket, buffer, socketFlags, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return received;
    }

    /// <summary><see cref="Socket.Receive(Span{byte}, SocketFlags, out SocketError)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Receive), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Receive(Socket socket, Span<byte> buffer, SocketFlags socketFlags, out SocketError errorCode)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.Receive(buffer, socketFlags, out errorCode);
        }

        var state = new SpanTransfer(buffer, socketFlags);
        return CooperativeSocket.Run(socket, SocketOperation.Receive, ref state,
            static (Socket s, ref SpanTransfer t, out SocketError e) => s.Receive(t.Buffer, t.Flags, out e),
            out errorCode);
    }

    /// <summary><see cref="Socket.Receive(IList{ArraySegment{byte}})"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Receive), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int Receive(Socket socket, IList<ArraySegment<byte>> buffers) =>
        CooperativeSocket.ShouldCooperate(socket) ? Receive(socket, buffers, SocketFlags.None) : socket.Receive(buffers);

    /// <summary><see cref="Socket.Receive(IList{ArraySegment{byte}}, SocketFlags)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Receive), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int Receive(Socket socket, IList<ArraySegment<byte>> buffers, SocketFlags socketFlags)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.Receive(buffers, socketFlags);
        }

        var received = Receive(socket, buffers, socketFlags, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return received;
    }

    /// <summary><see cref="Socket.Receive(IList{ArraySegment{byte}}, SocketFlags, out SocketError)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Receive), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Receive(Socket socket, IList<ArraySegment<byte>> buffers, SocketFlags socketFlags, out SocketError errorCode)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.Receive(buffers, socketFlags, out errorCode);
        }

        var state = new ListTransfer(buffers, socketFlags);
        return CooperativeSocket.Run(socket, SocketOperation.Receive, ref state,
            static (Socket s, ref ListTransfer t, out SocketError e) => s.Receive(t.Buffers, t.Flags, out e),
            out errorCode);
    }
}
