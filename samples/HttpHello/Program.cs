using Gevent;
using System.Net;
using Gevent.Samples;
using Gevent.Servers;

// "Hello, World!" over HTTP/1.1 with keep-alive: one greenlet per connection, plain synchronous code.
// [GEVENT_HUBS=auto] dotnet run -c Release --project samples/HttpHello -- --port 8080 [--stats]
// --stats: answer each line on standard input with "stats: greenlets=N heap=BYTES" (after a full GC if the
// line is "collect"); the bench's soak test asks.
if (args is not ["--port", var text, .. var rest] || rest is not ([] or ["--stats"]) || !int.TryParse(text, out var port) || port is < 0 or > 65535)
{
    Console.Error.WriteLine("usage: HttpHello --port PORT [--stats]");
    return 2;
}

// GEVENT_HUBS=N (or auto: one per CPU) serves on N hubs, each with a server on the same port (the kernel spreads
// connections over their listeners); the default, 1, serves on this thread's hub.
var hubCount = GeventConfig.Current.Hubs;
using var hubs = hubCount > 1 ? HubGroup.Start(hubCount) : null;
EndPoint endPoint = new IPEndPoint(IPAddress.Loopback, port);

HttpServer StartServer()
{
    var server = HttpServer.Create(endPoint, _ => "Hello, World!", serverOptions: new StreamServerOptions { Backlog = 4096 });
    server.Start();
    endPoint = server.LocalEndPoint!;
    return server;
}

var servers = hubs is null ? [StartServer()] : Enumerable.Range(0, hubs.Count).Select(i => hubs.SpawnAsync(i, StartServer).Result).ToList();
Console.WriteLine(hubs is null ? $"serving http://{endPoint}/" : $"serving http://{endPoint}/ on {hubs.Count} hubs");
if (rest is ["--stats"])
{
    StatsReporter.Start();
}

if (hubs is null)
{
    servers[0].ServeForever();
}
else
{
    Task.WaitAll([.. servers.Select((server, i) => hubs.SpawnAsync(i, server.ServeForever))]);
}

return 0;
