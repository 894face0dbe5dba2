using System.Net;
using Gevent.Samples;
using Gevent.Servers;

// A TCP echo server: each connection a greenlet that reads and writes back, in blocking style, on one hub per CPU
// (GEVENT_HUBS=N for N hubs). Woven with resumable frames, the handler runs stackless: it reads and writes through
// the array overloads, whose waits suspend; a read into a span (`Read(buffer)` binds to `Read(Span<byte>)`) would
// pin, since no frame can keep a span across a wait.
// [GEVENT_HUBS=N] dotnet run -c Release --project samples/Echo -- --port 9000 [--stats]
// --stats: answer each line on standard input with "stats: greenlets=N heap=BYTES" (after a full GC if the
// line is "collect"); the bench's soak test asks.
if (args is not ["--port", var text, .. var rest] || rest is not ([] or ["--stats"]) || !int.TryParse(text, out var port) || port is < 0 or > 65535)
{
    Console.Error.WriteLine("usage: Echo --port PORT [--stats]");
    return 2;
}

using var server = new StreamServer(new IPEndPoint(IPAddress.Loopback, port), connection =>
{
    var stream = connection.Stream;
    var buffer = new byte[4096];
    int read;
    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
    {
        stream.Write(buffer, 0, read);
    }
}, new StreamServerOptions { Backlog = 4096 });
server.Start();
Console.WriteLine($"echoing on {server.LocalEndPoint} on {server.HubCount} hub{(server.HubCount == 1 ? "" : "s")}");
if (rest is ["--stats"])
{
    StatsReporter.Start();
}

server.ServeForever();
return 0;
