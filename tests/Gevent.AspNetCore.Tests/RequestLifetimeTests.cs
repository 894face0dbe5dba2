using System.Diagnostics;
using System.Net;
using BlockingWebHandlers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gevent.AspNetCore.Tests;

/// <summary>Failures, aborts, the concurrency bound and shutdown. One class: the probes it reads are static.</summary>
public sealed class RequestLifetimeTests
{
    [Theory]
    [InlineData("/blocking/throw")]
    [InlineData("/blocking/throw-after-await")]
    public async Task AHandlersExceptionGives500(string path)
    {
        await using var app = await WebApp.StartWithGeventAsync();

        using var response = await app.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task AnAbortedRequestWakesItsParkedGreenlet()
    {
        var ended = await AbortWhileInHandlerAsync("/blocking/abortable?ms=60000", endsWithin: TimeSpan.FromSeconds(20));

        Assert.Equal(nameof(OperationCanceledException), ended);
    }

    [Fact]
    public async Task AnAbortedRequestInASocketReadThatNeverEndsIsWokenAfterTheGracePeriod()
    {
        // Socket I/O is left to end by itself first (an Npgsql query keeps its connection so); a read from a peer that
        // never answers does not end, and is killed once the grace period is over.
        var ended = await AbortWhileInHandlerAsync("/blocking/abortable-read", endsWithin: Gevent.AspNetCore.Scheduling.RequestHub.SocketWaitGrace + TimeSpan.FromSeconds(30));

        Assert.Equal(nameof(OperationCanceledException), ended);
    }

    [Theory]
    [InlineData(WayIn.UseGevent)]
    [InlineData(WayIn.HostingStartup)]
    public async Task AnAbortedWebSocketFreesItsGreenletAndItsSlot(WayIn way)
    {
        // One slot: the socket's handler holds it for the socket's whole life.
        await using var app = await WebSocketTests.StartAsync(way, options => options.MaxConcurrentRequests = 1);
        AbortProbe.Reset();
        var socket = await WebSocketTests.ConnectAsync(app, "/ws/abortable?ms=1");
        Assert.StartsWith("before greenlet:", await WebSocketTests.EchoAsync(socket, "before"), StringComparison.Ordinal);
        await AbortProbe.Started.WaitAsync(TimeSpan.FromSeconds(30));

        // The client goes away without the close handshake, the handler parked in ReceiveAsync(...).Result.
        socket.Abort();
        socket.Dispose();

        Assert.NotEqual("completed", await AbortProbe.Ended.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal("slept", await app.Client.GetStringAsync("/blocking/sleep?ms=1").WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task TheConcurrencyBoundHoldsRequestsBack()
    {
        await using var app = await WebApp.StartWithGeventAsync(options => options.MaxConcurrentRequests = 2);
        ConcurrencyProbe.Reset();

        var elapsed = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => app.Client.GetStringAsync("/blocking/counted?ms=150")));

        Assert.Equal(2, ConcurrencyProbe.Peak);
        Assert.True(elapsed.Elapsed >= TimeSpan.FromMilliseconds(3 * 150), $"6 requests, 2 at a time, took only {elapsed.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task ShutdownDrainsRequestsInFlight()
    {
        var app = await WebApp.StartWithGeventAsync();
        try
        {
            AbortProbe.Reset();
            var request = app.Client.GetStringAsync("/blocking/abortable?ms=700");
            await AbortProbe.Started.WaitAsync(TimeSpan.FromSeconds(30));

            await app.App.StopAsync();

            // Not drained, the handler would be interrupted and the client would see the connection end.
            Assert.Equal("completed", await AbortProbe.Ended.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal("completed", await request.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task ShutdownEndsARequestThatOutlivesTheShutdownTimeout()
    {
        var app = await WebApp.StartAsync(builder =>
        {
            builder.WebHost.UseGevent();
            builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(1));
        });
        try
        {
            AbortProbe.Reset();
            var request = app.Client.GetStringAsync("/blocking/abortable?ms=60000");
            await AbortProbe.Started.WaitAsync(TimeSpan.FromSeconds(30));

            // The handler has a minute to go: stopping returns long before only if the timeout cut the request short.
            await app.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(nameof(OperationCanceledException), await AbortProbe.Ended.WaitAsync(TimeSpan.FromSeconds(20)));
            await Assert.ThrowsAsync<HttpRequestException>(() => request.WaitAsync(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Requests <paramref name="path"/> (an <see cref="AbortProbe"/> handler), aborts it once the handler runs, and returns how the handler ended.</summary>
    private static async Task<string> AbortWhileInHandlerAsync(string path, TimeSpan endsWithin)
    {
        await using var app = await WebApp.StartWithGeventAsync();
        AbortProbe.Reset();
        using var cancel = new CancellationTokenSource();

        var request = app.Client.GetAsync(path, cancel.Token);
        await AbortProbe.Started.WaitAsync(TimeSpan.FromSeconds(30));
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        return await AbortProbe.Ended.WaitAsync(endsWithin);
    }
}
