using System.Net;
using Gevent.Servers;

namespace Gevent.Bench.Woven;

/// <summary>
/// samples/Echo's server with its handler reading and writing <see cref="ServerConnection.Stream"/> through the array
/// overloads, woven with resumable frames: the stackless server of the stream patches. The handler waits in the
/// stream's <c>Read</c>/<c>Write</c> without a thread. (samples/Echo reads into a span, an argument no frame can keep
/// across a wait, so that read would pin.)
/// </summary>
public static class WovenStreamEcho
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
        var stream = connection.Stream;
        var buffer = new byte[4096];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            stream.Write(buffer, 0, read);
        }
    }
}
