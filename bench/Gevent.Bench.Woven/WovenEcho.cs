using System.Net;
using System.Net.Sockets;
using Gevent.Servers;

namespace Gevent.Bench.Woven;

/// <summary>
/// samples/Echo's server with its handler written against the connection's socket, woven with resumable frames: the
/// <c>echo</c> load test's stackless server. The handler is marked resumable by the weaver, so the server starts each
/// connection's greenlet stackless, and it waits in <c>Receive</c>/<c>Send</c> without a thread.
/// </summary>
public static class WovenEcho
{
    /// <summary>Serves echo on <paramref name="port"/> (loopback, one hub per CPU as the sample) until the process is killed.</summary>
    public static void Serve(int port)
    {
        using var server = new StreamServer(new IPEndPoint(IPAddress.Loopback, port), Echo, new StreamServerOptions { Backlog = 4096 });
        server.Start();
        server.ServeForever();
    }

    private static void Echo(ServerConnection connection)
    {
        var socket = connection.Socket;
        var buffer = new byte[4096];
        int read;
        while ((read = socket.Receive(buffer, 0, buffer.Length, SocketFlags.None)) > 0)
        {
            socket.Send(buffer, 0, read, SocketFlags.None);
        }
    }
}
