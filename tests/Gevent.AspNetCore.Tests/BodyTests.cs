using System.Diagnostics;
using System.Net;
using System.Text;

namespace Gevent.AspNetCore.Tests;

/// <summary>
/// Synchronous body reads and writes work under Gevent, where ASP.NET Core refuses them by default, and a read
/// waiting for the client parks only its greenlet.
/// </summary>
public sealed class BodyTests
{
    [Fact]
    public async Task ARequestBodyIsReadSynchronously()
    {
        await using var app = await WebApp.StartWithGeventAsync();
        var body = string.Concat(Enumerable.Repeat("0123456789", 20_000));

        using var response = await app.Client.PostAsync("/blocking/echo", new StringContent(body, Encoding.UTF8));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AResponseBodyIsWrittenSynchronously()
    {
        await using var app = await WebApp.StartWithGeventAsync();

        var body = await app.Client.GetByteArrayAsync("/blocking/write?kb=2048");

        Assert.Equal(2048 * 1024, body.Length);
        Assert.All(body, b => Assert.Equal((byte)'x', b));
    }

    [Fact]
    public async Task ASynchronousReadWaitingForTheClientLeavesTheHubFree()
    {
        // One hub: were the read to block its thread rather than park its greenlet, no other request could run.
        await using var app = await WebApp.StartWithGeventAsync(options => options.HubCount = 1);
        using var content = new TwoPartContent("first half, ", "second half");
        var tag = Guid.NewGuid().ToString();
        var upload = app.Client.PostAsync($"/blocking/echo?tag={tag}", content);

        try
        {
            // Each answer is another request served while the read waits.
            var deadline = Stopwatch.StartNew();
            while (await app.Client.GetStringAsync($"/blocking/reading?tag={tag}").WaitAsync(TimeSpan.FromSeconds(20)) != "true")
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "the upload's handler did not start reading within 20 s");
                await Task.Delay(20);
            }

            Assert.Contains(await app.Client.GetStringAsync("/blocking/where").WaitAsync(TimeSpan.FromSeconds(20)), app.GreenletPlaces);
        }
        finally
        {
            // Also on failure: a read that blocked the hub's thread ends only when the body does.
            content.SendRest();
        }

        using var response = await upload.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("first half, second half", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SynchronousBodyReadsAreRefusedWhenTheOptionSaysSo()
    {
        await using var app = await WebApp.StartWithGeventAsync(options => options.AllowSynchronousIO = false);

        using var response = await app.Client.PostAsync("/blocking/echo", new StringContent("text"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }
}
