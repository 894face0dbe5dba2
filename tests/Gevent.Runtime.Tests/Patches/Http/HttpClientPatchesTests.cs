using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Http;

public class HttpClientPatchesTests : IDisposable
{
    private readonly SlowHttpServer _server = new();

    [Fact]
    public void OutsideAGreenletSendIsTheOriginal()
    {
        using var client = new HttpClient();
        using var response = HttpClientPatches.Send(client, new HttpRequestMessage(HttpMethod.Get, _server.Url(0)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("waited 0", new StreamReader(response.Content.ReadAsStream()).ReadToEnd());
        Assert.Null(Hub.CurrentGreenletOrNull);
    }

    [Fact]
    public void FailuresAreTheOriginalExceptionsInBothModes()
    {
        var closedPort = $"http://127.0.0.1:{FreePort()}/";
        using var client = new HttpClient();
        var original = Record.Exception(() => client.Send(new HttpRequestMessage(HttpMethod.Get, closedPort)));
        Assert.IsType<HttpRequestException>(original);
        Assert.IsType<HttpRequestException>(Record.Exception(() => HttpClientPatches.Send(client, new HttpRequestMessage(HttpMethod.Get, closedPort))));
        HubTest.Run(() =>
            Assert.IsType<HttpRequestException>(Record.Exception(() => HttpClientPatches.Send(client, new HttpRequestMessage(HttpMethod.Get, closedPort)))));

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        HubTest.Run(() => Assert.IsAssignableFrom<OperationCanceledException>(
            Record.Exception(() => HttpClientPatches.Send(client, new HttpRequestMessage(HttpMethod.Get, _server.Url(0)), cancelled.Token))));
    }

    [Fact]
    public void TwentyGreenletsSendingAtOnceFinishInAboutOnePeriodWhileTheHubKeepsTicking()
    {
        HubTest.Run(() =>
        {
            using var client = new HttpClient();
            // The control: one request alone, in the same test, so a load that slows every request slows the bound.
            var alone = Stopwatch.StartNew();
            HttpClientPatches.Send(client, new HttpRequestMessage(HttpMethod.Get, _server.Url(300)), HttpCompletionOption.ResponseContentRead).Dispose();
            var serial = alone.Elapsed * 20;
            using var ticker = new Ticker();
            var stopwatch = Stopwatch.StartNew();
            var senders = Enumerable.Range(0, 20).Select(i => Greenlet.Spawn(() =>
            {
                using var response = HttpClientPatches.Send(client, new HttpRequestMessage(HttpMethod.Get, _server.Url(300)), HttpCompletionOption.ResponseContentRead);
                return new StreamReader(response.Content.ReadAsStream()).ReadToEnd();
            })).ToList();
            Greenlet.JoinAll(senders, TimeSpan.FromSeconds(30));
            Assert.All(senders, s => Assert.Equal("waited 300", s.Get()));
            // Well under their serial time: one at a time would take the whole of it.
            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(290), serial * 0.75);
            ticker.AssertKeptRunning("while 20 requests were in flight");
        });
    }

    [Fact]
    public void ATimeoutOrAKillInterruptsASendAndTheClientStaysUsable()
    {
        HubTest.Run(() =>
        {
            using var client = new HttpClient();
            var stopwatch = Stopwatch.StartNew();
            Assert.False(GreenTimeout.TryRun(TimeSpan.FromMilliseconds(100),
                () => HttpClientPatches.Send(client, new HttpRequestMessage(HttpMethod.Get, _server.Url(10_000))).Dispose()));
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));

            var cleaned = false;
            var sender = Greenlet.Spawn(() =>
            {
                try
                {
                    HttpClientPatches.Send(client, new HttpRequestMessage(HttpMethod.Get, _server.Url(10_000))).Dispose();
                }
                finally
                {
                    cleaned = true;
                }
            });
            Greenlet.Sleep(TimeSpan.FromMilliseconds(50));
            sender.Kill();
            Assert.True(cleaned);

            using var response = HttpClientPatches.Send(client, new HttpRequestMessage(HttpMethod.Get, _server.Url(0)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });
    }

    public void Dispose() => _server.Dispose();

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
