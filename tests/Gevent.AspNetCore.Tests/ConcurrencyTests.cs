namespace Gevent.AspNetCore.Tests;

/// <summary>Blocking handlers of every kind serve concurrent requests in about one period, as awaiting ones would.</summary>
public sealed class ConcurrencyTests
{
    private const int Concurrent = 20;
    private const int SerialControl = 10;

    [Theory]
    [InlineData("/blocking/sleep?ms=100")]
    [InlineData("/blocking/wait?ms=100")]
    [InlineData("/blocking/after-await?ms=100")]
    [InlineData("/controller/sleep?ms=100")]
    public async Task ConcurrentRequestsToABlockingEndpointFinishInAboutOnePeriod(string path)
    {
        await using var app = await WebApp.StartWithGeventAsync();

        var (serial, concurrent) = await app.TimeSerialThenConcurrentAsync(path, SerialControl, Concurrent);

        // 20 requests side by side take less than 10 one after the other: at most one blocked at a time would take
        // 20 periods, a thread-pool that grows under blocking takes several.
        Assert.True(serial >= TimeSpan.FromMilliseconds(SerialControl * 100), $"the serial control took only {serial.TotalMilliseconds} ms");
        Assert.True(
            concurrent < serial,
            $"{Concurrent} concurrent requests took {concurrent.TotalMilliseconds} ms, {SerialControl} serial ones {serial.TotalMilliseconds} ms");
    }
}
