using System.Diagnostics;
using System.Net;
using System.Reflection;
using Gevent.Servers;
using ResumableSpawnCases;
using static Gevent.Weaver.Tests.Resumable.RunInfoLines;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// <see cref="HttpServer"/> on tier 2: with a handler woven with resumable frames
/// (testassets/ResumableSpawnCases/HttpHandlers.cs) its connections wait for requests in stackless greenlets and the
/// handler suspends them too, with the responses of the original handler on thread-backed connections.
/// </summary>
// Alone: the tests count the process's threads, which tests running beside them would add to.
[Collection(SequentialCollection.Name)]
public sealed class HttpServerHandlersTests
{
    private const string Parked = "waiting on a socket to become readable, stackless";

    private static readonly Lazy<(Assembly Assembly, byte[] Image)> s_woven = new(() => ResumableWeaving.Weave("ResumableSpawnCases"));

    [Fact]
    public void AWovenHandlerServesKeepAliveClientsStacklesslyWithTheResponsesOfTheOriginal()
    {
        var (original, originalInfo) = ServeKeepAliveClients(Handler(nameof(HttpHandlers.Napping), [], woven: false));
        var (woven, wovenInfo) = ServeKeepAliveClients(Handler(nameof(HttpHandlers.Napping), []));

        Assert.Equal(50, original.Count);
        Assert.EndsWith("X-Target: /3/4\nContent-Length: 8\n\nGET /3/4", original[19], StringComparison.Ordinal);
        Assert.Equal(original, woven);
        // The original handler is not resumable: its connections are thread-backed. The woven handler's connections are
        // stackless, and its naps suspend them, once per request at least.
        Assert.Equal(0, Suspensions(originalInfo));
        Assert.DoesNotContain("pins:", originalInfo, StringComparison.Ordinal);
        Assert.DoesNotContain("pins:", wovenInfo, StringComparison.Ordinal);
        Assert.True(Suspensions(wovenInfo) >= original.Count, wovenInfo);
    }

    [Fact]
    public void AThousandIdleKeepAliveConnectionsParkWithoutThreadsAndAStopEndsThem()
    {
        const int count = 1_000;
        HubTest.Run(() =>
        {
            using var server = Server(Handler(nameof(HttpHandlers.Napping), []));
            var clients = new List<KeepAliveHttpClient>(count);
            try
            {
                var before = Threads();
                for (var i = 0; i < count; i++)
                {
                    var client = new KeepAliveHttpClient(server.LocalEndPoint!);
                    clients.Add(client);
                    Assert.EndsWith("\n\nGET /" + i, client.Get("/" + i), StringComparison.Ordinal);
                    // Should the connections hold a thread each, stop at 100 rather than start 1,000 threads.
                    Assert.True(i != 100 || Threads() - before < 50, "100 idle connections hold a thread each: they are not stackless");
                }

                Greenlet.Yield();
                var during = Threads() - before;
                var info = Hub.Current.FormatRunInfo();
                server.Stop();

                // No other test runs meanwhile; a margin for the runtime's own threads, far below one per connection.
                Assert.True(during < 50, $"{during} threads more with {count} idle keep-alive connections");
                Assert.Equal(count, ParkedLines(info));
                Assert.DoesNotContain("pins:", info, StringComparison.Ordinal);
                // Stopped, the server killed them at once: every connection's stream closed, none left.
                Assert.All(clients, c => Assert.True(c.ReadsEnd()));
                Assert.Equal(0, server.ConnectionCount);
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }
        }, timeoutSeconds: 120);
    }

