using System.Buffers;
using System.Net.Sockets;

namespace Gevent.Patches;

// The BCL's SendFile is one blocking sendfile(2) loop with no non-blocking form that reports progress, so
// in a greenlet the file is read in chunks and each chunk goes through the cooperative Send: one extra copy
// per chunk, in exchange for never blocking the hub. Regular-file reads stay direct (as in gevent).
public static partial class SocketPatches
{
    private const int SendFileChunk = 64 * 1024;

    /// <summary><see cref="Socket.SendFile(string)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.SendFile), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static void SendFile(Socket socket, string? fileName)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            socket.SendFile(fileName);
            return;
        }

        SendFile(socket, fileName, ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty, TransmitFileOptions.UseDefaultWorkerThread);
    }

    /// <summary><see cref="Socket.SendFile(string, byte[], byte[], TransmitFileOptions)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.SendFile), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static void SendFile(Socket socket, string? fileName, byte[]? preBuffer, byte[]? postBuffer, TransmitFileOptions flags)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            socket.SendFile(fileName, preBuffer, postBuffer, flags);
            return;
        }

        SendFile(socket, fileName, preBuffer.AsSpan(), postBuffer.AsSpan(), flags);
    }

    /// <summary><see cref="Socket.SendFile(string, ReadOnlySpan{byte}, ReadOnlySpan{byte}, TransmitFileOptions)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(Socket), nameof(Socket.SendFile), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static void SendFile(Socket socket, string? fileName, ReadOnlySpan<byte> preBuffer, ReadOnlySpan<byte> postBuffer, TransmitFileOptions flags)
    {
        if (!CooperativeSocket.ShouldCooperate(socket))
        {
            socket.SendFile(fileName, preBuffer, postBuffer, flags);
            return;
        }

        // The BCL's checks, in its order: disposed, connected, then the file.
        CooperativeSocket.ThrowIfDisposed(socket);
        if (!socket.Connected)
        {
            throw new NotSupportedException("The operation is not allowed on non-connected sockets.");
        }

        using var file = string.IsNullOrEmpty(fileName) ? null : File.OpenRead(fileName);
        SendAll(socket, preBuffer);
        if (file is not null)
        {
            var chunk = ArrayPool<byte>.Shared.Rent(SendFileChunk);
            try
            {
                int read;
                while ((read = file.Read(chunk, 0, SendFileChunk)) > 0)
                {
                    SendAll(socket, chunk.AsSpan(0, read));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }

        SendAll(socket, postBuffer);
        if ((flags & TransmitFileOptions.Disconnect) != 0)
        {
            socket.Shutdown(SocketShutdown.Send);
        }
    }

    private static void SendAll(Socket socket, ReadOnlySpan<byte> data)
    {
        if (!data.IsEmpty)
        {
            Send(socket, data, SocketFlags.None);
        }
    }
}
