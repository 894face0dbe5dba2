using System.Net.Sockets;

namespace Gevent.Patches;

/// <summary>
/// Cooperative reads and writes for any <see cref="NetworkStream"/> — a <see cref="GreenNetworkStream"/>, or
/// a plain one made by code that was not patched — through its socket and <see cref="SocketPatches"/>, with
/// the BCL's exceptions: a socket failure is an <see cref="IOException"/> wrapping it. Whatever the BCL
/// rejects before any I/O (disposed, wrong direction, bad arguments) is left to the original call.
/// </summary>
internal static class NetworkStreamIo
{
    public static bool CanRead(NetworkStream stream) => Hub.CooperativeGreenlet is not null && stream.CanRead && stream.Socket.Blocking;

    public static bool CanWrite(NetworkStream stream) => Hub.CooperativeGreenlet is not null && stream.CanWrite && stream.Socket.Blocking;

    /// <summary>The arguments <see cref="Stream.Read(byte[], int, int)"/> accepts (Stream.ValidateBufferArguments).</summary>
    public static bool IsValid(byte[]? buffer, int offset, int count) =>
        buffer is not null && offset >= 0 && (uint)count <= (uint)(buffer.Length - offset);

    public static int Read(NetworkStream stream, Span<byte> buffer)
    {
        try
        {
            var received = SocketPatches.Receive(stream.Socket, buffer, SocketFlags.None, out var error);
            CooperativeSocket.ThrowIfFailed(error);
            return received;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            throw new IOException($"Unable to read data from the transport connection: {e.Message}.", e);
        }
    }

    public static void Write(NetworkStream stream, ReadOnlySpan<byte> buffer)
    {
        try
        {
            SocketPatches.Send(stream.Socket, buffer, SocketFlags.None, out var error);
            CooperativeSocket.ThrowIfFailed(error);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            throw new IOException($"Unable to write data to the transport connection: {e.Message}.", e);
        }
    }
}
