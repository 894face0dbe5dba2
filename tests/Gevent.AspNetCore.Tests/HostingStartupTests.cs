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
        var (serial, concurrent) = await app.TimeSerialThenConcurrentAsync("/blocking/sleep?ms=100", serial: 10, concurrent: 20);

        // Against 5 serial requests, 20 concurrent ones took 558-770 ms on a loaded machine: 10 leave the margin.
        Assert.True(concurrent < serial, $"20 concurrent requests took {concurrent.TotalMilliseconds} ms, 10 serial ones {serial.TotalMilliseconds} ms");
    }
}
