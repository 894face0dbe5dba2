namespace Gevent.AspNetCore.Tests;

/// <summary>Request state (IHttpContextAccessor, AsyncLocal) never leaks between requests sharing a hub.</summary>
public sealed class RequestIsolationTests
{
    [Fact]
    public async Task EachResponseCarriesItsOwnRequestsIdAfterBlocking()
    {
        await using var app = await WebApp.StartWithGeventAsync(options => options.HubCount = 1);

        var ids = Enumerable.Range(0, 30).Select(i => $"request-{i}").ToArray();
        var answers = await Task.WhenAll(ids.Select(id => app.Client.GetStringAsync($"/blocking/own-id?id={id}&ms=20")));

        Assert.Equal(ids.Select(id => $"{id}/{id}"), answers);
    }
}
