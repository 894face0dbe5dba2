using System.Diagnostics;
using BlockingWebHandlers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gevent.AspNetCore.Tests;

/// <summary>
/// Request state (IHttpContextAccessor, AsyncLocal, the request's Activity, logging scopes, the DI scope) never leaks
/// between requests sharing a hub: each of many concurrent requests reads its own after blocking, awaiting and blocking
/// again, while the others ran on the same hub.
/// </summary>
public sealed class RequestIsolationTests
{
    private const int Concurrent = 30;

    [Fact]
    public async Task EachResponseCarriesItsOwnRequestsIdAfterBlocking()
    {
        await using var app = await WebApp.StartWithGeventAsync(options => options.HubCount = 1);

        var ids = Enumerable.Range(0, Concurrent).Select(i => $"request-{i}").ToArray();
        var answers = await Task.WhenAll(ids.Select(id => app.Client.GetStringAsync($"/blocking/own-id?id={id}&ms=20")));

        Assert.Equal(ids.Select(id => $"{id}/{id}"), answers);
    }

    [Theory]
    [InlineData(WayIn.UseGevent)]
    [InlineData(WayIn.HostingStartup)]
    public async Task EachRequestSeesItsOwnActivity(WayIn way)
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await StartAsync(way, logs);

        // Hosting starts each request's Activity as a child of the traceparent the client sent.
        var traceIds = Enumerable.Range(0, Concurrent).Select(_ => ActivityTraceId.CreateRandom().ToString()).ToArray();
        var answers = await Task.WhenAll(traceIds.Select(async traceId =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/isolation/trace?ms=20");
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            using var response = await app.Client.SendAsync(request);
            return await response.Content.ReadAsStringAsync();
        }));

        Assert.Equal(traceIds, answers);
    }

    [Theory]
    [InlineData(WayIn.UseGevent)]
    [InlineData(WayIn.HostingStartup)]
    public async Task EachRequestLogsInItsOwnScopes(WayIn way)
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await StartAsync(way, logs);

        var ids = Enumerable.Range(0, Concurrent).Select(i => $"request-{i}").ToArray();
        await Task.WhenAll(ids.Select(id => app.Client.GetStringAsync($"/isolation/log-scope?id={id}&ms=20")));

        var done = logs.Entries.Where(entry => entry.Message.StartsWith("done ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(ids.Order(), done.Select(entry => entry.Message["done ".Length..]).Order());
        Assert.All(done, entry =>
        {
            var id = entry.Message["done ".Length..];
            Assert.Equal(new[] { $"scope {id}" }, entry.Scopes.Where(scope => scope.StartsWith("scope ", StringComparison.Ordinal)));
            Assert.Single(entry.Scopes, scope => scope.Contains("RequestId:", StringComparison.Ordinal));
        });

        // Hosting's own scope names the request: no two requests' messages may carry the same one.
        var requestScopes = done.Select(entry => entry.Scopes.Single(scope => scope.Contains("RequestId:", StringComparison.Ordinal)));
        Assert.Equal(Concurrent, requestScopes.Distinct().Count());
    }

    [Theory]
    [InlineData(WayIn.UseGevent)]
    [InlineData(WayIn.HostingStartup)]
    public async Task EachRequestHasItsOwnServiceScopeDisposedWhenItEnds(WayIn way)
    {
        await using var app = await StartAsync(way, new CapturingLoggerProvider());

        var answers = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => app.Client.GetStringAsync("/isolation/scoped?ms=20")));

        var ids = answers.Select(answer => answer.Split(' ')).ToArray();
        Assert.All(ids, pair => Assert.Equal(pair[0], pair[1]));
        Assert.Equal(Concurrent, ids.Select(pair => pair[0]).Distinct().Count());

        // The scope ends as the request's context is disposed, just after the response is complete.
        var deadline = Stopwatch.StartNew();
        while (!ids.All(pair => RequestScoped.IsDisposed(Guid.Parse(pair[0]))))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "request-scoped services not disposed 20 s after their responses");
            await Task.Delay(20);
        }
    }

    /// <summary>One hub, so that every request shares it; <paramref name="logs"/> enabled, so that hosting starts Activities and scopes.</summary>
    private static Task<WebApp> StartAsync(WayIn way, CapturingLoggerProvider logs) => WebApp.StartAsync(way, builder =>
    {
        builder.Services.Configure<GeventServerOptions>(options => options.HubCount = 1);
        builder.Logging.AddProvider(logs);
    });
}
