using System.Net;
using System.Net.Sockets;

namespace Gevent.Servers;

/// <summary>One accepted connection, as a <see cref="StreamServer"/> handler receives it.</summary>
public sealed class ServerConnection
{
    internal ServerConnection(Socket socket, Stream stream, EndPoint remoteEndPoint)
    {
        Socket = socket;
        Stream = stream;
        RemoteEndPoint = remoteEndPoint;
    }

    /// <summary>The accepted socket; its blocking calls cooperate in the handler's greenlet.</summary>
    public Socket Socket { get; }

    /// <summary>The connection as a cooperative stream; TLS already negotiated when the server has a certificate.</summary>
    public Stream Stream { get; }

    /// <summary>The client's address.</summary>
    public EndPoint RemoteEndPoint { get; }
}
