using System.Diagnostics;
using System.Net;
using BlockingWebHandlers;

namespace Gevent.AspNetCore.Tests;

/// <summary>Failures, aborts, the concurrency bound and shutdown. One class: the probes it reads are static.</summary>
public sealed class RequestLifetimeTests
{
    [Fact]
    public async Task AHandlersExceptionGives500()
    {
        await using var app = await WebApp.StartWithGeventAsync();

        using var response = await app.Client.GetAsync("/blocking/throw");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task AnAbortedRequestWakesItsParkedGreenlet()
    {
        await using var app = await WebApp.StartWithGeventAsync();
        AbortProbe.Reset();
        using var cancel = new CancellationTokenSource();

        var request = app.Client.GetAsync("/blocking/abortable?ms=60000", cancel.Token);
        await AbortProbe.Started.WaitAsync(TimeSpan.FromSeconds(30));
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        var ended = await AbortProbe.Ended.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(nameof(OperationCanceledException), ended);
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
}
