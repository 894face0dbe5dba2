using System.Diagnostics;
using System.Net;
using System.Text;
using Gevent.Patches;
using Gevent.Tests.Patches.Sockets;

#pragma warning disable SYSLIB0014 // The replacements under test stand in for the obsolete WebRequest API, called here side by side.

namespace Gevent.Tests.Patches.Http;

public class HttpWebRequestPatchesTests : IDisposable
{
    private readonly SlowHttpServer _server = new();

    [Fact]
    public void OutsideAGreenletTheReplacementsAreTheOriginals()
    {
        Assert.Null(Hub.CurrentGreenletOrNull);
        Assert.Equal("waited 0", Body(HttpWebRequestPatches.GetResponse(Http(_server.Url(0)))));
        Assert.Equal("waited 0", Body(HttpWebRequestPatches.GetResponse(WebRequest.Create(_server.Url(0)))));
        Assert.Equal("waited 0 POST hello", Post(_server.Url(0), buffered: true, HttpWebRequestPatches.GetRequestStream));
        Assert.Null(Hub.CurrentGreenletOrNull);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OutcomesAndFailuresMatchTheOriginals(bool inGreenlet) => Parity.Run(inGreenlet, () =>
    {
        SameOutcome(() => WebRequest.Create(_server.Url(0)), r => Body(r.GetResponse()), r => Body(HttpWebRequestPatches.GetResponse(r)));
        SameOutcome(() => Http(_server.Url(0)), r => Body(r.GetResponse()), r => Body(HttpWebRequestPatches.GetResponse((HttpWebRequest)r)));
        SameOutcome(() => Http(_server.Url(0, 404)), r => r.GetResponse(), r => HttpWebRequestPatches.GetResponse(r), "WebException ProtocolError NotFound");
        SameOutcome(() => Http(SlowHttpServer.RefusedUrl), r => r.GetResponse(), r => HttpWebRequestPatches.GetResponse(r), "WebException ");
        SameOutcome(() => Http(_server.Url(5_000), timeoutMs: 200), r => r.GetResponse(), r => HttpWebRequestPatches.GetResponse(r), "WebException Timeout");
        SameOutcome(() => Http(_server.Url(0)), r => r.GetRequestStream(), r => HttpWebRequestPatches.GetRequestStream(r), nameof(ProtocolViolationException));
        SameOutcome(() => Http(SlowHttpServer.RefusedUrl, "POST", buffered: false), r => r.GetRequestStream(), r => HttpWebRequestPatches.GetRequestStream(r), "AggregateException [WebException ");
        SameOutcome(
            () => Http(SlowHttpServer.RefusedUrl, "POST", buffered: false),
            r => ((HttpWebRequest)r).GetRequestStream(out _),
            r => HttpWebRequestPatches.GetRequestStream((HttpWebRequest)r, out _),
            "AggregateException [WebException ");
        SameOutcome(() => null!, r => r.GetResponse(), r => HttpWebRequestPatches.GetResponse(r), nameof(NullReferenceException));
        SameOutcome(() => null!, r => r.GetResponse(), r => HttpWebRequestPatches.GetResponse((HttpWebRequest)r), nameof(NullReferenceException));
        SameOutcome(() => null!, r => r.GetRequestStream(), r => HttpWebRequestPatches.GetRequestStream(r), nameof(NullReferenceException));

        // Another kind of request gets the virtual call: a file one reads the file, or fails as it would.
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "on disk");
            SameOutcome(() => WebRequest.Create(new Uri(file)), r => Body(r.GetResponse()), r => Body(HttpWebRequestPatches.GetResponse(r)));
            SameOutcome(() => WebRequest.Create(new Uri(file + ".missing")), r => r.GetResponse(), r => HttpWebRequestPatches.GetResponse(r), "WebException ");
        }
        finally
        {
            File.Delete(file);
        }
    });

    [Fact]
    public void RequestBodiesGoThroughTheRequestStreamBufferedOrNot()
    {
        HubTest.Run(() =>
        {
            Assert.Equal("waited 0 POST hello", Post(_server.Url(0), buffered: true, HttpWebRequestPatches.GetRequestStream));
            Assert.Equal("waited 0 POST hello", Post(_server.Url(0), buffered: false, HttpWebRequestPatches.GetRequestStream));
            Assert.Equal("waited 0 POST hello", Post(_server.Url(0), buffered: false, r =>
            {
                var stream = HttpWebRequestPatches.GetRequestStream((HttpWebRequest)r, out var context);
                Assert.Null(context);
                return stream;
            }));

            // A request that has its response gives it again, as the synchronous call does.
            var request = Http(_server.Url(0));
            Assert.Equal("waited 0", Body(HttpWebRequestPatches.GetResponse(request)));
            Assert.True(request.HaveResponse);
            Assert.Equal(HttpStatusCode.OK, ((HttpWebResponse)HttpWebRequestPatches.GetResponse(request)).StatusCode);
        });
    }

    [Fact]
    public void TwentyGreenletsWaitingForResponsesFinishTogetherAndKillOrTimeoutInterruptsOne() => BlockedAtOnce.Check(() =>
    {
        var gate = _server.NewGate();
        return new BlockedAtOnce.Subject(() => Assert.StartsWith("gate ", Body(HttpWebRequestPatches.GetResponse(WebRequest.Create(gate)))), () => _server.Open(gate));
    });

    [Fact]
    public void SlowResponsesOverlapWhileTheHubKeepsTicking()
    {
        HubTest.Run(() =>
        {
            using var ticker = new Ticker();
            var stopwatch = Stopwatch.StartNew();
            var requests = Enumerable.Range(0, 20)
                .Select(_ => Greenlet.Spawn(() => Body(HttpWebRequestPatches.GetResponse(WebRequest.Create(_server.Url(300))))))
                .ToList();
            Assert.Equal(20, Greenlet.JoinAll(requests, TimeSpan.FromSeconds(30), throwOnError: true).Count);
            Assert.All(requests, r => Assert.Equal("waited 300", r.Get()));
            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(4));
            ticker.AssertKeptRunning("while 20 requests were in flight");
        });
    }

    [Fact]
    public void AKillOrATimeoutAbortsTheRequestInFlight()
    {
        HubTest.Run(() =>
        {
            // Warm up, so that the request below reaches the server well within its timeout.
            Assert.Equal("waited 0", Body(HttpWebRequestPatches.GetResponse(WebRequest.Create(_server.Url(0)))));

            // The server would answer in 30 s and the requests would time out in 100 s: only an abort ends them sooner.
            var stopwatch = Stopwatch.StartNew();
            var timedOut = Http(_server.Url(30_000));
            Assert.False(GreenTimeout.TryRun(TimeSpan.FromSeconds(1), () => HttpWebRequestPatches.GetResponse(timedOut).Dispose()));
            Assert.True(_server.SawItStopped(received: 1, abandoned: 0), "the timed-out request kept its connection open");
            var aborted = Assert.IsType<WebException>(Record.Exception(() => HttpWebRequestPatches.GetResponse(timedOut)));
            Assert.Equal(WebExceptionStatus.RequestCanceled, aborted.Status);

            var cleaned = false;
            var killed = Http(_server.Url(30_000), "POST", buffered: true);
            var sender = Greenlet.Spawn(() =>
            {
                try
                {
                    using (var body = HttpWebRequestPatches.GetRequestStream(killed))
                    {
                        body.Write("hello"u8);
                    }

                    HttpWebRequestPatches.GetResponse(killed).Dispose();
                }
                finally
                {
                    cleaned = true;
                }
            });
            var (received, abandoned) = (_server.Received, _server.Abandoned);
            Assert.True(_server.SleepUntilReceived(received + 1));
            sender.Kill();
            Assert.True(cleaned && sender.Successful);
            Assert.True(_server.WaitForAbandoned(abandoned + 1), "the killed request kept its connection open");
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(25));

            Assert.Equal("waited 0", Body(HttpWebRequestPatches.GetResponse(WebRequest.Create(_server.Url(0)))));
        });
    }

    public void Dispose() => _server.Dispose();

    private static HttpWebRequest Http(string url, string method = "GET", bool buffered = true, int timeoutMs = 100_000)
    {
        var request = (HttpWebRequest)WebRequest.Create(url);
        request.Method = method;
        request.AllowWriteStreamBuffering = buffered;
        request.Timeout = timeoutMs;
        if (method == "POST")
        {
            request.ContentLength = 5;
        }

        return request;
    }

    private static string Post(string url, bool buffered, Func<WebRequest, Stream> getRequestStream)
    {
        var request = Http(url, "POST", buffered);
        using (var body = getRequestStream(request))
        {
            body.Write("hello"u8);
        }

        return Body(HttpWebRequestPatches.GetResponse(request));
    }

    private static string Shown<T>(T result)
    {
        (result as IDisposable)?.Dispose();
        return $"{result}";
    }

    private static string Body(WebResponse response)
    {
        using (response)
        using (var reader = new StreamReader(response.GetResponseStream(), Encoding.UTF8))
        {
            return reader.ReadToEnd();
        }
    }

    /// <summary>
    /// The original and the replacement, each on a fresh request, end alike: the same result, or the same exception
    /// (type, web status, response status, and the same for what it wraps); <paramref name="expected"/> starts the outcome.
    /// </summary>
    private static void SameOutcome<T>(Func<WebRequest> create, Func<WebRequest, T> original, Func<WebRequest, T> replacement, string expected = "")
    {
        var before = WebOutcome.Of(() => original(create()), Shown);
        Assert.StartsWith(expected, before, StringComparison.Ordinal);
        Assert.Equal(before, WebOutcome.Of(() => replacement(create()), Shown));
    }
}
