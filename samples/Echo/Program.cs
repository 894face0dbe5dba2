using System.Net;
using Gevent.Servers;

// A TCP echo server: each connection a greenlet that reads and writes back, in blocking style.
// dotnet run -c Release --project samples/Echo -- --port 9000
if (args is not ["--port", var text] || !int.TryParse(text, out var port) || port is < 0 or > 65535)
{
    Console.Error.WriteLine("usage: Echo --port PORT");
    return 2;
}

using var server = new StreamServer(new IPEndPoint(IPAddress.Loopback, port), connection =>
{
    var buffer = new byte[4096];
    int read;
    while ((read = connection.Stream.Read(buffer)) > 0)
    {
        connection.Stream.Write(buffer, 0, read);
    }
}, new StreamServerOptions { Backlog = 4096 });
server.Start();
Console.WriteLine($"echoing on {server.LocalEndPoint}");
server.ServeForever();
return 0;
