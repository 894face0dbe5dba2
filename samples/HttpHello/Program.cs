using System.Net;
using Gevent.Samples;
using Gevent.Servers;

// "Hello, World!" over HTTP/1.1 with keep-alive: one greenlet per connection, plain synchronous code.
// [GEVENT_HUBS=N] dotnet run -c Release --project samples/HttpHello -- --port 8080 [--stats]
// --stats: answer each line on standard input with "stats: greenlets=N heap=BYTES" (after a full GC if the
// line is "collect"); the bench's soak test asks.
if (args is not ["--port", var text, .. var rest] || rest is not ([] or ["--stats"]) || !int.TryParse(text, out var port) || port is < 0 or > 65535)
{
    Console.Error.WriteLine("usage: HttpHello --port PORT [--stats]");
    return 2;
}

// The server spreads connections over one hub per CPU by itself (GEVENT_HUBS=N for N hubs; 1 serves on this
// thread's hub), each with a listener on the same port: the kernel spreads connections over them.
// The handler never waits, so each connection can wait for its requests in a stackless greenlet, without a thread.
using var server = HttpServer.Create(new IPEndPoint(IPAddress.Loopback, port), _ => "Hello, World!",
    new HttpServerOptions { StacklessConnections = true }, new StreamServerOptions { Backlog = 4096 });
server.Start();
Console.WriteLine($"serving http://{server.LocalEndPoint}/ on {server.HubCount} hub{(server.HubCount == 1 ? "" : "s")}");
if (rest is ["--stats"])
{
    StatsReporter.Start();
}

server.ServeForever();
return 0;
