using System.Diagnostics;

namespace Gevent.AspNetCore.Tests;

/// <summary>The no-code way in: naming the assembly as a hosting startup runs requests on greenlets.</summary>
public sealed class HostingStartupTests
{
    private static readonly string[] HostingStartupArgs = ["--hostingStartupAssemblies=Gevent.AspNetCore"];

    [Fact]
    public async Task TheHostingStartupRunsHandlersInGreenletsBeforeAndAfterAnAwait()
    {
        await using var app = await WebApp.StartAsync(_ => { }, HostingStartupArgs);

        var place = await app.Client.GetStringAsync("/blocking/after-await?ms=1");

        Assert.Contains(place, app.HubIds.Select(id => $"greenlet:{id}"));
    }

    [Fact]
    public async Task TheHostingStartupServesBlockingRequestsConcurrently()
    {
        await using var app = await WebApp.StartAsync(_ => { }, HostingStartupArgs);
        const string path = "/blocking/sleep?ms=100";
        await app.Client.GetStringAsync(path);

        var serial = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            await app.Client.GetStringAsync(path);
        }

        serial.Stop();
        var concurrent = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.Client.GetStringAsync(path)));

        Assert.True(concurrent.Elapsed < serial.Elapsed, $"20 concurrent requests took {concurrent.ElapsedMilliseconds} ms, 5 serial ones {serial.ElapsedMilliseconds} ms");
    }
}
