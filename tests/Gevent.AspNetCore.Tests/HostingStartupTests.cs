namespace Gevent.AspNetCore.Tests;

/// <summary>The no-code way in: naming the assembly as a hosting startup runs requests on greenlets.</summary>
public sealed class HostingStartupTests
{
    [Fact]
    public async Task TheHostingStartupRunsHandlersInGreenletsBeforeAndAfterAnAwait()
    {
        await using var app = await WebApp.StartAsync(WayIn.HostingStartup);

        var place = await app.Client.GetStringAsync("/blocking/after-await?ms=1");

        Assert.Contains(place, app.GreenletPlaces);
    }

    [Fact]
    public async Task TheHostingStartupServesBlockingRequestsConcurrently()
    {
        await using var app = await WebApp.StartAsync(WayIn.HostingStartup);
        await app.AssertBlocksConcurrentlyAsync("/blocking/sleep");
    }
}
