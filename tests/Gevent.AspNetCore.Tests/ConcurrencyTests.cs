namespace Gevent.AspNetCore.Tests;

/// <summary>Blocking handlers of every kind serve concurrent requests in about one period, as awaiting ones would.</summary>
public sealed class ConcurrencyTests
{
    [Theory]
    [InlineData("/blocking/sleep")]
    [InlineData("/blocking/wait")]
    [InlineData("/blocking/after-await")]
    [InlineData("/controller/sleep")]
    public async Task ConcurrentRequestsToABlockingEndpointFinishInAboutOnePeriod(string endpoint)
    {
        await using var app = await WebApp.StartWithGeventAsync();

        // A thread pool that grows under blocking takes several periods, as would one request blocked at a time.
        await app.AssertBlocksConcurrentlyAsync(endpoint);
    }
}
