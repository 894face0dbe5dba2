using System.Net.Sockets;
using Gevent.CompilerServices;

namespace Gevent.Patches;

// A blocking Send returns only when all of the data is sent. Non-blocking, the kernel may take part of it:
// each attempt sends what is left and reports would-block while anything remains, so the loop waits for
// room and goes on. On timeout or error the out-SocketError overloads return 0, as the BCL's do (whatever
// part was sent).
public static partial class SocketPatches
{
    /// <summary><see cref="Socket.Send(byte[])"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int Send(Socket socket, byte[] buffer) =>
        CooperativeSocket.ShouldCooperate(socket) ? Send(socket, buffer, 0, buffer?.Length ?? 0, SocketFlags.None) : socket.Send(buffer);

    /// <summary><see cref="Socket.Send(byte[], SocketFlags)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int Send(Socket socket, byte[] buffer, SocketFlags socketFlags) =>
        CooperativeSocket.ShouldCooperate(socket) ? Send(socket, buffer, 0, buffer?.Length ?? 0, socketFlags) : socket.Send(buffer, socketFlags);

    /// <summary><see cref="Socket.Send(byte[], int, SocketFlags)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int Send(Socket socket, byte[] buffer, int size, SocketFlags socketFlags) =>
        CooperativeSocket.ShouldCooperate(socket) ? Send(socket, buffer, 0, size, socketFlags) : socket.Send(buffer, size, socketFlags);

    /// <summary><see cref="Socket.Send(byte[], int, int, SocketFlags)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int Send(Socket socket, byte[] buffer, int offset, int size, SocketFlags socketFlags)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.Send(buffer, offset, size, socketFlags);
        }

        var sent = Send(socket, buffer, offset, size, socketFlags, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return sent;
    }

    /// <summary><see cref="Socket.Send(byte[], int, int, SocketFlags, out SocketError)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Send(Socket socket, byte[] buffer, int offset, int size, SocketFlags socketFlags, out SocketError errorCode)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.Send(buffer, offset, size, socketFlags, out errorCode);
        }

        var state = new ArrayTransfer(buffer, offset, size, socketFlags);
        CooperativeSocket.Run(socket, SocketOperation.Send, ref state, ref state.Done, static (Socket s, ref ArrayTransfer t, out SocketError e) =>
        {
            t.Done += s.Send(t.Buffer, t.Offset + t.Done, t.Size - t.Done, t.Flags, out e);
            return MoreToSend(t.Done < t.Size, ref e);
        }, out errorCode);
        return errorCode == SocketError.Success ? state.Done : 0;
    }

    /// <summary><see cref="Socket.Send(ReadOnlySpan{byte})"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Send(Socket socket, ReadOnlySpan<byte> buffer) =>
        CooperativeSocket.ShouldCooperate(socket) ? Send(socket, buffer, SocketFlags.None) : socket.Send(buffer);

    /// <summary><see cref="Socket.Send(ReadOnlySpan{byte}, SocketFlags)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Send(Socket socket, ReadOnlySpan<byte> buffer, SocketFlags socketFlags)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.Send(buffer, socketFlags);
        }

        var sent = Send(socket, buffer, socketFlags, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return sent;
    }

    /// <summary><see cref="Socket.Send(ReadOnlySpan{byte}, SocketFlags, out SocketError)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Send(Socket socket, ReadOnlySpan<byte> buffer, SocketFlags socketFlags, out SocketError errorCode)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.Send(buffer, socketFlags, out errorCode);
        }

        var state = new ReadOnlySpanTransfer(buffer, socketFlags);
        CooperativeSocket.Run(socket, SocketOperation.Send, ref state, ref state.Done, static (Socket s, ref ReadOnlySpanTransfer t, out SocketError e) =>
        {
            t.Done += s.Send(t.Buffer[t.Done..], t.Flags, out e);
            return MoreToSend(t.Done < t.Buffer.Length, ref e);
        }, out errorCode);
        return errorCode == SocketError.Success ? state.Done : 0;
    }

    /// <summary><see cref="Socket.Send(IList{ArraySegment{byte}})"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int Send(Socket socket, IList<ArraySegment<byte>> buffers) =>
        CooperativeSocket.ShouldCooperate(socket) ? Send(socket, buffers, SocketFlags.None) : socket.Send(buffers);

    /// <summary><see cref="Socket.Send(IList{ArraySegment{byte}}, SocketFlags)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int Send(Socket socket, IList<ArraySegment<byte>> buffers, SocketFlags socketFlags)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.Send(buffers, socketFlags);
        }

        var sent = Send(socket, buffers, socketFlags, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return sent;
    }

    /// <summary><see cref="Socket.Send(IList{ArraySegment{byte}}, SocketFlags, out SocketError)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Send(Socket socket, IList<ArraySegment<byte>> buffers, SocketFlags socketFlags, out SocketError errorCode)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            return socket.Send(buffers, socketFlags, out errorCode);
        }

        var state = new ListTransfer(buffers, socketFlags);
        CooperativeSocket.Run(socket, SocketOperation.Send, ref state, ref state.Done, static (Socket s, ref ListTransfer t, out SocketError e) =>
        {
            var rest = t.Done == 0 ? t.Buffers : Unsent(t.Buffers, t.Done)!;
            var sent = s.Send(rest, t.Flags, out e);
            t.Done += sent;
            return MoreToSend(sent > 0 && Unsent(rest, sent) is not null, ref e);
        }, out errorCode);
        return errorCode == SocketError.Success ? state.Done : 0;
    }

    /// <summary>A partial non-blocking send means the socket buffer is full: report would-block so the loop waits for room.</summary>
    private static int MoreToSend(bool remaining, ref SocketError error)
    {
        if (remaining && error == SocketError.Success)
        {
            error = SocketError.WouldBlock;
        }

        return 0;
    }

    /// <summary>The segments left after <paramref name="sent"/> bytes, or null when all were sent.</summary>
    private static List<ArraySegment<byte>>? Unsent(IList<ArraySegment<byte>> buffers, int sent)
    {
        for (var i = 0; i < buffers.Count; i++)
        {
            var segment = buffers[i];
            if (sent < segment.Count)
            {
                var rest = new List<ArraySegment<byte>>(buffers.Count - i) { segment.Slice(sent) };
                for (var j = i + 1; j < buffers.Count; j++)
                {
                    rest.Add(buffers[j]);
                }

                return rest;
            }

            sent -= segment.Count;
        }

        return null;
    }
}
