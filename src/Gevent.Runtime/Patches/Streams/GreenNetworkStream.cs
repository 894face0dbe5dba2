using System.Net.Sockets;

namespace Gevent.Patches;

/// <summary>
/// A <see cref="NetworkStream"/> whose reads and writes park only the calling greenlet, so BCL code layered
/// on it — <c>SslStream</c>, <see cref="StreamReader"/>, <see cref="BufferedStream"/> — cooperates too. Patched
/// code gets one from <c>new NetworkStream(…)</c> and <see cref="TcpClient.GetStream"/>. Outside a greenlet
/// it behaves exactly as a <see cref="NetworkStream"/>.
/// </summary>
public class GreenNetworkStream : NetworkStream
{
    private readonly bool _ownsSocket;

    /// <summary>A stream over <paramref name="socket"/>, which it does not own; see <see cref="NetworkStream(Socket)"/>.</summary>
    public GreenNetworkStream(Socket socket)
        : base(socket)
    {
    }

    /// <summary>See <see cref="NetworkStream(Socket, bool)"/>.</summary>
    public GreenNetworkStream(Socket socket, bool ownsSocket)
        : base(socket, ownsSocket)
    {
        _ownsSocket = ownsSocket;
    }

    /// <summary>See <see cref="NetworkStream(Socket, FileAccess)"/>.</summary>
    public GreenNetworkStream(Socket socket, FileAccess access)
        : base(socket, access)
    {
    }

    /// <summary>See <see cref="NetworkStream(Socket, FileAccess, bool)"/>.</summary>
    public GreenNetworkStream(Socket socket, FileAccess access, bool ownsSocket)
        : base(socket, access, ownsSocket)
    {
        _ownsSocket = ownsSocket;
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) =>
        NetworkStreamIo.CanRead(this) && NetworkStreamIo.IsValid(buffer, offset, count)
            ? NetworkStreamIo.Read(this, buffer.AsSpan(offset, count))
            : base.Read(buffer, offset, count);

    /// <inheritdoc />
    public override int Read(Span<byte> buffer) =>
        NetworkStreamIo.CanRead(this) ? NetworkStreamIo.Read(this, buffer) : base.Read(buffer);

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        if (NetworkStreamIo.CanWrite(this) && NetworkStreamIo.IsValid(buffer, offset, count))
        {
            NetworkStreamIo.Write(this, buffer.AsSpan(offset, count));
        }
        else
        {
            base.Write(buffer, offset, count);
        }
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (NetworkStreamIo.CanWrite(this))
        {
            NetworkStreamIo.Write(this, buffer);
        }
        else
        {
            base.Write(buffer);
        }
    }

    /// <summary>Closing a socket it owns wakes greenlets parked on that socket, as <see cref="SocketPatches.Close(Socket)"/> does.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsSocket)
        {
            SocketPatches.NotifyClosing(Socket);
        }

        base.Dispose(disposing);
    }
}