    [Fact]
    public void SlowlorisPartialHeadsParkWithoutThreadsAndAreServedOnceComplete()
    {
        const int count = 100;
        HubTest.Run(() =>
        {
            using var server = Server(Handler(nameof(HttpHandlers.Napping), []));
            var before = Threads();
            var clients = Enumerable.Range(0, count).Select(_ => new KeepAliveHttpClient(server.LocalEndPoint!)).ToList();
            try
            {
                clients.ForEach(c => c.Send("GET /slow HTTP/1.1\r\nHo"));
                var stopwatch = Stopwatch.StartNew();
                while (ParkedLines(Hub.Current.FormatRunInfo()) < count)
                {
                    Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), "the partial heads did not all park:\n" + Hub.Current.FormatRunInfo());
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
                }

                var during = Threads() - before;
                var info = Hub.Current.FormatRunInfo();
                clients.ForEach(c => c.Send("st: test\r\n\r\n"));
                var responses = clients.Select(c => c.ReadResponse()).ToList();

                Assert.True(during < 50, $"{during} threads more with {count} partial heads");
                Assert.DoesNotContain("pins:", info, StringComparison.Ordinal);
                Assert.All(responses, r => Assert.StartsWith("HTTP/1.1 200 OK\n", r, StringComparison.Ordinal));
                Assert.All(responses, r => Assert.EndsWith("\n\nGET /slow", r, StringComparison.Ordinal));
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }
        });
    }

    [Fact]
    public void AStopKillsHandlersNappingStacklessAndRunsTheirFinallyBlocks()
    {
        var log = new List<string>();
        HubTest.Run(() =>
        {
            using var server = Server(Handler(nameof(HttpHandlers.NappingLong), log));
            string[] targets = ["/a", "/b", "/c"];
            var clients = targets.Select(_ => new KeepAliveHttpClient(server.LocalEndPoint!)).ToList();
            try
            {
                for (var i = 0; i < targets.Length; i++)
                {
                    clients[i].Send("GET " + targets[i] + " HTTP/1.1\r\nHost: test\r\n\r\n");
                }

                var stopwatch = Stopwatch.StartNew();
                while (log.Count < targets.Length)
                {
                    Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), "the handlers did not all start");
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
                }

                var info = Hub.Current.FormatRunInfo();
                // Busy, they get the grace period, then are killed.
                server.Stop(TimeSpan.FromMilliseconds(20));

                Assert.DoesNotContain("pins:", info, StringComparison.Ordinal);
                Assert.True(Suspensions(info) >= targets.Length, info);
                Assert.All(clients, c => Assert.True(c.ReadsEnd()));
                Assert.Equal(0, server.ConnectionCount);
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }
        });

        Assert.Equal(["finally /a", "finally /b", "finally /c", "napping /a", "napping /b", "napping /c"], log.Order());
    }

    /// <summary>Ten keep-alive clients at once, five requests each, on a server with <paramref name="handler"/>: the responses, and the run info after.</summary>
    private static (List<string> Responses, string Info) ServeKeepAliveClients(Action<HttpRequest, HttpResponse> handler)
    {
        var responses = new List<string>();
        var info = "";
        HubTest.Run(() =>
        {
            using var server = Server(handler);
            var clients = Enumerable.Range(0, 10).Select(c => Greenlet.Spawn(() =>
            {
                using var client = new KeepAliveHttpClient(server.LocalEndPoint!);
                return Enumerable.Range(0, 5).Select(r => client.Get("/" + c + "/" + r)).ToList();
            })).ToList();
            responses = clients.SelectMany(g => g.Get()).ToList();
            info = Hub.Current.FormatRunInfo();
        });
        return (responses, info);
    }

    /// <summary>A started server on this hub alone.</summary>
    private static HttpServer Server(Action<HttpRequest, HttpResponse> handler)
    {
        var server = new HttpServer(new IPEndPoint(IPAddress.Loopback, 0), handler, serverOptions: new StreamServerOptions { Hubs = 1 });
        server.Start();
        return server;
    }

    /// <summary>A handler of <see cref="HttpHandlers"/>, woven or the original.</summary>
    private static Action<HttpRequest, HttpResponse> Handler(string method, List<string> log, bool woven = true)
    {
        var type = woven ? s_woven.Value.Assembly.GetType(typeof(HttpHandlers).FullName!, throwOnError: true)! : typeof(HttpHandlers);
        return (Action<HttpRequest, HttpResponse>)Delegate.CreateDelegate(typeof(Action<HttpRequest, HttpResponse>), Activator.CreateInstance(type, log)!, method);
    }

    private static int ParkedLines(string info) => info.Split('\n').Count(l => l.Contains(Parked, StringComparison.Ordinal) && !l.Contains("pinned", StringComparison.Ordinal));

    private static int Threads() => Process.GetCurrentProcess().Threads.Count;
}
