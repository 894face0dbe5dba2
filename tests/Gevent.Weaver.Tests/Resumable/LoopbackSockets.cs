using System.Net;
using System.Net.Sockets;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>Loopback sockets for the socket and stream wait tests, made with the BCL's own calls.</summary>
internal static class LoopbackSockets
{
    public static Socket Listener(int backlog)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        return listener;
    }

    /// <summary>A connected pair (a loopback connect does not wait for the accept).</summary>
    public static (Socket Client, Socket Accepted) Pair(Socket listener)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        return (client, listener.Accept());
    }
}
