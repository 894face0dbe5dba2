using System.Diagnostics;

namespace Gevent.AspNetCore.Tests;

/// <summary>Blocking handlers of every kind serve concurrent requests in about one period, as awaiting ones would.</summary>
public sealed class ConcurrencyTests
{
    private const int Concurrent = 20;
    private const int SerialControl = 5;

    [Theory]
    [InlineData("/blocking/sleep?ms=100")]
    [InlineData("/blocking/wait?ms=100")]
    [InlineData("/blocking/after-await?ms=100")]
    [InlineData("/controller/sleep?ms=100")]
    public async Task ConcurrentRequestsToABlockingEndpointFinishInAboutOnePeriod(string path)
    {
        await using var app = await WebApp.StartWithGeventAsync();
        await app.Client.GetStringAsync(path);

        var serial = Stopwatch.StartNew();
        for (var i = 0; i < SerialControl; i++)
        {
            await app.Client.GetStringAsync(path);
        }

        serial.Stop();

        var concurrent = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => app.Client.GetStringAsync(path)));
        concurrent.Stop();

        // 20 requests side by side take less than 5 one after the other: at most one blocked at a time would take
        // 20 periods, a thread-pool that grows under blocking takes several.
        Assert.True(serial.Elapsed >= TimeSpan.FromMilliseconds(SerialControl * 100), $"the serial control took only {serial.ElapsedMilliseconds} ms");
        Assert.True(
            concurrent.Elapsed < serial.Elapsed,
            $"{Concurrent} concurrent requests took {concurrent.ElapsedMilliseconds} ms, {SerialControl} serial ones {serial.ElapsedMilliseconds} ms");
    }
}
