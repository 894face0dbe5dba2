using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Gevent;
using PatchDemo.QuoteClient;

// Asks a slow quote server (each answer takes --delay-ms) for --clients quotes, one greenlet per quote,
// through QuoteClient: plain blocking code in a library that knows nothing of Gevent. Unpatched, each
// blocking read holds the hub, so the quotes come one after another; once gevent-patch has rewritten
// the library, every greenlet waits cooperatively and they all come in about one delay.
var clients = 20;
var delay = TimeSpan.FromMilliseconds(250);
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--clients" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
            clients = n;
            i++;
            break;
        case "--delay-ms" when i + 1 < args.Length && int.TryParse(args[i + 1], out var ms) && ms >= 0:
            delay = TimeSpan.FromMilliseconds(ms);
            i++;
            break;
        default:
            Console.Error.WriteLine("usage: PatchDemo [--clients N (default 20)] [--delay-ms MS (default 250)]");
            return 2;
    }
}

var port = SlowQuoteServer.Start(delay);
var patched = typeof(QuoteClient).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Any(a => a.Key == "Gevent.Patched");
var stopwatch = Stopwatch.StartNew();
var quotes = Enumerable.Range(0, clients)
    .Select(i => Greenlet.Spawn(() => QuoteClient.GetQuote("127.0.0.1", port, $"SYM{i}")))
    .ToList();
Greenlet.JoinAll(quotes, throwOnError: true);
var elapsed = stopwatch.Elapsed;

var correct = quotes.Select((g, i) => g.Get() == $"SYM{i} 42.00").All(ok => ok);
Console.WriteLine($"QuoteClient {(patched ? "patched by gevent-patch" : "as built (unpatched)")}: {clients} quotes in {elapsed.TotalSeconds:0.00} s " +
                  $"({delay.TotalSeconds:0.00} s each; one after another would take {clients * delay.TotalSeconds:0.00} s): " +
                  (elapsed < delay * (clients / 2.0) ? "concurrent" : "one at a time"));
return correct ? 0 : 1;

/// <summary>The server side, on plain threads (not greenlets): answers each symbol after a delay.</summary>
internal static class SlowQuoteServer
{
    public static int Start(TimeSpan delay)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1024);
        new Thread(() =>
        {
            while (true)
            {
                var connection = listener.AcceptTcpClient();
                new Thread(() => Answer(connection, delay)) { IsBackground = true }.Start();
            }
        }) { IsBackground = true }.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Answer(TcpClient connection, TimeSpan delay)
    {
        using var _ = connection;
        using var reader = new StreamReader(connection.GetStream());
        using var writer = new StreamWriter(connection.GetStream()) { AutoFlush = true };
        var symbol = reader.ReadLine();
        Thread.Sleep(delay);
        writer.WriteLine($"{symbol} 42.00");
    }
}
